using System;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Backends;

namespace EasyNetwork.Internal;

/// <summary>
/// A backend task: the per-task context (D4) written once into the ambient slot when the task starts, holding its
/// scope stack, parked waiters and outcome. Modelled as {task scope, outcome} (S13.10).
/// </summary>
internal abstract class BackendTask : IAmbientTask
{
    private static readonly Action<object?> s_start = static state => ((BackendTask)state!).Start();
    private static readonly ContextCallback s_startInContext = static state => ((BackendTask)state!).StartInContext();
    private static readonly ContextCallback s_runInPreparedContext = static state => ((BackendTask)state!).RunToEndFromContext();

    private ExecutionContext? _capturedContext;
    private long _id;
    private string? _name;
    private Delegate _entry;
    private TaskInfo? _info;
    private OperationCanceledException? _rememberedException;
    private CancelScopeImpl? _rememberedOrigin;
    private ExceptionDispatchInfo? _failureInfo;
    private OperationCanceledException? _foreignCancellation;
    private WaiterQueue? _joiners;
    private WaiterQueue? _startWaiters;
    private ExecutionContext? _workerContextSource;
    private ExecutionContext? _workerContext;

    protected BackendTask(RunState run, TaskKind kind, string? name, Delegate entry, CancelScopeImpl? parentScope, TaskGroupImpl? group)
    {
        Run = run;
        Kind = kind;
        Group = group;
        _id = RunState.NextTaskId();
        _name = name;
        _entry = entry;
        _capturedContext = ExecutionContext.Capture();
        TaskScope = CancelScopeImpl.CreateTaskScope(run, this, parentScope);
        Innermost = TaskScope;
    }

    /// <summary>The task the calling code belongs to, or null.</summary>
    public static BackendTask? Current => Ambient.CurrentTask.Value as BackendTask;

    public RunState Run { get; }

    /// <summary>The task's id (S4.x task identity); a reused portal call object gets a new one per call.</summary>
    public long Id => _id;

    public IAsyncBackend Backend => Run.Backend;

    public TaskKind Kind { get; }

    public TaskGroupImpl? Group { get; }

    /// <summary>The task's identity, created on first use: most tasks are never asked, and deriving the name allocates.</summary>
    public TaskInfo Info => Volatile.Read(ref _info) ?? CreateInfo();

    public CancelScopeImpl TaskScope { get; }

    /// <summary>The innermost active scope of this task (its task scope when it has no other). Written under the gate by the task itself.</summary>
    public CancelScopeImpl Innermost;

    /// <summary>Head of the list of this task's cancellable parked waits.</summary>
    public Waiter? WaitersHead;

    /// <summary>Whether the entry delegate was invoked and returned its ValueTask (or the task ended without being invoked).</summary>
    public bool HasStarted { get; private set; }

    /// <summary>The task waiting in <c>StartAsync</c> for this one to start, or null.</summary>
    public BackendTask? Starter { get; set; }

    /// <summary>Whether <see cref="Starter"/> was already cancelled at the moment this task started (S4.5), decided under the gate.</summary>
    public bool StarterCancelledBeforeStart { get; private set; }

    public bool IsCompleted { get; private set; }

    /// <summary>Whether the task ended with a structured cancellation (S4.12).</summary>
    public bool IsCancelledOutcome { get; private set; }

    /// <summary>The failure that ended the task, or null.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>A structured cancellation that left the task (not caught by its task scope), for its group.</summary>
    public OperationCanceledException? EscapedCancellation { get; private set; }

    /// <summary>The scope <see cref="EscapedCancellation"/> originates from.</summary>
    public CancelScopeImpl? EscapedCancellationOrigin { get; private set; }

    /// <summary>Whether someone joined the outcome (system tasks report unobserved failures).</summary>
    public bool Observed { get; set; }

    public bool HasUnobservedFailure => Failure is not null && !Observed && Kind == TaskKind.System;

    private TaskInfo CreateInfo()
    {
        var info = new TaskInfo(_id, _name ?? DeriveName(_entry), _entry);
        return Interlocked.CompareExchange(ref _info, info, null) ?? info;
    }

    public static BackendTask GetCurrent(string operation)
    {
        BackendTask? task = Current;
        if (task is null)
        {
            ThrowHelper.ThrowNotInTask(operation);
        }

        if (!task.Run.Loop.IsLoopThread)
        {
            // The execution context flowed to a foreign thread (Task.Run, a timer): refuse rather than break the loop's single thread.
            ThrowHelper.ThrowNotOnLoopThread(operation);
        }

        return task;
    }

    /// <summary>Like <see cref="GetCurrent(string)"/>, for an object bound to <paramref name="run"/>: a task of another run is refused.</summary>
    public static BackendTask GetCurrent(string operation, RunState run)
    {
        BackendTask task = GetCurrent(operation);
        if (task.Run != run)
        {
            ThrowHelper.ThrowWrongRun(operation);
        }

        return task;
    }

