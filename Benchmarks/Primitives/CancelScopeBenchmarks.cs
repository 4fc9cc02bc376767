using System;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace EasyNetwork.Benchmarks.Primitives;

/// <summary>Cancel scope enter+exit, with and without a deadline, against <c>CancellationTokenSource</c>.</summary>
[MemoryDiagnoser]
public class CancelScopeBenchmarks : BackendBenchmark
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    /// <summary>Baseline: <c>new CancellationTokenSource(TimeSpan)</c> + <c>Dispose</c>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BackendHarness.Operations)]
    public void TokenSourceWithTimeout() => Harness.Run(static _ =>
    {
        for (int i = 0; i < BackendHarness.Operations; i++)
        {
            using var source = new CancellationTokenSource(Deadline);
        }

        return default;
    }, 0);

    /// <summary><c>new CancellationTokenSource()</c> + <c>CancelAfter</c> + <c>Dispose</c>.</summary>
    [Benchmark(OperationsPerInvoke = BackendHarness.Operations)]
    public void TokenSourceCancelAfter() => Harness.Run(static _ =>
    {
        for (int i = 0; i < BackendHarness.Operations; i++)
        {
            using var source = new CancellationTokenSource();
            source.CancelAfter(Deadline);
        }

        return default;
    }, 0);

    /// <summary><c>new CancellationTokenSource()</c> + <c>Dispose</c> (no deadline).</summary>
    [Benchmark(OperationsPerInvoke = BackendHarness.Operations)]
    public void TokenSource() => Harness.Run(static _ =>
    {
        for (int i = 0; i < BackendHarness.Operations; i++)
        {
            using var source = new CancellationTokenSource();
        }

        return default;
    }, 0);

#pragma warning disable EN0012 // these benchmarks measure empty scopes on purpose: the cost of entering and exiting one.
    /// <summary>Inline scope enter+exit without a deadline.</summary>
    [Benchmark(OperationsPerInvoke = BackendHarness.Operations)]
    public void ScopeEnterExit() => Harness.Run(static b =>
    {
        for (int i = 0; i < BackendHarness.Operations; i++)
        {
            using CancelScope scope = b.EnterCancelScope();
        }

        return default;
    }, Harness.Backend);

    /// <summary>Inline scope enter+exit with a relative deadline (armed and disarmed on the run's timer heap).</summary>
    [Benchmark(OperationsPerInvoke = BackendHarness.Operations)]
    public void ScopeEnterExitWithDeadline() => Harness.Run(static b =>
    {
        var options = new CancelScopeOptions { RelativeDeadline = Deadline };
        for (int i = 0; i < BackendHarness.Operations; i++)
        {
            using CancelScope scope = b.EnterCancelScope(options);
        }

        return default;
    }, Harness.Backend);

    /// <summary>Delegate form: <c>MoveOnAfterAsync</c> with a synchronous body.</summary>
    [Benchmark(OperationsPerInvoke = BackendHarness.Operations)]
    public void MoveOnAfter() => Harness.Run(static async b =>
    {
        for (int i = 0; i < BackendHarness.Operations; i++)
        {
            await b.MoveOnAfterAsync(Deadline, static (_, _) => ValueTask.CompletedTask, 0);
        }
    }, Harness.Backend);
#pragma warning restore EN0012
}
