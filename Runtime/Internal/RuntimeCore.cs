using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Backends;

namespace EasyNetwork.Internal;

/// <summary>
/// The shared implementation of the derivable facade members, written once over the run-loop primitives. Built-in
/// and third-party backends forward to it (the generator emits the forwarding members).
/// </summary>
internal static class RuntimeCore
{
    // ---------------------------------------------------------------- runners

    public static TResult Run<TState, TResult>(IAsyncBackend backend, Func<TState, ValueTask<TResult>> main, TState state, RunnerOptions? options)
    {
        ArgumentNullException.ThrowIfNull(main);
        using var runner = new AsyncRunner(backend, options ?? RunnerOptions.Default);
        return runner.Run(main, state);
    }

    public static void Run<TState>(IAsyncBackend backend, Func<TState, ValueTask> main, TState state, RunnerOptions? options)
    {
        ArgumentNullException.ThrowIfNull(main);
        using var runner = new AsyncRunner(backend, options ?? RunnerOptions.Default);
        runner.Run(main, state);
    }

    public static IAsyncRunner CreateRunner(IAsyncBackend backend, RunnerOptions? options) => new AsyncRunner(backend, options ?? RunnerOptions.Default);

    // ---------------------------------------------------------------- time and checkpoints

    public static TimeSpan CurrentTime()
        => BackendTask.Current is { } task ? task.Run.Now : MonotonicClock.Now;

    public static ValueTask YieldAsync()
    {
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.YieldAsync");
        task.ThrowIfCancelled();
        return CancelShieldedYield.Create(task.Run);
    }

    public static ValueTask CancelShieldedYieldAsync()
    {
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.CancelShieldedYieldAsync");
        return CancelShieldedYield.Create(task.Run);
    }

    public static ValueTask SleepAsync(TimeSpan delay)
    {
        if (delay < TimeSpan.Zero && !TimeArithmetic.IsInfinite(delay))
        {
            ThrowHelper.ThrowNegativeDelay(delay, nameof(delay));
        }

        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.SleepAsync");
        task.ThrowIfCancelled();
        if (delay == TimeSpan.Zero)
        {
            return CancelShieldedYield.Create(task.Run);
        }

        TimeSpan deadline = TimeArithmetic.IsInfinite(delay) ? CancelScope.NoDeadline : TimeArithmetic.SaturatingAdd(task.Run.Now, delay);
        return SleepUntilCoreAsync(task, deadline);
    }

    public static ValueTask SleepForeverAsync()
    {
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.SleepForeverAsync");
        task.ThrowIfCancelled();
        return SleepUntilCoreAsync(task, CancelScope.NoDeadline);
    }

    public static ValueTask SleepUntilAsync(TimeSpan deadline)
    {
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.SleepUntilAsync");
        task.ThrowIfCancelled();
        if (deadline <= task.Run.Now)
        {
            return CancelShieldedYield.Create(task.Run);
        }

        return SleepUntilCoreAsync(task, deadline);
    }

    private static ValueTask SleepUntilCoreAsync(BackendTask task, TimeSpan deadline)
    {
        RunState run = task.Run;
        Waiter waiter = run.RentWaiter();
        lock (run.Gate)
        {
            if (deadline != CancelScope.NoDeadline)
            {
                waiter.DueTime = deadline;
                run.AddTimerLocked(waiter);
            }

            RunState.RegisterCancellableLocked(task, waiter);
        }

        // The waiter is the operation: the timer signals it, a cancellation wakes it and is raised when it is awaited.
        return waiter.AsOperation();
    }

    // ---------------------------------------------------------------- shielding

    public static ValueTask<TResult> IgnoreCancellationAsync<TState, TResult>(Func<TState, ValueTask<TResult>> func, TState state)
    {
        ArgumentNullException.ThrowIfNull(func);
        var scope = new CancelScopeImpl(new CancelScopeOptions { Shield = true });
        ValueTask<ScopeResult<TResult>> run = scope.RunAsync(static (_, s) => s.func(s.state), (func, state));
        return UnwrapAsync(run);

        static async ValueTask<TResult> UnwrapAsync(ValueTask<ScopeResult<TResult>> pending) => (await pending).Value;
    }

