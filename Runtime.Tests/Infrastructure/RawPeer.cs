using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace EasyNetwork.Runtime.Tests.Infrastructure;

/// <summary>
/// A plain blocking <see cref="Socket"/> peer for transport tests: it can reset, half-close or stay silent at will.
/// Its blocking calls go through <see cref="IAsyncBackend.RunInThreadAsync{TState, TResult}"/> so they never block a run.
/// </summary>
public sealed class RawPeer : IDisposable
{
    private readonly Socket _listener;

    private RawPeer(Socket listener) => _listener = listener;

    /// <summary>The connected peer socket, once <see cref="AcceptAsync"/> returned.</summary>
    public Socket Socket { get; private set; } = null!;

    /// <summary>The port clients connect to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    /// <summary>A listening peer on <paramref name="address"/> (default 127.0.0.1), port 0.</summary>
    public static RawPeer Listen(IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        listener.Listen(16);
        return new RawPeer(listener);
    }

    /// <summary>Accepts the connection a client made (on a worker thread).</summary>
    public async ValueTask AcceptAsync(IAsyncBackend backend)
        => Socket = await backend.RunInThreadAsync(static l => l.Accept(), _listener);

    /// <summary>Connects a transport to this peer and accepts it.</summary>
    public async ValueTask<IStreamTransport> ConnectAsync(IAsyncBackend backend)
    {
        IStreamTransport transport = await backend.ConnectTcpAsync("127.0.0.1", Port);
        await AcceptAsync(backend);
        return transport;
    }

    /// <summary>Sends every byte (on a worker thread).</summary>
    public ValueTask SendAsync(IAsyncBackend backend, byte[] data)
        => backend.RunInThreadAsync(static s => { s.Socket.Send(s.data); }, (Socket, data));

    /// <summary>Receives exactly <paramref name="count"/> bytes, or fewer at EOF (on a worker thread).</summary>
    public ValueTask<byte[]> ReceiveExactlyAsync(IAsyncBackend backend, int count)
        => backend.RunInThreadAsync(static s =>
        {
            var buffer = new byte[s.count];
            int received = 0;
            while (received < buffer.Length)
            {
                int n = s.Socket.Receive(buffer, received, buffer.Length - received, SocketFlags.None);
                if (n == 0)
                {
                    return buffer[..received];
                }

                received += n;
            }

            return buffer;
        }, (Socket, count));

    /// <summary>Closes with a reset (linger 0) instead of a FIN.</summary>
    public void Reset()
    {
        Socket.LingerState = new LingerOption(true, 0);
        Socket.Dispose();
    }

    public void Dispose()
    {
        Socket?.Dispose();
        _listener.Dispose();
    }
}
