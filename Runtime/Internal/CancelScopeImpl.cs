using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace EasyNetwork.Internal;

/// <summary>
/// The cancel scope implementation shared by every backend: a node of the run's scope tree (per-task nesting, and task
/// scopes of group children hanging under the group's scope), with level-triggered propagation and the
/// outermost-catches rule. Mutations happen under the run's gate; cancel points read the flags without it.
/// </summary>
internal sealed class CancelScopeImpl : CancelScope, ITimerEntry
{
    private const int StateCreated = 0;
    private const int StateActive = 1;
    private const int StateExited = 2;

    private static readonly Action<object?> s_cancelFromToken = static state => ((CancelScopeImpl)state!).Cancel("The bound CancellationToken was cancelled.");

    private ExternalTokenBinding? _binding;
    private RunState? _run;
    private volatile bool _cancelCalled;
    private volatile bool _shield;
    private string? _reason;
    private TimeSpan _deadline;
    private int _state;
    private bool _cancelledCaught;
    private bool _abandoned;
    private bool _deadlineIsRelative;
    private CancellationTokenSource? _tokenSource;

    // Set under the gate when a canceller took the source to cancel it after leaving the gate: such a source is never
    // pooled, or the late Cancel would hit the scope that rents it next.
    private bool _sourceCollected;

    public CancelScopeImpl(in CancelScopeOptions options)
    {
        if (options.Deadline.HasValue && options.RelativeDeadline.HasValue)
        {
            throw new ArgumentException("A cancel scope takes an absolute Deadline or a RelativeDeadline, not both.", nameof(options));
        }

        // Until entry, a relative deadline is kept in _deadline and converted when the scope is entered.
        _deadlineIsRelative = options.RelativeDeadline.HasValue;
        _deadline = options.RelativeDeadline ?? options.Deadline ?? NoDeadline;
        _shield = options.Shield;
        if (options.CancellationToken.CanBeCanceled)
        {
            _binding = new ExternalTokenBinding(options.CancellationToken);
        }
    }

    private CancelScopeImpl(RunState run, BackendTask host, CancelScopeImpl? parent)
    {
        // Task scopes: active from creation, so that cancelling a task before it starts works.
        _run = run;
        Host = host;
        Parent = parent;
        _deadline = NoDeadline;
        _state = StateActive;
        IsTaskScope = true;
    }

    /// <summary>The task the scope was entered in.</summary>
    public BackendTask? Host { get; private set; }

    /// <summary>The enclosing scope (kept after exit, to tell whether an exception came from a nested scope).</summary>
    public CancelScopeImpl? Parent { get; private set; }

    public CancelScopeImpl? FirstChild;
    public CancelScopeImpl? NextSibling;
    public CancelScopeImpl? PrevSibling;

    public bool IsTaskScope { get; }


    public TimeSpan DueTime => _deadline;

    public int HeapIndex { get; set; } = -1;

    public override bool CancelCalled => _cancelCalled;

    public override bool CancelledCaught => _cancelledCaught;

    public override string? CancelReason => _reason;

    public override bool IsActive => Volatile.Read(ref _state) == StateActive;

    public override bool Shield
    {
        get => _shield;
        set
        {
            RunState? run = _run;
            if (run is null || _state != StateActive)
            {
                _shield = value;
                return;
            }

            List<CancellationTokenSource>? toCancel = null;
            lock (run.Gate)
            {
                bool wasCancelled = IsEffectivelyCancelled();
                _shield = value;
                if (!wasCancelled && IsEffectivelyCancelled())
                {
                    PropagateLocked(ref toCancel);
                }
            }

            RunState.CancelTokenSources(toCancel);
        }
    }

    public override TimeSpan Deadline
    {
        get => _deadlineIsRelative ? NoDeadline : _deadline;
        set
        {
            RunState? run = _run;
            if (run is null || _state != StateActive)
            {
                _deadline = value;
                _deadlineIsRelative = false;
                return;
            }

            List<CancellationTokenSource>? toCancel = null;
            lock (run.Gate)
            {
                _deadline = value;
                _deadlineIsRelative = false;
                if (_state == StateActive && !_cancelCalled)
                {
                    run.RemoveTimerLocked(this);
                    ArmDeadlineLocked(run, run.Now, ref toCancel);
                }
            }

            RunState.CancelTokenSources(toCancel);
        }
    }

