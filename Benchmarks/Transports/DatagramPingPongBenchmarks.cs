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
public class DatagramPingPongBenchmarks
{
    private const int RoundTrips = 1_000;

    private readonly byte[] _message = new byte[64];
    private readonly byte[] _buffer = new byte[64];
    private BackendHarness _harness = null!;
    private Socket _rawClient = null!;
    private Socket _rawServer = null!;
    private IDatagramTransport _client = null!;
    private IDatagramTransport _server = null!;

    /// <summary>Gets or sets the backend under test.</summary>
    [Params(AsyncBackendRegistry.ThreadPool, AsyncBackendRegistry.EventLoop)]
    public string Backend { get; set; } = AsyncBackendRegistry.ThreadPool;

    /// <summary>Connects both pairs; the transports belong to the harness's runner.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _harness = new BackendHarness(Backend);
        (_rawClient, _rawServer) = ConnectedPair();
        (Socket client, Socket server) = ConnectedPair();
        _harness.Run(static async s =>
        {
            s.self._client = await s.self._harness.Backend.WrapConnectedDatagramSocketAsync(s.client);
            s.self._server = await s.self._harness.Backend.WrapConnectedDatagramSocketAsync(s.server);
        }, (self: this, client, server));
    }

    /// <summary>Closes everything.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _harness.Run(static async self =>
        {
            await self._client.CloseAsync();
            await self._server.CloseAsync();
        }, this);
        _rawClient.Dispose();
        _rawServer.Dispose();
        _harness.Dispose();
    }

    /// <summary>Baseline: plain <see cref="Socket"/> <c>SendAsync</c>/<c>ReceiveAsync</c>.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    public void SocketPingPong() => _harness.Run(static async self =>
    {
        for (int i = 0; i < RoundTrips; i++)
        {
            await self._rawClient.SendAsync(self._message, SocketFlags.None);
            await self._rawServer.ReceiveAsync(self._buffer, SocketFlags.None);
            await self._rawServer.SendAsync(self._message, SocketFlags.None);
            await self._rawClient.ReceiveAsync(self._buffer, SocketFlags.None);
        }
    }, this);

    /// <summary><see cref="IDatagramTransport.SendAsync"/> and <see cref="IDatagramTransport.ReceiveAsync"/>.</summary>
    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public void TransportPingPong() => _harness.Run(static async self =>
    {
        for (int i = 0; i < RoundTrips; i++)
        {
            await self._client.SendAsync(self._message);
            await self._server.ReceiveAsync(self._buffer);
            await self._server.SendAsync(self._message);
            await self._client.ReceiveAsync(self._buffer);
        }
    }, this);

    private static (Socket Client, Socket Server) ConnectedPair()
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
