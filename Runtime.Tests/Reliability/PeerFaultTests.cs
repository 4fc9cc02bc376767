using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Net.Sockets;
using EasyNetwork.Runtime.Tests.Conformance.Net;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Reliability;

/// <summary>
/// Issue 9, peer faults: a peer that resets, half-closes mid-message, never reads, never speaks, or whose datagrams
/// bounce. Each fault must end in a clear error or a clean end, never a hang, and nothing the peer did send is lost or
/// garbled. Already covered elsewhere and not repeated here: a reset with nothing unread (S8_16 in
/// <see cref="StreamTransportTests"/>), a refusal on a connected UDP transport (S9_7 in <see cref="DatagramTransportTests"/>),
/// one ICMP error on a datagram listener (S9_17 in <see cref="DatagramListenerTests"/>).
/// </summary>
[Collection(NetworkCollection.Name)]
public sealed class PeerFaultTests
{
    private static readonly byte[] s_hello = "hello, reliability"u8.ToArray();

    private static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 7 + (i >> 8));
        }

        return bytes;
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_16_a_reset_with_data_still_unread_gives_a_prefix_then_the_reset_never_an_end(string backend)
    {
        await StreamTransportTests.WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            byte[] sent = Pattern(64 * 1024);
            await peer.SendAsync(b, sent);
            var buffer = new byte[1024];
            int total = await transport.ReceiveAsync(buffer);
            Assert.True(total > 0);
            Assert.Equal(sent[..total], buffer[..total]);
            peer.Reset();

            // Whatever the kernel still hands over is the next slice of what was sent; then the reset, never a clean end.
            SocketException? reset = null;
            while (reset is null)
            {
                try
                {
                    int n = await transport.ReceiveAsync(buffer);
                    Assert.NotEqual(0, n);
                    Assert.Equal(sent[total..(total + n)], buffer[..n]);
                    total += n;
                }
                catch (SocketException e)
                {
                    reset = e;
                }
            }

            Assert.Equal(SocketError.ConnectionReset, reset.SocketErrorCode);
            SocketException again = await Assert.ThrowsAsync<SocketException>(async () => await transport.ReceiveAsync(buffer));
            Assert.Equal(SocketError.ConnectionReset, again.SocketErrorCode);
        });

        ReliabilityFigures.Record("peer faults", backend, "faults injected", 1);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_27_closing_with_received_data_unread_ends_the_peer_with_an_end_or_a_reset_and_its_writes_fail(string backend)
    {
        await StreamTransportTests.WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            // One segment on loopback: once its first byte is read, the rest is surely in the transport's socket.
            await peer.SendAsync(b, Pattern(4096));
            Assert.Equal(1, await transport.ReceiveAsync(new byte[1]));
            await transport.CloseAsync();

            // The graceful close sent its FIN before the kernel reset the unread data away: the peer reads an end or the reset, never data, never a hang.
            Exception? error = await Catch.ExceptionAsync(async () => Assert.Empty(await peer.ReceiveExactlyAsync(b, 1)));
            if (error is not null)
            {
                Assert.Equal(SocketError.ConnectionReset, Assert.IsType<SocketException>(error).SocketErrorCode);
            }

            // The reset shows on the peer's writes: the connection is gone, not half-open.
            // (ConnectionReset, or Shutdown (EPIPE) when the peer's receive above already consumed the reset.)
            SocketException write = await Assert.ThrowsAsync<SocketException>(async () => await peer.SendAsync(b, Pattern(16)));
            Assert.Contains(write.SocketErrorCode, new[] { SocketError.ConnectionReset, SocketError.Shutdown });
        });

        ReliabilityFigures.Record("peer faults", backend, "faults injected", 1);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_15_a_fin_in_the_middle_of_a_message_gives_the_part_that_came_then_the_end(string backend)
    {
        await StreamTransportTests.WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            byte[] message = Pattern(100);
            await peer.SendAsync(b, message[..40]);
            peer.Socket.Shutdown(SocketShutdown.Send);

            // A framed reader that needs the whole message gets a clear end-of-stream error, not a hang.
            Stream stream = transport.AsStream();
            var whole = new byte[message.Length];
            await Assert.ThrowsAsync<EndOfStreamException>(async () => await stream.ReadExactlyAsync(whole));
            Assert.Equal(message[..40], whole[..40]);
            Assert.Equal(0, await transport.ReceiveAsync(whole));
            Assert.Equal(0, await transport.ReceiveAsync(whole));

            // Only the peer's direction ended: the transport can still answer.
            await transport.SendAllAsync(message);
            Assert.Equal(message, await peer.ReceiveExactlyAsync(b, message.Length));
        });

        ReliabilityFigures.Record("peer faults", backend, "faults injected", 1);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_19_a_send_to_a_peer_that_never_reads_blocks_until_its_scope_cancels_it(string backend)
    {
        await StreamTransportTests.WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            // Small buffers on both sides: the kernel can hold only a little of the payload.
            transport.Socket.SendBufferSize = 4096;
            peer.Socket.ReceiveBufferSize = 4096;
            byte[] payload = new byte[8 << 20];
            for (int attempt = 0; attempt < 2; attempt++)
            {
                // The second attempt proves the cancelled send left no writer behind (it would be busy otherwise).
                CancelScope scope = await b.MoveOnAfterAsync(TimeSpan.FromMilliseconds(200), static async (_, s) => await s.transport.SendAllAsync(s.payload), (transport, payload));
                Assert.True(scope.CancelledCaught);
            }

            Assert.True(peer.Socket.Available < payload.Length);
            await transport.CloseForcefullyAsync();
            Assert.True(transport.IsClosing);
        });

        ReliabilityFigures.Record("peer faults", backend, "faults injected", 1);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task A_client_that_sends_nothing_is_dropped_at_the_handler_deadline_and_frees_its_slot(string backend)
    {
        // On the virtual clock, a jump while the waiting client's bytes are still being delivered would expire its
        // handler's deadline too: the threshold lets loopback I/O land before the clock may jump.
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, static async b =>
        {
            IListener<IStreamTransport> listener = Assert.Single(await b.CreateTcpListenersAsync("127.0.0.1", 0, 16));
            int port = ((IPEndPoint)listener.LocalEndPoint).Port;

            // One slot: the server serves one client at a time, so a silent client blocks everyone until its deadline.
            var server = new SlotServer(b, b.CreateFairLock(), b.CreateEvent());
            await using (listener)
            {
                await b.RunTaskGroupAsync(static async (group, s) =>
                {
                    group.StartSoon(static s => s.listener.ServeAsync(s.server.HandleAsync), s);
                    await using IStreamTransport silent = await s.b.ConnectTcpAsync("127.0.0.1", s.port);
                    await s.server.SlotTaken.WaitAsync();

                    await using IStreamTransport client = await s.b.ConnectTcpAsync("127.0.0.1", s.port);
                    await client.SendAllAsync(s_hello);
                    var echo = new byte[s_hello.Length];
                    int received = 0;
                    while (received < echo.Length)
                    {
                        int n = await client.ReceiveAsync(echo.AsMemory(received));
                        Assert.NotEqual(0, n);
                        received += n;
                    }

                    Assert.Equal(s_hello, echo);

                    // The server closed the silent connection when its handler gave up.
                    Assert.Equal(0, await silent.ReceiveAsync(new byte[8]));
                    Assert.Equal(1, s.server.SilentTimeouts);

                    // Stop serving while the speaking client's handler is still inside its deadline scope: whether
                    // that deadline expired first or not, the handler's cancellation is the group's to absorb (S3.33,
                    // S4.13; the race itself: TcpListenerTests.S8_40_S3_33_*).
                    group.CancelScope.Cancel();
                }, (b, listener, port, server));
            }
        }, BackendRuns.IsVirtual(backend) ? new RunnerOptions { AutojumpThreshold = TimeSpan.FromMilliseconds(250) } : null);

        ReliabilityFigures.Record("peer faults", backend, "faults injected", 1);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_17_icmp_errors_interleaved_with_datagrams_lose_none_of_the_datagrams(string backend)
    {
        const int Faults = 25;
        var logger = new CapturingLogger();
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, async b =>
        {
            IDatagramListener listener = Assert.Single(await b.CreateUdpListenersAsync("127.0.0.1", 0));
            await using (listener)
            {
                // Linux reports ICMP errors on an unconnected socket only with IP_RECVERR.
                if (OperatingSystem.IsLinux())
                {
                    ((SocketDatagramListener)listener).Socket.SetRawSocketOption(0, 11, BitConverter.GetBytes(1));
                }

                using DatagramPeer client = DatagramPeer.Udp().ConnectTo(listener.LocalEndPoint);
                var dead = new IPEndPoint(IPAddress.Loopback, DatagramPeer.DeadPort());
                var started = new List<int>();
                IAsyncEvent all = b.CreateEvent();
                await b.RunTaskGroupAsync(async (group, _) =>
                {
                    group.StartSoon(static s => s.listener.ServeAsync((datagram, _) =>
                    {
                        lock (s.started)
                        {
                            s.started.Add(datagram.Span[0]);
                            if (s.started.Count == Faults)
                            {
                                s.all.Set();
                            }
                        }

                        return ValueTask.CompletedTask;
                    }), (listener, started, all));

                    for (int i = 0; i < Faults; i++)
                    {
                        await listener.SendToAsync(new byte[] { 0xFF }, dead);
                        await b.YieldAsync();
                        client.Send([(byte)i]);
                    }

                    await all.WaitAsync();
                    group.CancelScope.Cancel();
                }, 0);

                if (BackendRuns.BackendName(backend) == AsyncBackendRegistry.EventLoop)
                {
                    Assert.Equal(Enumerable.Range(0, Faults), started);
                }
                else
                {
                    Assert.Equal(Enumerable.Range(0, Faults), started.Order());
                }
            }
        }, new RunnerOptions { Logger = logger });

        int warnings = logger.Entries.Count(static e => e.Level == LogLevel.Warning && e.Exception is SocketException);
        Assert.InRange(warnings, OperatingSystem.IsLinux() ? 1 : 0, Faults);
        Assert.DoesNotContain(logger.Entries, static e => e.Level >= LogLevel.Error);
        ReliabilityFigures.Record("peer faults", backend, "faults injected", Faults);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_18_a_bounced_datagram_does_not_fail_a_later_send_to_another_peer(string backend)
    {
        // Regression: the kernel reported the ICMP error of an earlier datagram on the next SendToAsync, which threw
        // ConnectionRefused for a datagram to a live peer, and did not send it.
        var logger = new CapturingLogger();
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, async b =>
        {
            IDatagramListener listener = Assert.Single(await b.CreateUdpListenersAsync("127.0.0.1", 0));
            await using (listener)
            {
                if (OperatingSystem.IsLinux())
                {
                    ((SocketDatagramListener)listener).Socket.SetRawSocketOption(0, 11, BitConverter.GetBytes(1));
                }

                using DatagramPeer live = DatagramPeer.Udp();
                var dead = new IPEndPoint(IPAddress.Loopback, DatagramPeer.DeadPort());
                for (int i = 0; i < 5; i++)
                {
                    await listener.SendToAsync(new byte[] { 0xFF }, dead);
                    await listener.SendToAsync(new byte[] { (byte)i }, live.EndPoint);
                    Assert.Equal([(byte)i], await live.ReceiveAsync(b));
                }
            }
        }, new RunnerOptions { Logger = logger });

        Assert.DoesNotContain(logger.Entries, static e => e.Level >= LogLevel.Error);
    }

    /// <summary>An echo server with one slot, whose handlers give up on a client that stays silent past a deadline.</summary>
    private sealed class SlotServer(IAsyncBackend backend, IAsyncLock slot, IAsyncEvent slotTaken)
    {
        public static readonly TimeSpan HandlerDeadline = TimeSpan.FromMilliseconds(200);

        private int _silentTimeouts;

        /// <summary>How many handlers gave up on a client that had sent nothing.</summary>
        public int SilentTimeouts => Volatile.Read(ref _silentTimeouts);

        /// <summary>Set once the first handler holds the slot.</summary>
        public IAsyncEvent SlotTaken { get; } = slotTaken;

        public async ValueTask HandleAsync(IStreamTransport transport)
        {
            await using (await slot.LockAsync())
            {
                SlotTaken.Set();
                var received = new StrongBox<long>();
                CancelScope scope = await backend.MoveOnAfterAsync(HandlerDeadline, static async (_, s) =>
                {
                    var buffer = new byte[256];
                    int n;
                    while ((n = await s.transport.ReceiveAsync(buffer)) > 0)
                    {
                        s.received.Value += n;
                        await s.transport.SendAllAsync(buffer.AsMemory(0, n));
                    }
                }, (transport, received));

                // A client that spoke may still hit the deadline later (the virtual clock jumps while bytes are in flight): count only the silent ones.
                if (scope.CancelledCaught && received.Value == 0)
                {
                    Interlocked.Increment(ref _silentTimeouts);
                }
            }
        }
    }
}
