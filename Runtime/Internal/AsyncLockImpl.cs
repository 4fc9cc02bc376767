using System;
using System.Threading;
using System.Threading.Tasks;

namespace EasyNetwork.Internal;

/// <summary>
/// The lock of both <c>CreateLock</c> and <c>CreateFairLock</c>: owner-checked, no yield when uncontended, strict FIFO
/// with direct hand-off to the first waiter (S5.1–S5.11). The unfair lock simply keeps the fair behaviour.
/// </summary>
internal sealed class AsyncLockImpl : RunBoundPrimitive, IAsyncLock, IParkingLot
{
    private readonly WaiterQueue _queue = new();
    private BackendTask? _owner;

    // The owner's task id too: a portal call's task object is reused by later calls, which are other tasks (S6.16).
    private long _ownerId;

    public AsyncLockImpl(IAsyncBackend backend)
        : base(backend)
    {
    }

    public bool IsLocked => Volatile.Read(ref _owner) is not null;

    public ValueTask AcquireAsync()
    {
        BackendTask task = BindCaller("IAsyncLock.AcquireAsync", out RunState run);
        return AcquireOrPark(task, run) is { } waiter ? waiter.AsOperation() : default;
    }

    public ValueTask<AsyncLockReleaser> LockAsync()
    {
        BackendTask task;
        RunState run;
        Waiter? waiter;
        try
        {
            task = BindCaller("IAsyncLock.AcquireAsync", out run);
            waiter = AcquireOrPark(task, run);
        }
        catch (Exception ex)
        {
            // As the awaited AcquireAsync it replaces: misuse and cancellation come out of the returned task.
            return ValueTask.FromException<AsyncLockReleaser>(ex);
        }

        // Not an async method: the caller awaits the acquisition itself, which resumes it from the loop (see RunLoopOperation).
        return waiter is null ? new ValueTask<AsyncLockReleaser>(new AsyncLockReleaser(this)) : run.RentLockAcquisition().Start(task, waiter, this);
    }

    /// <summary>A cancel point, then takes the lock if it is free, or parks until it is handed to <paramref name="task"/> (S5.8): returns the parked waiter, or null when the lock was taken at once.</summary>
    private Waiter? AcquireOrPark(BackendTask task, RunState run)
    {
        task.ThrowIfCancelled();
        lock (run.Gate)
        {
            if (IsOwnedByLocked(task))
            {
                ThrowHelper.ThrowInvalidOperation("The calling task already owns this lock; the lock is not re-entrant.");
            }

            if (TryPassLocked(task))
            {
                return null;
            }
        }

        return run.ParkWaiter(task, _queue, this, cancellable: true);
    }

    /// <summary>
    /// Parks <paramref name="task"/>, shielded, until the lock is handed to it (a condition's re-acquisition, S5.18);
    /// returns the waiter, or null when the task took the lock at once.
    /// </summary>
    public Waiter? ParkShielded(BackendTask task, RunState run) => run.ParkWaiter(task, _queue, this, cancellable: false);

    /// <summary>Takes the lock if it is free and nobody queues for it. Caller holds the gate.</summary>
    public bool TryPassLocked(BackendTask task)
    {
        if (_owner is null && _queue.IsEmpty)
        {
            _owner = task;
            _ownerId = task.Id;
            return true;
        }

        return false;
    }

    public void Release()
    {
        BackendTask task = BindCaller("IAsyncLock.Release", out RunState run);
        lock (run.Gate)
        {
            ReleaseLocked(task);
        }
    }

    /// <summary>Releases on behalf of <paramref name="task"/>, handing the lock to the first waiter still waiting. Caller holds the gate.</summary>
    public void ReleaseLocked(BackendTask task)
    {
        if (_owner is null)
        {
            ThrowHelper.ThrowInvalidOperation("The lock is not locked, so it cannot be released.");
        }

        if (!IsOwnedByLocked(task))
        {
            ThrowHelper.ThrowInvalidOperation($"The lock is owned by task {_owner.Info}, not by the calling task {task.Info}; only the owner can release it.");
        }

        while (_queue.Dequeue() is { } next)
        {
            if (next.TryComplete(WaitResult.Signaled))
            {
                _owner = next.Task;
                _ownerId = next.Task!.Id;
                return;
            }

            // That waiter was cancelled first: it leaves, the lock passes on (S5.9, S5.10).
        }

        _owner = null;
    }

    /// <summary>Whether <paramref name="task"/> owns the lock; asked by the task itself, which no other thread makes the owner meanwhile.</summary>
    public bool IsOwnedBy(BackendTask task) => ReferenceEquals(Volatile.Read(ref _owner), task) && Volatile.Read(ref _ownerId) == task.Id;

    private bool IsOwnedByLocked(BackendTask task) => ReferenceEquals(_owner, task) && _ownerId == task.Id;

    /// <summary>Binds the lock to the caller's run and returns the caller (for the condition variable).</summary>
    public BackendTask BindForCondition(string operation, out RunState run) => BindCaller(operation, out run);
}