    /// <summary>
    /// The execution context a worker thread runs <c>RunInThreadAsync</c> work in: this task's context without the
    /// ambient task, or null when flow is suppressed. Deriving it writes an AsyncLocal (an allocation), so the last one
    /// is kept while the task's context is unchanged. Called only from this task's own flow.
    /// </summary>
    public ExecutionContext? CaptureWorkerContext()
    {
        ExecutionContext? captured = ExecutionContext.Capture();
        if (captured is null)
        {
            return null;
        }

        if (!ReferenceEquals(captured, _workerContextSource))
        {
            var derived = new StrongBox<ExecutionContext?>();
            ExecutionContext.Run(captured, static box =>
            {
                Ambient.CurrentTask.Value = null;
                ((StrongBox<ExecutionContext?>)box!).Value = ExecutionContext.Capture();
            }, derived);
            _workerContext = derived.Value;
            _workerContextSource = captured;
        }

        return _workerContext;
    }

    /// <summary>Raises the pending cancellation of this task, if it is effectively cancelled (a cancel point).</summary>
    public void ThrowIfCancelled()
    {
        Run.PollTimers();
        if (Innermost.FindOutermostCancelledVisible() is { } scope)
        {
            ThrowCancelled(scope);
        }
    }

    private static void ThrowCancelled(CancelScopeImpl scope) => throw new CancelledException(scope, scope.CancelReason);

    public void RememberOrigin(OperationCanceledException exception, CancelScopeImpl origin)
    {
        _rememberedException = exception;
        _rememberedOrigin = origin;
    }

    public CancelScopeImpl? TryGetRememberedOrigin(OperationCanceledException exception)
        => ReferenceEquals(_rememberedException, exception) ? _rememberedOrigin : null;

    // ---------------------------------------------------------------- running

    /// <summary>Queues the task's first step on the run loop.</summary>
    public void Schedule() => Run.Loop.Schedule(s_start, this);

    /// <summary>
    /// Makes this completed task a new task for <paramref name="entry"/> (a pooled portal call run again): a fresh
    /// identity, no outcome, and its task scope active again under the same parent. Call it only once nothing can reach
    /// the previous run any more. A reused task starts through <see cref="StartInPreparedContext"/>, so the context the
    /// constructor captured is dropped rather than kept alive.
    /// </summary>
    protected void ResetForReuse(Delegate entry)
    {
        _id = RunState.NextTaskId();
        _entry = entry;
        _info = null;
        _capturedContext = null;
        _rememberedException = null;
        _rememberedOrigin = null;
        _failureInfo = null;
        _foreignCancellation = null;
        HasStarted = false;
        Starter = null;
        StarterCancelledBeforeStart = false;
        IsCompleted = false;
        IsCancelledOutcome = false;
        Failure = null;
        EscapedCancellation = null;
        EscapedCancellationOrigin = null;
        Observed = false;
        WaitersHead = null;
        Innermost = TaskScope;
        TaskScope.ReactivateTaskScope();
    }

    /// <summary>Runs the task's first step on the calling thread, in the spawner's execution context with this task as the ambient task.</summary>
    public void Start()
    {
        if (_capturedContext is not null)
        {
            ExecutionContext.Run(_capturedContext, s_startInContext, this);
            return;
        }

        IAmbientTask? previous = Ambient.CurrentTask.Value;
        try
        {
            StartInContext();
        }
        finally
        {
            Ambient.CurrentTask.Value = previous;
        }
    }

    private void StartInContext()
    {
        Ambient.CurrentTask.Value = this;
        RunToEndFromContext();
    }

    /// <summary>
    /// Runs the task's first step on the calling thread in <paramref name="contextWithTask"/>, a context whose ambient
    /// task is already this task: a pooled task derives it once per caller context, where <see cref="Start"/> writes the
    /// AsyncLocal (an allocation) on every start.
    /// </summary>
    protected void StartInPreparedContext(ExecutionContext contextWithTask) => ExecutionContext.Run(contextWithTask, s_runInPreparedContext, this);

    /// <summary>Derives the context <see cref="StartInPreparedContext"/> takes: <paramref name="captured"/> with this task as the ambient task.</summary>
    protected ExecutionContext DeriveContextWithTask(ExecutionContext captured)
    {
        // The box carries the task in and the derived context out.
        var box = new StrongBox<object?>(this);
        ExecutionContext.Run(captured, static state =>
        {
            var box = (StrongBox<object?>)state!;
            Ambient.CurrentTask.Value = (BackendTask)box.Value!;
            box.Value = ExecutionContext.Capture();
        }, box);
        return (ExecutionContext)box.Value!;
    }

    private void RunToEndFromContext()
    {
#pragma warning disable EN0008 // The task's own driver: RunToEndAsync catches every failure and hands it to Finish, which reports to the parent group.
        _ = RunToEndAsync();
#pragma warning restore EN0008
    }