    public override CancellationToken Token
    {
        get
        {
            CancellationTokenSource? source = _tokenSource;
            if (source is not null)
            {
                return source.Token;
            }

            RunState? run = _run;
            if (run is null)
            {
                // Not entered yet: nothing can cancel it until entry; a fresh source is bound now and checked at entry.
                source = new CancellationTokenSource();
                return (Interlocked.CompareExchange(ref _tokenSource, source, null) ?? source).Token;
            }

            bool cancelNow;
            lock (run.Gate)
            {
                source = _tokenSource;
                if (source is not null)
                {
                    return source.Token;
                }

                source = run.RentTokenSource();
                _tokenSource = source;
                cancelNow = _state == StateActive && IsEffectivelyCancelled();
                _sourceCollected |= cancelNow;
            }

            if (cancelNow)
            {
                source.Cancel();
            }

            return source.Token;
        }
    }

    /// <summary>Creates the task scope of a new task, hanging under <paramref name="parent"/> (null for root and system tasks).</summary>
    public static CancelScopeImpl CreateTaskScope(RunState run, BackendTask host, CancelScopeImpl? parent)
    {
        var scope = new CancelScopeImpl(run, host, parent);
        if (parent is not null)
        {
            lock (run.Gate)
            {
                parent.AddChildLocked(scope);
            }
        }

        return scope;
    }

    // ---------------------------------------------------------------- effective cancellation

    /// <summary>True when this scope or an unshielded ancestor chain up to a shield has CancelCalled.</summary>
    public bool IsEffectivelyCancelled()
    {
        for (CancelScopeImpl? scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._cancelCalled)
            {
                return true;
            }

            if (scope._shield)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>The outermost cancelled scope visible from this one (S3.26), or null.</summary>
    public CancelScopeImpl? FindOutermostCancelledVisible()
    {
        CancelScopeImpl? found = null;
        for (CancelScopeImpl? scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._cancelCalled)
            {
                found = scope;
            }

            if (scope._shield)
            {
                break;
            }
        }

        return found;
    }

    /// <summary>Whether any scope visible from this scope (its ancestors up to a shield; none if it is shielded) has CancelCalled.</summary>
    private bool AnyVisibleAncestorCancelled()
    {
        if (_shield)
        {
            return false;
        }

        for (CancelScopeImpl? scope = Parent; scope is not null; scope = scope.Parent)
        {
            if (scope._cancelCalled)
            {
                return true;
            }

            if (scope._shield)
            {
                return false;
            }
        }

        return false;
    }

    // ---------------------------------------------------------------- cancel

    public override void Cancel(string? reason = null)
    {
        RunState? run = Volatile.Read(ref _run);
        if (run is null)
        {
            // Not entered: record it; entry reads the flag after publishing the run (both sides use full fences).
            Interlocked.CompareExchange(ref _reason, reason, null);
            _cancelCalled = true;
            Interlocked.MemoryBarrier();
            run = Volatile.Read(ref _run);
            if (run is null)
            {
                return;
            }
        }

        List<CancellationTokenSource>? toCancel = null;
        lock (run.Gate)
        {
            CancelLocked(reason, ref toCancel);
        }

        RunState.CancelTokenSources(toCancel);
    }

    /// <summary>Sets CancelCalled and, if the scope is active and was not already effectively cancelled, wakes what it covers. Caller holds the gate.</summary>
    public void CancelLocked(string? reason, ref List<CancellationTokenSource>? toCancel)
    {
        if (_state != StateActive)
        {
            if (!_cancelCalled)
            {
                _reason ??= reason;
                _cancelCalled = true;
            }

            return;
        }

        _run!.RemoveTimerLocked(this);
        if (_cancelCalled)
        {
            return;
        }

        bool wasEffectivelyCancelled = IsEffectivelyCancelled();
        _reason ??= reason;
        _cancelCalled = true;
        if (!wasEffectivelyCancelled)
        {
            PropagateLocked(ref toCancel);
        }
    }

