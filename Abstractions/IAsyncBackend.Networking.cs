using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using EasyNetwork.Analysis;

namespace EasyNetwork;

/// <content>Networking: DNS, clients, wrapping of connected sockets, and listeners.</content>
public partial interface IAsyncBackend
{
    /// <summary>
    /// Resolves <paramref name="host"/> and <paramref name="port"/> (getaddrinfo). A cancel point. IP literals
    /// (<c>%scope</c> included) are answered synchronously without a resolver call; other names go to the asynchronous
    /// resolver, and a cancelled lookup is abandoned.
    /// </summary>
    /// <param name="host">A host name or IP literal; null with <see cref="AddressInfoFlags.Passive"/> gives the wildcard addresses.</param>
    /// <param name="port">The port, 0–65535.</param>
    /// <param name="family"><see cref="AddressFamily.Unspecified"/>, <see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</param>
    /// <param name="socketType">The socket type the results are for (0: any).</param>
    /// <param name="protocol">The protocol the results are for (0: any).</param>
    /// <param name="flags">Resolution flags.</param>
    /// <returns>The results in the resolver's order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is outside 0–65535.</exception>
    /// <exception cref="ArgumentException"><paramref name="family"/> is not supported.</exception>
    /// <exception cref="SocketException">Resolution failed, or gave no result (<see cref="SocketError.HostNotFound"/>, naming the host).</exception>
    [Checkpoint]
    ValueTask<IReadOnlyList<AddressInfo>> GetAddrInfoAsync(string? host, int port, AddressFamily family = AddressFamily.Unspecified, SocketType socketType = SocketType.Unknown, ProtocolType protocol = ProtocolType.Unknown, AddressInfoFlags flags = AddressInfoFlags.None);

    /// <summary>Reverse-resolves an address (getnameinfo). A cancel point; the numeric flags need no lookup.</summary>
    /// <param name="endPoint">The address and port.</param>
    /// <param name="flags">Lookup flags.</param>
    /// <returns>The host and service.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endPoint"/> is null.</exception>
    /// <exception cref="SocketException">No name was found and <see cref="NameInfoFlags.NameRequired"/> was set.</exception>
    [Checkpoint]
    ValueTask<NameInfo> GetNameInfoAsync(IPEndPoint endPoint, NameInfoFlags flags = NameInfoFlags.None);

    /// <summary>
    /// Connects over TCP with Happy Eyeballs (RFC 8305): addresses alternate IPv6/IPv4 starting with IPv6, each attempt
    /// starts when the previous failed or <paramref name="happyEyeballsDelay"/> passed, the first success wins and the
    /// others are closed. One failure is thrown unwrapped, several as an <see cref="AggregateException"/> in attempt order.
    /// </summary>
    /// <param name="host">The host name or IP literal.</param>
    /// <param name="port">The port, 0–65535.</param>
    /// <param name="localAddress">An optional local address (<see cref="IPEndPoint"/> or <see cref="DnsEndPoint"/>) to bind each attempt to.</param>
    /// <param name="happyEyeballsDelay">The stagger between attempts; null: 250 ms; infinite: sequential; zero: all at once.</param>
    /// <returns>The connected transport.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="host"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="host"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The port is out of range or the delay is negative.</exception>
    /// <exception cref="SocketException">Resolution or the only attempt failed.</exception>
    /// <exception cref="AggregateException">Several attempts failed.</exception>
    [Checkpoint]
    ValueTask<IStreamTransport> ConnectTcpAsync(string host, int port, EndPoint? localAddress = null, TimeSpan? happyEyeballsDelay = null);

    /// <summary>Connects to a Unix stream socket, binding to <paramref name="localPath"/> first when given. (Linux) Abstract names (leading <c>'\0'</c>) are accepted.</summary>
    /// <param name="path">The socket path.</param>
    /// <param name="localPath">An optional local path to bind to.</param>
    /// <returns>The connected transport.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="UnsupportedOperationException">Unix sockets are unavailable.</exception>
    /// <exception cref="SocketException">Binding or connecting failed (the message names the address).</exception>
    [Checkpoint]
    ValueTask<IStreamTransport> ConnectUnixStreamAsync(string path, string? localPath = null);

    /// <summary>Takes ownership of a connected stream socket (IPv4, IPv6 or Unix) and returns its transport.</summary>
    /// <param name="socket">The connected socket; disposing the transport disposes it.</param>
    /// <returns>The transport.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="socket"/> is null.</exception>
    /// <exception cref="ArgumentException">The socket is not a connected stream socket of a supported family (it is left untouched).</exception>
    ValueTask<IStreamTransport> WrapStreamSocketAsync(Socket socket);

    /// <summary>Creates a connected UDP endpoint, trying the resolved addresses one after another.</summary>
    /// <param name="remoteHost">The peer's host name or IP literal.</param>
    /// <param name="remotePort">The peer's port.</param>
    /// <param name="localAddress">An optional local address to bind to.</param>
    /// <param name="family">Restricts the family; only Unspecified, InterNetwork and InterNetworkV6 are accepted.</param>
    /// <returns>The connected transport.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="remoteHost"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="remoteHost"/> is empty, or <paramref name="family"/> is not supported (checked before resolution).</exception>
    /// <exception cref="SocketException">Resolution or the only attempt failed.</exception>
    /// <exception cref="AggregateException">Several attempts failed.</exception>
    [Checkpoint]
    ValueTask<IDatagramTransport> CreateUdpEndpointAsync(string remoteHost, int remotePort, EndPoint? localAddress = null, AddressFamily family = AddressFamily.Unspecified);

