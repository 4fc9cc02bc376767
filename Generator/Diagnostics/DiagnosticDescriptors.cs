using Microsoft.CodeAnalysis;

namespace EasyNetwork.Generator.Diagnostics;

/// <summary>Every descriptor of the EasyNetwork analyzers, one per ID. Titles and messages have this single source.</summary>
internal static class DiagnosticDescriptors
{
    /// <summary>
    /// EN0001. Message: <c>{0}</c> the region (<c>finally block</c>, <c>catch clause that can catch
    /// OperationCanceledException</c>, <c>DisposeAsync</c>); <c>{1}</c> the variant (<c>is not shielded from
    /// cancellation</c>, or <c>passes a token from outside the shield</c>).
    /// </summary>
    public static readonly DiagnosticDescriptor UnshieldedCleanupAwait = Create(
        DiagnosticIds.UnshieldedCleanupAwait,
        "Unshielded await in cleanup code",
        "This await runs in cleanup code ({0}) and {1}",
        DiagnosticCategories.Cancellation,
        DiagnosticSeverity.Warning,
        "Cleanup code runs while an exception may be in flight and the enclosing cancel scope may already be cancelled. An await there that observes the cancelled scope throws at once: the cleanup does not run, and the new exception replaces the one in flight. Run the awaited cleanup inside a shield with its own deadline, such as ShieldAsync.");

    /// <summary>
    /// EN0002. Message: <c>{0}</c> the awaited or enumerated member; <c>{1}</c> the variant (<c>leaves its
    /// CancellationToken parameter at its default</c>, <c>is called without a CancellationToken although an overload takes
    /// one</c>, <c>opts out of the ambient scope</c>, <c>passes a token from outside the cancel scope</c>, <c>is enumerated
    /// without WithCancellation</c>, <c>is a stored task awaited without WaitAsync</c>).
    /// </summary>
    public static readonly DiagnosticDescriptor AmbientScopeNotObserved = Create(
        DiagnosticIds.AmbientScopeNotObserved,
        "Await does not observe the ambient cancel scope",
        "'{0}' {1}, so the ambient cancel scope cannot cancel it",
        DiagnosticCategories.Cancellation,
        DiagnosticSeverity.Warning,
        "An ambient cancel scope only cancels what observes it. A call that is given no token, CancellationToken.None, or a token from outside the scope runs to completion whatever the scope's deadline says. Pass the scope body's token or the backend's CurrentCancellationToken.");

    /// <summary>EN0003. Message: <c>{0}</c> the variant (<c>swallows</c>, or <c>converts</c> for another exception, <c>return</c>, <c>break</c>, <c>continue</c> or <c>goto</c>).</summary>
    public static readonly DiagnosticDescriptor CancellationSwallowed = Create(
        DiagnosticIds.CancellationSwallowed,
        "Cancellation is swallowed or converted",
        "This catch clause {0} the OperationCanceledException of the checkpoints in its try block, so the cancellation of an enclosing scope is lost",
        DiagnosticCategories.Cancellation,
        DiagnosticSeverity.Warning,
        "catch (Exception), a bare catch and catch (OperationCanceledException) also catch the cancellation of an enclosing cancel scope. A handler that does not rethrow it on every path defeats that scope: a retry loop spins under a cancelled scope, and a converted cancellation reaches the scope as an error. Exclude cancellation with a filter, rethrow it, or claim only a scope's own cancellation with scope.Owns(e).");

    /// <summary>EN0004. Message: <c>{0}</c> the factory member's name.</summary>
    public static readonly DiagnosticDescriptor ScopeSpansYield = Create(
        DiagnosticIds.ScopeSpansYield,
        "Inline scope spans a yield return",
        "This yield return suspends the iterator inside the inline scope entered by '{0}', which stays on the consumer's stack until the iterator resumes",
        DiagnosticCategories.Scoping,
        DiagnosticSeverity.Warning,
        "An iterator that yields inside an inline scope hands control to its consumer with the scope still entered: the consumer runs under the iterator's deadline or shield, and the scope's exit later comes out of order or on another task. Materialise the data, fill a channel from a task-group child, open the scope per element, or let the consumer own the scope.");

