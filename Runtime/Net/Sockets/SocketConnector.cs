using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Internal;
using EasyNetwork.Net.Dns;

namespace EasyNetwork.Net.Sockets;

/// <summary>Stream clients for every backend: TCP with Happy Eyeballs (S8.1–S8.9), Unix stream sockets (S8.10), and wrapping (S8.11).</summary>
internal static class SocketConnector
{
    public static ValueTask<IStreamTransport> ConnectTcpAsync(string host, int port, EndPoint? localAddress, TimeSpan? happyEyeballsDelay)
    {
        // An empty name would resolve to this machine's own addresses: for a client that is a mistake, not a target.
        ArgumentException.ThrowIfNullOrEmpty(host);
        SocketArguments.ThrowIfBadPort(port, nameof(port));
        TimeSpan delay = happyEyeballsDelay ?? HappyEyeballs.DefaultDelay;
        if (delay == Timeout.InfiniteTimeSpan)
        {
            delay = TimeSpan.MaxValue;
        }
        else if (delay < TimeSpan.Zero)
        {
            ThrowHelper.ThrowNegativeDelay(delay, nameof(happyEyeballsDelay));
        }

        SocketArguments.ThrowIfBadLocalAddress(localAddress, nameof(localAddress));
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.ConnectTcpAsync");
        task.ThrowIfCancelled();
        return ConnectTcpCoreAsync(task, host, port, localAddress, delay);
    }

    private static async ValueTask<IStreamTransport> ConnectTcpCoreAsync(BackendTask task, string host, int port, EndPoint? localAddress, TimeSpan delay)
    {
        List<IPEndPoint> targets = HappyEyeballs.Interleave(await ResolveAsync(host, port, SocketType.Stream, ProtocolType.Tcp));
        IReadOnlyList<IPEndPoint>? locals = localAddress is null ? null : await ResolveLocalAsync(localAddress, SocketType.Stream, ProtocolType.Tcp);
        var attempt = new TcpAttempt(task.Run, locals);
        Socket socket = targets.Count == 1
            ? await attempt.ConnectAsync(targets[0])
            : await HappyEyeballs.RaceAsync(task.Backend, targets, delay, attempt.ConnectAsync, static socket => socket.Dispose());
        return CreateTransport(task.Run, socket);
    }

    public static ValueTask<IStreamTransport> ConnectUnixStreamAsync(string path, string? localPath)
    {
        ArgumentNullException.ThrowIfNull(path);
        SocketArguments.ThrowIfUnixUnavailable();
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.ConnectUnixStreamAsync");
        task.ThrowIfCancelled();
        return ConnectUnixStreamCoreAsync(task, path, localPath);
    }

    private static async ValueTask<IStreamTransport> ConnectUnixStreamCoreAsync(BackendTask task, string path, string? localPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            if (localPath is not null)
            {
                SocketArguments.Bind(socket, SocketArguments.UnixEndPoint(localPath));
            }

            EndPoint remote = SocketArguments.UnixEndPoint(path);
            try
            {
                await new SocketOperationRelay(task.Run).WaitAsync(socket.ConnectAsync(remote, task.Innermost.Token));
            }
            catch (SocketException exception)
            {
                throw SocketArguments.ConnectFailed(exception, remote);
            }
        }
        catch (Exception exception)
        {
            socket.Dispose();
            if (exception is OperationCanceledException)
            {
                task.ThrowIfCancelled();
            }

            throw;
        }

        return CreateTransport(task.Run, socket);
    }

    public static ValueTask<IStreamTransport> WrapStreamSocketAsync(Socket socket)
    {
        SocketArguments.ThrowIfNotWrappable(socket, SocketType.Stream, nameof(socket));
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.WrapStreamSocketAsync");
        return new ValueTask<IStreamTransport>(CreateTransport(task.Run, socket));
    }

    /// <summary>Takes ownership of a connected stream socket: non-blocking (gather writes must not block), no Nagle delay on TCP.</summary>
    public static SocketStreamTransport CreateTransport(RunState run, Socket socket)
    {
        try
        {
            socket.Blocking = false;
            if (socket.ProtocolType == ProtocolType.Tcp)
            {
                socket.NoDelay = true;
            }

            return new SocketStreamTransport(run, socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Resolves by §7 (the numeric fast path included) to the endpoints of one socket type.</summary>
    public static async ValueTask<List<IPEndPoint>> ResolveAsync(string? host, int port, SocketType socketType, ProtocolType protocol, AddressFamily family = AddressFamily.Unspecified, AddressInfoFlags flags = AddressInfoFlags.None)
    {
        IReadOnlyList<AddressInfo> infos = await DnsResolver.GetAddrInfoAsync(host, port, family, socketType, protocol, flags);
        var endPoints = new List<IPEndPoint>(infos.Count);
        foreach (AddressInfo info in infos)
        {
            endPoints.Add(info.EndPoint);
        }

        return endPoints;
    }

    /// <summary>A local address as endpoints: an <see cref="IPEndPoint"/> as is, a <see cref="DnsEndPoint"/> resolved by §7.</summary>
    public static async ValueTask<IReadOnlyList<IPEndPoint>> ResolveLocalAsync(EndPoint localAddress, SocketType socketType, ProtocolType protocol)
        => localAddress switch
        {
            IPEndPoint endPoint => [endPoint],
            DnsEndPoint dns => await ResolveAsync(dns.Host, dns.Port, socketType, protocol, dns.AddressFamily),
            _ => throw new ArgumentException($"The local address must be an IPEndPoint or a DnsEndPoint (got {localAddress.GetType().Name}).", nameof(localAddress)),
        };

    /// <summary>Binds <paramref name="socket"/> to the first local address of its family (S8.5).</summary>
    public static void BindLocal(Socket socket, IReadOnlyList<IPEndPoint> locals)
    {
        foreach (IPEndPoint local in locals)
        {
            if (local.AddressFamily == socket.AddressFamily)
            {
                SocketArguments.Bind(socket, local);
                return;
            }
        }

        throw new SocketException((int)SocketError.AddressNotAvailable, $"No local address of family {socket.AddressFamily} was given (local addresses: {string.Join(", ", locals)}).");
    }

    /// <summary>One TCP connection attempt: socket of the target's family, optional local bind, cancellable connect.</summary>
    private sealed class TcpAttempt(RunState run, IReadOnlyList<IPEndPoint>? locals)
    {
        public async ValueTask<Socket> ConnectAsync(IPEndPoint target)
        {
            BackendTask task = BackendTask.GetCurrent("IAsyncBackend.ConnectTcpAsync");
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (locals is not null)
                {
                    BindLocal(socket, locals);
                }

                await new SocketOperationRelay(run).WaitAsync(socket.ConnectAsync(target, task.Innermost.Token));
                return socket;
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                task.ThrowIfCancelled();
                throw;
            }
            catch (Exception exception)
            {
                socket.Dispose();
                if (exception is SocketException socketError && socketError.SocketErrorCode != SocketError.AddressNotAvailable)
                {
                    // Name the address: with several attempts, the aggregated errors must say which one failed.
                    throw new SocketException((int)socketError.SocketErrorCode, $"Connecting to {target} failed: {socketError.Message}");
                }

                throw;
            }
        }
    }
}
