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
public class StreamPingPongBenchmarks
{
    private const int RoundTrips = 1_000;

    private readonly byte[] _message = new byte[64];
    private readonly byte[] _buffer = new byte[64];
    private BackendHarness _harness = null!;
    private Socket _rawClient = null!;
    private Socket _rawServer = null!;
    private IStreamTransport _client = null!;
    private IStreamTransport _server = null!;

    /// <summary>Gets or sets the backend under test.</summary>
    [Params(AsyncBackendRegistry.ThreadPool, AsyncBackendRegistry.EventLoop)]
    public string Backend { get; set; } = AsyncBackendRegistry.ThreadPool;

    /// <summary>Connects both pairs; the transports belong to the harness's runner, whose runs share one runtime.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _harness = new BackendHarness(Backend);
        (_rawClient, _rawServer) = ConnectedPair();
        (Socket client, Socket server) = ConnectedPair();
        _harness.Run(static async s =>
        {
            s.self._client = await s.self._harness.Backend.WrapStreamSocketAsync(s.client);
            s.self._server = await s.self._harness.Backend.WrapStreamSocketAsync(s.server);
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
            await ReceiveExactlyAsync(self._rawServer, self._buffer);
            await self._rawServer.SendAsync(self._message, SocketFlags.None);
            await ReceiveExactlyAsync(self._rawClient, self._buffer);
        }
    }, this);

    /// <summary><see cref="IStreamTransport.SendAllAsync(ReadOnlyMemory{byte})"/> and <see cref="IStreamTransport.ReceiveAsync"/>.</summary>
    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public void TransportPingPong() => _harness.Run(static async self =>
    {
        for (int i = 0; i < RoundTrips; i++)
        {
            await self._client.SendAllAsync(self._message);
            await ReceiveExactlyAsync(self._server, self._buffer);
            await self._server.SendAllAsync(self._message);
            await ReceiveExactlyAsync(self._client, self._buffer);
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

    private static (Socket Client, Socket Server) ConnectedPair()
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
