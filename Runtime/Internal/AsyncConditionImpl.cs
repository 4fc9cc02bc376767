using System;
using System.Threading.Tasks;

namespace EasyNetwork.Internal;

/// <summary>A condition variable over an <see cref="AsyncLockImpl"/> (S5.15–S5.19).</summary>
internal sealed class AsyncConditionImpl : IAsyncCondition
{
    private readonly AsyncLockImpl _lock;
    private readonly WaiterQueue _queue = new();

    public AsyncConditionImpl(AsyncLockImpl lockObject) => _lock = lockObject;

    public bool IsLocked => _lock.IsLocked;

    public ValueTask AcquireAsync() => _lock.AcquireAsync();

    public void Release() => _lock.Release();

    public ValueTask<AsyncLockReleaser> LockAsync() => _lock.LockAsync();

    public ValueTask WaitAsync()
    {
        BackendTask task = _lock.BindForCondition("IAsyncCondition.WaitAsync", out RunState run);
        RequireOwner(task, "IAsyncCondition.WaitAsync");
        task.ThrowIfCancelled();

        // Not an async method: the caller awaits the operation itself, which resumes it from the loop (see ConditionWait).
        return run.RentConditionWait().Start(task, _queue, _lock);
    }

    public void Notify(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        BackendTask task = _lock.BindForCondition("IAsyncCondition.Notify", out RunState run);
        RequireOwner(task, "IAsyncCondition.Notify");
        lock (run.Gate)
        {
            while (count > 0 && _queue.Dequeue() is { } waiter)
            {
                if (waiter.TryComplete(WaitResult.Signaled))
                {
                    count--;
                }
            }
        }
    }

    public void NotifyAll()
    {
        BackendTask task = _lock.BindForCondition("IAsyncCondition.NotifyAll", out RunState run);
        RequireOwner(task, "IAsyncCondition.NotifyAll");
        lock (run.Gate)
        {
            while (_queue.Dequeue() is { } waiter)
            {
                waiter.TryComplete(WaitResult.Signaled);
            }
        }
    }

    private void RequireOwner(BackendTask task, string operation)
    {
        if (!_lock.IsOwnedBy(task))
        {
            ThrowHelper.ThrowInvalidOperation($"{operation} requires the calling task to hold the condition's lock.");
        }
    }
}
