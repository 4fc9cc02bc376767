using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Analysis;
using EasyNetwork.Backends;

namespace EasyNetwork;

/// <summary>
/// The asynchronous backend facade: one API for scheduling, cancellation, synchronisation, threads and networking,
/// whatever runs underneath (<c>threadpool</c>, <c>eventloop</c>, or a third-party <see cref="AsyncBackendAttribute"/> class).
/// </summary>
/// <remarks>
/// <para>Every operation that can wait is a checkpoint: a cancel point on entry (pending cancellation of the current
/// task is raised as <see cref="CancelledException"/>) and woken by cancellation while blocked. The exceptions are
/// documented on each member.</para>
/// <para>Members that take a body delegate have a <see langword="static"/>-lambda + state shape: the handle first, the
/// state second, so the correct form is also the allocation-free one.</para>
/// <para>Backends are not implemented by hand: a <see langword="partial"/> class with <see cref="AsyncBackendAttribute"/>
/// writes the <see cref="BackendPrimitiveAttribute"/> members and the generator derives the rest
/// (see <c>docs/writing-a-backend.md</c>).</para>
/// </remarks>
public partial interface IAsyncBackend
{
    /// <summary>Gets the name the backend is registered under in <see cref="AsyncBackendRegistry"/>.</summary>
    string Name { get; }

    // ---------------------------------------------------------------- primitives

    /// <summary>
    /// Creates the run loop of one run: its clock, ready queue, timer and driving thread. The runtime calls it once per
    /// run; everything else on this facade is derived from it.
    /// </summary>
    /// <param name="options">The options of the run.</param>
    /// <returns>A new run loop.</returns>
    /// <exception cref="UnsupportedOperationException">An option cannot be honoured by this backend (for example <see cref="RunnerOptions.UseVirtualClock"/> on <c>threadpool</c>).</exception>
    [BackendPrimitive]
    IRunLoop CreateRunLoop(RunnerOptions options);

    // ---------------------------------------------------------------- runners

    /// <summary>
    /// Starts a new run whose root task runs <paramref name="main"/>, blocks the calling thread until the run ends, and
    /// returns the result. An exception that ends <paramref name="main"/> is rethrown as the same object with its original
    /// stack trace. System tasks still running when <paramref name="main"/> completes are cancelled and awaited.
    /// </summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="main">The entry point.</param>
    /// <param name="state">The state for <paramref name="main"/>.</param>
    /// <param name="options">Runner options; null means <see cref="RunnerOptions.Default"/>.</param>
    /// <returns><paramref name="main"/>'s result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="main"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">Called from inside a task of a run (a worker thread of <see cref="RunInThreadAsync{TState, TResult}(Func{TState, TResult}, TState, bool)"/> may start an independent run).</exception>
    /// <exception cref="UnsupportedOperationException">An option cannot be honoured by this backend.</exception>
    TResult Run<TState, TResult>(Func<TState, ValueTask<TResult>> main, TState state, RunnerOptions? options = null);

    /// <summary>Starts a new run whose root task runs <paramref name="main"/> and blocks until the run ends; see <see cref="Run{TState, TResult}(Func{TState, ValueTask{TResult}}, TState, RunnerOptions?)"/>.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="main">The entry point.</param>
    /// <param name="state">The state for <paramref name="main"/>.</param>
    /// <param name="options">Runner options; null means <see cref="RunnerOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="main"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">Called from inside a task of a run.</exception>
    /// <exception cref="UnsupportedOperationException">An option cannot be honoured by this backend.</exception>
    void Run<TState>(Func<TState, ValueTask> main, TState state, RunnerOptions? options = null);

    /// <summary>Creates a reusable runner that owns one runtime instance across several runs (older API).</summary>
    /// <param name="options">Runner options; null means <see cref="RunnerOptions.Default"/>.</param>
    /// <returns>A new runner; dispose it to release the runtime.</returns>
    /// <exception cref="UnsupportedOperationException">An option cannot be honoured by this backend.</exception>
    IAsyncRunner CreateRunner(RunnerOptions? options = null);