    /// <summary>
    /// EN0005. Message: <c>{0}</c> the factory member's name; <c>{1}</c> the variant (<c>is discarded</c>, <c>is stored in a
    /// local that a 'using' disposes only later</c>, ..., or the second message <c>has a checkpoint that no catch filtered by
    /// Owns covers</c>, <c>is anonymous</c>, with what follows from it).
    /// </summary>
    public static readonly DiagnosticDescriptor InlineScopeNotDisposed = Create(
        DiagnosticIds.InlineScopeNotDisposed,
        "Inline cancel scope is not disposed by a using in the same method",
        "The inline scope entered by '{0}' {1}",
        DiagnosticCategories.Scoping,
        DiagnosticSeverity.Warning,
        "An inline scope is entered when its factory returns and exited by Dispose. Unless a using statement or declaration disposes it where it is created, it stays entered after an exception or after the method returns, and scopes exit out of order. An inline scope also swallows nothing: a catch (OperationCanceledException e) when (scope.Owns(e)) around its checkpoints must claim its own cancellation, or that cancellation escapes to the caller.");

    /// <summary>EN0006. Message: <c>{0}</c> the factory member's name.</summary>
    public static readonly DiagnosticDescriptor ScopeEndsBeforeTask = Create(
        DiagnosticIds.ScopeEndsBeforeTask,
        "Scope ends before the returned task completes",
        "This task is created inside the inline scope entered by '{0}', which exits when the function returns, before the task completes",
        DiagnosticCategories.Scoping,
        DiagnosticSeverity.Warning,
        "A function that is not async returns as soon as it has created the task, so an inline scope around the return exits at once. The rest of the task then runs without the scope's deadline, shield or group. Make the function async and await the task inside the scope, or use a delegate form, whose scope lives as long as the task.");

    /// <summary>
    /// EN0007. Message: <c>{0}</c> the resource local; <c>{1}</c> the variant (<c>is disposed when the task group's body
    /// returns, before the group waits for its children</c>, or <c>is declared after the inline task group 'tg', so it is
    /// disposed first, before the group waits for its children</c>).
    /// </summary>
    public static readonly DiagnosticDescriptor ResourceDisposedBeforeChildren = Create(
        DiagnosticIds.ResourceDisposedBeforeChildren,
        "Resource disposed while task-group children may still use it",
        "'{0}' {1}, so this child may still use it after it is disposed",
        DiagnosticCategories.Concurrency,
        DiagnosticSeverity.Warning,
        "A task group waits for its children when it exits, not when a child is started. A resource that a using disposes inside the group's body, or that is declared after an inline group and so disposed before it, is gone while the children may still run. Open the resource before the group and pass it to the children as state.");

    /// <summary>
    /// EN0008. Message: <c>{0}</c> what escapes (<c>The task returned by 'FooAsync' is not awaited</c>, <c>The work started
    /// by 'Task.Run' is not awaited</c>, <c>The work queued by 'ThreadPool.QueueUserWorkItem' cannot be awaited</c>, <c>The
    /// task returned by 'FooAsync' is stored in the field '_task'</c>, <c>The async void method 'M' cannot be awaited</c>,
    /// <c>This async lambda is converted to the void-returning delegate 'Action'</c>).
    /// </summary>
    public static readonly DiagnosticDescriptor FireAndForgetTask = Create(
        DiagnosticIds.FireAndForgetTask,
        "Unstructured fire-and-forget task",
        "{0}, so it escapes the enclosing cancel scope and nothing observes its failure",
        DiagnosticCategories.Concurrency,
        DiagnosticSeverity.Warning,
        "Work that is started and not awaited outlives the code that started it: the enclosing cancel scope cannot cancel it, its exception is lost, and it shares the starting task's context. Await the work, or start it as a child of a task group, whose exit waits for it and surfaces its failure.");

