using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using EasyNetwork.Internal;

namespace EasyNetwork.Net.Sockets;

/// <summary>Datagram clients for every backend: connected UDP endpoints (S9.1–S9.3), Unix datagram sockets and wrapping (S9.4).</summary>
internal static class DatagramConnector
{
    public static ValueTask<IDatagramTransport> CreateUdpEndpointAsync(string remoteHost, int remotePort, EndPoint? localAddress, AddressFamily family)
    {
        // An empty name would resolve to this machine's own addresses: for a client that is a mistake, not a target.
        ArgumentException.ThrowIfNullOrEmpty(remoteHost);
        SocketArguments.ThrowIfBadPort(remotePort, nameof(remotePort));
        SocketArguments.ThrowIfBadFamily(family, nameof(family));
        SocketArguments.ThrowIfBadLocalAddress(localAddress, nameof(localAddress));
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.CreateUdpEndpointAsync");
        task.ThrowIfCancelled();
        return CreateUdpEndpointCoreAsync(task, remoteHost, remotePort, localAddress, family);
    }

    private static async ValueTask<IDatagramTransport> CreateUdpEndpointCoreAsync(BackendTask task, string remoteHost, int remotePort, EndPoint? localAddress, AddressFamily family)
    {
        List<IPEndPoint> targets = await SocketConnector.ResolveAsync(remoteHost, remotePort, SocketType.Dgram, ProtocolType.Udp, family);
        IReadOnlyList<IPEndPoint>? locals = localAddress is null ? null : await SocketConnector.ResolveLocalAsync(localAddress, SocketType.Dgram, ProtocolType.Udp);

        // Sequential, in resolver order (S9.3): a UDP connect only sets the peer address, so there is nothing to race.
        var errors = new List<Exception>();
        foreach (IPEndPoint target in targets)
        {
            task.ThrowIfCancelled();
            var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                if (locals is not null)
                {
                    SocketConnector.BindLocal(socket, locals);
                }

                socket.Connect(target);
            }
            catch (SocketException exception)
            {
                socket.Dispose();
                errors.Add(exception.SocketErrorCode == SocketError.AddressNotAvailable && locals is not null
                    ? exception
                    : new SocketException((int)exception.SocketErrorCode, $"Connecting a UDP socket to {target} failed: {exception.Message}"));
                continue;
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            return CreateTransport(task.Run, socket);
        }

        throw AttemptFailures.Combine(errors, "Every UDP endpoint attempt failed; the inner exceptions are in attempt order.");
    }

    /// <summary>
    /// A connected Unix datagram transport. With no <paramref name="localPath"/>, on Linux the socket is autobound to a
    /// unique abstract name: an unbound datagram sender has no address, so the peer could not reply. Elsewhere it stays
    /// unbound (no abstract namespace): give a <paramref name="localPath"/> to receive replies.
    /// </summary>
    public static ValueTask<IDatagramTransport> ConnectUnixDatagramAsync(string path, string? localPath)
    {
        ArgumentNullException.ThrowIfNull(path);
        SocketArguments.ThrowIfUnixUnavailable();
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.ConnectUnixDatagramAsync");
        task.ThrowIfCancelled();
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            if (localPath is not null || OperatingSystem.IsLinux())
            {
                SocketArguments.Bind(socket, SocketArguments.UnixEndPoint(localPath ?? ""));
            }

            EndPoint remote = SocketArguments.UnixEndPoint(path);
            try
            {
                socket.Connect(remote);
            }
            catch (SocketException exception)
            {
                throw SocketArguments.ConnectFailed(exception, remote);
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new ValueTask<IDatagramTransport>(CreateTransport(task.Run, socket));
    }

    public static ValueTask<IDatagramTransport> WrapConnectedDatagramSocketAsync(Socket socket)
    {
        SocketArguments.ThrowIfNotWrappable(socket, SocketType.Dgram, nameof(socket));
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.WrapConnectedDatagramSocketAsync");
        return new ValueTask<IDatagramTransport>(CreateTransport(task.Run, socket));
    }

    /// <summary>Takes ownership of a connected datagram socket and puts it in non-blocking mode (S8.11).</summary>
    private static SocketDatagramTransport CreateTransport(RunState run, Socket socket)
    {
        try
        {
            socket.Blocking = false;
            return new SocketDatagramTransport(run, socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
