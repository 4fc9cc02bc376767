using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Internal;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Internals;

/// <summary>
/// Regression: a canceller takes a scope's token source under the run's gate and cancels it after leaving the gate. If
/// the scope's task exits the scope in between, the source used to go back to the pool uncancelled, and the late Cancel
/// then hit whichever scope rented it next (its pending socket operation cancelled for nothing, or a later wake-up
/// lost). The window is a few instructions wide, so the test stops the canceller between its two steps by hand.
/// </summary>
public sealed class TokenSourcePoolTests
{
    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task A_source_taken_by_a_canceller_is_not_pooled_when_its_scope_exits_first(string backend)
        => await BackendRuns.RunAsync(backend, static async b =>
        {
            RunState run = BackendTask.GetCurrent("test").Run;
            var collected = new StrongBox<List<CancellationTokenSource>?>();
            await b.OpenCancelScope().RunAsync(static (scope, s) =>
            {
                _ = scope.Token;
                lock (s.run.Gate)
                {
                    // The canceller's first step only: the scope is cancelled and its source collected.
                    ((CancelScopeImpl)scope).CancelLocked("late canceller", ref s.collected.Value);
                }

                return ValueTask.CompletedTask;
            }, (run, collected));

            CancellationTokenSource taken = Assert.Single(collected.Value!);
            CancellationTokenSource rented = run.RentTokenSource();
            Assert.NotSame(taken, rented);

            // The canceller's late second step now cancels only the exited scope's own source.
            RunState.CancelTokenSources(collected.Value);
            Assert.False(rented.IsCancellationRequested);
            run.ReturnTokenSource(rented);
        });
}