    /// <summary>
    /// EN0009. Message: <c>{0}</c> the blocking member (<c>Thread.Sleep</c>, <c>Task.Result</c>,
    /// <c>Task.GetAwaiter().GetResult()</c>); <c>{1}</c> what to do instead (<c>await the backend's SleepAsync instead</c>,
    /// <c>await the task instead</c>, <c>await WaitAsync with the ambient token instead</c>, <c>use an awaitable
    /// alternative</c>).
    /// </summary>
    public static readonly DiagnosticDescriptor BlockingWait = Create(
        DiagnosticIds.BlockingWait,
        "Blocking wait in backend code",
        "'{0}' blocks the thread, so no cancel scope can interrupt the wait and no other task runs on this thread meanwhile; {1}",
        DiagnosticCategories.Blocking,
        DiagnosticSeverity.Warning,
        "A blocking wait holds its thread until the awaited work ends: no checkpoint is reached, so the deadline or cancellation of an enclosing cancel scope cannot interrupt it, and on the eventloop backend every other task of the run stops too. In backend code await instead: the backend's SleepAsync for Thread.Sleep, the task itself for Wait, Result and GetResult, WaitAsync with the ambient token for a semaphore.");

    /// <summary>EN0010. Message: <c>{0}</c> the caught type (<c>IOException</c>).</summary>
    public static readonly DiagnosticDescriptor AwaitInRethrowingCatch = Create(
        DiagnosticIds.AwaitInRethrowingCatch,
        "Await in a rethrowing catch can discard the exception",
        "If this await is cancelled, OperationCanceledException replaces the {0} being handled",
        DiagnosticCategories.Cancellation,
        DiagnosticSeverity.Info,
        "A handler that awaits and then rethrows loses the exception it handles when the await throws: if an enclosing scope is cancelled during the error handling, the await raises OperationCanceledException and the original exception is gone. Run the awaited work inside a shield with its own deadline, such as ShieldAsync.");

    /// <summary>EN0011. Message: <c>{0}</c> the call (<c>Task.Delay</c>, <c>Task.Yield</c>); <c>{1}</c> the case and the backend member to use instead.</summary>
    public static readonly DiagnosticDescriptor UseBackendSleep = Create(
        DiagnosticIds.UseBackendSleep,
        "Use the backend's sleep or checkpoint instead of Task.Delay or Task.Yield",
        "'{0}' {1}",
        DiagnosticCategories.Blocking,
        DiagnosticSeverity.Warning,
        "Task.Delay(0) completes synchronously, so it neither yields nor observes cancellation; Task.Yield() yields but never observes cancellation; Task.Delay(x) runs on wall time and ignores the backend's virtual clock. In backend code use the backend's YieldAsync, SleepAsync or SleepForeverAsync, which are checkpoints of the ambient cancel scope.");

    /// <summary>
    /// EN0012. Message: <c>{0}</c> the scope (<c>'MoveOnAfterAsync'</c>, the factory member's name); <c>{1}</c> the
    /// variant (<c>contains no checkpoint</c>, or <c>has a path without a checkpoint</c> in mode <c>not_all_paths</c>);
    /// <c>{2}</c> what this means for it (<c>cannot be cancelled</c>, <c>can never time out</c> for a fail-after scope;
    /// conditionally <c>cannot always be cancelled</c>, <c>may never time out</c>).
    /// Tagged <see cref="WellKnownDiagnosticTags.Unnecessary"/> so the IDE fades the scope.
    /// </summary>
    public static readonly DiagnosticDescriptor ScopeWithoutCheckpoint = Create(
        DiagnosticIds.ScopeWithoutCheckpoint,
        "Cancel scope contains no checkpoint",
        "The cancel scope {0} {1}, so the work inside it {2}",
        DiagnosticCategories.Cancellation,
        DiagnosticSeverity.Warning,
        "A cancel scope can only interrupt its body at a checkpoint: an await that observes cancellation. A scope whose body, or whose lifetime for the inline form, contains none never cancels anything, and a fail-after scope never times out. Remove the scope, or add a checkpoint such as 'await backend.YieldAsync();' where the work can stop.",
        WellKnownDiagnosticTags.Unnecessary);

    /// <summary>
    /// EN0013. Message: <c>{0}</c> the readiness child (method name); <c>{1}</c> the variant (<c>never calls 'Started' on
    /// 'status', so whoever starts it is never told that it is ready</c>, <c>is marked [Startable] but calls no [StartedSignal]
    /// method, ...</c>, or the second message <c>is started by 'StartSoon', which does not wait for it to report that it is
    /// ready; use an awaiting starter such as 'StartAsync'</c>).
    /// </summary>
    public static readonly DiagnosticDescriptor StartableNeverReportsStarted = Create(
        DiagnosticIds.StartableNeverReportsStarted,
        "Startable never reports started",
        "'{0}' {1}",
        DiagnosticCategories.Concurrency,
        DiagnosticSeverity.Warning,
        "A readiness start runs a child until it reports, through its [StartedSignal] method, that it is ready, and only then lets the caller continue. A child that never calls that method on the status it is given leaves its starter waiting until the child ends, and a child started by a starter that does not wait lets the caller run before the child is ready.");

