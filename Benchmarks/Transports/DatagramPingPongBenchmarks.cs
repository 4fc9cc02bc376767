using System;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace EasyNetwork.Benchmarks.Transports;

/// <summary>
/// Send and receive on connected loopback UDP sockets: a 64-byte datagram ping-pong (two sends, two receives per
/// operation) through datagram transports. Baseline: the same ping-pong with plain <see cref="Socket"/> async calls,
/// awaited from the same backend task.
/// </summary>
[MemoryDiagnoser]
public class DatagramPingPongBenchmarks : PingPongBenchmark<IDatagramTransport>
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
            await self.RawServer.ReceiveAsync(self._buffer, SocketFlags.None);
            await self.RawServer.SendAsync(self._message, SocketFlags.None);
            await self.RawClient.ReceiveAsync(self._buffer, SocketFlags.None);
        }
    }, this);

    /// <summary><see cref="IDatagramTransport.SendAsync"/> and <see cref="IDatagramTransport.ReceiveAsync"/>.</summary>
    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public void TransportPingPong() => Harness.Run(static async self =>
    {
        for (int i = 0; i < RoundTrips; i++)
        {
            await self.Client.SendAsync(self._message);
            await self.Server.ReceiveAsync(self._buffer);
            await self.Server.SendAsync(self._message);
            await self.Client.ReceiveAsync(self._buffer);
        }
    }, this);

    /// <inheritdoc/>
    protected override ValueTask<IDatagramTransport> WrapAsync(IAsyncBackend backend, Socket socket) => backend.WrapConnectedDatagramSocketAsync(socket);

    /// <inheritdoc/>
    protected override ValueTask CloseAsync(IDatagramTransport transport) => transport.CloseAsync();

    /// <inheritdoc/>
    protected override (Socket Client, Socket Server) ConnectedPair()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        client.Connect(server.LocalEndPoint!);
        server.Connect(client.LocalEndPoint!);
        return (client, server);
    }
}
