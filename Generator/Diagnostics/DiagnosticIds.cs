namespace EasyNetwork.Generator.Diagnostics;

/// <summary>The diagnostic IDs. An ID is never reused or renumbered; a retired rule's constant stays, commented "retired, do not reuse".</summary>
internal static class DiagnosticIds
{
    /// <summary>EN0001: an await in cleanup code (finally, a catch that can catch cancellation, DisposeAsync) that no shield covers.</summary>
    public const string UnshieldedCleanupAwait = "EN0001";

    /// <summary>EN0002: an awaited call in backend code that is not given the ambient cancel scope's token.</summary>
    public const string AmbientScopeNotObserved = "EN0002";

    /// <summary>EN0003: a catch clause that can catch cancellation from a checkpoint in its try block and swallows or converts it.</summary>
    public const string CancellationSwallowed = "EN0003";

    /// <summary>EN0004: a <c>yield return</c> within the lifetime of an inline scope, shield or task group.</summary>
    public const string ScopeSpansYield = "EN0004";

    /// <summary>EN0005: an inline scope not disposed by a <c>using</c> where it is created, or whose own cancellation no owning catch claims.</summary>
    public const string InlineScopeNotDisposed = "EN0005";

    /// <summary>EN0006: a non-async function that returns an awaitable created inside an inline scope, which exits before it completes.</summary>
    public const string ScopeEndsBeforeTask = "EN0006";

    /// <summary>EN0007: a <c>using</c> local handed to a task-group child and disposed before the group waits for its children.</summary>
    public const string ResourceDisposedBeforeChildren = "EN0007";

    /// <summary>EN0008: in backend code, work started without being awaited or handed to a task group.</summary>
    public const string FireAndForgetTask = "EN0008";

    /// <summary>EN0009: a blocking wait (<c>Thread.Sleep</c>, <c>Task.Wait</c>, <c>.Result</c>, ...) in backend code, which no cancel scope can interrupt.</summary>
    public const string BlockingWait = "EN0009";

    /// <summary>EN0010: an unshielded await in a catch clause that cannot catch cancellation but rethrows afterwards.</summary>
    public const string AwaitInRethrowingCatch = "EN0010";

    /// <summary>EN0011: <c>Task.Delay</c> or <c>Task.Yield</c> in backend code instead of the backend's sleep or checkpoint.</summary>
    public const string UseBackendSleep = "EN0011";

    /// <summary>EN0012: a cancel scope whose delegate body or inline lifetime contains no checkpoint.</summary>
    public const string ScopeWithoutCheckpoint = "EN0012";

    /// <summary>EN0013: a readiness child that never calls its <c>[StartedSignal]</c> method, or one started without waiting for it.</summary>
    public const string StartableNeverReportsStarted = "EN0013";

    /// <summary>EN0014: a <c>while (true)</c>, <c>for (;;)</c> or <c>do ... while (true)</c> loop in an async function that nothing but an exception leaves and whose body has no checkpoint.</summary>
    public const string IndefiniteLoopWithoutCheckpoint = "EN0014";

    /// <summary>EN0015: an awaitable-returning method in backend code that takes a timeout parameter instead of letting callers apply a scope.</summary>
    public const string TimeoutParameter = "EN0015";

    /// <summary>EN0016: a <c>while</c> or <c>do</c> loop whose only statement awaits a sleep or checkpoint, polling its condition.</summary>
    public const string BusyWaitLoop = "EN0016";

    /// <summary>EN0017: a delegate-form task group whose body starts a single child that does not use the group, or none.</summary>
    public const string RedundantTaskGroup = "EN0017";

    /// <summary>EN1001: an <c>[AsyncBackend]</c> class declared without <see langword="partial"/>.</summary>
    public const string BackendNotPartial = "EN1001";

    /// <summary>EN1002: a <c>[BackendPrimitive]</c> facade member that neither the class nor a base class implements.</summary>
    public const string MissingBackendPrimitive = "EN1002";

    /// <summary>EN1003: a member with a facade member's name that matches none of that name's signatures.</summary>
    public const string FacadeSignatureMismatch = "EN1003";

    /// <summary>EN1004: a backend name used twice in the compilation, or also by a backend of a referenced assembly.</summary>
    public const string DuplicateBackendName = "EN1004";

    /// <summary>EN1005: a backend name that is null, empty, or has characters outside <c>[a-z0-9-_.]</c>.</summary>
    public const string InvalidBackendName = "EN1005";

    /// <summary>EN1006: a backend class with a shape the generator does not support.</summary>
    public const string UnsupportedBackendShape = "EN1006";

    /// <summary>EN1007: a backend class without an accessible constructor callable without arguments.</summary>
    public const string MissingParameterlessConstructor = "EN1007";
}
