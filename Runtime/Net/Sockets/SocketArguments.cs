using System;
using System.Net;
using System.Net.Sockets;

namespace EasyNetwork.Net.Sockets;

/// <summary>Argument checks and small socket steps shared by clients and listeners; errors name the bad value.</summary>
internal static class SocketArguments
{
    public static void ThrowIfBadPort(int port, string paramName)
    {
        if (port is < IPEndPoint.MinPort or > IPEndPoint.MaxPort)
        {
            throw new ArgumentOutOfRangeException(paramName, port, $"The port must be between 0 and 65535 (got {port}).");
        }
    }

    public static void ThrowIfBadLocalAddress(EndPoint? localAddress, string paramName)
    {
        if (localAddress is not (null or IPEndPoint or DnsEndPoint))
        {
            throw new ArgumentException($"The local address must be an IPEndPoint or a DnsEndPoint (got {localAddress.GetType().Name}).", paramName);
        }
    }

    public static void ThrowIfBadFamily(AddressFamily family, string paramName)
    {
        if (family is not (AddressFamily.Unspecified or AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"Address family {family} is not supported; use Unspecified, InterNetwork or InterNetworkV6.", paramName);
        }
    }

    /// <summary>Only a connected socket of <paramref name="socketType"/> and family IPv4, IPv6 or Unix can be wrapped (S8.11, S9.4); the socket is left untouched.</summary>
    public static void ThrowIfNotWrappable(Socket socket, SocketType socketType, string paramName)
    {
        ArgumentNullException.ThrowIfNull(socket, paramName);
        if (socket.SocketType != socketType || socket.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 or AddressFamily.Unix) || !socket.Connected)
        {
            string kind = socketType == SocketType.Stream ? "stream" : "datagram";
            throw new ArgumentException($"Only a connected {kind} socket of family InterNetwork, InterNetworkV6 or Unix can be wrapped (got a {(socket.Connected ? "connected" : "not connected")} {socket.SocketType} socket of family {socket.AddressFamily}).", paramName);
        }
    }

    public static void ThrowIfBadBacklog(int backlog, string paramName)
    {
        if (backlog < 1)
        {
            throw new ArgumentOutOfRangeException(paramName, backlog, $"The backlog must be at least 1 (got {backlog}).");
        }
    }

    public static void ThrowIfUnixUnavailable()
    {
        if (!Socket.OSSupportsUnixDomainSockets)
        {
            throw new UnsupportedOperationException("Unix domain sockets are not available on this platform.");
        }
    }

    /// <summary>A Unix socket address; a leading <c>'\0'</c> is a Linux abstract name, and (Linux) <c>""</c> asks for autobind.</summary>
    public static EndPoint UnixEndPoint(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.Length == 0 && OperatingSystem.IsLinux() ? UnixAutobindEndPoint.Instance : new UnixDomainSocketEndPoint(path);
    }

    /// <summary>Binds, naming the address in the error (the OS message alone does not say which bind failed).</summary>
    public static void Bind(Socket socket, EndPoint endPoint)
    {
        try
        {
            socket.Bind(endPoint);
        }
        catch (SocketException exception)
        {
            throw new SocketException((int)exception.SocketErrorCode, $"Binding to {Describe(endPoint)} failed: {exception.Message}");
        }
    }

    /// <summary>A connect error that names the address (the OS message alone does not say which connect failed).</summary>
    public static SocketException ConnectFailed(SocketException exception, EndPoint endPoint)
        => new((int)exception.SocketErrorCode, $"Connecting to {Describe(endPoint)} failed: {exception.Message}");

    public static string Describe(EndPoint endPoint)
        => endPoint is UnixDomainSocketEndPoint unix && unix.ToString() is { Length: > 0 } path && path[0] == '\0'
            ? "@" + path[1..]
            : endPoint.ToString() ?? endPoint.GetType().Name;
}
