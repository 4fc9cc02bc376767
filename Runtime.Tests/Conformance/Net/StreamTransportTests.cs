using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Conformance.Net;

/// <summary>SPEC S8.11–S8.27: the stream transport, against a plain socket peer on loopback.</summary>
[Collection(NetworkCollection.Name)]
public sealed class StreamTransportTests
{
    private static readonly byte[] s_hello = "hello, transport"u8.ToArray();

    /// <summary>Runs <paramref name="body"/> with a transport connected to a plain socket peer, checking that no descriptor leaks.</summary>
    internal static async Task WithPeerAsync(string backend, Func<IAsyncBackend, IStreamTransport, RawPeer, ValueTask> body)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, async b =>
        {
            using RawPeer peer = RawPeer.Listen();
            await using IStreamTransport transport = await peer.ConnectAsync(b);
            await body(b, transport, peer);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_12_S8_13_bytes_go_both_ways_and_the_transport_describes_itself(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            Assert.Same(b, transport.Backend);
            Assert.False(transport.IsClosing);
            Assert.Equal(peer.Socket.RemoteEndPoint, transport.LocalEndPoint);
            Assert.Equal(peer.Socket.LocalEndPoint, transport.RemoteEndPoint);
            Assert.Equal(SocketType.Stream, transport.Socket.SocketType);

            await transport.SendAllAsync(s_hello);
            Assert.Equal(s_hello, await peer.ReceiveExactlyAsync(b, s_hello.Length));

            await peer.SendAsync(b, s_hello);
            var buffer = new byte[s_hello.Length];
            int received = 0;
            while (received < buffer.Length)
            {
                received += await transport.ReceiveAsync(buffer.AsMemory(received));
            }

            Assert.Equal(s_hello, buffer);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_13_bytes_that_do_not_fit_stay_for_the_next_receive(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            await peer.SendAsync(b, s_hello);
            var received = new List<byte>();
            var small = new byte[3];
            while (received.Count < s_hello.Length)
            {
                int n = await transport.ReceiveAsync(small);
                Assert.InRange(n, 1, small.Length);
                received.AddRange(small.AsSpan(0, n).ToArray());
            }

            Assert.Equal(s_hello, received);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_14_an_empty_buffer_returns_0_at_once(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            ValueTask<int> receive = transport.ReceiveAsync(Memory<byte>.Empty);
            Assert.True(receive.IsCompletedSuccessfully);
            Assert.Equal(0, await receive);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_15_after_the_peer_half_closes_every_receive_returns_0(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            await peer.SendAsync(b, s_hello);
            peer.Socket.Shutdown(SocketShutdown.Send);
            var buffer = new byte[64];
            int total = 0;
            int n;
            while ((n = await transport.ReceiveAsync(buffer.AsMemory(total))) > 0)
            {
                total += n;
            }

            Assert.Equal(s_hello.Length, total);
            Assert.Equal(0, await transport.ReceiveAsync(buffer));
            Assert.Equal(0, await transport.ReceiveAsync(buffer));

            // Sending still works after the peer's EOF.
            await transport.SendAllAsync(s_hello);
            Assert.Equal(s_hello, await peer.ReceiveExactlyAsync(b, s_hello.Length));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_16_a_reset_fails_the_next_receive_and_every_later_one(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            peer.Reset();
            var buffer = new byte[16];
            SocketException first = await Assert.ThrowsAsync<SocketException>(async () => await transport.ReceiveAsync(buffer));
            Assert.Equal(SocketError.ConnectionReset, first.SocketErrorCode);
            SocketException second = await Assert.ThrowsAsync<SocketException>(async () => await transport.ReceiveAsync(buffer));
            Assert.Equal(SocketError.ConnectionReset, second.SocketErrorCode);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_16_a_pending_receive_fails_with_the_reset(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            ValueTask<int> pending = transport.ReceiveAsync(new byte[16]);
            peer.Reset();
            SocketException error = await Assert.ThrowsAsync<SocketException>(async () => await pending);
            Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_17_a_cancelled_receive_loses_no_data(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            var buffer = new byte[64];
            for (int round = 0; round < 3; round++)
            {
                // Nothing to read: the move-on expires while the receive is pending (instantly on the virtual clock).
                CancelScope scope = await b.MoveOnAfterAsync(TimeSpan.FromMilliseconds(20), static async (_, s) => { await s.transport.ReceiveAsync(s.buffer); }, (transport, buffer));
                Assert.True(scope.CancelledCaught);
            }

            await peer.SendAsync(b, s_hello);
            int total = 0;
            while (total < s_hello.Length)
            {
                total += await transport.ReceiveAsync(buffer.AsMemory(total));
            }

            Assert.Equal(s_hello, buffer[..total]);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_13_a_receive_in_a_cancelled_scope_raises_before_touching_the_socket(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            await peer.SendAsync(b, s_hello);
            CancelScope scope = await b.OpenCancelScope().RunAsync(static async (scope, transport) =>
            {
                scope.Cancel();
                await transport.ReceiveAsync(new byte[64]);
            }, transport);
            Assert.True(scope.CancelledCaught);
            var buffer = new byte[64];
            int total = 0;
            while (total < s_hello.Length)
            {
                total += await transport.ReceiveAsync(buffer.AsMemory(total));
            }

            Assert.Equal(s_hello, buffer[..total]);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_19_S8_20_vectored_sends_keep_order_skip_empty_buffers_and_survive_partial_writes(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            // Large enough to fill the socket buffers, so gather writes are partial and resume.
            var buffers = new List<ReadOnlyMemory<byte>>();
            var expected = new List<byte>();
            var random = new Random(8020);
            for (int i = 0; i < 300; i++)
            {
                byte[] chunk = new byte[i % 7 == 0 ? 0 : random.Next(1, 40_000)];
                random.NextBytes(chunk);
                ReadOnlyMemory<byte> memory = i % 5 == 0 ? new NativeLikeMemory(chunk).Memory : chunk;
                buffers.Add(memory);
                expected.AddRange(chunk);
            }

            ValueTask<byte[]> reading = peer.ReceiveExactlyAsync(b, expected.Count);
            await transport.SendAllAsync(buffers);
            Assert.Equal(expected, await reading);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_20_a_multi_segment_sequence_is_sent_in_order(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            ReadOnlySequence<byte> sequence = Segments.Create("abc"u8.ToArray(), [], "defg"u8.ToArray(), "h"u8.ToArray());
            await transport.SendAllAsync(sequence);
            Assert.Equal("abcdefgh"u8.ToArray(), await peer.ReceiveExactlyAsync(b, 8));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_21_send_eof_half_closes_is_idempotent_and_receiving_keeps_working(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            await transport.SendAllAsync(s_hello);
            await transport.SendEofAsync();
            await transport.SendEofAsync();
            Assert.Equal(s_hello, await peer.ReceiveExactlyAsync(b, s_hello.Length + 1)); // EOF cuts it short

            await peer.SendAsync(b, s_hello);
            var buffer = new byte[64];
            int total = 0;
            while (total < s_hello.Length)
            {
                total += await transport.ReceiveAsync(buffer.AsMemory(total));
            }

            SocketException error = await Assert.ThrowsAsync<SocketException>(async () => await transport.SendAllAsync(s_hello));
            Assert.Equal(SocketError.Shutdown, error.SocketErrorCode);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_23_a_second_reader_is_busy_and_the_first_is_unaffected(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            var buffer = new byte[64];
            ValueTask<int> first = transport.ReceiveAsync(buffer);
            Exception? second = await Catch.ExceptionAsync(() => transport.ReceiveAsync(new byte[8]));
            Assert.IsType<BusyResourceException>(second);

            await peer.SendAsync(b, s_hello);
            int n = await first;
            Assert.InRange(n, 1, s_hello.Length);
            Assert.Equal(s_hello[..n], buffer[..n]);

            // Reading and writing at the same time are allowed.
            ValueTask<int> reading = transport.ReceiveAsync(buffer);
            await transport.SendAllAsync(s_hello);
            Assert.Equal(s_hello, await peer.ReceiveExactlyAsync(b, s_hello.Length));
            await peer.SendAsync(b, s_hello);
            Assert.True(await reading > 0);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_23_a_second_writer_is_busy(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            // A send larger than the socket buffers stays in flight until the peer reads.
            byte[] big = new byte[32 << 20];
            ValueTask sending = transport.SendAllAsync(big);
            Assert.False(sending.IsCompleted);
            Assert.IsType<BusyResourceException>(await Catch.ExceptionAsync(() => transport.SendAllAsync(s_hello)));
            Assert.IsType<BusyResourceException>(await Catch.ExceptionAsync(() => transport.SendEofAsync()));

            byte[] received = await peer.ReceiveExactlyAsync(b, big.Length);
            await sending;
            Assert.Equal(big.Length, received.Length);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_24_S8_26_close_is_idempotent_wakes_a_pending_receive_and_every_later_call_is_closed(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            ValueTask<int> pending = transport.ReceiveAsync(new byte[16]);
            await transport.CloseAsync();
            Assert.True(transport.IsClosing);
            await Assert.ThrowsAsync<ClosedResourceException>(async () => await pending);
            await transport.CloseAsync();
            await transport.DisposeAsync();

            Assert.IsType<ClosedResourceException>(await Catch.ExceptionAsync(() => transport.ReceiveAsync(new byte[1])));
            Assert.IsType<ClosedResourceException>(await Catch.ExceptionAsync(() => transport.SendAllAsync(s_hello)));
            Assert.IsType<ClosedResourceException>(await Catch.ExceptionAsync(() => transport.SendEofAsync()));
            Assert.NotNull(transport.LocalEndPoint);

            // The peer sees the FIN of the graceful close.
            Assert.Empty(await peer.ReceiveExactlyAsync(b, 1));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_24_a_graceful_close_lets_the_send_in_flight_complete(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            byte[] big = new byte[16 << 20];
            new Random(824).NextBytes(big);
            ValueTask sending = transport.SendAllAsync(big);
            ValueTask<byte[]> reading = peer.ReceiveExactlyAsync(b, big.Length + 1);
            await transport.CloseAsync();
            await sending;
            Assert.Equal(big, await reading);
        });

    /// <summary>S8.25: a close in a cancelled scope aborts the transport and raises the scope's cancellation.</summary>
    internal static async ValueTask AssertCancelledCloseAbortsAsync(IAsyncBackend b, IStreamTransport transport)
    {
        CancelScope scope = await b.OpenCancelScope().RunAsync(static async (scope, transport) =>
        {
            scope.Cancel();
            await transport.CloseAsync();
        }, transport);
        Assert.True(scope.CancelledCaught);
        Assert.True(transport.IsClosing);
    }

    /// <summary>S8.25: a dispose in a cancelled scope closes the transport and raises nothing.</summary>
    internal static async ValueTask AssertCancelledDisposeDoesNotRaiseAsync(IAsyncBackend b, IStreamTransport transport)
    {
        CancelScope disposing = await b.OpenCancelScope().RunAsync(static async (scope, transport) =>
        {
            scope.Cancel();
            await transport.DisposeAsync();
        }, transport);
        Assert.False(disposing.CancelledCaught);
        Assert.True(transport.IsClosing);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_25_a_close_in_a_cancelled_scope_aborts_and_raises_but_dispose_does_not(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            await AssertCancelledCloseAbortsAsync(b, transport);
            Assert.IsType<ClosedResourceException>(await Catch.ExceptionAsync(() => transport.SendAllAsync(s_hello)));

            using RawPeer other = RawPeer.Listen();
            await AssertCancelledDisposeDoesNotRaiseAsync(b, await other.ConnectAsync(b));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_25_a_forceful_close_fails_the_send_in_flight_as_closed(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            ValueTask sending = transport.SendAllAsync(new byte[32 << 20]);
            Assert.False(sending.IsCompleted);
            await transport.CloseForcefullyAsync();
            await Assert.ThrowsAsync<ClosedResourceException>(async () => await sending);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_11_wrapping_takes_a_connected_stream_socket_and_refuses_anything_else(string backend)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, static async b =>
        {
            using var unconnected = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            ArgumentException notConnected = Assert.Throws<ArgumentException>(() => { _ = b.WrapStreamSocketAsync(unconnected); });
            Assert.Contains("not connected", notConnected.Message, StringComparison.Ordinal);
            using var datagram = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            Assert.Throws<ArgumentException>(() => { _ = b.WrapStreamSocketAsync(datagram); });
            Assert.Throws<ArgumentNullException>(() => { _ = b.WrapStreamSocketAsync(null!); });
            unconnected.Bind(new IPEndPoint(IPAddress.Loopback, 0)); // untouched: still usable

            using RawPeer peer = RawPeer.Listen();
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, peer.Port));
            await peer.AcceptAsync(b);
            IStreamTransport transport = await b.WrapStreamSocketAsync(client);
            Assert.False(client.Blocking);
            await transport.SendAllAsync(s_hello);
            Assert.Equal(s_hello, await peer.ReceiveExactlyAsync(b, s_hello.Length));
            await transport.CloseAsync();
            Assert.Throws<ObjectDisposedException>(() => client.Available);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_1_connecting_where_nobody_listens_is_refused(string backend)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, static async b =>
        {
            int port;
            using (var reserved = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                reserved.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                port = ((IPEndPoint)reserved.LocalEndPoint!).Port;
            }

            SocketException error = await Assert.ThrowsAsync<SocketException>(async () => await b.ConnectTcpAsync("127.0.0.1", port));
            Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
            Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_1_S8_4_bad_arguments_are_rejected_before_any_socket(string backend)
        => await BackendRuns.RunAsync(backend, static b =>
        {
            Assert.Throws<ArgumentNullException>(() => { _ = b.ConnectTcpAsync(null!, 80); });
            ArgumentOutOfRangeException port = Assert.Throws<ArgumentOutOfRangeException>(() => { _ = b.ConnectTcpAsync("127.0.0.1", 65536); });
            Assert.Contains("65536", port.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = b.ConnectTcpAsync("127.0.0.1", -1); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = b.ConnectTcpAsync("127.0.0.1", 80, happyEyeballsDelay: TimeSpan.FromSeconds(-2)); });
            Assert.Throws<ArgumentException>(() => { _ = b.ConnectTcpAsync("127.0.0.1", 80, localAddress: new UnixDomainSocketEndPoint("/tmp/x")); });
            return ValueTask.CompletedTask;
        });

    /// <summary>Memory that is not array-backed, so the transport cannot gather it and must send it on its own.</summary>
    private sealed class NativeLikeMemory(byte[] data) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => data;

        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException("Not pinnable in this test.");

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
