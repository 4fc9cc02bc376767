using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using EasyNetwork.Internal;

namespace EasyNetwork.Net.Sockets;

/// <summary>
/// Binds listening sockets from host names (SPEC S8.29–S8.36, S9.11): concurrent resolution, a deterministic merged
/// address list, one socket per address, IPv6-only IPv6 sockets, and all-or-nothing binding.
/// </summary>
internal static class ListenerBinder
{
    private static readonly string?[] s_everyInterface = [null];

    /// <summary>The hosts of the single-host overloads: null or empty means every interface.</summary>
    public static IReadOnlyList<string?> SingleHost(string? host) => string.IsNullOrEmpty(host) ? s_everyInterface : [host];

    /// <summary>Validates the hosts of the sequence overloads (S8.29).</summary>
    public static IReadOnlyList<string?> HostSequence(IEnumerable<string> hosts, string paramName)
    {
        ArgumentNullException.ThrowIfNull(hosts, paramName);
        var list = new List<string?>();
        foreach (string host in hosts)
        {
            if (host is null)
            {
                throw new ArgumentNullException(paramName, $"Element {list.Count} of the host sequence is null.");
            }

            list.Add(host.Length == 0 ? null : host);
        }

        if (list.Count == 0)
        {
            throw new ArgumentException("The host sequence is empty; give at least one host, or use the single-host overload with null for every interface.", paramName);
        }

        return list;
    }

    /// <summary>Checks that <c>SO_REUSEPORT</c> can be set, before any socket exists (S8.33).</summary>
    public static void ThrowIfReusePortUnavailable(bool reusePort)
    {
        if (reusePort && !(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()))
        {
            throw new UnsupportedOperationException("SO_REUSEPORT is not available on this platform.");
        }
    }

    /// <summary>Resolves every host concurrently with the listener flags (S14.18) and merges the results (S8.30).</summary>
    public static async ValueTask<List<IPEndPoint>> ResolveAsync(IAsyncBackend backend, IReadOnlyList<string?> hosts, int port, SocketType socketType, ProtocolType protocol)
    {
        var results = new List<IPEndPoint>[hosts.Count];
        if (hosts.Count == 1)
        {
            results[0] = await ResolveOneAsync(hosts[0], port, socketType, protocol);
        }
        else
        {
            await backend.RunTaskGroupAsync(static (group, s) =>
            {
                for (int i = 0; i < s.Hosts.Count; i++)
                {
                    group.StartSoon(static async c => c.Results[c.Index] = await ResolveOneAsync(c.Hosts[c.Index], c.Port, c.SocketType, c.Protocol), (s.Hosts, s.Results, Index: i, s.Port, s.SocketType, s.Protocol));
                }

                return ValueTask.CompletedTask;
            }, (Hosts: hosts, Results: results, Port: port, SocketType: socketType, Protocol: protocol));
        }

        var merged = new HashSet<IPEndPoint>();
        foreach (List<IPEndPoint> result in results)
        {
            merged.UnionWith(result);
        }

        var sorted = new List<IPEndPoint>(merged);
        sorted.Sort(CompareEndPoints);
        return sorted;
    }

    private static ValueTask<List<IPEndPoint>> ResolveOneAsync(string? host, int port, SocketType socketType, ProtocolType protocol)
        => SocketConnector.ResolveAsync(host, port, socketType, protocol, AddressFamily.Unspecified, AddressInfoFlags.Passive | AddressInfoFlags.AddressConfig);

    /// <summary>IPv4 before IPv6, then address bytes, port and scope id (S8.30).</summary>
    public static int CompareEndPoints(IPEndPoint x, IPEndPoint y)
    {
        int order = (x.AddressFamily == AddressFamily.InterNetworkV6 ? 1 : 0).CompareTo(y.AddressFamily == AddressFamily.InterNetworkV6 ? 1 : 0);
        if (order != 0)
        {
            return order;
        }

        order = x.Address.GetAddressBytes().AsSpan().SequenceCompareTo(y.Address.GetAddressBytes());
        if (order != 0)
        {
            return order;
        }

        order = x.Port.CompareTo(y.Port);
        return order != 0 || x.AddressFamily != AddressFamily.InterNetworkV6 ? order : x.Address.ScopeId.CompareTo(y.Address.ScopeId);
    }

    /// <summary>
    /// Creates and binds one socket per address; with <paramref name="backlog"/> &gt; 0 each also listens. Every bind is
    /// attempted; on any failure every socket is closed and the errors are thrown (one unwrapped, several aggregated).
    /// </summary>
    public static List<Socket> BindAll(IReadOnlyList<IPEndPoint> endPoints, SocketType socketType, ProtocolType protocol, int backlog, bool reusePort)
    {
        var sockets = new List<Socket>(endPoints.Count);
        List<Exception>? errors = null;
        foreach (IPEndPoint endPoint in endPoints)
        {
            Socket socket;
            try
            {
                socket = new Socket(endPoint.AddressFamily, socketType, protocol);
            }
            catch (SocketException exception) when (exception.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.ProtocolNotSupported or SocketError.SocketNotSupported or SocketError.ProtocolType)
            {
                // A family or type the OS cannot create is skipped silently (S8.31).
                continue;
            }

            sockets.Add(socket);
            try
            {
                Configure(socket, socketType, reusePort);
                SocketArguments.Bind(socket, endPoint);
                if (backlog > 0)
                {
                    socket.Listen(backlog);
                }
            }
            catch (Exception exception)
            {
                (errors ??= new List<Exception>()).Add(exception);
            }
        }

        if (errors is not null)
        {
            CloseAll(sockets);
            throw AttemptFailures.Combine(errors, "Several listener binds failed; every socket was closed.");
        }

        if (sockets.Count == 0)
        {
            throw new SocketException((int)SocketError.AddressFamilyNotSupported, $"No listening socket could be created for {string.Join(", ", endPoints)}.");
        }

        return sockets;
    }

