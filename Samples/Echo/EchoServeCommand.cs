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
        // Ctrl+C cancels the serving scope through its bound token; the scope catches its own cancellation.
        EchoServer.Serve(backend, options.Port, unixPath?.Path, tls, endPoint =>
            output.WriteLine($"Echo server on {endPoint} ({backend.Name}{(tls is null ? string.Empty : ", TLS")}); Ctrl+C stops it."), stop);
        output.WriteLine("Stopped.");
        return 0;
    }
}
