namespace EasyNetwork.Generator.Analysis;

/// <summary>The values of <c>en_analyzers.checkpoints</c> (ANALYZERS §2.5).</summary>
internal enum CheckpointMode
{
    /// <summary>Every await counts, except completed values, <c>Task.Yield()</c>, <c>Task.Delay(0)</c> and <c>[CleanupSafe]</c> members.</summary>
    AnyAwait,

    /// <summary>Only awaits of <c>[Checkpoint]</c> members, and of calls given a scope's token or an <c>[AmbientToken]</c> read.</summary>
    Observing,
}
