using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace EasyNetwork.Internal;

/// <summary>A task group (S4.1–S4.17): children hang under the group's scope; the first failure cancels the scope; exit waits for every child.</summary>
internal sealed class TaskGroupImpl : ITaskGroup
{
    private const int StateOpen = 1;
    private const int StateExited = 2;

    private readonly RunState _run;
    private readonly CancelScopeImpl _scope;
    private readonly List<ExceptionDispatchInfo> _failures = new();
    private int _state;
    private int _running;
    private Waiter? _exitWaiter;
    private OperationCanceledException? _childCancellation;
    private CancelScopeImpl? _childCancellationOrigin;

    private TaskGroupImpl(RunState run, CancelScopeImpl scope)
    {
        _run = run;
        _scope = scope;
    }

    public CancelScope CancelScope => _scope;

    public static ValueTask RunAsync<TState>(Func<ITaskGroup, TState, ValueTask> body, TState state)
    {
        ArgumentNullException.ThrowIfNull(body);
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.RunTaskGroupAsync");
        TaskGroupImpl group = Open(task);
        return group.RunBodyAsync(task, body, state);
    }

    public static ValueTask<TResult> RunAsync<TState, TResult>(Func<ITaskGroup, TState, ValueTask<TResult>> body, TState state)
    {
        ArgumentNullException.ThrowIfNull(body);
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.RunTaskGroupAsync");
        TaskGroupImpl group = Open(task);
        return group.RunBodyAsync(task, body, state);
    }

    private static TaskGroupImpl Open(BackendTask task)
    {
        var scope = new CancelScopeImpl(default);
        scope.Enter(task);
        var group = new TaskGroupImpl(task.Run, scope) { _state = StateOpen };
        return group;
    }

    private async ValueTask RunBodyAsync<TState>(BackendTask task, Func<ITaskGroup, TState, ValueTask> body, TState state)
    {
        ExceptionDispatchInfo? bodyFailure = null;
        try
        {
            await body(this, state);
        }
        catch (Exception ex)
        {
            bodyFailure = ExceptionDispatchInfo.Capture(ex);
        }

        await ExitAsync(task, bodyFailure);
    }

    private async ValueTask<TResult> RunBodyAsync<TState, TResult>(BackendTask task, Func<ITaskGroup, TState, ValueTask<TResult>> body, TState state)
    {
        ExceptionDispatchInfo? bodyFailure = null;
        TResult result = default!;
        try
        {
            result = await body(this, state);
        }
        catch (Exception ex)
        {
            bodyFailure = ExceptionDispatchInfo.Capture(ex);
        }

        await ExitAsync(task, bodyFailure);
        return result;
    }

    private async ValueTask ExitAsync(BackendTask task, ExceptionDispatchInfo? bodyFailure)
    {
        OperationCanceledException? bodyCancellation = null;
        if (bodyFailure is not null)
        {
            Exception ex = bodyFailure.SourceException;
            lock (_run.Gate)
            {
                if (ex is OperationCanceledException oce
                    && CancelScopeImpl.FindStructuredOrigin(task, oce, _scope) is not null)
                {
                    bodyCancellation = oce;
                }
                else
                {
                    RecordFailureLocked(bodyFailure);
                }
            }
        }

        // Wait for every child: a schedule point, never a cancel point (S4.9).
        bool waited = false;
        while (true)
        {
            Waiter waiter;
            lock (_run.Gate)
            {
                if (_running == 0)
                {
                    _state = StateExited;
                    break;
                }

                waiter = _run.RentWaiter();
                _exitWaiter = waiter;
            }

            waited = true;
            await waiter.AsValueTask();
            _run.ReturnWaiter(waiter);
        }

        if (!waited)
        {
            await CancelShieldedYield.Create(task.Run);
        }

        if (_failures.Count > 0)
        {
            // Failures are never the scope's to catch, even a rethrown cancellation of an exited inner scope (S4.12,
            // S4.14): exit the scope first, then throw them.
            _scope.ExitAndRethrow(task, failure: null, out _);
            if (_failures.Count == 1)
            {
                _failures[0].Throw();
            }

            var exceptions = new Exception[_failures.Count];
            for (int i = 0; i < exceptions.Length; i++)
            {
                exceptions[i] = _failures[i].SourceException;
            }

            throw new AggregateException(exceptions);
        }

        OperationCanceledException? cancellation = bodyCancellation ?? _childCancellation;
        if (cancellation is not null && bodyCancellation is null)
        {
            task.RememberOrigin(cancellation, _childCancellationOrigin!);
        }

        _scope.ExitAndRethrow(task, cancellation is null ? null : ExceptionDispatchInfo.Capture(cancellation), out _);
    }