    // ---------------------------------------------------------------- time and checkpoints

    /// <summary>A checkpoint: raises pending cancellation, otherwise lets other ready tasks run (never completes synchronously).</summary>
    /// <returns>A task that completes after the schedule point.</returns>
    /// <exception cref="CancelledException">The current task is effectively cancelled.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [Checkpoint]
    ValueTask YieldAsync();

    /// <summary>
    /// A cancel point, then suspends until <see cref="CurrentTime"/> ≥ now + <paramref name="delay"/>; never resumes
    /// early. Zero behaves as <see cref="YieldAsync"/>; an infinite delay as <see cref="SleepForeverAsync"/>.
    /// </summary>
    /// <param name="delay">How long to sleep.</param>
    /// <returns>A task that completes when the delay has passed.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative and not infinite (checked before the cancel point).</exception>
    /// <exception cref="CancelledException">The current task is, or becomes, effectively cancelled.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [Checkpoint]
    ValueTask SleepAsync(TimeSpan delay);

    /// <summary>Suspends until cancelled; never completes normally.</summary>
    /// <returns>A task that only ever completes with the cancellation.</returns>
    /// <exception cref="CancelledException">Always, once the current task is effectively cancelled.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [Checkpoint]
    ValueTask SleepForeverAsync();

    /// <summary>Sleeps until the absolute <paramref name="deadline"/>; a past deadline is a plain checkpoint, <see cref="CancelScope.NoDeadline"/> sleeps forever.</summary>
    /// <param name="deadline">The absolute time on the backend clock.</param>
    /// <returns>A task that completes at the deadline.</returns>
    /// <exception cref="CancelledException">The current task is, or becomes, effectively cancelled.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [Checkpoint]
    ValueTask SleepUntilAsync(TimeSpan deadline);

    /// <summary>Returns the current time on the monotonic clock of the calling run (the virtual clock when the run uses one). Never decreases within a run.</summary>
    /// <returns>The current time.</returns>
    TimeSpan CurrentTime();

    /// <summary>Gets the type of the cancellation exception raised at cancel points: <see cref="CancelledException"/>.</summary>
    Type CancelledExceptionType { get; }

    // ---------------------------------------------------------------- shielding

    /// <summary>A schedule point that never raises cancellation; a pending cancellation stays pending.</summary>
    /// <returns>A task that completes after the schedule point.</returns>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [CleanupSafe]
    ValueTask CancelShieldedYieldAsync();

    /// <summary>
    /// Runs <paramref name="func"/> in the current task inside a shielded scope with no deadline, and returns its result
    /// or rethrows its exception as the same object. A cancellation of enclosing scopes is postponed to the first cancel point after it.
    /// </summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">The shielded work.</param>
    /// <param name="state">The state for <paramref name="func"/>.</param>
    /// <returns><paramref name="func"/>'s result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="func"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [ShieldFactory]
    ValueTask<TResult> IgnoreCancellationAsync<TState, TResult>([ScopeBody] Func<TState, ValueTask<TResult>> func, TState state);

    /// <summary>Runs <paramref name="func"/> shielded from cancellation; see <see cref="IgnoreCancellationAsync{TState, TResult}(Func{TState, ValueTask{TResult}}, TState)"/>.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The shielded work.</param>
    /// <param name="state">The state for <paramref name="func"/>.</param>
    /// <returns>A task that completes with <paramref name="func"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="func"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [ShieldFactory]
    ValueTask IgnoreCancellationAsync<TState>([ScopeBody] Func<TState, ValueTask> func, TState state);

    /// <summary>Waits for an operation that is already running; cancellation cannot interrupt the wait.</summary>
    /// <param name="task">The running operation.</param>
    /// <returns>A task that completes with <paramref name="task"/>'s outcome.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is <see langword="null"/>.</exception>
    [ShieldFactory]
    ValueTask IgnoreCancellationAsync(Task task);

