using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace EasyNetwork.Samples.Echo;

/// <summary>The echo server: every byte a client sends comes back, until the client closes.</summary>
public static class EchoServer
{
    /// <summary>The listen backlog.</summary>
    public const int Backlog = 100;

    /// <summary>The receive buffer of each connection.</summary>
    public const int BufferSize = 16 * 1024;

    /// <summary>The address TCP listeners bind.</summary>
    public const string LoopbackHost = "127.0.0.1";

    /// <summary>Runs the server in a run of <paramref name="backend"/> until <paramref name="stop"/> is cancelled.</summary>
    /// <param name="backend">The backend; this call blocks while its run lasts.</param>
    /// <param name="port">The TCP port on 127.0.0.1 (0: any free port).</param>
    /// <param name="unixPath">A Unix socket path to serve on instead of TCP, or null.</param>
    /// <param name="started">Called with the bound address once the server accepts connections.</param>
    /// <param name="stop">Stops the server: it is bound to the serving scope, which catches its own cancellation.</param>
    public static void Serve(IAsyncBackend backend, int port, string? unixPath, Action<EndPoint> started, CancellationToken stop)
        => Serve(backend, port, unixPath, tls: null, started, stop);

    /// <summary>Runs the server, with TLS when <paramref name="tls"/> is given, until <paramref name="stop"/> is cancelled.</summary>
    /// <param name="backend">The backend.</param>
    /// <param name="port">The TCP port on 127.0.0.1.</param>
    /// <param name="unixPath">A Unix socket path, or null for TCP.</param>
    /// <param name="tls">The TLS setup, or null.</param>
    /// <param name="started">Called with the bound address.</param>
    /// <param name="stop">Stops the server.</param>
    internal static void Serve(IAsyncBackend backend, int port, string? unixPath, EchoTls? tls, Action<EndPoint> started, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(started);
        backend.Run(static async s =>
        {
            CancelScope scope = s.Backend.OpenCancelScope(new CancelScopeOptions { CancellationToken = s.Stop });
            await scope.RunAsync(static (_, s) => s.Backend.RunTaskGroupAsync(static async (group, s) =>
            {
                s.Started(await StartAsync(s.Backend, group, s.Port, s.UnixPath, s.Tls));
            }, s), s);
        }, (Backend: backend, Port: port, UnixPath: unixPath, Tls: tls, Started: started, Stop: stop));
    }

    /// <summary>Binds the listeners and starts serving them as children of <paramref name="group"/>.</summary>
    /// <param name="backend">The backend of the current run.</param>
    /// <param name="group">The task group the listeners and their connections run in; cancel it to stop serving.</param>
    /// <param name="port">The TCP port on 127.0.0.1 (0: any free port).</param>
    /// <param name="unixPath">A Unix socket path to serve on instead of TCP, or null.</param>
    /// <returns>The address the first listener is bound to.</returns>
    public static ValueTask<EndPoint> StartAsync(IAsyncBackend backend, ITaskGroup group, int port = 0, string? unixPath = null)
        => StartAsync(backend, group, port, unixPath, tls: null);

    /// <summary>Binds the listeners, wrapped in TLS when <paramref name="tls"/> is given, and starts serving them.</summary>
    /// <param name="backend">The backend of the current run.</param>
    /// <param name="group">The task group to serve in.</param>
    /// <param name="port">The TCP port on 127.0.0.1.</param>
    /// <param name="unixPath">A Unix socket path, or null for TCP.</param>
    /// <param name="tls">The TLS setup, or null for plain connections.</param>
    /// <returns>The address the first listener is bound to.</returns>
    internal static async ValueTask<EndPoint> StartAsync(IAsyncBackend backend, ITaskGroup group, int port, string? unixPath, EchoTls? tls)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(group);
        IReadOnlyList<IListener<IStreamTransport>> listeners = unixPath is null
            ? await backend.CreateTcpListenersAsync(LoopbackHost, port, Backlog)
            : [await backend.CreateUnixStreamListenerAsync(unixPath, Backlog)];
        foreach (IListener<IStreamTransport> listener in listeners)
        {
            IListener<IStreamTransport> served = tls is null ? listener : tls.WrapListener(listener);
            await group.StartAsync(static s => ServeAsync(s.Listener, s.Group), (Listener: served, Group: group), $"serve {listener.LocalEndPoint}");
        }

        return listeners[0].LocalEndPoint;
    }

    /// <summary>Echoes one connection: receives into a buffer and sends back what came, until the client closes.</summary>
    /// <param name="transport">The accepted connection; closed on return.</param>
    /// <returns>A task that completes when the client has closed or gone away.</returns>
    public static async ValueTask HandleAsync(IStreamTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        await using (transport)
        {
            DisableCoalescing(transport);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                int received;
                while ((received = await transport.ReceiveAsync(buffer)) > 0)
                {
                    await transport.SendAllAsync(buffer.AsMemory(0, received));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException && IsPeerGone(e))
            {
                // A client that resets (e.g. stopped at its deadline with an echo in flight) ends only its own connection.
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Turns Nagle's algorithm off on TCP connections: an echo is latency-bound, its tail must not wait for an ACK.</summary>
    /// <param name="transport">The connection.</param>
    public static void DisableCoalescing(IStreamTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        if (transport.Socket.ProtocolType == ProtocolType.Tcp)
        {
            transport.Socket.NoDelay = true;
        }
    }

    private static async ValueTask ServeAsync(IListener<IStreamTransport> listener, ITaskGroup group)
    {
        await using (listener)
        {
            await listener.ServeAsync(HandleAsync, group);
        }
    }

    // A reset comes as a SocketException from a plain transport, wrapped in an IOException by TLS (SslStream).
    private static bool IsPeerGone(Exception e)
        => (e as SocketException ?? (e as IOException)?.InnerException as SocketException)?.SocketErrorCode
            is SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown;
}
