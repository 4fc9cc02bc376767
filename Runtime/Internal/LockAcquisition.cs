using System;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace EasyNetwork.Internal;

/// <summary>
/// One parked <c>IAsyncLock.LockAsync</c> (S5.1, S5.4, S5.8): it waits in the lock's queue until the lock is handed
/// to the task or the task's cancellation wakes it, then resumes the caller with the releaser from that step. Pooled
/// per run.
/// </summary>
internal sealed class LockAcquisition : RunLoopOperation, IValueTaskSource<AsyncLockReleaser>
{
    private IAsyncLock? _lock;
    private Waiter? _waiter;
    private BackendTask? _task;
    private CancelScopeImpl? _blamed;
    private WaitResult _outcome;

    public LockAcquisition(RunState run)
        : base(run)
    {
    }

    /// <summary>Resumes the caller once <paramref name="waiter"/>, parked in <paramref name="lockObject"/>'s queue, completes.</summary>
    public ValueTask<AsyncLockReleaser> Start(BackendTask task, Waiter waiter, IAsyncLock lockObject)
    {
        _task = task;
        _lock = lockObject;
        _waiter = waiter;
        var operation = new ValueTask<AsyncLockReleaser>(this, Version);
        waiter.ResumeWith(Callback, this);
        return operation;
    }

    /// <summary>The lock was handed over, or cancellation woke the wait (a step of the task, from the loop).</summary>
    protected override void RunStep()
    {
        Waiter waiter = _waiter!;
        _waiter = null;
        _blamed = waiter.CancelledBy;
        _outcome = waiter.Recycle();
        Complete();
    }

    /// <summary>Pools the operation and returns the releaser, or raises the cancellation that woke the wait (the lock is then not owned, S5.4).</summary>
    public AsyncLockReleaser GetResult(short token)
    {
        ValidateResult(token);
        IAsyncLock lockObject = _lock!;
        BackendTask task = _task!;
        CancelScopeImpl? blamed = _blamed;
        WaitResult outcome = _outcome;
        _lock = null;
        _task = null;
        _blamed = null;
        _outcome = WaitResult.Pending;
        ResetCompletion();
        Owner.ReturnLockAcquisition(this);
        if (outcome == WaitResult.Cancelled)
        {
            throw Waiter.CancellationFor(task, blamed);
        }

        return new AsyncLockReleaser(lockObject);
    }
}
