using System;
using System.Threading;
using EasyNetwork.Backends;
using EasyNetwork.Internal;

namespace EasyNetwork.Backends.ThreadPool;

/// <summary>
/// The run loop of the <c>threadpool</c> backend: the .NET thread pool is the ready queue, one
/// <see cref="System.Threading.Timer"/> is the run's timer, the clock is real, and <see cref="Run(IRunLoopHost)"/>
/// blocks the calling thread until the run stops.
/// </summary>
internal sealed class ThreadPoolRunLoop : IRunLoop, IWorkItemLoop
{
    private readonly ManualResetEventSlim _stopped = new(initialState: false);
    private readonly Timer _timer;
    private IRunLoopHost? _host;

    public ThreadPoolRunLoop()
    {
        // The timer must not capture the creator's execution context (its AsyncLocals would leak into callbacks).
        using (ExecutionContext.SuppressFlow())
        {
            _timer = new Timer(static state => ((ThreadPoolRunLoop)state!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
        }
    }

    public TimeSpan Now => MonotonicClock.Now;

    public SynchronizationContext? SynchronizationContext => null;

    public bool IsLoopThread => true;

#pragma warning disable EN0008 // This is the threadpool backend's run loop: the queued callback is a ready task's step, tracked by the run.
    public void Schedule(Action<object?> callback, object? state)
    {
        if (ReferenceEquals(callback, RunLoopStep.Callback))
        {
            // The step is its own work item: no wrapper per schedule.
            Schedule((RunLoopStep)state!);
            return;
        }

        System.Threading.ThreadPool.UnsafeQueueUserWorkItem(callback, state, preferLocal: false);
    }

    public void Schedule(IThreadPoolWorkItem item)
        => System.Threading.ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
#pragma warning restore EN0008

    public void SetTimer(TimeSpan deadline)
    {
        if (deadline == TimeSpan.MaxValue)
        {
            _timer.Change(Timeout.Infinite, Timeout.Infinite);
            return;
        }

        TimeSpan remaining = deadline - Now;

        // Round up: the timer ticks in milliseconds and must never fire before the deadline is reached on Now.
        long dueMilliseconds = remaining <= TimeSpan.Zero ? 0 : (long)Math.Ceiling(remaining.TotalMilliseconds);
        _timer.Change(Math.Min(dueMilliseconds, 0xFFFFFFFE), Timeout.Infinite);
    }

    public void Run(IRunLoopHost host)
    {
        _host = host;
        _stopped.Reset();
        host.Start();
#pragma warning disable EN0009 // the synchronous Run entry point blocks the caller's thread, not a backend task, until the run ends (S1.7)
        _stopped.Wait();
#pragma warning restore EN0009
    }

    public void Stop() => _stopped.Set();

    private void OnTimer() => _host?.OnTimer();

    public void Dispose()
    {
        _timer.Dispose();
        _stopped.Dispose();
    }
}
