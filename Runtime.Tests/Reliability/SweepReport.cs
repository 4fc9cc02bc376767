namespace EasyNetwork.Runtime.Tests.Reliability;

/// <summary>The outcome of a whole <see cref="CheckpointSweep"/>: how many rounds were cancelled before one completed.</summary>
/// <param name="Cancelled">Rounds whose operation was cancelled.</param>
/// <param name="CompletedDespiteCancel">Rounds whose operation returned a result although the cancellation had been issued (allowed by S5.10, S8.17).</param>
/// <param name="Completed">Whether a round completed without being cancelled (the sweep reached the end of the operation).</param>
internal readonly record struct SweepReport(int Cancelled, int CompletedDespiteCancel, bool Completed);