    private async ValueTask RunToEndAsync()
    {
        ExceptionDispatchInfo? failure = null;
        if (TaskScope.CancelCalled && SkipIfCancelledBeforeStart)
        {
            // Cancelled before its first step: the delegate is never invoked.
            MarkStarted();
            failure = ExceptionDispatchInfo.Capture(new CancelledException(TaskScope, TaskScope.CancelReason));
        }
        else
        {
            ValueTask body;
            try
            {
                body = InvokeEntry();
            }
            catch (Exception ex)
            {
                body = ValueTask.FromException(ex);
            }

            MarkStarted();
            try
            {
                await body;
            }
            catch (Exception ex)
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
        }

        Finish(failure);
    }

    /// <summary>
    /// Whether a task cancelled through its task scope before its first step is never invoked (S4.5). Portal
    /// coroutines are invoked all the same and raise at their first cancel point (S6.14).
    /// </summary>
    protected virtual bool SkipIfCancelledBeforeStart => true;

    /// <summary>Invokes the entry delegate; the returned task completes when the body does (result stored by the subclass).</summary>
    protected abstract ValueTask InvokeEntry();

    private void MarkStarted()
    {
        lock (Run.Gate)
        {
            HasStarted = true;
            StarterCancelledBeforeStart = Starter?.Innermost.IsEffectivelyCancelled() ?? false;
            WakeAllLocked(_startWaiters);
        }
    }

    private void Finish(ExceptionDispatchInfo? failure)
    {
        Exception? remaining = TaskScope.ExitTaskScope(this, failure?.SourceException, out Exception? caught);
        lock (Run.Gate)
        {
            if (remaining is null)
            {
                IsCancelledOutcome = caught is not null;
            }
            else if (remaining is OperationCanceledException oce
                && CancelScopeImpl.FindStructuredOrigin(this, oce, TaskScope) is { } origin)
            {
                IsCancelledOutcome = true;
                EscapedCancellation = oce;
                EscapedCancellationOrigin = origin;
            }
            else
            {
                Failure = remaining;
                _failureInfo = failure is not null && ReferenceEquals(failure.SourceException, remaining)
                    ? failure
                    : ExceptionDispatchInfo.Capture(remaining);
            }

            IsCompleted = true;
            WakeAllLocked(_startWaiters);
            WakeAllLocked(_joiners);
        }

        switch (Kind)
        {
            case TaskKind.Child:
                Group!.OnChildCompleted(this);
                break;
            case TaskKind.System:
                Run.OnSystemTaskCompleted(this);
                break;
            case TaskKind.Portal:
                OnPortalCallCompleted();
                break;
            default:
                Run.OnRootCompleted();
                break;
        }
    }

    private static void WakeAllLocked(WaiterQueue? queue)
    {
        if (queue is null)
        {
            return;
        }

        while (queue.Dequeue() is { } waiter)
        {
            waiter.TryComplete(WaitResult.Signaled);
        }
    }

    // ---------------------------------------------------------------- outcome

    /// <summary>Called when a portal call task completes (portal tasks report to their future and their portal).</summary>
    protected virtual void OnPortalCallCompleted()
    {
    }

    /// <summary>Rethrows the task's outcome: its failure (same object), or a foreign cancellation if it ended cancelled.</summary>
    public void ThrowIfFailedOrCancelled()
    {
        Observed = true;
        if (_failureInfo is not null)
        {
            _failureInfo.Throw();
        }

        if (IsCancelledOutcome)
        {
            throw _foreignCancellation ??= new OperationCanceledException($"The task {Info} was cancelled.");
        }
    }

    /// <summary>Parks the caller until this task completes (<paramref name="untilStarted"/>: or has started). Returns false if the caller was cancelled first.</summary>
    public async ValueTask<bool> WaitCompletionAsync(BackendTask caller, bool cancellable, bool untilStarted = false)
    {
        while (true)
        {
            Waiter waiter = Run.RentWaiter();
            lock (Run.Gate)
            {
                if (IsCompleted || (untilStarted && HasStarted))
                {
                    Run.ReturnWaiter(waiter);
                    return true;
                }

                WaiterQueue queue = untilStarted ? (_startWaiters ??= new WaiterQueue()) : (_joiners ??= new WaiterQueue());
                queue.Enqueue(waiter);
                if (cancellable)
                {
                    RunState.RegisterCancellableLocked(caller, waiter);
                }
            }

            WaitResult result = await waiter.AsValueTask();
            lock (Run.Gate)
            {
                RunState.UnregisterCancellableLocked(waiter);
                waiter.Queue?.Remove(waiter);
            }

            Run.ReturnWaiter(waiter);
            if (result == WaitResult.Cancelled)
            {
                if (caller.Innermost.IsEffectivelyCancelled())
                {
                    return false;
                }

                // The cancellation was withdrawn (a shield was raised meanwhile): keep waiting.
                continue;
            }

            return true;
        }
    }

    private static string DeriveName(Delegate entry)
    {
        System.Reflection.MethodInfo method = entry.Method;
        return method.DeclaringType is { } type ? $"{type.Name}.{method.Name}" : method.Name;
    }
}
