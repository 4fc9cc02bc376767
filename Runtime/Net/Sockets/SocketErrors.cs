using System;
using System.Net.Sockets;

namespace EasyNetwork.Net.Sockets;

/// <summary>Classifies socket errors by the groups of SPEC S14.14–S14.17.</summary>
internal static class SocketErrors
{
    // Linux errno values: .NET maps some of them to the same SocketError, so the native code decides where it can.
    private const int EPERM = 1;
    private const int EINVAL = 22;
    private const int ENFILE = 23;
    private const int EMFILE = 24;
    private const int ENOMEM = 12;
    private const int ENOBUFS = 105;
    private const int EPROTO = 71;
    private const int ENOSR = 63;
    private const int ENONET = 64;

    /// <summary>EMFILE, ENFILE, ENOMEM, ENOBUFS: the accept loop backs off and retries (S14.14).</summary>
    public static bool IsCapacityError(SocketException exception)
        => exception.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable
            || (OperatingSystem.IsLinux() && exception.NativeErrorCode is EMFILE or ENFILE or ENOMEM or ENOBUFS);

    /// <summary>Accept errors that concern one connection only and are skipped (S14.15).</summary>
    public static bool IsIgnorableAcceptError(SocketException exception)
        => exception.SocketErrorCode is SocketError.AccessDenied or SocketError.ConnectionAborted or SocketError.NetworkDown
                or SocketError.ProtocolOption or SocketError.HostDown or SocketError.HostUnreachable or SocketError.OperationNotSupported
                or SocketError.NetworkUnreachable or SocketError.SocketNotSupported or SocketError.ProtocolNotSupported
                or SocketError.TimedOut or SocketError.ConnectionReset
            || (OperatingSystem.IsLinux() && exception.NativeErrorCode is EPERM or EPROTO or ENOSR or ENONET);

    /// <summary>The peer is already gone when an accepted socket is set up (S14.16).</summary>
    public static bool IsNotConnectedError(SocketException exception)
        => exception.SocketErrorCode == SocketError.NotConnected
            || (OperatingSystem.IsMacOS() && exception.NativeErrorCode == EINVAL);

    /// <summary>Errors a closed or closing socket produces (S14.17): they become <see cref="ClosedResourceException"/>.</summary>
    public static bool IsClosedSocketError(Exception exception)
        => exception is ObjectDisposedException
            || exception is SocketException { SocketErrorCode: SocketError.OperationAborted or SocketError.Interrupted or SocketError.NotSocket or SocketError.Shutdown };

    /// <summary>An ICMP port-unreachable reported on a datagram socket (S9.7): refused, or (Windows) reset.</summary>
    public static bool IsRefusal(SocketException exception)
        => exception.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset;

    /// <summary>
    /// Receive errors of an unconnected datagram socket that concern some peer or route, not the socket itself (S9.17):
    /// ICMP reports and (Windows) an oversized datagram. Serving logs them and goes on.
    /// </summary>
    public static bool IsDatagramPeerError(SocketException exception)
        => IsRefusal(exception)
            || exception.SocketErrorCode is SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.HostDown
                or SocketError.NetworkDown or SocketError.NetworkReset or SocketError.TimedOut or SocketError.MessageSize;
}
