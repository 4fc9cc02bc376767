using System;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Reliability;

/// <summary>
/// Runs the reliability workloads. Load and stress run on the two backends only, not on the virtual clock: they wait
/// on real sockets and threads, so the virtual clock would only repeat the event-loop run.
/// </summary>
public static class ReliabilityRuns
{
    /// <summary>The registered backend names, as theory data.</summary>
    public static TheoryData<string> Backends
    {
        get
        {
            _ = BackendRuns.Names; // registers the built-in backends
            var data = new TheoryData<string>();
            foreach (string name in AsyncBackendRegistry.Names)
            {
                data.Add(name);
            }

            return data;
        }
    }

    /// <summary>Runs <paramref name="main"/> like <see cref="BackendRuns.RunAsync{T}"/>, bounded by the scale's timeout instead.</summary>
    public static Task RunAsync(string configuration, Func<IAsyncBackend, ValueTask> main, RunnerOptions? options = null)
    {
        IAsyncBackend backend = BackendRuns.Create(configuration);
        options = BackendRuns.Options(configuration, options);
        return Task.Factory.StartNew(
            () => backend.Run(static s => s.main(s.backend), (main, backend), options),
            default,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).WaitAsync(ReliabilityScale.Current.Timeout);
    }
}
