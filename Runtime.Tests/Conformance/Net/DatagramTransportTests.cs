using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Conformance.Net;

/// <summary>SPEC S9.1–S9.10: the connected datagram transport, against a plain socket peer on loopback.</summary>
[Collection(NetworkCollection.Name)]
public sealed class DatagramTransportTests
{
    private static readonly byte[] s_hello = "hello, datagram"u8.ToArray();

    internal static async Task WithPeerAsync(string backend, Func<IAsyncBackend, IDatagramTransport, DatagramPeer, ValueTask> body)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, async b =>
        {
            using DatagramPeer peer = DatagramPeer.Udp();
            await using IDatagramTransport transport = await b.CreateUdpEndpointAsync("127.0.0.1", peer.Port);
            peer.ConnectTo(transport.LocalEndPoint);
            await body(b, transport, peer);
        });
    }

    /// <summary>A connected Unix datagram pair in a temporary directory that is deleted afterwards.</summary>
    private static async Task WithUnixPeerAsync(string backend, Func<IAsyncBackend, IDatagramTransport, DatagramPeer, ValueTask> body)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        string directory = DatagramPeer.TempDirectory();
        try
        {
            await BackendRuns.RunAsync(backend, async b =>
            {
                using DatagramPeer peer = DatagramPeer.Unix(Path.Combine(directory, "peer.sock"));
                await using IDatagramTransport transport = await b.ConnectUnixDatagramAsync(Path.Combine(directory, "peer.sock"), Path.Combine(directory, "client.sock"));
                peer.ConnectTo(transport.LocalEndPoint);
                await body(b, transport, peer);
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_1_S9_5_S9_6_datagrams_go_both_ways_whole_one_per_call_in_order(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            Assert.Same(b, transport.Backend);
            Assert.False(transport.IsClosing);
            Assert.Equal(peer.EndPoint, transport.RemoteEndPoint);
            Assert.Equal(SocketType.Dgram, transport.Socket.SocketType);

            peer.Send("a"u8.ToArray());
            peer.Send("bb"u8.ToArray());
            peer.Send("ccc"u8.ToArray());
            var buffer = new byte[IDatagramTransport.MaxDatagramSize];
            Assert.Equal("a"u8.ToArray(), buffer[..await transport.ReceiveAsync(buffer)]);
            Assert.Equal("bb"u8.ToArray(), buffer[..await transport.ReceiveAsync(buffer)]);
            Assert.Equal("ccc"u8.ToArray(), buffer[..await transport.ReceiveAsync(buffer)]);

            await transport.SendAsync(s_hello);
            await transport.SendAsync("x"u8.ToArray());
            Assert.Equal(s_hello, await peer.ReceiveAsync(b));
            Assert.Equal("x"u8.ToArray(), await peer.ReceiveAsync(b));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_5_a_long_datagram_is_truncated_and_its_rest_discarded(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            byte[] big = new byte[100];
            new Random(95).NextBytes(big);
            peer.Send(big);
            peer.Send(s_hello[..5]);
            var small = new byte[10];
            Assert.Equal(10, await transport.ReceiveAsync(small));
            Assert.Equal(big[..10], small);

            // The rest of the long datagram is gone: the next receive is the next datagram.
            Assert.Equal(5, await transport.ReceiveAsync(small));
            Assert.Equal(s_hello[..5], small[..5]);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_5_S9_6_a_zero_length_datagram_is_not_an_end(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            peer.Send([]);
            peer.Send(s_hello);
            var buffer = new byte[64];
            Assert.Equal(0, await transport.ReceiveAsync(buffer));
            Assert.Equal(s_hello.Length, await transport.ReceiveAsync(buffer));

            await transport.SendAsync(ReadOnlyMemory<byte>.Empty);
            await transport.SendAsync(s_hello);
            Assert.Empty(await peer.ReceiveAsync(b));
            Assert.Equal(s_hello, await peer.ReceiveAsync(b));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_6_a_datagram_too_large_throws_message_size_and_the_transport_still_works(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            SocketException error = await Assert.ThrowsAsync<SocketException>(async () => await transport.SendAsync(new byte[IDatagramTransport.MaxDatagramSize + 10]));
            Assert.Equal(SocketError.MessageSize, error.SocketErrorCode);
            await transport.SendAsync(s_hello);
            Assert.Equal(s_hello, await peer.ReceiveAsync(b));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_7_a_refusal_fails_the_next_receive_once_then_receiving_works(string backend)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, static async b =>
        {
            int port = DatagramPeer.DeadPort();
            await using IDatagramTransport transport = await b.CreateUdpEndpointAsync("127.0.0.1", port);
            await transport.SendAsync(s_hello);
            var buffer = new byte[64];
            SocketException refused = await Assert.ThrowsAsync<SocketException>(async () => await transport.ReceiveAsync(buffer));
            Assert.Equal(OperatingSystem.IsWindows() ? SocketError.ConnectionReset : SocketError.ConnectionRefused, refused.SocketErrorCode);

            // Reported once: a peer now on that port gets through.
            using DatagramPeer peer = DatagramPeer.Udp(port: port).ConnectTo(transport.LocalEndPoint);
            peer.Send(s_hello);
            Assert.Equal(s_hello.Length, await transport.ReceiveAsync(buffer));
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_7_a_refusal_fails_a_pending_receive(string backend)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, static async b =>
        {
            await using IDatagramTransport transport = await b.CreateUdpEndpointAsync("127.0.0.1", DatagramPeer.DeadPort());
            ValueTask<int> pending = transport.ReceiveAsync(new byte[64]);
            await transport.SendAsync(s_hello);
            SocketException refused = await Assert.ThrowsAsync<SocketException>(async () => await pending);
            Assert.True(refused.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset, refused.SocketErrorCode.ToString());
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_8_a_second_receiver_is_busy_and_the_first_is_unaffected(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            var buffer = new byte[64];
            ValueTask<int> first = transport.ReceiveAsync(buffer);
            Assert.False(first.IsCompleted);
            Assert.IsType<BusyResourceException>(await Catch.ExceptionAsync(() => transport.ReceiveAsync(new byte[8])));

            // Sending while a receive is pending is allowed.
            await transport.SendAsync(s_hello);
            Assert.Equal(s_hello, await peer.ReceiveAsync(b));
            peer.Send(s_hello);
            Assert.Equal(s_hello.Length, await first);
            Assert.Equal(s_hello, buffer[..s_hello.Length]);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_8_a_second_sender_is_busy(string backend)
        => await WithUnixPeerAsync(backend, static async (b, transport, peer) =>
        {
            // A Unix datagram send waits while the peer's queue is full: fill it until one stays in flight.
            byte[] datagram = new byte[4096];
            ValueTask sending = default;
            int sent = 0;
            for (; sent < 10_000; sent++)
            {
                sending = transport.SendAsync(datagram);
                if (!sending.IsCompleted)
                {
                    break;
                }

                await sending;
            }

            Assert.False(sending.IsCompleted);
            Assert.IsType<BusyResourceException>(await Catch.ExceptionAsync(() => transport.SendAsync(s_hello)));

            // The first sender is unaffected: it completes once the peer reads.
            for (int i = 0; i <= sent; i++)
            {
                Assert.Equal(datagram.Length, (await peer.ReceiveAsync(b)).Length);
            }

            await sending;
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_9_close_wakes_a_pending_receive_and_every_later_call_is_closed(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            ValueTask<int> pending = transport.ReceiveAsync(new byte[16]);
            await transport.CloseAsync();
            Assert.True(transport.IsClosing);
            await Assert.ThrowsAsync<ClosedResourceException>(async () => await pending);
            await transport.CloseAsync();
            await transport.DisposeAsync();

            Assert.IsType<ClosedResourceException>(await Catch.ExceptionAsync(() => transport.ReceiveAsync(new byte[1])));
            Assert.IsType<ClosedResourceException>(await Catch.ExceptionAsync(() => transport.SendAsync(s_hello)));
            Assert.NotNull(transport.LocalEndPoint);
            Assert.NotNull(transport.RemoteEndPoint);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_9_no_queued_datagram_is_returned_after_close(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            peer.Send(s_hello);
            peer.Send(s_hello);
            var buffer = new byte[64];
            Assert.Equal(s_hello.Length, await transport.ReceiveAsync(buffer));
            await transport.CloseAsync();
            Assert.IsType<ClosedResourceException>(await Catch.ExceptionAsync(() => transport.ReceiveAsync(buffer)));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_10_a_cancelled_receive_loses_no_datagram(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            var buffer = new byte[64];
            for (int round = 0; round < 3; round++)
            {
                // Nothing to read: the move-on expires while the receive is pending (instantly on the virtual clock).
                CancelScope scope = await b.MoveOnAfterAsync(TimeSpan.FromMilliseconds(20), static async (_, s) => { await s.transport.ReceiveAsync(s.buffer); }, (transport, buffer));
                Assert.True(scope.CancelledCaught);
            }

            peer.Send(s_hello);
            peer.Send("second"u8.ToArray());
            Assert.Equal(s_hello, buffer[..await transport.ReceiveAsync(buffer)]);
            Assert.Equal("second"u8.ToArray(), buffer[..await transport.ReceiveAsync(buffer)]);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_10_a_receive_in_a_cancelled_scope_raises_before_touching_the_socket(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            peer.Send(s_hello);
            CancelScope scope = await b.OpenCancelScope().RunAsync(static async (scope, transport) =>
            {
                scope.Cancel();
                await transport.ReceiveAsync(new byte[64]);
            }, transport);
            Assert.True(scope.CancelledCaught);
            var buffer = new byte[64];
            Assert.Equal(s_hello, buffer[..await transport.ReceiveAsync(buffer)]);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_4_wrapping_takes_a_connected_datagram_socket_and_refuses_anything_else(string backend)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, static async b =>
        {
            using var unconnected = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            ArgumentException notConnected = Assert.Throws<ArgumentException>(() => { _ = b.WrapConnectedDatagramSocketAsync(unconnected); });
            Assert.Contains("not connected", notConnected.Message, StringComparison.Ordinal);
            using var stream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Assert.Throws<ArgumentException>(() => { _ = b.WrapConnectedDatagramSocketAsync(stream); });
            Assert.Throws<ArgumentNullException>(() => { _ = b.WrapConnectedDatagramSocketAsync(null!); });
            unconnected.Bind(new IPEndPoint(IPAddress.Loopback, 0)); // untouched: still usable
            Assert.True(unconnected.Blocking);

            using DatagramPeer peer = DatagramPeer.Udp();
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            client.Connect(peer.EndPoint);
            peer.ConnectTo(client.LocalEndPoint!);
            IDatagramTransport transport = await b.WrapConnectedDatagramSocketAsync(client);
            Assert.False(client.Blocking);
            await transport.SendAsync(s_hello);
            Assert.Equal(s_hello, await peer.ReceiveAsync(b));
            await transport.CloseAsync();
            Assert.Throws<ObjectDisposedException>(() => client.Available);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_1_S9_2_bad_arguments_are_rejected_before_any_resolution(string backend)
        => await BackendRuns.RunAsync(backend, static b =>
        {
            // A host that cannot resolve: reaching resolution would throw a SocketException instead.
            ArgumentException family = Assert.Throws<ArgumentException>(() => { _ = b.CreateUdpEndpointAsync("unresolvable.invalid", 53, family: AddressFamily.Unix); });
            Assert.Contains("Unix", family.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentNullException>(() => { _ = b.CreateUdpEndpointAsync(null!, 53); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = b.CreateUdpEndpointAsync("unresolvable.invalid", 65536); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = b.CreateUdpEndpointAsync("unresolvable.invalid", -1); });
            Assert.Throws<ArgumentException>(() => { _ = b.CreateUdpEndpointAsync("unresolvable.invalid", 53, localAddress: new UnixDomainSocketEndPoint("/tmp/x")); });
            return ValueTask.CompletedTask;
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_3_the_local_address_of_the_target_family_is_bound(string backend)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, static async b =>
        {
            using DatagramPeer peer = DatagramPeer.Udp();
            await using IDatagramTransport transport = await b.CreateUdpEndpointAsync("127.0.0.1", peer.Port, new IPEndPoint(IPAddress.Loopback, 0), AddressFamily.InterNetwork);
            Assert.Equal(IPAddress.Loopback, ((IPEndPoint)transport.LocalEndPoint).Address);
            Assert.NotEqual(0, ((IPEndPoint)transport.LocalEndPoint).Port);

            // Only a local address of another family: the single attempt fails unwrapped, naming the family.
            SocketException error = await Assert.ThrowsAsync<SocketException>(async () => await b.CreateUdpEndpointAsync("127.0.0.1", peer.Port, new IPEndPoint(IPAddress.IPv6Loopback, 0)));
            Assert.Equal(SocketError.AddressNotAvailable, error.SocketErrorCode);
            Assert.Contains("InterNetwork", error.Message, StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_4_a_unix_datagram_transport_exchanges_datagrams(string backend)
        => await WithUnixPeerAsync(backend, static async (b, transport, peer) =>
        {
            Assert.Equal(AddressFamily.Unix, transport.Socket.AddressFamily);
            await transport.SendAsync(s_hello);
            Assert.Equal(s_hello, await peer.ReceiveAsync(b));
            peer.Send("a"u8.ToArray());
            peer.Send("bb"u8.ToArray());
            var buffer = new byte[64];
            Assert.Equal(1, await transport.ReceiveAsync(buffer));
            Assert.Equal(2, await transport.ReceiveAsync(buffer));
        });
}