    public static void CloseAll(List<Socket> sockets)
    {
        foreach (Socket socket in sockets)
        {
            socket.Dispose();
        }
    }

    private static void Configure(Socket socket, SocketType socketType, bool reusePort)
    {
        if (socket.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // IPv6 listeners are IPv6-only: IPv4 has its own socket (S8.32).
            socket.DualMode = false;
        }

        if (socketType == SocketType.Stream && !OperatingSystem.IsWindows())
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        }

        if (reusePort)
        {
            SetReusePort(socket);
        }
    }

    private static void SetReusePort(Socket socket)
    {
        // .NET has no named SO_REUSEPORT option: the raw option's level and name are the platform's.
        (int level, int name) = OperatingSystem.IsLinux() ? (1, 15) : (0xFFFF, 0x200);
        socket.SetRawSocketOption(level, name, BitConverter.GetBytes(1));
    }

    /// <summary>Binds TCP listeners (S8.29–S8.36).</summary>
    public static ValueTask<IReadOnlyList<IListener<IStreamTransport>>> CreateTcpListenersAsync(IReadOnlyList<string?> hosts, int port, int backlog, bool reusePort)
    {
        SocketArguments.ThrowIfBadPort(port, nameof(port));
        SocketArguments.ThrowIfBadBacklog(backlog, nameof(backlog));
        ThrowIfReusePortUnavailable(reusePort);
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.CreateTcpListenersAsync");
        task.ThrowIfCancelled();
        return BindListenersAsync<IListener<IStreamTransport>>(task, hosts, port, SocketType.Stream, ProtocolType.Tcp, backlog, reusePort, static (run, socket) => new SocketListener(run, socket));
    }

    /// <summary>Binds UDP listeners (S9.11): S8.29–S8.36 without a backlog, and never <c>SO_REUSEADDR</c>.</summary>
    public static ValueTask<IReadOnlyList<IDatagramListener>> CreateUdpListenersAsync(IReadOnlyList<string?> hosts, int port, bool reusePort)
    {
        SocketArguments.ThrowIfBadPort(port, nameof(port));
        ThrowIfReusePortUnavailable(reusePort);
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.CreateUdpListenersAsync");
        task.ThrowIfCancelled();
        return BindListenersAsync<IDatagramListener>(task, hosts, port, SocketType.Dgram, ProtocolType.Udp, backlog: 0, reusePort, static (run, socket) => new SocketDatagramListener(run, socket));
    }

    private static async ValueTask<IReadOnlyList<TListener>> BindListenersAsync<TListener>(BackendTask task, IReadOnlyList<string?> hosts, int port, SocketType socketType, ProtocolType protocol, int backlog, bool reusePort, Func<RunState, Socket, TListener> create)
    {
        List<IPEndPoint> endPoints = await ResolveAsync(task.Backend, hosts, port, socketType, protocol);
        List<Socket> sockets = BindAll(endPoints, socketType, protocol, backlog, reusePort);
        var listeners = new TListener[sockets.Count];
        for (int i = 0; i < sockets.Count; i++)
        {
            listeners[i] = create(task.Run, sockets[i]);
        }

        return listeners;
    }

    /// <summary>Binds a Unix stream listener (S8.37).</summary>
    public static ValueTask<IListener<IStreamTransport>> CreateUnixStreamListenerAsync(string path, int backlog, UnixFileMode? mode)
    {
        ArgumentNullException.ThrowIfNull(path);
        SocketArguments.ThrowIfBadBacklog(backlog, nameof(backlog));
        SocketArguments.ThrowIfUnixUnavailable();
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.CreateUnixStreamListenerAsync");
        task.ThrowIfCancelled();
        Socket socket = BindUnix(path, SocketType.Stream, mode);
        try
        {
            socket.Listen(backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new ValueTask<IListener<IStreamTransport>>(new SocketListener(task.Run, socket));
    }

    /// <summary>Binds a Unix datagram listener (S9.11): bind, then <paramref name="mode"/>, as in S8.37.</summary>
    public static ValueTask<IDatagramListener> CreateUnixDatagramListenerAsync(string path, UnixFileMode? mode)
    {
        ArgumentNullException.ThrowIfNull(path);
        SocketArguments.ThrowIfUnixUnavailable();
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.CreateUnixDatagramListenerAsync");
        task.ThrowIfCancelled();
        return new ValueTask<IDatagramListener>(new SocketDatagramListener(task.Run, BindUnix(path, SocketType.Dgram, mode)));
    }

    /// <summary>Binds a Unix socket and applies <paramref name="mode"/> to its file; any failure closes the socket.</summary>
    public static Socket BindUnix(string path, SocketType socketType, UnixFileMode? mode)
    {
        var socket = new Socket(AddressFamily.Unix, socketType, ProtocolType.Unspecified);
        try
        {
            SocketArguments.Bind(socket, SocketArguments.UnixEndPoint(path));
            if (mode is { } fileMode && path.Length > 0 && path[0] != '\0' && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, fileMode);
            }

            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