    /// <summary>Waits for an operation that is already running; cancellation cannot interrupt the wait.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="task">The running operation.</param>
    /// <returns><paramref name="task"/>'s result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="task"/> is <see langword="null"/>.</exception>
    [ShieldFactory]
    ValueTask<TResult> IgnoreCancellationAsync<TResult>(Task<TResult> task);

    /// <summary>
    /// The cleanup form: runs <paramref name="body"/> in a scope shielded from enclosing cancellation and bounded by its
    /// own <paramref name="timeout"/> (on expiry it moves on). Use it for awaits in <c>finally</c>, <c>DisposeAsync</c>
    /// and catch blocks that see cancellation.
    /// </summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="timeout">The shield's own relative deadline; infinite for none.</param>
    /// <param name="body">The cleanup work, called with the shield scope and <paramref name="state"/>.</param>
    /// <param name="state">The state for the body.</param>
    /// <returns>The exited shield scope.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [ShieldFactory]
    ValueTask<CancelScope> ShieldAsync<TState>(TimeSpan timeout, [ScopeBody] Func<CancelScope, TState, ValueTask> body, TState state);

    /// <summary>The cleanup form with a result; see <see cref="ShieldAsync{TState}(TimeSpan, Func{CancelScope, TState, ValueTask}, TState)"/>.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="timeout">The shield's own relative deadline; infinite for none.</param>
    /// <param name="body">The cleanup work.</param>
    /// <param name="state">The state for the body.</param>
    /// <returns>The exited shield scope and the body's value if it returned normally.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [ShieldFactory]
    ValueTask<ScopeResult<TResult>> ShieldAsync<TState, TResult>(TimeSpan timeout, [ScopeBody] Func<CancelScope, TState, ValueTask<TResult>> body, TState state);

    // ---------------------------------------------------------------- cancel scopes

    /// <summary>Returns a new, unentered cancel scope. Enter it with <see cref="CancelScope.RunAsync{TState}(Func{CancelScope, TState, ValueTask}, TState)"/>.</summary>
    /// <param name="options">Deadline (absolute or relative), shield, and an external token to bind.</param>
    /// <returns>A new scope.</returns>
    /// <exception cref="ArgumentException">Both <see cref="CancelScopeOptions.Deadline"/> and <see cref="CancelScopeOptions.RelativeDeadline"/> are set.</exception>
    CancelScope OpenCancelScope(in CancelScopeOptions options = default);

    /// <summary>
    /// The inline form: opens a scope and enters it at once in the calling task; <see cref="CancelScope.Dispose"/> exits
    /// it. It swallows nothing: pair it with <c>catch (OperationCanceledException ex) when (scope.Owns(ex))</c>.
    /// </summary>
    /// <param name="options">Deadline, shield and external token.</param>
    /// <returns>The entered scope.</returns>
    /// <exception cref="ArgumentException">Both deadlines are set.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [CancelScopeFactory]
    CancelScope EnterCancelScope(in CancelScopeOptions options = default);

    /// <summary>Runs <paramref name="body"/> in a scope whose deadline is now + <paramref name="delay"/>; on expiry the body is cancelled and the scope swallows its own cancellation.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="delay">The relative deadline (zero or negative: already expired; infinite: none).</param>
    /// <param name="body">The body, called with the scope and <paramref name="state"/>.</param>
    /// <param name="state">The state for the body.</param>
    /// <param name="cancellationToken">An external token bound to the scope.</param>
    /// <returns>The exited scope.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [CancelScopeFactory]
    ValueTask<CancelScope> MoveOnAfterAsync<TState>(TimeSpan delay, [ScopeBody] Func<CancelScope, TState, ValueTask> body, TState state, CancellationToken cancellationToken = default);