    /// <summary>This scope just became effectively cancelled: cancel the tokens and wake the tasks of its unshielded subtree.</summary>
    private void PropagateLocked(ref List<CancellationTokenSource>? toCancel)
    {
        Visit(this, ref toCancel);

        static void Visit(CancelScopeImpl scope, ref List<CancellationTokenSource>? toCancel)
        {
            if (scope._tokenSource is { IsCancellationRequested: false } source)
            {
                scope._sourceCollected = true;
                (toCancel ??= new List<CancellationTokenSource>()).Add(source);
            }

            if (scope.Host is { } host && ReferenceEquals(host.Innermost, scope))
            {
                RunState.WakeCancelledLocked(host);
            }

            for (CancelScopeImpl? child = scope.FirstChild; child is not null; child = child.NextSibling)
            {
                // A shielded child is out of reach; an already cancelled one was handled when it was cancelled.
                if (!child._shield && !child._cancelCalled)
                {
                    Visit(child, ref toCancel);
                }
            }
        }
    }

    // ---------------------------------------------------------------- enter and exit

    /// <summary>Enters the scope in <paramref name="task"/>: pushes it on the task's stack and arms the deadline and the bound token.</summary>
    public void Enter(BackendTask task)
    {
        RunState run = task.Run;
        if (Interlocked.CompareExchange(ref _state, StateActive, StateCreated) != StateCreated)
        {
            ThrowHelper.ThrowInvalidOperation("This cancel scope has already been entered; a scope is single-use.");
        }

        // Publishing the run then taking the gate (a full fence) pairs with Cancel's flag-then-read of the run.
        Volatile.Write(ref _run, run);
        List<CancellationTokenSource>? toCancel = null;
        lock (run.Gate)
        {
            Host = task;
            CancelScopeImpl parent = task.Innermost;
            Parent = parent;
            parent.AddChildLocked(this);
            task.Innermost = this;

            // One clock read serves both the relative conversion and the "already expired" check.
            TimeSpan now = _deadlineIsRelative || _deadline != NoDeadline ? run.Now : default;
            if (_deadlineIsRelative)
            {
                TimeSpan delay = _deadline;
                _deadline = TimeArithmetic.IsInfinite(delay) ? NoDeadline : TimeArithmetic.SaturatingAdd(now, delay);
                _deadlineIsRelative = false;
            }

            if (_cancelCalled)
            {
                // Cancelled before entry: delivered from entry on.
                _cancelCalled = false;
                CancelLocked(_reason, ref toCancel);
            }
            else
            {
                ArmDeadlineLocked(run, now, ref toCancel);
                if (_tokenSource is { } source && IsEffectivelyCancelled())
                {
                    _sourceCollected = true;
                    (toCancel ??= new List<CancellationTokenSource>()).Add(source);
                }
            }
        }

        RunState.CancelTokenSources(toCancel);
        // Already cancelled: the callback runs here, synchronously, and cancels at entry.
        _binding?.Register(s_cancelFromToken, this);
    }

    private void ArmDeadlineLocked(RunState run, TimeSpan now, ref List<CancellationTokenSource>? toCancel)
    {
        if (_deadline == NoDeadline)
        {
            return;
        }

        if (_deadline <= now)
        {
            CancelLocked(reason: null, ref toCancel);
        }
        else
        {
            run.AddTimerLocked(this);
        }
    }

    private void AddChildLocked(CancelScopeImpl child)
    {
        child.PrevSibling = null;
        child.NextSibling = FirstChild;
        if (FirstChild is not null)
        {
            FirstChild.PrevSibling = child;
        }

        FirstChild = child;
    }

    private void RemoveFromParentLocked()
    {
        CancelScopeImpl? parent = Parent;
        if (parent is null)
        {
            return;
        }

        if (PrevSibling is null)
        {
            if (ReferenceEquals(parent.FirstChild, this))
            {
                parent.FirstChild = NextSibling;
            }
        }
        else
        {
            PrevSibling.NextSibling = NextSibling;
        }

        if (NextSibling is not null)
        {
            NextSibling.PrevSibling = PrevSibling;
        }

        NextSibling = PrevSibling = null;
    }

