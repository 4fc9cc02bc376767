using System;
using System.Collections.Generic;
using System.Threading;
using EasyNetwork.Internal;

namespace EasyNetwork;

/// <summary>
/// A thread-side executor over the .NET thread pool with at most <see cref="MaxWorkers"/> items running at once (the
/// analogue of <c>concurrent.futures.ThreadPoolExecutor</c>). Items run without the submitter's execution context.
/// </summary>
public sealed class ThreadPoolExecutor : IExecutor, IDisposable
{
    private static readonly Action<object?> s_drain = static state => ((ThreadPoolExecutor)state!).Drain();

    private readonly object _gate = new();
    private readonly Queue<IExecutorWorkItem> _pending = new();
    private int _running;
    private bool _shutdown;

    /// <summary>Creates an executor.</summary>
    /// <param name="maxWorkers">How many items may run at once; defaults to the processor count.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWorkers"/> is less than 1.</exception>
    public ThreadPoolExecutor(int? maxWorkers = null)
    {
        int workers = maxWorkers ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1, nameof(maxWorkers));
        MaxWorkers = workers;
    }

    /// <summary>Gets how many items may run at once.</summary>
    public int MaxWorkers { get; }

    /// <inheritdoc/>
    public ThreadFuture<TResult> Submit<TState, TResult>(Func<TState, TResult> func, TState state)
    {
        ArgumentNullException.ThrowIfNull(func);
        var item = new ExecutorWorkItem<TState, TResult>(func, state);
        bool startWorker;
        lock (_gate)
        {
            if (_shutdown)
            {
                ThrowHelper.ThrowInvalidOperation("The executor has been shut down; it accepts no more work.");
            }

            _pending.Enqueue(item);
            startWorker = _running < MaxWorkers;
            if (startWorker)
            {
                _running++;
            }
        }

        if (startWorker)
        {
#pragma warning disable EN0008 // The executor's worker: it drains the queue and completes each item's future, which its caller awaits.
            ThreadPool.UnsafeQueueUserWorkItem(s_drain, this, preferLocal: false);
#pragma warning restore EN0008
        }

        return item.Future;
    }

    /// <inheritdoc/>
    public void Shutdown(bool wait = true, bool cancelFutures = false)
    {
        lock (_gate)
        {
            _shutdown = true;
            if (cancelFutures)
            {
                while (_pending.TryDequeue(out IExecutorWorkItem? item))
                {
                    item.Cancel();
                }
            }

            while (wait && _running > 0)
            {
#pragma warning disable EN0009 // Shutdown(wait: true) is synchronous by contract and blocks the caller's thread, outside backend tasks
                Monitor.Wait(_gate);
#pragma warning restore EN0009
            }
        }
    }

    /// <summary>Shuts the executor down, waiting for running items.</summary>
    public void Dispose() => Shutdown(wait: true);

    private void Drain()
    {
        while (true)
        {
            IExecutorWorkItem? item;
            lock (_gate)
            {
                if (!_pending.TryDequeue(out item))
                {
                    _running--;
                    Monitor.PulseAll(_gate);
                    return;
                }
            }

            item.Execute();
        }
    }
}