    /// <summary>Runs a body that returns a value in a move-on scope with a relative deadline.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="delay">The relative deadline.</param>
    /// <param name="body">The body.</param>
    /// <param name="state">The state for the body.</param>
    /// <param name="cancellationToken">An external token bound to the scope.</param>
    /// <returns>The exited scope and the body's value if it returned normally.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [CancelScopeFactory]
    ValueTask<ScopeResult<TResult>> MoveOnAfterAsync<TState, TResult>(TimeSpan delay, [ScopeBody] Func<CancelScope, TState, ValueTask<TResult>> body, TState state, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="body"/> in a move-on scope with an absolute deadline.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="deadline">The absolute deadline on the backend clock.</param>
    /// <param name="body">The body.</param>
    /// <param name="state">The state for the body.</param>
    /// <param name="cancellationToken">An external token bound to the scope.</param>
    /// <returns>The exited scope.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [CancelScopeFactory]
    ValueTask<CancelScope> MoveOnAtAsync<TState>(TimeSpan deadline, [ScopeBody] Func<CancelScope, TState, ValueTask> body, TState state, CancellationToken cancellationToken = default);

    /// <summary>Runs a body that returns a value in a move-on scope with an absolute deadline.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="deadline">The absolute deadline.</param>
    /// <param name="body">The body.</param>
    /// <param name="state">The state for the body.</param>
    /// <param name="cancellationToken">An external token bound to the scope.</param>
    /// <returns>The exited scope and the body's value if it returned normally.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [CancelScopeFactory]
    ValueTask<ScopeResult<TResult>> MoveOnAtAsync<TState, TResult>(TimeSpan deadline, [ScopeBody] Func<CancelScope, TState, ValueTask<TResult>> body, TState state, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="body"/> in a scope whose deadline is now + <paramref name="delay"/>. If the scope catches its
    /// own cancellation (deadline or explicit cancel), throws <see cref="TimeoutException"/> whose inner exception is that
    /// cancellation; enclosing cancellation passes through as cancellation.
    /// </summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="delay">The relative deadline.</param>
    /// <param name="body">The body.</param>
    /// <param name="state">The state for the body.</param>
    /// <param name="cancellationToken">An external token bound to the scope.</param>
    /// <returns>A task that completes with the body.</returns>
    /// <exception cref="TimeoutException">The scope caught its own cancellation.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [CancelScopeFactory(Fails = true)]
    ValueTask TimeoutAfterAsync<TState>(TimeSpan delay, [ScopeBody] Func<CancelScope, TState, ValueTask> body, TState state, CancellationToken cancellationToken = default);

    /// <summary>Runs a body that returns a value under a relative timeout; see <see cref="TimeoutAfterAsync{TState}(TimeSpan, Func{CancelScope, TState, ValueTask}, TState, CancellationToken)"/>.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="delay">The relative deadline.</param>
    /// <param name="body">The body.</param>
    /// <param name="state">The state for the body.</param>
    /// <param name="cancellationToken">An external token bound to the scope.</param>
    /// <returns>The body's value.</returns>
    /// <exception cref="TimeoutException">The scope caught its own cancellation.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [CancelScopeFactory(Fails = true)]
    ValueTask<TResult> TimeoutAfterAsync<TState, TResult>(TimeSpan delay, [ScopeBody] Func<CancelScope, TState, ValueTask<TResult>> body, TState state, CancellationToken cancellationToken = default);

    /// <summary>Runs <paramref name="body"/> under an absolute timeout.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="deadline">The absolute deadline.</param>
    /// <param name="body">The body.</param>
    /// <param name="state">The state for the body.</param>
    /// <param name="cancellationToken">An external token bound to the scope.</param>
    /// <returns>A task that completes with the body.</returns>
    /// <exception cref="TimeoutException">The scope caught its own cancellation.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [CancelScopeFactory(Fails = true)]
    ValueTask TimeoutAtAsync<TState>(TimeSpan deadline, [ScopeBody] Func<CancelScope, TState, ValueTask> body, TState state, CancellationToken cancellationToken = default);

    /// <summary>Runs a body that returns a value under an absolute timeout.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="deadline">The absolute deadline.</param>
    /// <param name="body">The body.</param>
    /// <param name="state">The state for the body.</param>
    /// <param name="cancellationToken">An external token bound to the scope.</param>
    /// <returns>The body's value.</returns>
    /// <exception cref="TimeoutException">The scope caught its own cancellation.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [CancelScopeFactory(Fails = true)]
    ValueTask<TResult> TimeoutAtAsync<TState, TResult>(TimeSpan deadline, [ScopeBody] Func<CancelScope, TState, ValueTask<TResult>> body, TState state, CancellationToken cancellationToken = default);

    /// <summary>Gets the token of the innermost active scope of the calling task (its task scope if it has no other): cancelled exactly when the task is effectively cancelled.</summary>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [AmbientToken]
    CancellationToken CurrentCancellationToken { get; }

    // ---------------------------------------------------------------- tasks

    /// <summary>
    /// Opens a task group: enters the group's scope in the calling task, runs <paramref name="body"/>, waits for every
    /// child, then exits. The first failure cancels the body and the children; one failure is rethrown unwrapped,
    /// several as an <see cref="AggregateException"/>. When it completes, no child is still running.
    /// </summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="body">The body, called with the group and <paramref name="state"/>.</param>
    /// <param name="state">The state for the body.</param>
    /// <returns>A task that completes when the group has exited.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    /// <exception cref="AggregateException">Two or more failures.</exception>
    [TaskGroupFactory]
    ValueTask RunTaskGroupAsync<TState>([ScopeBody] Func<ITaskGroup, TState, ValueTask> body, TState state);

    /// <summary>Opens a task group whose body returns a value; see <see cref="RunTaskGroupAsync{TState}(Func{ITaskGroup, TState, ValueTask}, TState)"/>.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="body">The body.</param>
    /// <param name="state">The state for the body.</param>
    /// <returns>The body's value, once every child has finished.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    /// <exception cref="AggregateException">Two or more failures.</exception>
    [TaskGroupFactory]
    ValueTask<TResult> RunTaskGroupAsync<TState, TResult>([ScopeBody] Func<ITaskGroup, TState, ValueTask<TResult>> body, TState state);

    /// <summary>Returns the calling task's identity.</summary>
    /// <returns>The current task's <see cref="TaskInfo"/>.</returns>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    TaskInfo GetCurrentTask();

    /// <summary>
    /// Runs each delegate as a child of an internal task group (started one by one, in order, each start shielded) and
    /// returns the results in input order. A delegate instance appearing several times runs once.
    /// </summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="funcs">The delegates.</param>
    /// <returns>The results in input order; an empty list gives an empty array at once.</returns>
    /// <exception cref="ArgumentNullException">The list or an element is <see langword="null"/>.</exception>
    /// <exception cref="AggregateException">Two or more failures.</exception>
    ValueTask<TResult[]> GatherAsync<TResult>(IReadOnlyList<Func<ValueTask<TResult>>> funcs);

    /// <summary>Waits for running tasks and returns their results in input order; on cancellation it only stops waiting.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="tasks">The tasks; the same object appearing several times is awaited once.</param>
    /// <returns>The results in input order.</returns>
    /// <exception cref="ArgumentNullException">The list or an element is <see langword="null"/>.</exception>
    /// <exception cref="AggregateException">Two or more failures.</exception>
    ValueTask<TResult[]> GatherAsync<TResult>(IReadOnlyList<Task<TResult>> tasks);

    /// <summary>
    /// Spawns an unstructured system task (older API): it belongs to no group and its task scope has no parent, so
    /// cancelling the spawner does not reach it. Its outcome is only available through the handle; when the run ends it
    /// is cancelled and awaited.
    /// </summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">The task's entry point.</param>
    /// <param name="state">The state for <paramref name="func"/>.</param>
    /// <param name="name">The task name; null derives one from the delegate.</param>
    /// <returns>The task's handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="func"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    TaskHandle<TResult> SpawnSystemTask<TState, TResult>(Func<TState, ValueTask<TResult>> func, TState state, string? name = null);

    /// <summary>Spawns an unstructured system task that returns no value; see <see cref="SpawnSystemTask{TState, TResult}(Func{TState, ValueTask{TResult}}, TState, string?)"/>.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The task's entry point.</param>
    /// <param name="state">The state for <paramref name="func"/>.</param>
    /// <param name="name">The task name; null derives one from the delegate.</param>
    /// <returns>The task's handle.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="func"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    TaskHandle SpawnSystemTask<TState>(Func<TState, ValueTask> func, TState state, string? name = null);

    // ---------------------------------------------------------------- synchronisation

    /// <summary>Creates a lock owned by the acquiring task. No fairness promise.</summary>
    /// <returns>A new lock.</returns>
    IAsyncLock CreateLock();

    /// <summary>Creates a strictly FIFO lock that does not yield when uncontended.</summary>
    /// <returns>A new fair lock.</returns>
    IAsyncLock CreateFairLock();

    /// <summary>Creates a one-shot event.</summary>
    /// <returns>A new event, not set.</returns>
    IAsyncEvent CreateEvent();

    /// <summary>Creates a condition variable over <paramref name="lockObject"/>, or over a new lock.</summary>
    /// <param name="lockObject">A lock from <see cref="CreateLock"/> or <see cref="CreateFairLock"/> of this backend, or null.</param>
    /// <returns>A new condition variable.</returns>
    /// <exception cref="ArgumentException"><paramref name="lockObject"/> does not come from this backend.</exception>
    IAsyncCondition CreateConditionVariable(IAsyncLock? lockObject = null);

    // ---------------------------------------------------------------- threads

    /// <summary>
    /// Runs the synchronous <paramref name="func"/> on a worker thread (never the loop thread, never inline). A cancel
    /// point on entry. By default a cancellation that arrives while <paramref name="func"/> runs is postponed until it
    /// returns; with <paramref name="abandonOnCancel"/> the caller throws at once and the result is discarded.
    /// </summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="func">The blocking work.</param>
    /// <param name="state">The state for <paramref name="func"/>.</param>
    /// <param name="abandonOnCancel">Whether cancellation releases the caller at once.</param>
    /// <returns><paramref name="func"/>'s result; its exception is rethrown as the same object.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="func"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [Checkpoint]
    ValueTask<TResult> RunInThreadAsync<TState, TResult>(Func<TState, TResult> func, TState state, bool abandonOnCancel = false);

    /// <summary>Runs the synchronous <paramref name="action"/> on a worker thread; see <see cref="RunInThreadAsync{TState, TResult}(Func{TState, TResult}, TState, bool)"/>.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="action">The blocking work.</param>
    /// <param name="state">The state for <paramref name="action"/>.</param>
    /// <param name="abandonOnCancel">Whether cancellation releases the caller at once.</param>
    /// <returns>A task that completes when <paramref name="action"/> returns.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The caller is not a backend task.</exception>
    [Checkpoint]
    ValueTask RunInThreadAsync<TState>(Action<TState> action, TState state, bool abandonOnCancel = false);

    /// <summary>Creates an unentered threads portal for this backend.</summary>
    /// <returns>A new portal.</returns>
    ThreadsPortal CreateThreadsPortal();

    /// <summary>
    /// Waits for a thread-side future without blocking the run. On a completed future it returns at once with no
    /// checkpoint. Cancelled while waiting, it cancels the future; if the work already runs, it keeps waiting shielded
    /// and the cancellation stays pending.
    /// </summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="future">The future.</param>
    /// <returns>The future's result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="future"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException">The future was cancelled by someone else (foreign cancellation).</exception>
    ValueTask<T> WaitFutureAsync<T>(ThreadFuture<T> future);
}
