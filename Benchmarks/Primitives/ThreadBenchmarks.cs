using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace EasyNetwork.Benchmarks.Primitives;

/// <summary>
/// Round trips between a backend task and a worker thread: <c>RunInThreadAsync</c> (task to thread and back) and the
/// threads portal (thread to run and back), against <see cref="Task.Run(System.Action)"/> awaited from the task, and
/// <see cref="Task.Run(System.Action)"/> waited from the thread.
/// </summary>
[MemoryDiagnoser]
public class ThreadBenchmarks : BackendBenchmark
{
    private const int RoundTrips = 1_000;

    /// <summary>Baseline: <c>await Task.Run(...)</c> from the backend task.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    public void TaskRunRoundTrip() => Harness.Run(static async _ =>
    {
        for (int i = 0; i < RoundTrips; i++)
        {
            await Task.Run(static () => { });
        }
    }, 0);

    /// <summary><c>RunInThreadAsync</c>: the body runs on a worker thread while the task waits.</summary>
    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public void RunInThreadRoundTrip() => Harness.Run(static async b =>
    {
        for (int i = 0; i < RoundTrips; i++)
        {
            await b.RunInThreadAsync(static _ => { }, 0);
        }
    }, Harness.Backend);

#pragma warning disable EN0002 // the baseline is the plain BCL hand-off this benchmark compares against.
    /// <summary>Baseline for the portal: from a worker thread, <c>Task.Run(...)</c> waited synchronously.</summary>
    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public void ThreadTaskRunWait() => Harness.Run(static b => b.RunInThreadAsync(static _ =>
    {
        for (int i = 0; i < RoundTrips; i++)
        {
            Task.Run(static () => { }).GetAwaiter().GetResult();
        }
    }, 0), Harness.Backend);
#pragma warning restore EN0002

    /// <summary>The threads portal: from a worker thread, <c>RunSync</c> runs a delegate in the run and returns its result.</summary>
    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public void PortalRoundTrip() => Harness.Run(static b => b.CreateThreadsPortal().RunAsync(static (portal, b) => b.RunInThreadAsync(static portal =>
    {
        for (int i = 0; i < RoundTrips; i++)
        {
            portal.RunSync(static x => x, i);
        }
    }, portal), b), Harness.Backend);

    /// <summary>The threads portal's coroutine form: from a worker thread, <c>RunCoroutine</c> runs a coroutine that completes at once as a task of the run.</summary>
    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public void PortalCoroutineRoundTrip() => Harness.Run(static b => b.CreateThreadsPortal().RunAsync(static (portal, b) => b.RunInThreadAsync(static portal =>
    {
        for (int i = 0; i < RoundTrips; i++)
        {
            portal.RunCoroutine(static x => ValueTask.FromResult(x), i);
        }
    }, portal), b), Harness.Backend);
}
