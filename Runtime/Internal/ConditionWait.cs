using System;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace EasyNetwork.Internal;

/// <summary>
/// One parked <c>IAsyncCondition.WaitAsync</c> (S5.18): it waits in the condition's queue for a notification or the
/// task's cancellation, then waits, shielded, for the lock, then resumes the caller from the step that got the lock
/// back. Pooled per run.
/// </summary>
internal sealed class ConditionWait : RunLoopOperation, IValueTaskSource
{
    private AsyncLockImpl? _lock;
    private BackendTask? _task;
    private Waiter? _notification;
    private Waiter? _handOver;
    private WaitResult _wokenBy;

    public ConditionWait(RunState run)
        : base(run)
    {
    }

    /// <summary>
    /// Parks <paramref name="task"/> in <paramref name="queue"/> and releases <paramref name="lockObject"/> on its behalf;
    /// the returned operation completes once the task holds the lock again. The caller owns the lock.
    /// </summary>
    public ValueTask Start(BackendTask task, WaiterQueue queue, AsyncLockImpl lockObject)
    {
        _task = task;
        _lock = lockObject;
        Waiter notification = Owner.RentWaiter();
        _notification = notification;
        lock (Owner.Gate)
        {
            queue.Enqueue(notification);
            RunState.RegisterCancellableLocked(task, notification);
            lockObject.ReleaseLocked(task);
        }

        var operation = new ValueTask(this, Version);
        notification.ResumeWith(Callback, this);
        return operation;
    }

    /// <summary>A step of the task, run from the loop once the pending wait (notification, then lock) has completed.</summary>
    protected override void RunStep()
    {
        if (_notification is not null)
        {
            OnWoken();
        }
        else
        {
            OnLockHandedOver();
        }
    }

    /// <summary>Notified or cancelled: leave the condition, queue for the lock.</summary>
    private void OnWoken()
    {
        Waiter notification = _notification!;
        _notification = null;
        _wokenBy = notification.Recycle();

        // The lock is held again whenever the wait ends, by cancellation too: the re-acquisition is shielded (S5.18).
        if (_lock!.ParkShielded(_task!, Owner) is not { } handOver)
        {
            Complete();
            return;
        }

        _handOver = handOver;
        handOver.ResumeWith(Callback, this);
    }

    /// <summary>The lock was handed to the task.</summary>
    private void OnLockHandedOver()
    {
        // A shielded wait ends only when the lock is handed over, never by cancellation.
        _handOver!.Recycle();
        _handOver = null;
        Complete();
    }

    /// <summary>Pools the operation, then raises the cancellation if that is what woke the wait and it is still pending (S5.18).</summary>
    public void GetResult(short token)
    {
        ValidateResult(token);
        BackendTask task = _task!;
        WaitResult wokenBy = _wokenBy;
        _lock = null;
        _task = null;
        _wokenBy = WaitResult.Pending;
        ResetCompletion();
        Owner.ReturnConditionWait(this);
        if (wokenBy == WaitResult.Cancelled)
        {
            task.ThrowIfCancelled();
        }
    }
}