    /// <summary>Creates a connected Unix datagram endpoint.</summary>
    /// <param name="path">The peer's socket path.</param>
    /// <param name="localPath">An optional local path to bind to.</param>
    /// <returns>The connected transport.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="UnsupportedOperationException">Unix sockets are unavailable.</exception>
    [Checkpoint]
    ValueTask<IDatagramTransport> ConnectUnixDatagramAsync(string path, string? localPath = null);

    /// <summary>Takes ownership of a connected datagram socket and returns its transport.</summary>
    /// <param name="socket">The connected socket.</param>
    /// <returns>The transport.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="socket"/> is null.</exception>
    /// <exception cref="ArgumentException">The socket is not a connected datagram socket of a supported family.</exception>
    ValueTask<IDatagramTransport> WrapConnectedDatagramSocketAsync(Socket socket);

    /// <summary>
    /// Binds TCP listeners: one socket per resolved address (null or empty host: every interface, usually
    /// <c>0.0.0.0</c> and <c>::</c>; IPv6 sockets are IPv6-only). Binding is all-or-nothing.
    /// </summary>
    /// <param name="host">A host, or null/empty for every interface. A bare <c>null</c> literal matches both overloads:
    /// write <c>host: null</c> or <c>""</c>.</param>
    /// <param name="port">The port, 0–65535 (0: an ephemeral port per socket).</param>
    /// <param name="backlog">The listen backlog, at least 1.</param>
    /// <param name="reusePort">Whether to set <c>SO_REUSEPORT</c>.</param>
    /// <returns>The listeners, IPv4 first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="backlog"/> &lt; 1 or the port is out of range.</exception>
    /// <exception cref="UnsupportedOperationException"><paramref name="reusePort"/> is unavailable.</exception>
    /// <exception cref="SocketException">A bind failed (every socket created is closed).</exception>
    /// <exception cref="AggregateException">Several binds failed.</exception>
    [Checkpoint]
    ValueTask<IReadOnlyList<IListener<IStreamTransport>>> CreateTcpListenersAsync(string? host, int port, int backlog, bool reusePort = false);

    /// <summary>Binds TCP listeners on each of <paramref name="hosts"/>; see <see cref="CreateTcpListenersAsync(string?, int, int, bool)"/>.</summary>
    /// <param name="hosts">The hosts (at least one).</param>
    /// <param name="port">The port.</param>
    /// <param name="backlog">The listen backlog, at least 1.</param>
    /// <param name="reusePort">Whether to set <c>SO_REUSEPORT</c>.</param>
    /// <returns>The listeners.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hosts"/> or an element is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="hosts"/> is empty.</exception>
    [Checkpoint]
    ValueTask<IReadOnlyList<IListener<IStreamTransport>>> CreateTcpListenersAsync(IEnumerable<string> hosts, int port, int backlog, bool reusePort = false);

    /// <summary>Binds a Unix stream listener at <paramref name="path"/>, applying <paramref name="mode"/> before listening. The library never deletes files.</summary>
    /// <param name="path">The socket path (or a Linux abstract name).</param>
    /// <param name="backlog">The listen backlog, at least 1.</param>
    /// <param name="mode">Optional file permissions for the socket file.</param>
    /// <returns>The listener.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="backlog"/> &lt; 1.</exception>
    /// <exception cref="SocketException">The path exists (<see cref="SocketError.AddressAlreadyInUse"/>) or binding failed.</exception>
    /// <exception cref="UnsupportedOperationException">Unix sockets are unavailable.</exception>
    [Checkpoint]
    ValueTask<IListener<IStreamTransport>> CreateUnixStreamListenerAsync(string path, int backlog, UnixFileMode? mode = null);

    /// <summary>Binds UDP listeners, one socket per resolved address (no <c>SO_REUSEADDR</c>); see <see cref="CreateTcpListenersAsync(string?, int, int, bool)"/>.</summary>
    /// <param name="host">A host, or null/empty for every interface.</param>
    /// <param name="port">The port.</param>
    /// <param name="reusePort">Whether to set <c>SO_REUSEPORT</c>.</param>
    /// <returns>The listeners.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The port is out of range.</exception>
    /// <exception cref="SocketException">A bind failed.</exception>
    [Checkpoint]
    ValueTask<IReadOnlyList<IDatagramListener>> CreateUdpListenersAsync(string? host, int port, bool reusePort = false);

    /// <summary>Binds UDP listeners on each of <paramref name="hosts"/>.</summary>
    /// <param name="hosts">The hosts (at least one).</param>
    /// <param name="port">The port.</param>
    /// <param name="reusePort">Whether to set <c>SO_REUSEPORT</c>.</param>
    /// <returns>The listeners.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hosts"/> or an element is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="hosts"/> is empty.</exception>
    [Checkpoint]
    ValueTask<IReadOnlyList<IDatagramListener>> CreateUdpListenersAsync(IEnumerable<string> hosts, int port, bool reusePort = false);

    /// <summary>Binds a Unix datagram listener at <paramref name="path"/>.</summary>
    /// <param name="path">The socket path.</param>
    /// <param name="mode">Optional file permissions.</param>
    /// <returns>The listener.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="UnsupportedOperationException">Unix sockets are unavailable.</exception>
    [Checkpoint]
    ValueTask<IDatagramListener> CreateUnixDatagramListenerAsync(string path, UnixFileMode? mode = null);
}
