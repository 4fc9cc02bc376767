using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using EasyNetwork.Backends;

namespace EasyNetwork.Internal;

/// <summary>
/// One <c>RunInThreadAsync</c> call: runs on a thread-pool worker in a copy of the caller's execution context with
/// detection cleared (S6.5), then resumes the caller from a loop step, unless the caller abandoned it on cancellation
/// (S6.4). Pooled per instantiation, outside any run (bound to the run of each use), so a round trip allocates nothing;
/// an abandoned call is not pooled again, since its worker may still be running.
/// </summary>
internal sealed class ThreadWork<TState, TResult> : RunLoopOperation, IValueTaskSource<TResult>, IValueTaskSource, IWorkerThreadBody
{
    private const int PoolLimit = 16;

    private static readonly Stack<ThreadWork<TState, TResult>> s_pool = new();
    private static readonly ContextCallback s_execute = static state => ((ThreadWork<TState, TResult>)state!).ExecuteInContext();

    private readonly WorkerThreadItem _workerItem;
    private Func<TState, TResult>? _func;
    private TState _state = default!;
    private ExecutionContext? _context;
    private BackendTask? _task;
    private Waiter? _waiter;
    private TResult _result = default!;
    private ExceptionDispatchInfo? _failure;
    private CancelScopeImpl? _blamed;
    private WaitResult _outcome;

    // Both under the run's gate: which side is done with the shared fields decides who may reuse them.
    private bool _finished;
    private bool _abandoned;

    private ThreadWork() => _workerItem = new WorkerThreadItem(this);

    /// <summary>Takes a pooled call, or makes one, for a call from <paramref name="run"/>.</summary>
    public static ThreadWork<TState, TResult> Rent(RunState run)
    {
        ThreadWork<TState, TResult>? work;
        lock (s_pool)
        {
            s_pool.TryPop(out work);
        }

        work ??= new ThreadWork<TState, TResult>();
        work.BindOwner(run);
        return work;
    }

    /// <summary>Queues <paramref name="func"/> to a worker; the result resumes <paramref name="task"/>.</summary>
    public ValueTask<TResult> Start(BackendTask task, Func<TState, TResult> func, TState state, bool abandonOnCancel)
    {
        var operation = new ValueTask<TResult>(this, Version);
        Begin(task, func, state, abandonOnCancel);
        return operation;
    }

    /// <summary>Like <see cref="Start"/>, for a caller that wants no result.</summary>
    public ValueTask StartWithoutResult(BackendTask task, Func<TState, TResult> func, TState state, bool abandonOnCancel)
    {
        var operation = new ValueTask(this, Version);
        Begin(task, func, state, abandonOnCancel);
        return operation;
    }

    private void Begin(BackendTask task, Func<TState, TResult> func, TState state, bool abandonOnCancel)
    {
        _task = task;
        _func = func;
        _state = state;
        _context = task.CaptureWorkerContext();
        Waiter waiter = Owner.RentWaiter();
        _waiter = waiter;
        if (abandonOnCancel)
        {
            lock (Owner.Gate)
            {
                RunState.RegisterCancellableLocked(task, waiter);
            }
        }

        waiter.ResumeWith(Callback, this);
#pragma warning disable EN0008 // The worker completes the waiter the caller's step resumes from, result or failure.
        ThreadPool.UnsafeQueueUserWorkItem(_workerItem, preferLocal: false);
#pragma warning restore EN0008
    }

    void IWorkerThreadBody.ExecuteOnWorker()
    {
        if (_context is not null)
        {
            ExecutionContext.Run(_context, s_execute, this);
        }
        else
        {
            ExecuteInContext();
        }
    }

    private void ExecuteInContext()
    {
        // The worker is not a backend task: detection reports nothing and backend awaitables refuse to run. The
        // context given is already without the task (BackendTask.CaptureWorkerContext); this only guards the rest.
        if (Ambient.CurrentTask.Value is not null)
        {
            Ambient.CurrentTask.Value = null;
        }

        try
        {
            _result = _func!(_state);
        }
        catch (Exception ex)
        {
            _failure = ExceptionDispatchInfo.Capture(ex);
        }

        lock (Owner.Gate)
        {
            _finished = true;

            // An abandoning caller has detached the waiter: the outcome is discarded (S6.4).
            _waiter?.TryComplete(WaitResult.Signaled);
        }
    }

    /// <summary>The worker finished, or cancellation woke an abandoning caller (a step of the task, from the loop).</summary>
    protected override void RunStep()
    {
        Waiter waiter = _waiter!;
        lock (Owner.Gate)
        {
            _waiter = null;
            _abandoned = !_finished;
        }

        _blamed = waiter.CancelledBy;
        _outcome = waiter.Recycle();
        Complete();
    }

    void IValueTaskSource.GetResult(short token) => GetResult(token);

    /// <summary>Pools the call (unless its worker still runs), then returns the function's result, or raises its failure or the cancellation that abandoned it.</summary>
    public TResult GetResult(short token)
    {
        ValidateResult(token);
        BackendTask task = _task!;
        CancelScopeImpl? blamed = _blamed;
        WaitResult outcome = _outcome;
        TResult result = _result;
        ExceptionDispatchInfo? failure = _failure;
        bool abandoned = _abandoned;
        _task = null;
        _blamed = null;
        _outcome = WaitResult.Pending;
        ResetCompletion();
        if (!abandoned)
        {
            ReturnToPool();
        }

        if (outcome == WaitResult.Cancelled)
        {
            // Raised even if a shield went up after the wake-up: the caller was released without the result (S6.4).
            throw Waiter.CancellationFor(task, blamed);
        }

        failure?.Throw();
        return result;
    }

    private void ReturnToPool()
    {
        _func = null;
        _state = default!;
        _context = null;
        _result = default!;
        _failure = null;
        _finished = false;
        _abandoned = false;
        BindOwner(null);
        lock (s_pool)
        {
            if (s_pool.Count < PoolLimit)
            {
                s_pool.Push(this);
            }
        }
    }
}