    /// <summary>
    /// Exits the scope in <paramref name="task"/> with <paramref name="exception"/> in flight. Returns what must keep
    /// propagating (null when nothing, or when the scope swallowed it) and, in <paramref name="caught"/>, what it swallowed.
    /// </summary>
    public Exception? Exit(BackendTask task, Exception? exception, out Exception? caught)
    {
        caught = null;
        RunState run = task.Run;
        if (!ReferenceEquals(Host, task))
        {
            ThrowHelper.ThrowInvalidOperation(_state == StateCreated
                ? "This cancel scope was never entered, so it cannot be exited."
                : "A cancel scope must be exited by the task that entered it.");
        }

        if (_state != StateActive)
        {
            if (_abandoned)
            {
                // Abandoned by a misnested exit of an outer scope: its own exit is silent.
                return exception;
            }

            ThrowHelper.ThrowInvalidOperation("This cancel scope has already been exited.");
        }

        if (exception is not null)
        {
            // Only an exception in flight needs expired deadlines applied first (to decide what the scope catches).
            run.PollTimers();
        }

        bool misnested = false;
        CancellationTokenSource? poolable;
        lock (run.Gate)
        {
            if (!ReferenceEquals(task.Innermost, this))
            {
                misnested = true;
                AbandonInnerLocked(task);
            }

            exception = DecideLocked(task, exception, out caught);
            _state = StateExited;
            run.RemoveTimerLocked(this);
            RemoveFromParentLocked();
            task.Innermost = Parent!;
            poolable = TakePoolableSourceLocked();
        }

        ReleaseResources(run, poolable);
        if (misnested)
        {
            ThrowHelper.ThrowInvalidOperation("A cancel scope was exited while a scope entered after it in the same task was still active (misnested scopes); the inner scopes were abandoned and cancelled.");
        }

        return exception;
    }

    /// <summary>Exits the task scope when its task ends: inner scopes left entered are abandoned silently.</summary>
    public Exception? ExitTaskScope(BackendTask task, Exception? exception, out Exception? caught)
    {
        RunState run = task.Run;
        run.PollTimers();
        CancellationTokenSource? poolable;
        lock (run.Gate)
        {
            if (!ReferenceEquals(task.Innermost, this))
            {
                AbandonInnerLocked(task);
                task.Innermost = this;
            }

            exception = DecideLocked(task, exception, out caught);
            _state = StateExited;
            run.RemoveTimerLocked(this);
            RemoveFromParentLocked();
            poolable = TakePoolableSourceLocked();
        }

        ReleaseResources(run, poolable);
        return exception;
    }

    /// <summary>
    /// Makes the exited task scope of a pooled task (a portal call run again) active again under the same parent, as a
    /// new task scope: not cancelled, not shielded, no deadline and no token. A token source kept at exit was cancelled
    /// or collected by a canceller, so it is dropped, never reused.
    /// </summary>
    public void ReactivateTaskScope()
    {
        RunState run = _run!;
        lock (run.Gate)
        {
            _cancelCalled = false;
            _shield = false;
            _reason = null;
            _deadline = NoDeadline;
            _cancelledCaught = false;
            _abandoned = false;
            _tokenSource = null;
            _sourceCollected = false;
            _state = StateActive;
            Parent?.AddChildLocked(this);
        }
    }

    private void AbandonInnerLocked(BackendTask task)
    {
        List<CancellationTokenSource>? ignored = null;
        for (CancelScopeImpl inner = task.Innermost; !ReferenceEquals(inner, this); inner = inner.Parent!)
        {
            inner.CancelLocked("Abandoned by a misnested exit.", ref ignored);
            inner._abandoned = true;
            inner._state = StateExited;
            task.Run.RemoveTimerLocked(inner);
            inner.RemoveFromParentLocked();
        }
    }

