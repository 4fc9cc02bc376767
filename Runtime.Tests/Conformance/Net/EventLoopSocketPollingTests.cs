using System;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Net.Sockets;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Conformance.Net;

/// <summary>
/// The event loop's own readiness set (Linux): stream transports of an <c>eventloop</c> run park on the loop's epoll
/// set instead of .NET's socket engine. These cases cover what only that path can get wrong: a loop that never idles
/// must still look at its sockets, a close from another thread must wake a parked receive, and the virtual clock must
/// jump while a receive is parked.
/// </summary>
[Collection(NetworkCollection.Name)]
public sealed class EventLoopSocketPollingTests
{
    private static readonly byte[] s_hello = "hello, poller"u8.ToArray();

    public static TheoryData<string> EventLoopConfigurations => new() { AsyncBackendRegistry.EventLoop, AsyncBackendRegistry.EventLoop + BackendRuns.VirtualClockSuffix };

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Stream_transports_wait_in_the_event_loops_readiness_set_where_epoll_exists(string backend)
        => await StreamTransportTests.WithPeerAsync(backend, static (b, transport, peer) =>
        {
            bool expected = Epoll.IsSupported && BackendRuns.BackendName(b.Name) == AsyncBackendRegistry.EventLoop;
            Assert.Equal(expected, ((SocketStreamTransport)transport).WaitsOnLoopPoller);
            return ValueTask.CompletedTask;
        });

    [Theory]
    [MemberData(nameof(EventLoopConfigurations))]
    public async Task A_task_that_only_yields_does_not_starve_a_parked_receive(string configuration)
        => await StreamTransportTests.WithPeerAsync(configuration, static async (b, transport, peer) =>
        {
            var race = new YieldRace(b, transport);
            await b.RunTaskGroupAsync(static async (group, s) =>
            {
                group.StartSoon(static async s =>
                {
                    s.Received = await s.Transport.ReceiveAsync(new byte[64]);
                }, s);
                await s.Backend.YieldAsync();

                // The peer sends from its own thread while this task keeps the ready queue busy: the data can only
                // reach the parked receive if the loop looks at its sockets between queue items.
                var sender = new Thread(static p => { ((RawPeer)p!).Socket.Send(s_hello); }) { IsBackground = true };
                sender.Start(s.Peer);
                while (s.Received == 0 && s.YieldsAfterSend < 100_000)
                {
                    if (!sender.IsAlive)
                    {
                        s.YieldsAfterSend++;
                    }

                    await s.Backend.YieldAsync();
                }
            }, race.With(peer));

            Assert.Equal(s_hello.Length, race.Received);
            Assert.True(race.YieldsAfterSend < 100_000, $"The receive was still parked {race.YieldsAfterSend} yields after the peer sent.");
        });

    [Theory]
    [MemberData(nameof(EventLoopConfigurations))]
    public async Task Closing_from_another_thread_wakes_a_parked_receive_with_the_closed_error(string configuration)
        => await StreamTransportTests.WithPeerAsync(configuration, static async (b, transport, peer) =>
            Assert.IsType<ClosedResourceException>(await ReceiveWhileAnotherThreadClosesAsync(b, () => transport.ReceiveAsync(new byte[16]), transport.CloseForcefullyAsync)));

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Connected_datagram_transports_wait_in_the_event_loops_readiness_set_where_epoll_exists(string backend)
        => await DatagramTransportTests.WithPeerAsync(backend, static (b, transport, peer) =>
        {
            bool expected = Epoll.IsSupported && BackendRuns.BackendName(b.Name) == AsyncBackendRegistry.EventLoop;
            Assert.Equal(expected, ((SocketDatagramTransport)transport).WaitsOnLoopPoller);
            return ValueTask.CompletedTask;
        });

    [Theory]
    [MemberData(nameof(EventLoopConfigurations))]
    public async Task Closing_from_another_thread_wakes_a_parked_datagram_receive_with_the_closed_error(string configuration)
        => await DatagramTransportTests.WithPeerAsync(configuration, static async (b, transport, peer) =>
            Assert.IsType<ClosedResourceException>(await ReceiveWhileAnotherThreadClosesAsync(b, () => transport.ReceiveAsync(new byte[64]), transport.CloseAsync)));

    [Fact]
    public async Task The_virtual_clock_jumps_to_a_deadline_while_a_receive_is_parked()
        => await StreamTransportTests.WithPeerAsync(AsyncBackendRegistry.EventLoop + BackendRuns.VirtualClockSuffix, static async (b, transport, peer) =>
        {
            TimeSpan start = b.CurrentTime();
            CancelScope scope = await b.MoveOnAfterAsync(TimeSpan.FromHours(1), static async (_, t) => { await t.ReceiveAsync(new byte[16]); }, transport);
            Assert.True(scope.CancelledCaught);
            Assert.Equal(TimeSpan.FromHours(1), b.CurrentTime() - start);

            // Nothing was lost or left parked: data sent now is received.
            await peer.SendAsync(b, s_hello);
            Assert.Equal(s_hello.Length, await transport.ReceiveAsync(new byte[64]));
        });

    /// <summary>Parks <paramref name="receive"/> in a child task, then runs <paramref name="close"/> on a worker thread; returns what the receive raised.</summary>
    private static async ValueTask<Exception?> ReceiveWhileAnotherThreadClosesAsync(IAsyncBackend b, Func<ValueTask<int>> receive, Func<ValueTask> close)
    {
        var outcome = new StrongBox(null);
        await b.RunTaskGroupAsync(static async (group, s) =>
        {
            group.StartSoon(static async s =>
            {
                s.outcome.Value = await Catch.ExceptionAsync(s.receive);
            }, s);

            // FIFO: the child runs first and parks its receive; then the close comes from a worker thread.
            await s.b.YieldAsync();
            await s.b.RunInThreadAsync(static close => Assert.True(close().IsCompleted), s.close);
        }, (b, receive, close, outcome));
        return outcome.Value;
    }

    private sealed class YieldRace(IAsyncBackend backend, IStreamTransport transport)
    {
        public IAsyncBackend Backend { get; } = backend;

        public IStreamTransport Transport { get; } = transport;

        public RawPeer? Peer { get; private set; }

        public int Received { get; set; }

        public int YieldsAfterSend { get; set; }

        public YieldRace With(RawPeer peer)
        {
            Peer = peer;
            return this;
        }
    }

    private sealed class StrongBox(Exception? value)
    {
        public Exception? Value { get; set; } = value;
    }
}
