using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace EasyNetwork.Runtime.Tests.Infrastructure;

/// <summary>
/// A plain datagram <see cref="Socket"/> peer (UDP on loopback, or Unix) for datagram tests. Sends are direct (a
/// datagram send does not wait for the receiver); receives block on a worker thread, with a timeout so a lost
/// datagram fails the test instead of hanging it.
/// </summary>
public sealed class DatagramPeer : IDisposable
{
    private DatagramPeer(Socket socket)
    {
        Socket = socket;
        Socket.ReceiveTimeout = 10_000;
    }

    /// <summary>The peer socket.</summary>
    public Socket Socket { get; }

    /// <summary>The peer's address.</summary>
    public EndPoint EndPoint => Socket.LocalEndPoint!;

    /// <summary>The peer's port (UDP).</summary>
    public int Port => ((IPEndPoint)EndPoint).Port;

    /// <summary>A UDP peer bound to <paramref name="address"/> (default 127.0.0.1), port 0, or the given port.</summary>
    public static DatagramPeer Udp(IPAddress? address = null, int port = 0)
    {
        address ??= IPAddress.Loopback;
        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, port));
        return new DatagramPeer(socket);
    }

    /// <summary>A Unix datagram peer bound to <paramref name="path"/>.</summary>
    public static DatagramPeer Unix(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return new DatagramPeer(socket);
    }

    /// <summary>A port on 127.0.0.1 where nobody listens (bound, then released).</summary>
    public static int DeadPort()
    {
        using DatagramPeer reserved = Udp();
        return reserved.Port;
    }

    /// <summary>A fresh temporary directory for Unix socket files; the caller deletes it.</summary>
    public static string TempDirectory()
    {
        string directory = Path.Combine(Path.GetTempPath(), "en-dgram-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Connects the peer to <paramref name="remote"/> (so plain sends go there and only its datagrams arrive).</summary>
    public DatagramPeer ConnectTo(EndPoint remote)
    {
        Socket.Connect(remote);
        return this;
    }

    /// <summary>Sends one datagram to the connected address.</summary>
    public void Send(byte[] datagram) => Socket.Send(datagram);

    /// <summary>Sends one datagram to <paramref name="remote"/>.</summary>
    public void SendTo(byte[] datagram, EndPoint remote) => Socket.SendTo(datagram, remote);

    /// <summary>Receives one datagram (on a worker thread).</summary>
    public ValueTask<byte[]> ReceiveAsync(IAsyncBackend backend)
        => backend.RunInThreadAsync(static socket =>
        {
            var buffer = new byte[70_000];
            int n = socket.Receive(buffer);
            return buffer[..n];
        }, Socket);

    /// <inheritdoc/>
    public void Dispose() => Socket.Dispose();
}
