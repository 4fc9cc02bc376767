using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace EasyNetwork.Runtime.Tests.Performance;

/// <summary>Two connected stream transports on loopback, for allocation measurements of steady-state I/O.</summary>
internal sealed class StreamPair : IDisposable
{
    private readonly byte[] _message = new byte[64];
    private readonly byte[] _buffer = new byte[64];

    private StreamPair(IStreamTransport client, IStreamTransport server)
    {
        Client = client;
        Server = server;
    }

    public IStreamTransport Client { get; }

    public IStreamTransport Server { get; }

    public static async ValueTask<StreamPair> ConnectAsync(IAsyncBackend backend)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        IStreamTransport client = await backend.ConnectTcpAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndPoint!).Port);
        IStreamTransport server = await backend.WrapStreamSocketAsync(await backend.RunInThreadAsync(static l => l.Accept(), listener));
        return new StreamPair(client, server);
    }

    /// <summary>Two transports over a Unix stream socket at <paramref name="path"/>: no TCP windows, so small socket buffers behave.</summary>
    public static async ValueTask<StreamPair> ConnectUnixAsync(IAsyncBackend backend, string path)
    {
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        IStreamTransport client = await backend.ConnectUnixStreamAsync(path);
        IStreamTransport server = await backend.WrapStreamSocketAsync(await backend.RunInThreadAsync(static l => l.Accept(), listener));
        return new StreamPair(client, server);
    }

    /// <summary>Client to server and back, 64 bytes each way.</summary>
    public async ValueTask PingPongAsync()
    {
        await Client.SendAllAsync(_message);
        await ReceiveExactlyAsync(Server);
        await Server.SendAllAsync(_message);
        await ReceiveExactlyAsync(Client);
    }

    private async ValueTask ReceiveExactlyAsync(IStreamTransport transport)
    {
        int total = 0;
        while (total < _buffer.Length)
        {
            int n = await transport.ReceiveAsync(_buffer.AsMemory(total));
            if (n == 0)
            {
                throw new InvalidOperationException("The peer closed the connection during a measurement.");
            }

            total += n;
        }
    }

    // Outside any task the transports close synchronously.
    public void Dispose()
    {
        Client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