    private void RecordFailureLocked(ExceptionDispatchInfo failure)
    {
        _failures.Add(failure);
        List<System.Threading.CancellationTokenSource>? toCancel = null;
        _scope.CancelLocked("A task of the group failed.", ref toCancel);
        if (toCancel is not null)
        {
            // Token callbacks are user code: never run them under the gate.
            _run.Loop.Schedule(static s => RunState.CancelTokenSources((List<System.Threading.CancellationTokenSource>)s!), toCancel);
        }
    }

    public void OnChildCompleted(BackendTask child)
    {
        lock (_run.Gate)
        {
            if (child.Failure is { } failure)
            {
                RecordFailureLocked(ExceptionDispatchInfo.Capture(failure));
            }
            else if (child.EscapedCancellation is { } cancellation && _childCancellation is null)
            {
                _childCancellation = cancellation;
                _childCancellationOrigin = child.EscapedCancellationOrigin;
            }

            _running--;
            if (_running == 0 && _exitWaiter is { } waiter)
            {
                _exitWaiter = null;
                waiter.TryComplete(WaitResult.Signaled);
            }
        }
    }

    // ---------------------------------------------------------------- starting children

    public void StartSoon<TState>(Func<TState, ValueTask> func, TState state, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(func);
        CheckCanStart("ITaskGroup.StartSoon");
        var child = new ActionTask<TState>(_run, TaskKind.Child, func, state, name, _scope, this);
        Launch(child);
    }

    public ValueTask<TaskHandle> StartAsync<TState>(Func<TState, ValueTask> func, TState state, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(func);
        BackendTask.GetCurrent("ITaskGroup.StartAsync").ThrowIfCancelled();
        BackendTask caller = CheckCanStart("ITaskGroup.StartAsync");
        var child = new ActionTask<TState>(_run, TaskKind.Child, func, state, name, _scope, this) { Starter = caller };
        Launch(child);
        return StartAndWaitAsync<TaskHandle>(caller, child, new TaskHandleImpl<VoidResult>(child));
    }

    public ValueTask<TaskHandle<TResult>> StartAsync<TState, TResult>(Func<TState, ValueTask<TResult>> func, TState state, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(func);
        BackendTask.GetCurrent("ITaskGroup.StartAsync").ThrowIfCancelled();
        BackendTask caller = CheckCanStart("ITaskGroup.StartAsync");
        var child = new FuncTask<TState, TResult>(_run, TaskKind.Child, func, state, name, _scope, this) { Starter = caller };
        Launch(child);
        return StartAndWaitAsync<TaskHandle<TResult>>(caller, child, new TaskHandleImpl<TResult>(child));
    }

    private async ValueTask<THandle> StartAndWaitAsync<THandle>(BackendTask caller, BackendTask child, THandle handle)
    {
        // Which wake-up won the waiter is the order of events: a cancellation delivered first means the caller was
        // cancelled before the child started, whatever the child did since (S4.5).
        // The starter's cancellation may also have come first while the child ran its whole first step before the
        // starter was even waiting: the start itself recorded that.
        if (!await child.WaitCompletionAsync(caller, cancellable: true, untilStarted: true) || child.StarterCancelledBeforeStart)
        {
            child.TaskScope.Cancel("The task that started it was cancelled before it started.");
            await child.WaitCompletionAsync(caller, cancellable: false);
            caller.ThrowIfCancelled();
        }

        return handle;
    }

    private static void Launch(BackendTask child) => child.Schedule();

    /// <summary>Checks the group accepts children and reserves a running slot, atomically with the exit check.</summary>
    private BackendTask CheckCanStart(string operation)
    {
        BackendTask caller = BackendTask.GetCurrent(operation);
        if (!ReferenceEquals(caller.Run, _run))
        {
            ThrowHelper.ThrowWrongRun(operation);
        }

        lock (_run.Gate)
        {
            if (_state != StateOpen)
            {
                ThrowHelper.ThrowInvalidOperation(_state == StateExited
                    ? $"{operation}: this task group has already exited; no task can be started in it."
                    : $"{operation}: this task group is not open yet.");
            }

            _running++;
        }

        return caller;
    }
}