    /// <summary>
    /// EN0014. Message: <c>{0}</c> the loop keyword (<c>while</c>, <c>for</c>, <c>do</c>); <c>{1}</c> the variant
    /// (<c>has no checkpoint in its body</c>, or <c>has an iteration without a checkpoint</c> in mode <c>not_all_paths</c>).
    /// </summary>
    public static readonly DiagnosticDescriptor IndefiniteLoopWithoutCheckpoint = Create(
        DiagnosticIds.IndefiniteLoopWithoutCheckpoint,
        "Indefinite loop without a cancel point",
        "This indefinite '{0}' loop {1}, so cancelling the enclosing scope cannot stop it",
        DiagnosticCategories.Cancellation,
        DiagnosticSeverity.Warning,
        "A loop that only an exception can leave runs until something inside it raises one. Cancellation is raised at checkpoints, so a loop whose iterations do not pass one keeps running after its cancel scope is cancelled: a server loop outlives its shutdown and a retry loop spins. Put a checkpoint such as 'await backend.YieldAsync();' in every iteration.");

    /// <summary>EN0015. Message: <c>{0}</c> the method; <c>{1}</c> the parameter.</summary>
    public static readonly DiagnosticDescriptor TimeoutParameter = Create(
        DiagnosticIds.TimeoutParameter,
        "Async method takes a timeout parameter",
        "'{0}' takes the timeout parameter '{1}'; let callers bound the call with MoveOnAfterAsync or TimeoutAfterAsync, which compose with the cancel scopes around it",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Info,
        "A timeout parameter is a second cancellation mechanism beside the cancel scopes: it does not see the deadlines of enclosing scopes, its expiry is reported differently at each call, and every wrapper must pass it on. In backend code, let the caller wrap the call in MoveOnAfterAsync or TimeoutAfterAsync, whose deadlines nest and compose.");

    /// <summary>EN0016. Message: <c>{0}</c> the awaited member (<c>SleepAsync</c>, <c>Task.Delay</c>).</summary>
    public static readonly DiagnosticDescriptor BusyWaitLoop = Create(
        DiagnosticIds.BusyWaitLoop,
        "Busy-wait polling loop",
        "This loop only awaits '{0}' between checks of its condition; wait for the backend's event, or for a TaskCompletionSource through WaitAsync(token), set by the code that makes the condition true",
        DiagnosticCategories.Design,
        DiagnosticSeverity.Info,
        "A loop that sleeps or yields until a condition becomes true wakes up for nothing most of the time and notices the change only at its next wake-up, so it both wastes work and adds latency. Let the code that makes the condition true signal it: set the backend's event, or complete a TaskCompletionSource that the waiter awaits through WaitAsync with the ambient token.");

    /// <summary>
    /// EN0017. Message: <c>{0}</c> the group factory (<c>'RunTaskGroupAsync'</c>); <c>{1}</c> the variant (<c>starts a single
    /// child that does not use the group, so awaiting the child directly is equivalent</c>, or <c>starts no child, so it does
    /// nothing</c>). Tagged <see cref="WellKnownDiagnosticTags.Unnecessary"/> so the IDE fades the group.
    /// </summary>
    public static readonly DiagnosticDescriptor RedundantTaskGroup = Create(
        DiagnosticIds.RedundantTaskGroup,
        "Redundant task group",
        "The task group opened by {0} {1}",
        DiagnosticCategories.Concurrency,
        DiagnosticSeverity.Info,
        "A task group whose body only starts one child, without handing the group to it, waits for that child and rethrows its single failure unwrapped: awaiting the child directly behaves the same and costs a task, a scope and a delegate less. A group that starts no child does nothing.",
        WellKnownDiagnosticTags.Unnecessary);

    /// <summary>EN1001. Message: <c>{0}</c> the class name.</summary>
    public static readonly DiagnosticDescriptor BackendNotPartial = Declaration(
        DiagnosticIds.BackendNotPartial,
        "Backend class must be partial",
        "The backend class '{0}' must be declared partial so the generator can complete it",
        "The generator completes an [AsyncBackend] class by adding a partial declaration of it. Without the partial modifier it adds nothing, and the class implements neither the facade nor the derived members.");