    public static ValueTask IgnoreCancellationAsync<TState>(Func<TState, ValueTask> func, TState state)
    {
        ArgumentNullException.ThrowIfNull(func);
        var scope = new CancelScopeImpl(new CancelScopeOptions { Shield = true });
        ValueTask<CancelScope> run = scope.RunAsync(static (_, s) => s.func(s.state), (func, state));
        return run.IsCompletedSuccessfully ? default : new ValueTask(run.AsTask());
    }

    public static ValueTask IgnoreCancellationAsync(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new ValueTask(task);
    }

    public static ValueTask<TResult> IgnoreCancellationAsync<TResult>(Task<TResult> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new ValueTask<TResult>(task);
    }

    public static ValueTask<CancelScope> ShieldAsync<TState>(TimeSpan timeout, Func<CancelScope, TState, ValueTask> body, TState state)
        => OpenCancelScope(new CancelScopeOptions { Shield = true, RelativeDeadline = timeout }).RunAsync(body, state);

    public static ValueTask<ScopeResult<TResult>> ShieldAsync<TState, TResult>(TimeSpan timeout, Func<CancelScope, TState, ValueTask<TResult>> body, TState state)
        => OpenCancelScope(new CancelScopeOptions { Shield = true, RelativeDeadline = timeout }).RunAsync(body, state);

    // ---------------------------------------------------------------- cancel scopes

    public static CancelScope OpenCancelScope(in CancelScopeOptions options)
    {
        // S3.7: a zero or negative relative deadline means "already expired at entry", so every value is valid.
        return new CancelScopeImpl(options);
    }

    public static CancelScope EnterCancelScope(in CancelScopeOptions options)
    {
        var scope = new CancelScopeImpl(options);
        scope.Enter(BackendTask.GetCurrent("IAsyncBackend.EnterCancelScope"));
        return scope;
    }

    public static ValueTask<CancelScope> MoveOnAfterAsync<TState>(TimeSpan delay, Func<CancelScope, TState, ValueTask> body, TState state, CancellationToken cancellationToken)
        => new CancelScopeImpl(new CancelScopeOptions { RelativeDeadline = delay, CancellationToken = cancellationToken }).RunAsync(body, state);

    public static ValueTask<ScopeResult<TResult>> MoveOnAfterAsync<TState, TResult>(TimeSpan delay, Func<CancelScope, TState, ValueTask<TResult>> body, TState state, CancellationToken cancellationToken)
        => new CancelScopeImpl(new CancelScopeOptions { RelativeDeadline = delay, CancellationToken = cancellationToken }).RunAsync(body, state);

    public static ValueTask<CancelScope> MoveOnAtAsync<TState>(TimeSpan deadline, Func<CancelScope, TState, ValueTask> body, TState state, CancellationToken cancellationToken)
        => new CancelScopeImpl(new CancelScopeOptions { Deadline = deadline, CancellationToken = cancellationToken }).RunAsync(body, state);

    public static ValueTask<ScopeResult<TResult>> MoveOnAtAsync<TState, TResult>(TimeSpan deadline, Func<CancelScope, TState, ValueTask<TResult>> body, TState state, CancellationToken cancellationToken)
        => new CancelScopeImpl(new CancelScopeOptions { Deadline = deadline, CancellationToken = cancellationToken }).RunAsync(body, state);

    public static ValueTask TimeoutAfterAsync<TState>(TimeSpan delay, Func<CancelScope, TState, ValueTask> body, TState state, CancellationToken cancellationToken)
        => FailAfterAsync(new CancelScopeImpl(new CancelScopeOptions { RelativeDeadline = delay, CancellationToken = cancellationToken }), body, state);

    public static ValueTask<TResult> TimeoutAfterAsync<TState, TResult>(TimeSpan delay, Func<CancelScope, TState, ValueTask<TResult>> body, TState state, CancellationToken cancellationToken)
        => FailAfterAsync(new CancelScopeImpl(new CancelScopeOptions { RelativeDeadline = delay, CancellationToken = cancellationToken }), body, state);