    /// <summary>
    /// Detaches the token source for the pool when no canceller can still hold it (never cancelled, never collected
    /// for a cancel outside the gate); an exited scope is out of the tree, so nothing collects it later. Caller holds the gate.
    /// </summary>
    private CancellationTokenSource? TakePoolableSourceLocked()
    {
        CancellationTokenSource? source = _tokenSource;
        if (source is null || _sourceCollected || source.IsCancellationRequested)
        {
            return null;
        }

        // Pooled sources must not be touched through this scope again (S3.51).
        _tokenSource = null;
        return source;
    }

    private void ReleaseResources(RunState run, CancellationTokenSource? poolable)
    {
        _binding?.Release();
        if (poolable is not null)
        {
            run.ReturnTokenSource(poolable);
        }
    }

    /// <summary>Applies S3.28–S3.31 to the exception leaving the scope. Caller holds the gate.</summary>
    private Exception? DecideLocked(BackendTask task, Exception? exception, out Exception? caught)
    {
        caught = null;
        if (exception is null)
        {
            return null;
        }

        bool canCatch = _cancelCalled && !AnyVisibleAncestorCancelled();
        if (exception is OperationCanceledException oce)
        {
            CancelScopeImpl? origin = FindOrigin(task, oce);
            if (canCatch && origin is not null && IsSelfOrAncestorOf(origin))
            {
                _cancelledCaught = true;
                caught = oce;
                return null;
            }

            if (origin is not null)
            {
                task.RememberOrigin(oce, origin);
            }

            return exception;
        }

        if (exception is AggregateException aggregate && canCatch)
        {
            List<Exception> leaves = new();
            Flatten(aggregate, leaves);
            List<Exception>? remaining = null;
            for (int i = 0; i < leaves.Count; i++)
            {
                Exception leaf = leaves[i];
                if (leaf is OperationCanceledException leafOce && FindOrigin(task, leafOce) is { } origin && IsSelfOrAncestorOf(origin))
                {
                    caught ??= leaf;
                    continue;
                }

                (remaining ??= new List<Exception>()).Add(leaf);
            }

            if (caught is null)
            {
                return exception;
            }

            _cancelledCaught = true;
            return remaining switch
            {
                null => null,
                { Count: 1 } => remaining[0],
                _ => new AggregateException(remaining),
            };
        }

        return exception;
    }

    private static void Flatten(AggregateException aggregate, List<Exception> leaves)
    {
        foreach (Exception inner in aggregate.InnerExceptions)
        {
            if (inner is AggregateException nested)
            {
                Flatten(nested, leaves);
            }
            else
            {
                leaves.Add(inner);
            }
        }
    }

