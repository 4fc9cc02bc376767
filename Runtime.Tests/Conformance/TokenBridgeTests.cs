using System;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Conformance;

/// <summary>SPEC §3 (S3.47–S3.51): the CancellationToken bridge, both ways.</summary>
public sealed class TokenBridgeTests
{
    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S3_47_the_scope_token_is_cancelled_exactly_when_the_scope_is_effectively_cancelled(string backend)
    {
        await BackendRuns.RunAsync(backend, static async b =>
        {
            var observed = new StrongBox<(bool Before, bool AfterOuter, bool Shielded)>();
            await b.OpenCancelScope().RunAsync(static async (outer, s) =>
            {
                await s.b.OpenCancelScope().RunAsync(static async (inner, s) =>
                {
                    CancellationToken token = inner.Token;
                    bool before = token.IsCancellationRequested;
                    var shieldBox = new StrongBox<bool>();
                    await s.b.OpenCancelScope(new CancelScopeOptions { Shield = true }).RunAsync(static (shield, s) =>
                    {
                        s.outer.Cancel();
                        s.shieldBox.Value = shield.Token.IsCancellationRequested;
                        return ValueTask.CompletedTask;
                    }, (s.outer, shieldBox));
                    s.observed.Value = (before, token.IsCancellationRequested, shieldBox.Value);
                }, (s.b, outer, s.observed));
            }, (b, observed));
            Assert.False(observed.Value.Before);
            Assert.True(observed.Value.AfterOuter);
            Assert.False(observed.Value.Shielded);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S3_49_a_BCL_cancellation_for_a_child_task_token_originates_from_the_cancelled_ancestor(string backend)
    {
        // Regression: the children's BCL cancellations were attributed to their own (never cancelled) task scopes, so
        // the group reported them as failures (an AggregateException) instead of moving on.
        await BackendRuns.RunAsync(backend, static async b =>
        {
            CancelScope scope = await b.MoveOnAfterAsync(TimeSpan.FromMilliseconds(20), static (_, b) => b.RunTaskGroupAsync(static (group, b) =>
            {
                for (int i = 0; i < 2; i++)
                {
                    group.StartSoon(static async b => await Task.Delay(Timeout.Infinite, b.CurrentCancellationToken), b);
                }

                return ValueTask.CompletedTask;
            }, b), b);
            Assert.True(scope.CancelledCaught);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S3_48_CurrentCancellationToken_is_the_innermost_scope_token(string backend)
    {
        Assert.Throws<InvalidOperationException>(() => BackendRuns.Create(backend).CurrentCancellationToken);
        await BackendRuns.RunAsync(backend, static async b =>
        {
            CancellationToken taskToken = b.CurrentCancellationToken;
            Assert.True(taskToken.CanBeCanceled);
            await b.OpenCancelScope().RunAsync(static (scope, b) =>
            {
                Assert.Equal(scope.Token, b.CurrentCancellationToken);
                return ValueTask.CompletedTask;
            }, b);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S3_50_an_external_token_cancels_the_scope_which_then_moves_on(string backend)
    {
        await BackendRuns.RunAsync(backend, static async b =>
        {
            using var source = new CancellationTokenSource();
            CancelScope bound = await b.MoveOnAfterAsync(Timeout.InfiniteTimeSpan, static async ValueTask (scope, s) =>
            {
                _ = Task.Run(() => s.source.Cancel());
                await s.b.SleepForeverAsync();
            }, (b, source), source.Token);
            Assert.True(bound.CancelledCaught);

            using var already = new CancellationTokenSource();
            already.Cancel();
            CancelScope atEntry = await b.OpenCancelScope(new CancelScopeOptions { CancellationToken = already.Token }).RunAsync(static (scope, b) =>
            {
                Assert.True(scope.CancelCalled);
                return b.YieldAsync();
            }, b);
            Assert.True(atEntry.CancelledCaught);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S3_50_the_registration_is_released_at_exit(string backend)
    {
        await BackendRuns.RunAsync(backend, static async b =>
        {
            using var source = new CancellationTokenSource();
            CancelScope scope = await b.OpenCancelScope(new CancelScopeOptions { CancellationToken = source.Token }).RunAsync(static (_, _) => ValueTask.CompletedTask, 0);
            source.Cancel();
            Assert.False(scope.CancelCalled);
        });
    }
}