    public static ValueTask TimeoutAtAsync<TState>(TimeSpan deadline, Func<CancelScope, TState, ValueTask> body, TState state, CancellationToken cancellationToken)
        => FailAfterAsync(new CancelScopeImpl(new CancelScopeOptions { Deadline = deadline, CancellationToken = cancellationToken }), body, state);

    public static ValueTask<TResult> TimeoutAtAsync<TState, TResult>(TimeSpan deadline, Func<CancelScope, TState, ValueTask<TResult>> body, TState state, CancellationToken cancellationToken)
        => FailAfterAsync(new CancelScopeImpl(new CancelScopeOptions { Deadline = deadline, CancellationToken = cancellationToken }), body, state);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask FailAfterAsync<TState>(CancelScopeImpl scope, Func<CancelScope, TState, ValueTask> body, TState state)
    {
        ArgumentNullException.ThrowIfNull(body);
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.TimeoutAfterAsync");
        scope.Enter(task);
        ExceptionDispatchInfo? failure = null;
        try
        {
            await body(scope, state);
        }
        catch (Exception ex)
        {
            failure = ExceptionDispatchInfo.Capture(ex);
        }

        scope.ExitAndRethrow(task, failure, out Exception? caught);
        if (caught is not null)
        {
            throw new TimeoutException("The operation did not complete before its deadline.", caught);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<TResult> FailAfterAsync<TState, TResult>(CancelScopeImpl scope, Func<CancelScope, TState, ValueTask<TResult>> body, TState state)
    {
        ArgumentNullException.ThrowIfNull(body);
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.TimeoutAfterAsync");
        scope.Enter(task);
        ExceptionDispatchInfo? failure = null;
        TResult value = default!;
        try
        {
            value = await body(scope, state);
        }
        catch (Exception ex)
        {
            failure = ExceptionDispatchInfo.Capture(ex);
        }

        scope.ExitAndRethrow(task, failure, out Exception? caught);
        if (caught is not null)
        {
            throw new TimeoutException("The operation did not complete before its deadline.", caught);
        }

        return value;
    }

    public static CancellationToken CurrentCancellationToken
        => BackendTask.GetCurrent("IAsyncBackend.CurrentCancellationToken").Innermost.Token;

    // ---------------------------------------------------------------- tasks

    public static ValueTask RunTaskGroupAsync<TState>(Func<ITaskGroup, TState, ValueTask> body, TState state) => TaskGroupImpl.RunAsync(body, state);

    public static ValueTask<TResult> RunTaskGroupAsync<TState, TResult>(Func<ITaskGroup, TState, ValueTask<TResult>> body, TState state) => TaskGroupImpl.RunAsync(body, state);

    public static TaskInfo GetCurrentTask() => BackendTask.GetCurrent("IAsyncBackend.GetCurrentTask").Info;

    public static TaskHandle<TResult> SpawnSystemTask<TState, TResult>(Func<TState, ValueTask<TResult>> func, TState state, string? name)
    {
        ArgumentNullException.ThrowIfNull(func);
        BackendTask spawner = BackendTask.GetCurrent("IAsyncBackend.SpawnSystemTask");
        var task = new FuncTask<TState, TResult>(spawner.Run, TaskKind.System, func, state, name, parentScope: null, group: null);
        spawner.Run.AddSystemTask(task);
        task.Schedule();
        return new TaskHandleImpl<TResult>(task);
    }

    public static TaskHandle SpawnSystemTask<TState>(Func<TState, ValueTask> func, TState state, string? name)
    {
        ArgumentNullException.ThrowIfNull(func);
        BackendTask spawner = BackendTask.GetCurrent("IAsyncBackend.SpawnSystemTask");
        var task = new ActionTask<TState>(spawner.Run, TaskKind.System, func, state, name, parentScope: null, group: null);
        spawner.Run.AddSystemTask(task);
        task.Schedule();
        return new TaskHandleImpl<VoidResult>(task);
    }

    public static ValueTask<TResult[]> GatherAsync<TResult>(IReadOnlyList<Func<ValueTask<TResult>>> funcs)
    {
        ArgumentNullException.ThrowIfNull(funcs);
        for (int i = 0; i < funcs.Count; i++)
        {
            if (funcs[i] is null)
            {
                throw new ArgumentNullException(nameof(funcs), $"Element {i} of the list is null.");
            }
        }

        if (funcs.Count == 0)
        {
            return new ValueTask<TResult[]>(Array.Empty<TResult>());
        }

        return GatherCoreAsync(funcs);
    }

    private static async ValueTask<TResult[]> GatherCoreAsync<TResult>(IReadOnlyList<Func<ValueTask<TResult>>> funcs)
    {
        // A delegate instance listed several times runs once; its result fills every position (S4.32).
        var firstIndex = new Dictionary<Func<ValueTask<TResult>>, int>(ReferenceEqualityComparer.Instance);
        var results = new TResult[funcs.Count];
        var unique = new List<(Func<ValueTask<TResult>> Func, int Index)>();
        for (int i = 0; i < funcs.Count; i++)
        {
            if (firstIndex.TryAdd(funcs[i], i))
            {
                unique.Add((funcs[i], i));
            }
        }

        await TaskGroupImpl.RunAsync(static async (group, s) =>
        {
            // Started one by one, in order, each start shielded (S4.34).
            var shield = new CancelScopeImpl(new CancelScopeOptions { Shield = true });
            await shield.RunAsync(static async (_, s) =>
            {
                foreach ((Func<ValueTask<TResult>> func, int index) in s.unique)
                {
                    await s.group.StartAsync(static async item => item.results[item.index] = await item.func(), (func, index, s.results));
                }
            }, (s.unique, s.results, group));
        }, (unique, results));

        for (int i = 0; i < funcs.Count; i++)
        {
            int first = firstIndex[funcs[i]];
            if (first != i)
            {
                results[i] = results[first];
            }
        }

        return results;
    }

    public static ValueTask<TResult[]> GatherAsync<TResult>(IReadOnlyList<Task<TResult>> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        for (int i = 0; i < tasks.Count; i++)
        {
            if (tasks[i] is null)
            {
                throw new ArgumentNullException(nameof(tasks), $"Element {i} of the list is null.");
            }
        }

        if (tasks.Count == 0)
        {
            return new ValueTask<TResult[]>(Array.Empty<TResult>());
        }

        return GatherTasksAsync(tasks);
    }

    private static async ValueTask<TResult[]> GatherTasksAsync<TResult>(IReadOnlyList<Task<TResult>> tasks)
    {
        BackendTask caller = BackendTask.GetCurrent("IAsyncBackend.GatherAsync");
        var distinct = new HashSet<Task<TResult>>(ReferenceEqualityComparer.Instance);
        foreach (Task<TResult> task in tasks)
        {
            if (distinct.Add(task))
            {
                await WaitForTaskAsync(caller, task);
            }
        }

        List<Exception>? failures = null;
        var results = new TResult[tasks.Count];
        distinct.Clear();
        for (int i = 0; i < tasks.Count; i++)
        {
            Task<TResult> task = tasks[i];
            if (task.IsCompletedSuccessfully)
            {
                results[i] = task.Result;
            }
            else if (distinct.Add(task))
            {
                Exception failure = task.IsCanceled ? new TaskCanceledException(task) : task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerExceptions[0] : task.Exception;
                (failures ??= new List<Exception>()).Add(failure);
            }
        }

        if (failures is { Count: 1 })
        {
            ExceptionDispatchInfo.Throw(failures[0]);
        }

        if (failures is not null)
        {
            throw new AggregateException(failures);
        }

        return results;
    }

    /// <summary>A cancellable wait for a BCL task (the task itself is not affected by the cancellation).</summary>
    public static async ValueTask WaitForTaskAsync(BackendTask caller, Task task)
    {
        caller.ThrowIfCancelled();
        RunState run = caller.Run;
        while (!task.IsCompleted)
        {
            Waiter waiter = run.RentWaiter();
            var relay = new TaskCompletionRelay(run, waiter);
            lock (run.Gate)
            {
                RunState.RegisterCancellableLocked(caller, waiter);
            }

            task.GetAwaiter().UnsafeOnCompleted(relay.Fire);
            WaitResult result = await waiter.AsValueTask();
            lock (run.Gate)
            {
                relay.DisarmLocked();
                RunState.UnregisterCancellableLocked(waiter);
            }

            run.ReturnWaiter(waiter);
            if (result == WaitResult.Cancelled)
            {
                caller.ThrowIfCancelled();
            }
        }
    }

    // ---------------------------------------------------------------- threads

    public static ValueTask<TResult> RunInThreadAsync<TState, TResult>(Func<TState, TResult> func, TState state, bool abandonOnCancel)
    {
        ArgumentNullException.ThrowIfNull(func);
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.RunInThreadAsync");
        task.ThrowIfCancelled();
        return ThreadWork<TState, TResult>.Rent(task.Run).Start(task, func, state, abandonOnCancel);
    }

    public static ValueTask RunInThreadAsync<TState>(Action<TState> action, TState state, bool abandonOnCancel)
    {
        ArgumentNullException.ThrowIfNull(action);
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.RunInThreadAsync");
        task.ThrowIfCancelled();
        return ThreadWork<(Action<TState> Action, TState State), VoidResult>.Rent(task.Run).StartWithoutResult(
            task, static s => { s.Action(s.State); return default; }, (action, state), abandonOnCancel);
    }

    public static ThreadsPortal CreateThreadsPortal(IAsyncBackend backend) => new ThreadsPortalImpl(backend);

    /// <summary>Waits for a thread-side future without blocking the run (S11.19–S11.22).</summary>
    public static ValueTask<T> WaitFutureAsync<T>(ThreadFuture<T> future)
    {
        ArgumentNullException.ThrowIfNull(future);
        if (future.IsCompleted)
        {
            // A completed future is neither a cancel point nor a schedule point.
            Task<T> done = future.Task;
            return done.IsCompletedSuccessfully ? new ValueTask<T>(done.Result) : new ValueTask<T>(done);
        }

        return WaitFutureSlowAsync(BackendTask.GetCurrent("IAsyncBackend.WaitFutureAsync"), future);
    }

    private static async ValueTask<T> WaitFutureSlowAsync<T>(BackendTask caller, ThreadFuture<T> future)
    {
        try
        {
            await WaitForTaskAsync(caller, future.Task);
        }
#pragma warning disable EN0003 // The runtime's own postponement: a running future keeps the cancellation pending for the next cancel point.
        catch (OperationCanceledException) when (caller.Innermost.IsEffectivelyCancelled())
#pragma warning restore EN0003
        {
            if (future.Cancel() || future.IsCancelled)
            {
                // Not started yet (or cancelled by someone else too): the caller's cancellation wins (S11.20, S11.22).
                throw;
            }

            // Already running: keep waiting, shielded; the cancellation stays pending for the next cancel point.
            try
            {
#pragma warning disable EN0001 // The thread future's task observes no cancel scope: this wait is the runtime's own shield.
                await future.Task;
#pragma warning restore EN0001
            }
            catch (OperationCanceledException) when (future.IsCancelled)
            {
                caller.ThrowIfCancelled();
                throw;
            }
        }

        if (future.IsCancelled && caller.Innermost.IsEffectivelyCancelled())
        {
            caller.ThrowIfCancelled();
        }

        return await future.Task;
    }

    // ---------------------------------------------------------------- synchronisation

    public static IAsyncLock CreateLock(IAsyncBackend backend) => new AsyncLockImpl(backend);

    public static IAsyncLock CreateFairLock(IAsyncBackend backend) => new AsyncLockImpl(backend);

    public static IAsyncEvent CreateEvent(IAsyncBackend backend) => new AsyncEventImpl(backend);

    public static IAsyncCondition CreateConditionVariable(IAsyncBackend backend, IAsyncLock? lockObject)
    {
        if (lockObject is null)
        {
            return new AsyncConditionImpl(new AsyncLockImpl(backend));
        }

        if (lockObject is not AsyncLockImpl own || !ReferenceEquals(own.Backend, backend))
        {
            throw new ArgumentException($"The lock of a condition variable must come from CreateLock() or CreateFairLock() of the same backend ('{backend.Name}'); got {lockObject.GetType().Name}.", nameof(lockObject));
        }

        return new AsyncConditionImpl(own);
    }
}