    /// <summary>Whether <paramref name="origin"/> is this scope or nested inside it.</summary>
    public bool IsSelfOrAncestorOf(CancelScopeImpl origin)
    {
        for (CancelScopeImpl? scope = origin; scope is not null; scope = scope.Parent)
        {
            if (ReferenceEquals(scope, this))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The scope a cancellation originates from (S3.27), or null for a foreign one.</summary>
    public static CancelScopeImpl? FindOrigin(BackendTask task, OperationCanceledException exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is not OperationCanceledException oce)
            {
                continue;
            }

            if (oce is CancelledException cancelled)
            {
                return cancelled.Scope as CancelScopeImpl;
            }

            if (task.TryGetRememberedOrigin(oce) is { } remembered)
            {
                return remembered;
            }

            CancellationToken token = oce.CancellationToken;
            if (token.CanBeCanceled)
            {
                for (CancelScopeImpl? scope = task.Innermost; scope is not null; scope = scope.Parent)
                {
                    if (scope._tokenSource is { } source && source.Token == token)
                    {
                        // The token fires when its scope becomes effectively cancelled, often through an ancestor:
                        // the cancellation originates where a cancel point would place it (S3.27), not at the token's scope.
                        return scope.FindOutermostCancelledVisible() ?? scope;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The cancelled scope that <paramref name="exception"/>, ending the task or body just inside
    /// <paramref name="boundary"/> (a task scope or a group's scope), is a structured cancellation of (S4.12): a cancelled
    /// scope enclosing the boundary. Null when it is a failure there. Caller holds the gate.
    /// </summary>
    public static CancelScopeImpl? FindStructuredOrigin(BackendTask task, OperationCanceledException exception, CancelScopeImpl boundary)
    {
        CancelScopeImpl? origin = FindOrigin(task, exception);
        if (origin is null)
        {
            return null;
        }

        if (origin._cancelCalled && origin.IsSelfOrAncestorOf(boundary))
        {
            return origin;
        }

        // An inner scope let its own cancellation through because a scope enclosing it was cancelled too (S3.28): the
        // outermost cancelled scope visible from it catches it (S3.33), further out than this boundary when it encloses it.
        if (boundary.IsSelfOrAncestorOf(origin) && origin.FindOutermostCancelledVisible() is { } outermost && outermost.IsSelfOrAncestorOf(boundary))
        {
            return outermost;
        }

        return null;
    }

    /// <summary>The inline form's filter: true exactly when the delegate form would swallow <paramref name="exception"/> now.</summary>
    public override bool Owns(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        BackendTask? task = Host;
        RunState? run = _run;
        if (task is null || run is null || _state != StateActive || exception is not OperationCanceledException oce)
        {
            return false;
        }

        run.PollTimers();
        lock (run.Gate)
        {
            if (!_cancelCalled || AnyVisibleAncestorCancelled())
            {
                return false;
            }

            if (FindOrigin(task, oce) is { } origin && IsSelfOrAncestorOf(origin))
            {
                _cancelledCaught = true;
                return true;
            }
        }

        return false;
    }

    public override void Dispose()
    {
        if (_state == StateExited)
        {
            return;
        }

        BackendTask? task = BackendTask.Current;

        if (task is null)
        {
            ThrowHelper.ThrowInvalidOperation("A cancel scope must be exited by the task that entered it; the calling code is not a backend task.");
        }

        Exit(task, exception: null, out _);
    }

    // ---------------------------------------------------------------- delegate forms

    public override ValueTask<CancelScope> RunAsync<TState>(Func<CancelScope, TState, ValueTask> body, TState state)
    {
        ArgumentNullException.ThrowIfNull(body);
        BackendTask task = BackendTask.GetCurrent("CancelScope.RunAsync");
        Enter(task);
        return RunBodyAsync(task, body, state);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CancelScope> RunBodyAsync<TState>(BackendTask task, Func<CancelScope, TState, ValueTask> body, TState state)
    {
        ExceptionDispatchInfo? failure = null;
        try
        {
            await body(this, state);
        }
        catch (Exception ex)
        {
            failure = ExceptionDispatchInfo.Capture(ex);
        }

        ExitAndRethrow(task, failure, out _);
        return this;
    }

    public override ValueTask<ScopeResult<TResult>> RunAsync<TState, TResult>(Func<CancelScope, TState, ValueTask<TResult>> body, TState state)
    {
        ArgumentNullException.ThrowIfNull(body);
        BackendTask task = BackendTask.GetCurrent("CancelScope.RunAsync");
        Enter(task);
        return RunBodyAsync(task, body, state);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ScopeResult<TResult>> RunBodyAsync<TState, TResult>(BackendTask task, Func<CancelScope, TState, ValueTask<TResult>> body, TState state)
    {
        ExceptionDispatchInfo? failure = null;
        TResult value = default!;
        bool hasValue = false;
        try
        {
            value = await body(this, state);
            hasValue = true;
        }
        catch (Exception ex)
        {
            failure = ExceptionDispatchInfo.Capture(ex);
        }

        ExitAndRethrow(task, failure, out _);
        return new ScopeResult<TResult>(this, hasValue, value);
    }

    /// <summary>Exits with the body's outcome; rethrows what must propagate (preserving its stack trace) and reports what was swallowed.</summary>
    public void ExitAndRethrow(BackendTask task, ExceptionDispatchInfo? failure, out Exception? caught)
    {
        Exception? remaining = Exit(task, failure?.SourceException, out caught);
        if (remaining is null)
        {
            return;
        }

        if (failure is not null && ReferenceEquals(remaining, failure.SourceException))
        {
            failure.Throw();
        }

        ExceptionDispatchInfo.Throw(remaining);
    }

    public override string ToString()
        => IsTaskScope ? $"task scope of {Host?.Info}" : $"CancelScope#{RuntimeHelpers.GetHashCode(this):x8}";
}
