using System;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Reliability;

/// <summary>
/// Cancels an operation at its 1st, 2nd, ... schedule point: round <c>k</c> runs the operation inside a fresh cancel
/// scope while a sibling task lets <c>k</c> schedule points pass and then cancels that scope. On <c>eventloop</c> (FIFO)
/// the sibling's k-th yield lands right after the operation's k-th schedule point; on <c>threadpool</c> the two run in
/// parallel, so the sweep is a stress rather than an enumeration. The sweep stops at the first round that completes
/// without being cancelled, or after <see cref="MaxRounds"/> rounds.
/// </summary>
internal static class CheckpointSweep
{
    /// <summary>The bound on rounds per operation.</summary>
    public const int MaxRounds = 64;

    /// <summary>Rounds that step one schedule point at a time; later rounds grow geometrically so that an operation waiting on real I/O is eventually outrun.</summary>
    private const int LinearRounds = 40;

    /// <summary>The schedule points the canceller lets pass in round <paramref name="round"/> (1-based).</summary>
    public static int SchedulePoints(int round)
        => round <= LinearRounds ? round : (int)Math.Min(1 << 16, LinearRounds * Math.Pow(1.35, round - LinearRounds));

    /// <summary>
    /// Sweeps <paramref name="operation"/>. Each round asserts that a cancellation surfaced as the cancellation of the
    /// round's scope (any other exception fails the test as it escapes), that no socket descriptor leaked when
    /// <paramref name="countDescriptors"/> is set, and whatever <paramref name="verify"/> checks about the object left behind.
    /// </summary>
    /// <param name="backend">The backend of the calling task.</param>
    /// <param name="operation">The operation under test; it runs inside the round's scope.</param>
    /// <param name="verify">Called after each round with it, outside the scope: checks the object is usable or cleanly closed.</param>
    /// <param name="prepare">Called before each round, outside the scope (e.g. to connect the transport a handshake runs on).</param>
    /// <param name="countDescriptors">Whether each round must leave the socket descriptor count where it found it.</param>
    /// <param name="rounds">How many rounds at most; with <paramref name="untilCompleted"/> false, exactly this many (for operations that never complete normally).</param>
    /// <param name="untilCompleted">Whether to stop at the first round that completes without being cancelled.</param>
    /// <returns>What the sweep saw.</returns>
    public static async ValueTask<SweepReport> RunAsync(
        IAsyncBackend backend,
        Func<ValueTask> operation,
        Func<SweepRound, ValueTask> verify,
        Func<ValueTask>? prepare = null,
        bool countDescriptors = true,
        int rounds = MaxRounds,
        bool untilCompleted = true)
    {
        int cancelled = 0;
        int lateResults = 0;
        for (int round = 1; round <= rounds; round++)
        {
            SweepRound outcome;
            using (countDescriptors ? OpenDescriptors.Check() : null)
            {
                if (prepare is not null)
                {
                    await prepare();
                }

                outcome = await RoundAsync(backend, operation, untilCompleted ? SchedulePoints(round) : round);
                await verify(outcome);
            }

            if (outcome.Completed && !outcome.CompletedAfterCancel)
            {
                if (untilCompleted)
                {
                    return new SweepReport(cancelled, lateResults, Completed: true);
                }
            }
            else if (outcome.Completed)
            {
                lateResults++;
            }
            else
            {
                cancelled++;
            }
        }

        if (untilCompleted)
        {
            // Every bounded round outran the operation's real I/O (a slow or loaded machine): one last round lets it run
            // to the end uncancelled, so the sweep still proves that the operation completes after all those cancellations.
            SweepRound last;
            using (countDescriptors ? OpenDescriptors.Check() : null)
            {
                if (prepare is not null)
                {
                    await prepare();
                }

                last = await RoundAsync(backend, operation, int.MaxValue);
                await verify(last);
            }

            if (last.Completed && !last.CompletedAfterCancel)
            {
                return new SweepReport(cancelled, lateResults, Completed: true);
            }
        }

        return new SweepReport(cancelled, lateResults, Completed: false);
    }

    private static async ValueTask<SweepRound> RoundAsync(IAsyncBackend backend, Func<ValueTask> operation, int schedulePoints)
    {
        var outcome = new SweepRound { SchedulePoints = schedulePoints, Scope = backend.OpenCancelScope() };
        await backend.RunTaskGroupAsync(static async (group, s) =>
        {
            group.StartSoon(static async s =>
            {
                // Stops early once the operation has ended, so large rounds cost nothing after it.
                for (int i = 0; i < s.outcome.SchedulePoints && !s.outcome.Finished; i++)
                {
                    await s.backend.YieldAsync();
                }

                s.outcome.Cancel();
            }, s, "sweep canceller");
            await s.outcome.Scope.RunAsync(static async (scope, s) =>
            {
                try
                {
                    await s.operation();
                    s.outcome.CompletedAfterCancel = s.outcome.CancelIssued;
                    s.outcome.Completed = true;
                }
                catch (OperationCanceledException ex)
                {
                    s.outcome.Cancellation = ex;
                    s.outcome.CancellationFromScope = scope.Owns(ex);
                    throw;
                }
                finally
                {
                    s.outcome.Finished = true;
                }
            }, s);
        }, (backend, operation, outcome));

        if (!outcome.Completed)
        {
            // Anything but the scope's own cancellation would have escaped RunAsync and failed the test already.
            Assert.True(outcome.Scope.CancelledCaught, $"The scope did not catch the cancellation after {schedulePoints} schedule points: {outcome.Cancellation}");
            Assert.True(outcome.CancellationFromScope, $"The cancellation after {schedulePoints} schedule points did not originate from the cancelled scope: {outcome.Cancellation}");
        }

        return outcome;
    }
}
