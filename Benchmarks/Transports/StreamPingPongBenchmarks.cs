using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace EasyNetwork.Benchmarks.Transports;

/// <summary>
/// Receive and send on an established loopback connection: a 64-byte ping-pong (two sends, two receives per
/// operation) through stream transports. Baseline: the same ping-pong with plain <see cref="Socket"/> async calls,
/// awaited from the same backend task.
/// </summary>
[MemoryDiagnoser]
public class StreamPingPongBenchmarks : PingPongBenchmark<IStreamTransport>
{
    private readonly byte[] _message = new byte[64];
    private readonly byte[] _buffer = new byte[64];

    /// <summary>Baseline: plain <see cref="Socket"/> <c>SendAsync</c>/<c>ReceiveAsync</c>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    public void SocketPingPong() => Harness.Run(static async self =>
    {
        for (int i = 0; i < RoundTrips; i++)
        {
            await self.RawClient.SendAsync(self._message, SocketFlags.None);
            await ReceiveExactlyAsync(self.RawServer, self._buffer);
            await self.RawServer.SendAsync(self._message, SocketFlags.None);
            await ReceiveExactlyAsync(self.RawClient, self._buffer);
        }
    }, this);

    /// <summary><see cref="IStreamTransport.SendAllAsync(ReadOnlyMemory{byte})"/> and <see cref="IStreamTransport.ReceiveAsync"/>.</summary>
    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public void TransportPingPong() => Harness.Run(static async self =>
    {
        for (int i = 0; i < RoundTrips; i++)
        {
            await self.Client.SendAllAsync(self._message);
            await ReceiveExactlyAsync(self.Server, self._buffer);
            await self.Server.SendAllAsync(self._message);
            await ReceiveExactlyAsync(self.Client, self._buffer);
        }
    }, this);

    private static async ValueTask ReceiveExactlyAsync(Socket socket, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            total += await socket.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None);
        }
    }

    private static async ValueTask ReceiveExactlyAsync(IStreamTransport transport, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            total += await transport.ReceiveAsync(buffer.AsMemory(total));
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<IStreamTransport> WrapAsync(IAsyncBackend backend, Socket socket) => backend.WrapStreamSocketAsync(socket);

    /// <inheritdoc/>
    protected override ValueTask CloseAsync(IStreamTransport transport) => transport.CloseAsync();

    /// <inheritdoc/>
    protected override (Socket Client, Socket Server) ConnectedPair()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(listener.LocalEndPoint!);
        Socket server = listener.Accept();
        server.NoDelay = true;
        return (client, server);
    }
}
