using System.Net;

namespace EasyNetwork.Samples.Echo;

/// <summary>The <c>serve</c> command: an echo server that runs until Ctrl+C.</summary>
internal static class EchoServeCommand
{
    /// <summary>Serves until <paramref name="stop"/> is cancelled.</summary>
    /// <param name="options">The options: backend, port or Unix path, TLS.</param>
    /// <param name="tls">The TLS setup, or null.</param>
    /// <param name="output">Where to write.</param>
    /// <param name="stop">Cancelled by Ctrl+C.</param>
    /// <returns>The exit code.</returns>
    public static int Run(EchoOptions options, EchoTls? tls, TextWriter output, CancellationToken stop)
    {
        IAsyncBackend backend = AsyncBackendRegistry.Create(options.Backends[0]);
        using UnixSocketPath? unixPath = options.UseUnix ? UnixSocketPath.Create(options.UnixPath) : null;
        var state = (Backend: backend, Options: options, UnixPath: unixPath?.Path, Tls: tls, Output: output, Stop: stop);
        backend.Run(static async s =>
        {
            // Ctrl+C cancels this scope through its bound token; the scope catches its own cancellation.
            CancelScope scope = s.Backend.OpenCancelScope(new CancelScopeOptions { CancellationToken = s.Stop });
            await scope.RunAsync(static (_, s) => s.Backend.RunTaskGroupAsync(static async (group, s) =>
            {
                EndPoint endPoint = await EchoServer.StartAsync(s.Backend, group, s.Options.Port, s.UnixPath, s.Tls);
                await s.Output.WriteLineAsync($"Echo server on {endPoint} ({s.Backend.Name}{(s.Tls is null ? string.Empty : ", TLS")}); Ctrl+C stops it.");
            }, s), s);
        }, state);
        output.WriteLine("Stopped.");
        return 0;
    }
}
