using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace EasyNetwork.Benchmarks.Primitives;

/// <summary>
/// A task group that starts <see cref="Children"/> trivial children and waits for them, against starting as many
/// <c>Task.Run</c> work items and awaiting <c>Task.WhenAll</c>. One operation is one whole group.
/// </summary>
[MemoryDiagnoser]
public class TaskGroupBenchmarks : BackendBenchmark
{
    /// <summary>Gets or sets the number of children per group.</summary>
    [Params(1, 100, 10_000)]
    public int Children { get; set; }

    /// <summary>Baseline: <c>Task.Run</c> per child, then <c>await Task.WhenAll</c>.</summary>
    [Benchmark(Baseline = true)]
    public void TaskRunWhenAll() => Harness.Run(static async children =>
    {
        var tasks = new Task[children];
        for (int i = 0; i < children; i++)
        {
            tasks[i] = Task.Run(static () => { });
        }

        await Task.WhenAll(tasks);
    }, Children);

    /// <summary><c>RunTaskGroupAsync</c> with <c>StartSoon</c> per child; the group waits for all of them.</summary>
    [Benchmark]
    public void TaskGroupStartJoin() => Harness.Run(static s => s.Backend.RunTaskGroupAsync(static (group, children) =>
    {
        for (int i = 0; i < children; i++)
        {
            group.StartSoon(static _ => ValueTask.CompletedTask, 0);
        }

        return ValueTask.CompletedTask;
    }, s.Children), (Harness.Backend, Children));
}
