using System;
using System.Threading;

namespace EasyNetwork.Runtime.Tests.Reliability;

/// <summary>What happened in one round of a <see cref="CheckpointSweep"/>; written by the operation and the canceller, which may run in parallel on <c>threadpool</c>.</summary>
internal sealed class SweepRound
{
    private int _cancelIssued;
    private int _finished;

    /// <summary>The number of schedule points the canceller lets pass before it cancels.</summary>
    public required int SchedulePoints { get; init; }

    /// <summary>The scope around the operation.</summary>
    public required CancelScope Scope { get; init; }

    /// <summary>Whether the canceller has called <see cref="CancelScope.Cancel"/>.</summary>
    public bool CancelIssued => Volatile.Read(ref _cancelIssued) != 0;

    /// <summary>Whether the operation has ended, in any way.</summary>
    public bool Finished
    {
        get => Volatile.Read(ref _finished) != 0;
        set => Volatile.Write(ref _finished, value ? 1 : 0);
    }

    /// <summary>Whether the operation returned normally.</summary>
    public bool Completed { get; set; }

    /// <summary>Whether the cancellation had been issued when the operation returned (a result delivered despite a late cancellation).</summary>
    public bool CompletedAfterCancel { get; set; }

    /// <summary>The cancellation the operation threw, if any.</summary>
    public OperationCanceledException? Cancellation { get; set; }

    /// <summary>Whether <see cref="Scope"/> owns <see cref="Cancellation"/> (S3.28; checked while the scope was active, since its token may be pooled after exit).</summary>
    public bool CancellationFromScope { get; set; }

    /// <summary>Cancels the scope and records that it did.</summary>
    public void Cancel()
    {
        Volatile.Write(ref _cancelIssued, 1);
        Scope.Cancel("checkpoint sweep");
    }
}
