using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace EasyNetwork.Benchmarks.Primitives;

/// <summary>
/// Two tasks taking turns on one lock: every acquire is contended, so each operation is a hand-off from the releasing
/// task to the parked one (a wake-up through the run loop). Baseline: the same with <c>SemaphoreSlim</c>.
/// </summary>
[MemoryDiagnoser]
public class HandOffBenchmarks : BackendBenchmark
{
    private const int Rounds = BackendHarness.Operations / 2;
    /// <summary>Baseline: two tasks alternating on <c>SemaphoreSlim(1)</c>.</summary>
#pragma warning disable EN0002, EN0011 // the baseline is the plain BCL code this benchmark compares against.
    [Benchmark(Baseline = true, OperationsPerInvoke = BackendHarness.Operations)]
    public void SemaphoreSlimHandOff() => Harness.Run(static b => b.RunTaskGroupAsync(static (g, semaphore) =>
    {
        for (int task = 0; task < 2; task++)
        {
            g.StartSoon(static async semaphore =>
            {
                for (int i = 0; i < Rounds; i++)
                {
                    await semaphore.WaitAsync();
                    semaphore.Release();
                    await Task.Yield();
                }
            }, semaphore);
        }

        return ValueTask.CompletedTask;
    }, new SemaphoreSlim(1, 1)), Harness.Backend);
#pragma warning restore EN0002, EN0011

    /// <summary>Two tasks alternating on the fair lock: FIFO hand-off to the parked waiter.</summary>
    [Benchmark(OperationsPerInvoke = BackendHarness.Operations)]
    public void FairLockHandOff() => Harness.Run(static b => b.RunTaskGroupAsync(static (g, s) =>
    {
        for (int task = 0; task < 2; task++)
        {
            g.StartSoon(static async s =>
            {
                for (int i = 0; i < Rounds; i++)
                {
                    await s.gate.AcquireAsync();
                    s.gate.Release();
                    await s.b.YieldAsync();
                }
            }, s);
        }

        return ValueTask.CompletedTask;
    }, (b, gate: b.CreateFairLock())), Harness.Backend);
}
