using System.Net.Sockets;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace EasyNetwork.Benchmarks.Transports;

/// <summary>
/// The shared setup of the transport ping-pong suites: one runner per backend, a connected pair of plain sockets (the
/// baseline) and a connected pair wrapped as transports of the backend under test, all made once per benchmark.
/// </summary>
/// <typeparam name="TTransport">The transport type under test.</typeparam>
public abstract class PingPongBenchmark<TTransport>
    where TTransport : class
{
    /// <summary>Round trips per invocation.</summary>
    protected const int RoundTrips = 1_000;

    /// <summary>Gets or sets the backend under test.</summary>
    [Params(AsyncBackendRegistry.ThreadPool, AsyncBackendRegistry.EventLoop)]
    public string Backend { get; set; } = AsyncBackendRegistry.ThreadPool;

    /// <summary>Gets the harness of the backend under test.</summary>
    protected BackendHarness Harness { get; private set; } = null!;

    /// <summary>Gets the baseline's client socket.</summary>
    protected Socket RawClient { get; private set; } = null!;

    /// <summary>Gets the baseline's server socket.</summary>
    protected Socket RawServer { get; private set; } = null!;

    /// <summary>Gets the client transport.</summary>
    protected TTransport Client { get; private set; } = null!;

    /// <summary>Gets the server transport.</summary>
    protected TTransport Server { get; private set; } = null!;

    /// <summary>Connects both pairs; the transports belong to the harness's runner, whose runs share one runtime.</summary>
    [GlobalSetup]
    public void Setup()
    {
        Harness = new BackendHarness(Backend);
        (RawClient, RawServer) = ConnectedPair();
        (Socket client, Socket server) = ConnectedPair();
        Harness.Run(static async s =>
        {
            s.self.Client = await s.self.WrapAsync(s.self.Harness.Backend, s.client);
            s.self.Server = await s.self.WrapAsync(s.self.Harness.Backend, s.server);
        }, (self: this, client, server));
    }

    /// <summary>Closes everything.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        Harness.Run(static async self =>
        {
            await self.CloseAsync(self.Client);
            await self.CloseAsync(self.Server);
        }, this);
        RawClient.Dispose();
        RawServer.Dispose();
        Harness.Dispose();
    }

    /// <summary>Returns two connected loopback sockets.</summary>
    /// <returns>The client and the server side.</returns>
    protected abstract (Socket Client, Socket Server) ConnectedPair();

    /// <summary>Wraps a connected socket as a transport of <paramref name="backend"/>.</summary>
    /// <param name="backend">The backend under test.</param>
    /// <param name="socket">The socket.</param>
    /// <returns>The transport.</returns>
    protected abstract ValueTask<TTransport> WrapAsync(IAsyncBackend backend, Socket socket);

    /// <summary>Closes a transport.</summary>
    /// <param name="transport">The transport.</param>
    /// <returns>A task that completes once it is closed.</returns>
    protected abstract ValueTask CloseAsync(TTransport transport);
}
