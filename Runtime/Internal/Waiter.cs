using System;
using System.Threading;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;

namespace EasyNetwork.Internal;

/// <summary>
/// One parked wait of a backend task: a reusable single-continuation <see cref="IValueTaskSource{TResult}"/> that
/// resumes through the run loop. Pooled per run; every link and completion happens under the run's gate, so a waiter
/// is never completed after it went back to the pool.
/// </summary>
internal sealed class Waiter : IValueTaskSource<WaitResult>, IValueTaskSource, ITimerEntry
{
    private static readonly Action<object?> s_completedSentinel = static _ => throw new InvalidOperationException("A waiter's continuation ran twice.");
    private static readonly Action<object?> s_runWithContext = static state => ((Waiter)state!).InvokeInCapturedContext();
    private static readonly ContextCallback s_invokeContinuation = static state => ((Waiter)state!).InvokeContinuationDirect();

    private readonly RunState _run;
    private Action<object?>? _continuation;
    private Action<object?>? _scheduledContinuation;
    private object? _continuationState;
    private ExecutionContext? _executionContext;
    private int _result;
    private short _version;

    public Waiter(RunState run) => _run = run;

    /// <summary>The task whose cancellation wakes this waiter, or null for a shielded wait.</summary>
    public BackendTask? CancellableTask;

    /// <summary>Links in the cancellable task's waiter list.</summary>
    public Waiter? TaskNext;

    /// <summary>Links in the task's waiter list.</summary>
    public Waiter? TaskPrev;

    /// <summary>Links in a primitive's queue (event, lock, condition, joiners).</summary>
    public Waiter? QueueNext;

    /// <summary>Links in a primitive's queue.</summary>
    public Waiter? QueuePrev;

    /// <summary>The queue the waiter is linked into, or null.</summary>
    public WaiterQueue? Queue;

    /// <summary>The task that parks on this waiter (owner checks, lock hand-off).</summary>
    public BackendTask? Task;

    public TimeSpan DueTime { get; set; }

    public int HeapIndex { get; set; } = -1;

    public bool IsCompleted => Volatile.Read(ref _result) != 0;

    public ValueTask<WaitResult> AsValueTask() => new(this, _version);

    /// <summary>
    /// The wait as the operation's own result: awaiting it resumes the task straight from the loop's queue (no
    /// intermediate state machine, so wake-up order is queue order), and <see cref="IValueTaskSource.GetResult"/>
    /// unlinks the waiter, pools it, and raises the cancellation if that is what woke it.
    /// </summary>
    public ValueTask AsOperation() => new(this, _version);

    /// <summary>
    /// Runs the runtime's own <paramref name="continuation"/> through the loop once the wait completes, as an await
    /// would but with no awaiter or state machine in between (a hand-written operation chaining waits).
    /// </summary>
    public void ResumeWith(Action<object?> continuation, object? state) => OnCompleted(continuation, state, _version, ValueTaskSourceOnCompletedFlags.None);

    /// <summary>The scope blamed when cancellation woke the wait (S3.26), kept in case the task is no longer cancelled when it resumes.</summary>
    public CancelScopeImpl? CancelledBy;

    /// <summary>Completes the wait once; later calls return false. Never runs the continuation inline.</summary>
    public bool TryComplete(WaitResult result) => TryComplete(result, allowInline: false);

    /// <summary>
    /// Completes the wait once, like <see cref="TryComplete(WaitResult)"/>; with <paramref name="allowInline"/>, a
    /// continuation already registered runs on the calling thread when that thread may run the task's steps (an I/O
    /// completion on the thread pool): this saves a queue hop per socket operation. Never call it under the gate.
    /// </summary>
    public bool TryComplete(WaitResult result, bool allowInline)
    {
        if (Interlocked.CompareExchange(ref _result, (int)result, 0) != 0)
        {
            return false;
        }

        // One exchange settles the hand-off: the awaiting side treats the waiter as completed only once the sentinel is in
        // place (GetStatus), so it can never recycle the waiter while this completer still writes to it.
        Action<object?>? continuation = Interlocked.Exchange(ref _continuation, s_completedSentinel);
        if (continuation is not null)
        {
            if (allowInline && _executionContext is null && _run.Loop.IsLoopThread)
            {
                continuation(_continuationState);
            }
            else
            {
                ScheduleContinuation(continuation);
            }
        }

        return true;
    }

    void IValueTaskSource.GetResult(short token)
    {
        ValidateToken(token);
        BackendTask? task = CancellableTask;
        CancelScopeImpl? blamed = CancelledBy;
        if (Recycle() == WaitResult.Cancelled)
        {
            throw CancellationFor(task!, blamed);
        }
    }

    /// <summary>
    /// Unlinks the completed waiter (task, queue, timer) and pools it, as awaiting <see cref="AsOperation"/> does, and
    /// returns how the wait ended; for runtime code that chained the wait with <see cref="ResumeWith"/>.
    /// </summary>
    public WaitResult Recycle()
    {
        var result = (WaitResult)Volatile.Read(ref _result);
        lock (_run.Gate)
        {
            RunState.UnregisterCancellableLocked(this);
            Queue?.Remove(this);
            _run.RemoveTimerLocked(this);
        }

        _run.ReturnWaiter(this);
        return result;
    }

    /// <summary>The cancellation to raise for this wait, which cancellation woke; read it before <see cref="Reset"/>.</summary>
    public CancelledException CancellationFor(BackendTask task) => CancellationFor(task, CancelledBy);

    /// <summary>The cancellation to raise for a wait of <paramref name="task"/> that cancellation woke, blaming <paramref name="blamed"/> if no cancelled scope is visible any more.</summary>
    public static CancelledException CancellationFor(BackendTask task, CancelScopeImpl? blamed)
    {
        // Blame the outermost cancelled scope now visible; if a shield was raised meanwhile, the wake-up still
        // happened while the task was cancelled, so the cancellation that woke it is raised (linearisable).
        CancelScopeImpl scope = task.Innermost.FindOutermostCancelledVisible() ?? blamed!;
        return new CancelledException(scope, scope.CancelReason);
    }

    public void Reset()
    {
        _version++;
        _result = 0;
        _continuation = null;
        _scheduledContinuation = null;
        _continuationState = null;
        _executionContext = null;
        CancellableTask = null;
        CancelledBy = null;
        TaskNext = TaskPrev = QueueNext = QueuePrev = null;
        Queue = null;
        Task = null;
        DueTime = TimeSpan.Zero;
        HeapIndex = -1;
    }

    public WaitResult GetResult(short token)
    {
        ValidateToken(token);
        return (WaitResult)Volatile.Read(ref _result);
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
        Action<object?>? previous = Interlocked.CompareExchange(ref _continuation, continuation, null);
        if (previous is not null)
        {
            // Completed before the continuation was registered: resume through the loop all the same.
            ScheduleContinuation(continuation);
        }
    }

    private void ScheduleContinuation(Action<object?> continuation)
    {
        _scheduledContinuation = continuation;
        if (_executionContext is null)
        {
            _run.Loop.Schedule(continuation, _continuationState);
        }
        else
        {
            _run.Loop.Schedule(s_runWithContext, this);
        }
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
            ThrowHelper.ThrowInvalidOperation("A backend wait was awaited after it completed; a ValueTask may be awaited only once.");
        }
    }
}
