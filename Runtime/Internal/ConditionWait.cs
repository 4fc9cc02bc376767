using System;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace EasyNetwork.Internal;

/// <summary>
/// One parked <c>IAsyncCondition.WaitAsync</c> (S5.18): it waits in the condition's queue for a notification or the
/// task's cancellation, then waits, shielded, for the lock, then resumes the caller. Hand-written rather than an async
/// method because the caller awaits it directly: a method builder's box would capture the event loop's
/// <see cref="SynchronizationContext"/>, and the BCL posts through it with a new delegate per wake-up (64 B). The run
/// loop already is the scheduling context of every backend task, so the step that re-acquired the lock resumes the
/// caller itself. Pooled per run.
/// </summary>
internal sealed class ConditionWait : RunLoopStep, IValueTaskSource
{
    private static readonly Action<object?> s_completedSentinel = static _ => throw new InvalidOperationException("A condition wait's continuation ran twice.");
    private static readonly Action<object?> s_runWithContext = static state => ((ConditionWait)state!).InvokeInCapturedContext();
    private static readonly ContextCallback s_invokeContinuation = static state => ((ConditionWait)state!).InvokeContinuationDirect();

    private readonly RunState _run;
    private AsyncLockImpl? _lock;
    private BackendTask? _task;
    private Waiter? _notification;
    private Waiter? _handOver;
    private WaitResult _wokenBy;
    private Action<object?>? _continuation;
    private Action<object?>? _scheduledContinuation;
    private object? _continuationState;
    private ExecutionContext? _executionContext;
    private short _version;

    public ConditionWait(RunState run) => _run = run;

    /// <summary>
    /// Parks <paramref name="task"/> in <paramref name="queue"/> and releases <paramref name="lockObject"/> on its behalf;
    /// the returned operation completes once the task holds the lock again. The caller owns the lock.
    /// </summary>
    public ValueTask Start(BackendTask task, WaiterQueue queue, AsyncLockImpl lockObject)
    {
        _task = task;
        _lock = lockObject;
        Waiter notification = _run.RentWaiter();
        _notification = notification;
        lock (_run.Gate)
        {
            queue.Enqueue(notification);
            RunState.RegisterCancellableLocked(task, notification);
            lockObject.ReleaseLocked(task);
        }

        var operation = new ValueTask(this, _version);
        notification.ResumeWith(Callback, this);
        return operation;
    }

    /// <summary>A step of the task, run from the loop once the pending wait (notification, then lock) has completed.</summary>
    protected override void Run()
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
        if (_lock!.ParkShielded(_task!, _run) is not { } handOver)
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

    /// <summary>Resumes the caller on this step, or marks the wait completed if the caller has not awaited it yet.</summary>
    private void Complete()
    {
        Action<object?>? continuation = Interlocked.Exchange(ref _continuation, s_completedSentinel);
        if (continuation is null)
        {
            return;
        }

        if (_executionContext is null)
        {
            continuation(_continuationState);
        }
        else
        {
            _scheduledContinuation = continuation;
            InvokeInCapturedContext();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token)
    {
        ValidateToken(token);
        return ReferenceEquals(Volatile.Read(ref _continuation), s_completedSentinel) ? ValueTaskSourceStatus.Succeeded : ValueTaskSourceStatus.Pending;
    }

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
    {
        ValidateToken(token);
        if ((flags & ValueTaskSourceOnCompletedFlags.FlowExecutionContext) != 0)
        {
            _executionContext = ExecutionContext.Capture();
        }

        // The run loop is the scheduling context of every backend task, so UseSchedulingContext needs nothing more.
        _continuationState = state;
        if (Interlocked.CompareExchange(ref _continuation, continuation, null) is not null)
        {
            // Completed before the continuation was registered: resume through the loop, never inside the caller's await.
            _scheduledContinuation = continuation;
            if (_executionContext is null)
            {
                _run.Loop.Schedule(continuation, state);
            }
            else
            {
                _run.Loop.Schedule(s_runWithContext, this);
            }
        }
    }

    /// <summary>Pools the operation, then raises the cancellation if that is what woke the wait and it is still pending (S5.18).</summary>
    public void GetResult(short token)
    {
        ValidateToken(token);
        if (!ReferenceEquals(Volatile.Read(ref _continuation), s_completedSentinel))
        {
            ThrowHelper.ThrowInvalidOperation("A condition wait's result was read before the wait completed; await it instead of blocking on it.");
        }

        BackendTask task = _task!;
        WaitResult wokenBy = _wokenBy;
        Reset();
        _run.ReturnConditionWait(this);
        if (wokenBy == WaitResult.Cancelled)
        {
            task.ThrowIfCancelled();
        }
    }

    private void Reset()
    {
        _version++;
        _lock = null;
        _task = null;
        _notification = null;
        _handOver = null;
        _wokenBy = WaitResult.Pending;
        _continuation = null;
        _scheduledContinuation = null;
        _continuationState = null;
        _executionContext = null;
    }

    private void InvokeInCapturedContext() => ExecutionContext.Run(_executionContext!, s_invokeContinuation, this);

    private void InvokeContinuationDirect()
    {
        Action<object?> continuation = _scheduledContinuation!;
        object? state = _continuationState;
        continuation(state);
    }

    private void ValidateToken(short token)
    {
        if (token != _version)
        {
            ThrowHelper.ThrowInvalidOperation("A condition wait was awaited after it completed; a ValueTask may be awaited only once.");
        }
    }
}
