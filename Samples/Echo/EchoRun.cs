using System.Diagnostics;
using System.Net;

namespace EasyNetwork.Samples.Echo;

/// <summary>One backend's load run: its echo server and the client in one run of that backend, with live progress.</summary>
internal sealed class EchoRun
{
    private readonly IAsyncBackend _backend;
    private readonly EchoOptions _options;
    private readonly TimeSpan _duration;
    private readonly string? _unixPath;
    private readonly EchoTls? _tls;
    private readonly CancellationToken _stop;
    private readonly ConnectionStatistics[] _connections;
    private readonly ProgressReporter _reporter;
    private TimeSpan _elapsed;

    private EchoRun(IAsyncBackend backend, EchoOptions options, TimeSpan duration, string? unixPath, EchoTls? tls, TextWriter output, CancellationToken stop)
    {
        _backend = backend;
        _options = options;
        _duration = duration;
        _unixPath = unixPath;
        _tls = tls;
        _stop = stop;
        _connections = ConnectionStatistics.CreateMany(options.Connections);
        _reporter = new ProgressReporter(backend.Name, _connections, duration, output, inPlace: !Console.IsOutputRedirected);
    }

    /// <summary>Serves and loads the echo server on <paramref name="backend"/> for <paramref name="duration"/>.</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="options">Connections, message size, TLS.</param>
    /// <param name="duration">This backend's share of the load time.</param>
    /// <param name="unixPath">The Unix socket path, or null for TCP on 127.0.0.1, port 0.</param>
    /// <param name="tls">The TLS setup, or null.</param>
    /// <param name="output">Where progress goes.</param>
    /// <param name="stop">Stops the load early.</param>
    /// <returns>What the client measured.</returns>
    public static EchoSummary Run(IAsyncBackend backend, EchoOptions options, TimeSpan duration, string? unixPath, EchoTls? tls, TextWriter output, CancellationToken stop)
    {
        var run = new EchoRun(backend, options, duration, unixPath, tls, output, stop);
        try
        {
            backend.Run(static run => run.MainAsync(), run);
        }
        finally
        {
            run._reporter.Finish();
        }

        return EchoSummary.From(backend.Name, options.MessageSize, run._elapsed, run._connections);
    }

    private ValueTask MainAsync() => _backend.RunTaskGroupAsync(static async (server, run) =>
    {
        EndPoint endPoint = await EchoServer.StartAsync(run._backend, server, port: 0, run._unixPath, run._tls);
        await run._backend.RunTaskGroupAsync(static async (load, s) =>
        {
            load.StartSoon(static run => run._reporter.RunAsync(run._backend), s.Run, "progress");
            var client = new EchoClient(s.Run._backend, s.EndPoint, s.Run._connections, s.Run._options.MessageSize, s.Run._tls, s.Run._stop);
            long start = Stopwatch.GetTimestamp();
            await client.RunAsync(s.Run._duration);
            s.Run._elapsed = Stopwatch.GetElapsedTime(start);
            load.CancelScope.Cancel("the load is over");
        }, (Run: run, EndPoint: endPoint));

        // The clients have closed; stop accepting and end whatever connection is still winding down.
        server.CancelScope.Cancel("the load is over");
    }, this);
}
