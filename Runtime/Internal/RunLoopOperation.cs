using System;
using System.Threading;
using System.Threading.Tasks.Sources;

namespace EasyNetwork.Internal;

/// <summary>
/// A pooled operation that a backend task awaits directly and that the runtime completes from one of its loop steps:
/// completing it resumes the caller on that step. Hand-written rather than an async method because a method builder's
/// box would capture the event loop's <see cref="SynchronizationContext"/>, and the BCL posts through a captured context
/// with a new delegate per completion (64 B); the run loop already is the scheduling context of every backend task.
/// Derived types implement <see cref="IValueTaskSource"/> or <see cref="IValueTaskSource{TResult}"/>: the status and continuation members are these, they add <c>GetResult</c>.
/// </summary>
internal abstract class RunLoopOperation : RunLoopStep
{
    private static readonly Action<object?> s_completedSentinel = static _ => throw new InvalidOperationException("A runtime operation's continuation ran twice.");
    private static readonly Action<object?> s_runWithContext = static state => ((RunLoopOperation)state!).InvokeInCapturedContext();
    private static readonly ContextCallback s_invokeContinuation = static state => ((RunLoopOperation)state!).InvokeContinuationDirect();

    private Action<object?>? _continuation;
    private Action<object?>? _scheduledContinuation;
    private object? _continuationState;
    private ExecutionContext? _executionContext;

    private RunState? _owner;

    protected RunLoopOperation(RunState run) => _owner = run;

    /// <summary>For an operation pooled outside any run: <see cref="BindOwner"/> gives it the run of each use.</summary>
    protected RunLoopOperation()
    {
    }

    /// <summary>The run this operation is pooled in, or serves in its current use.</summary>
    protected RunState Owner => _owner!;

    /// <summary>Binds an operation pooled outside any run to the run of its next use, or unbinds it (null) before it is pooled, so the pool keeps no run alive.</summary>
    protected void BindOwner(RunState? run) => _owner = run;

    /// <summary>The token of the current use; it changes every time the operation goes back to the pool.</summary>
    protected short Version { get; private set; }

    /// <summary>Whether <see cref="Complete"/> was called in the current use.</summary>
    protected bool IsCompleted => ReferenceEquals(Volatile.Read(ref _continuation), s_completedSentinel);

    /// <summary>Resumes the caller on the current step, or marks the operation completed if the caller has not awaited it yet.</summary>
    protected void Complete()
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

    /// <summary>The status of the current use; implements <c>IValueTaskSource.GetStatus</c> for every derived type.</summary>
    public ValueTaskSourceStatus GetStatus(short token)
    {
        ValidateToken(token);
        return IsCompleted ? ValueTaskSourceStatus.Succeeded : ValueTaskSourceStatus.Pending;
    }

    /// <summary>Registers the caller's continuation; implements <c>IValueTaskSource.OnCompleted</c> for every derived type.</summary>
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
                Owner.Loop.Schedule(continuation, state);
            }
            else
            {
                Owner.Loop.Schedule(s_runWithContext, this);
            }
        }
    }

    /// <summary>Checks the token and that the operation has completed, before its result is read.</summary>
    protected void ValidateResult(short token)
    {
        ValidateToken(token);
        if (!IsCompleted)
        {
            ThrowHelper.ThrowInvalidOperation("A runtime operation's result was read before it completed; await it instead of blocking on it.");
        }
    }

    /// <summary>Forgets the continuation and moves to the next token, before the operation goes back to the pool.</summary>
    protected void ResetCompletion()
    {
        Version++;
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
        if (token != Version)
        {
            ThrowHelper.ThrowInvalidOperation("A runtime operation was awaited after it completed; a ValueTask may be awaited only once.");
        }
    }
}
