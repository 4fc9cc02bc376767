using System.Globalization;

namespace EasyNetwork.Samples.Echo;

/// <summary>The default command: load an echo server on each selected backend and print what was measured.</summary>
internal static class EchoLoadCommand
{
    /// <summary>Runs the backends one after another, each for its share of the duration.</summary>
    /// <param name="options">The options.</param>
    /// <param name="tls">The TLS setup, or null.</param>
    /// <param name="output">Where to write.</param>
    /// <param name="stop">Ctrl+C: ends the current backend's load early and skips the others.</param>
    /// <returns>The exit code.</returns>
    public static int Run(EchoOptions options, EchoTls? tls, TextWriter output, CancellationToken stop)
    {
        TimeSpan share = options.Duration / options.Backends.Count;
        string transport = (options.UseUnix ? "Unix socket" : "TCP 127.0.0.1") + (tls is null ? string.Empty : " + TLS");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Echo over {transport}: {options.Connections} connections, {EchoFormat.FormatBytes(options.MessageSize)} messages, {share.TotalSeconds:F1} s per backend ({string.Join(", ", options.Backends)})."));
        var summaries = new List<EchoSummary>();
        foreach (string name in options.Backends)
        {
            if (stop.IsCancellationRequested)
            {
                break;
            }

            using UnixSocketPath? unixPath = options.UseUnix ? UnixSocketPath.Create(options.UnixPath) : null;
            EchoSummary summary = EchoRun.Run(AsyncBackendRegistry.Create(name), options, share, unixPath?.Path, tls, output, stop);
            output.Write(summary.Format());
            summaries.Add(summary);
        }

        if (summaries.Count > 1)
        {
            output.WriteLine();
            output.WriteLine("backend          req/s        p50        p99");
            foreach (EchoSummary summary in summaries)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{summary.Backend,-12} {summary.RequestsPerSecond,9:N0} {EchoFormat.FormatLatency(summary.P50),10} {EchoFormat.FormatLatency(summary.P99),10}"));
            }
        }

        return 0;
    }
}