    /// <summary>EN1002. Message: <c>{0}</c> the class name; <c>{1}</c> the missing members' signatures, ordinal-sorted, comma-separated.</summary>
    public static readonly DiagnosticDescriptor MissingBackendPrimitive = Declaration(
        DiagnosticIds.MissingBackendPrimitive,
        "Backend class does not implement every backend primitive",
        "The backend class '{0}' does not implement the backend primitives {1}",
        "Every member of the facade marked [BackendPrimitive] must be written by the backend class or a base class, implicitly or explicitly. The generator derives the other members from them, so it skips a class that lacks one.");

    /// <summary>EN1003. Message: <c>{0}</c> the member; <c>{1}</c> the expected signature(s); <c>{2}</c> what differs.</summary>
    public static readonly DiagnosticDescriptor FacadeSignatureMismatch = Declaration(
        DiagnosticIds.FacadeSignatureMismatch,
        "Member does not match the facade signature",
        "The member '{0}' has the name of a facade member but none of its signatures (expected {1}): {2}",
        "A member named like a facade member must have one of its signatures: the same return type, parameter types, ref kinds and generic arity, not static, and public. Otherwise the generated member would clash with it, so the generator skips the class.");

    /// <summary>EN1004. Message: <c>{0}</c> the name; <c>{1}</c> the other declaration (type, or assembly).</summary>
    public static readonly DiagnosticDescriptor DuplicateBackendName = Declaration(
        DiagnosticIds.DuplicateBackendName,
        "Backend name is already used",
        "The backend name '{0}' is also used by {1}",
        "A backend name identifies one backend in the registry. A name declared twice in a compilation is registered for neither class, and a name also published by a referenced assembly hides that backend.",
        WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>EN1005. Message: <c>{0}</c> the name (quoted, or null); <c>{1}</c> the first invalid character, or why the name is empty.</summary>
    public static readonly DiagnosticDescriptor InvalidBackendName = Declaration(
        DiagnosticIds.InvalidBackendName,
        "Backend name is invalid",
        "The backend name {0} is invalid ({1}); a name is not empty and uses only the characters a-z, 0-9, '-', '_' and '.'",
        "Backend names are chosen by configuration and compared ordinally, so they are restricted to lower-case ASCII letters, digits, '-', '_' and '.'. The generator skips a class with another name.");

    /// <summary>EN1006. Message: <c>{0}</c> the class name; <c>{1}</c> which shape.</summary>
    public static readonly DiagnosticDescriptor UnsupportedBackendShape = Declaration(
        DiagnosticIds.UnsupportedBackendShape,
        "Backend class has an unsupported shape",
        "The backend class '{0}' is not supported because {1}; a backend is a non-generic, non-abstract, non-static partial class or record class, declared in a namespace or nested in partial types, public or internal",
        "A backend name must map to one type the generated registry can create, so the class cannot be generic, abstract, static or file-local, and the types containing it must be partial, non-generic and reachable from the registry.");

    /// <summary>EN1007. Message: <c>{0}</c> the class name.</summary>
    public static readonly DiagnosticDescriptor MissingParameterlessConstructor = Declaration(
        DiagnosticIds.MissingParameterlessConstructor,
        "Backend class has no accessible parameterless constructor",
        "The backend class '{0}' has no public, internal or protected internal constructor callable without arguments",
        "The generated registry creates a backend by name with a constructor call without arguments, so the class needs a constructor that is parameterless or has only optional parameters, and that the registry can reach.");

    // Every rule is enabled by default and has its help page at HelpLinks.For(id).
    private static DiagnosticDescriptor Create(string id, string title, string messageFormat, string category, DiagnosticSeverity severity, string description, params string[] customTags)
        => new(
            id,
            title,
            messageFormat,
            category,
            severity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpLinks.For(id),
            customTags: customTags);

    private static DiagnosticDescriptor Declaration(string id, string title, string messageFormat, string description, params string[] customTags)
        => Create(id, title, messageFormat, DiagnosticCategories.Declaration, DiagnosticSeverity.Error, description, customTags);
}
