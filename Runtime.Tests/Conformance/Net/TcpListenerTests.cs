using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Conformance.Net;

/// <summary>SPEC S8.29–S8.45: TCP listeners and their serve loop.</summary>
[Collection(NetworkCollection.Name)]
public sealed class TcpListenerTests
{
    private static async Task RunAsync(string backend, Func<IAsyncBackend, ValueTask> body)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, body);
    }

    private static async ValueTask<IListener<IStreamTransport>> ListenLoopbackAsync(IAsyncBackend b)
        => Assert.Single(await b.CreateTcpListenersAsync("127.0.0.1", 0, backlog: 16));

    private static int PortOf(IListener<IStreamTransport> listener) => ((IPEndPoint)listener.LocalEndPoint).Port;

    private static async ValueTask EchoAsync(IStreamTransport transport)
    {
        var buffer = new byte[1024];
        int n;
        while ((n = await transport.ReceiveAsync(buffer)) > 0)
        {
            await transport.SendAllAsync(buffer.AsMemory(0, n));
        }
    }

    private static async ValueTask<byte[]> RoundTripAsync(IAsyncBackend b, int port, byte[] message)
    {
        await using IStreamTransport client = await b.ConnectTcpAsync("127.0.0.1", port);
        await client.SendAllAsync(message);
        await client.SendEofAsync();
        var received = new List<byte>();
        var buffer = new byte[256];
        int n;
        while ((n = await client.ReceiveAsync(buffer)) > 0)
        {
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }

        return received.ToArray();
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_39_serve_runs_the_handler_per_connection_concurrently(string backend)
        => await RunAsync(backend, static async b =>
        {
            await using IListener<IStreamTransport> listener = await ListenLoopbackAsync(b);
            Assert.Same(b, listener.Backend);
            await b.RunTaskGroupAsync(static async (group, s) =>
            {
                group.StartSoon(static s => s.listener.ServeAsync(EchoAsync), s);

                // Three clients at once: each handler runs in its own task.
                await using IStreamTransport first = await s.b.ConnectTcpAsync("127.0.0.1", PortOf(s.listener));
                int port = PortOf(s.listener);
                IAsyncBackend backend = s.b;
                byte[][] echoed = await backend.GatherAsync<byte[]>(
                    [
                        () => RoundTripAsync(backend, port, "one"u8.ToArray()),
                        () => RoundTripAsync(backend, port, "two"u8.ToArray()),
                    ]);
                Assert.Equal("one"u8.ToArray(), echoed[0]);
                Assert.Equal("two"u8.ToArray(), echoed[1]);
                await first.SendAllAsync("three"u8.ToArray());
                var buffer = new byte[5];
                int total = 0;
                while (total < buffer.Length)
                {
                    total += await first.ReceiveAsync(buffer.AsMemory(total));
                }

                Assert.Equal("three"u8.ToArray(), buffer);
                group.CancelScope.Cancel();
            }, (b, listener));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_29_S8_31_S8_32_S8_34_every_interface_gives_one_socket_per_family_ipv4_first_ipv6_only(string backend)
        => await RunAsync(backend, static async b =>
        {
            IReadOnlyList<IListener<IStreamTransport>> listeners = await b.CreateTcpListenersAsync(host: null, 0, backlog: 8);
            try
            {
                var endPoints = listeners.Select(static l => (IPEndPoint)l.LocalEndPoint).ToList();
                Assert.Equal(IPAddress.Any, endPoints[0].Address);
                Assert.All(endPoints, static e => Assert.NotEqual(0, e.Port));
                if (Socket.OSSupportsIPv6)
                {
                    Assert.Equal(2, endPoints.Count);
                    Assert.Equal(IPAddress.IPv6Any, endPoints[1].Address);

                    // IPv6-only: an IPv4 client reaches the IPv6 socket's port only if it is not dual-stack.
                    if (endPoints[1].Port != endPoints[0].Port)
                    {
                        SocketException refused = await Assert.ThrowsAsync<SocketException>(async () => await b.ConnectTcpAsync("127.0.0.1", endPoints[1].Port));
                        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
                    }
                }

                IReadOnlyList<IListener<IStreamTransport>> empty = await b.CreateTcpListenersAsync("", 0, backlog: 8);
                Assert.Equal(endPoints.Count, empty.Count);
                foreach (IListener<IStreamTransport> listener in empty)
                {
                    await listener.CloseAsync();
                }
            }
            finally
            {
                foreach (IListener<IStreamTransport> listener in listeners)
                {
                    await listener.CloseAsync();
                }
            }
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_29_S8_30_a_host_sequence_is_merged_without_duplicates_ipv4_first(string backend)
        => await RunAsync(backend, static async b =>
        {
            string[] hosts = Socket.OSSupportsIPv6 ? ["::1", "127.0.0.1", "127.0.0.1"] : ["127.0.0.1", "127.0.0.1"];
            IReadOnlyList<IListener<IStreamTransport>> listeners = await b.CreateTcpListenersAsync(hosts, 0, backlog: 8);
            try
            {
                Assert.Equal(hosts.Length - 1, listeners.Count);
                Assert.Equal(IPAddress.Loopback, ((IPEndPoint)listeners[0].LocalEndPoint).Address);
            }
            finally
            {
                foreach (IListener<IStreamTransport> listener in listeners)
                {
                    await listener.CloseAsync();
                }
            }

            Assert.Throws<ArgumentException>(() => { _ = b.CreateTcpListenersAsync(Array.Empty<string>(), 0, 8); });
            Assert.Throws<ArgumentNullException>(() => { _ = b.CreateTcpListenersAsync(new[] { "127.0.0.1", null! }, 0, 8); });
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_36_backlog_and_port_are_checked_before_any_socket(string backend)
        => await RunAsync(backend, static b =>
        {
            ArgumentOutOfRangeException backlog = Assert.Throws<ArgumentOutOfRangeException>(() => { _ = b.CreateTcpListenersAsync("127.0.0.1", 0, backlog: 0); });
            Assert.Contains("(got 0)", backlog.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = b.CreateTcpListenersAsync("127.0.0.1", 70000, backlog: 1); });
            return ValueTask.CompletedTask;
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_35_binding_is_all_or_nothing(string backend)
        => await RunAsync(backend, static async b =>
        {
            using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            taken.Listen(1);
            int port = ((IPEndPoint)taken.LocalEndPoint!).Port;

            int before = OpenDescriptors.Count();
            string[] hosts = Socket.OSSupportsIPv6 ? ["127.0.0.1", "::1"] : ["127.0.0.1"];
            Exception? error = await Catch.ExceptionAsync(() => b.CreateTcpListenersAsync(hosts, port, backlog: 4));
            SocketException bind = Assert.IsType<SocketException>(error);
            Assert.Equal(SocketError.AddressAlreadyInUse, bind.SocketErrorCode);
            Assert.Contains($"127.0.0.1:{port}", bind.Message, StringComparison.Ordinal);
            Assert.Equal(before, OpenDescriptors.Count()); // the ::1 socket, if any, was closed too
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_40_a_second_serve_is_busy_and_serving_a_closed_listener_is_closed(string backend)
        => await RunAsync(backend, static async b =>
        {
            IListener<IStreamTransport> listener = await ListenLoopbackAsync(b);
            await b.RunTaskGroupAsync(static async (group, listener) =>
            {
                group.StartSoon(static l => l.ServeAsync(EchoAsync), listener);

                // Served once: the first ServeAsync is active.
                Assert.Equal("up"u8.ToArray(), await RoundTripAsync(listener.Backend, PortOf(listener), "up"u8.ToArray()));
                Assert.IsType<BusyResourceException>(await Catch.ExceptionAsync(() => listener.ServeAsync(EchoAsync)));
                Assert.Equal("still"u8.ToArray(), await RoundTripAsync(listener.Backend, PortOf(listener), "still"u8.ToArray()));
                group.CancelScope.Cancel();
            }, listener);

            await listener.CloseAsync();
            Assert.True(listener.IsClosing);
            Assert.IsType<ClosedResourceException>(await Catch.ExceptionAsync(() => listener.ServeAsync(EchoAsync)));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_40_closing_the_listener_during_serve_ends_it_with_closed(string backend)
        => await RunAsync(backend, static async b =>
        {
            IListener<IStreamTransport> listener = await ListenLoopbackAsync(b);
            Exception? served = null;
            await b.RunTaskGroupAsync(async (group, listener) =>
            {
                group.StartSoon(async listener => served = await Catch.ExceptionAsync(() => listener.ServeAsync(EchoAsync)), listener);

                // The serve loop is up once a connection is served.
                Assert.Equal("up"u8.ToArray(), await RoundTripAsync(listener.Backend, PortOf(listener), "up"u8.ToArray()));
                await listener.CloseAsync();
            }, listener);
            Assert.IsType<ClosedResourceException>(served);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_40_an_external_cancellation_comes_out_as_the_cancellation(string backend)
        => await RunAsync(backend, static async b =>
        {
            await using IListener<IStreamTransport> listener = await ListenLoopbackAsync(b);
            CancelScope scope = await b.OpenCancelScope().RunAsync(static async (scope, listener) =>
            {
                await listener.Backend.RunTaskGroupAsync(static async (group, s) =>
                {
                    group.StartSoon(static l => l.ServeAsync(EchoAsync), s.listener);
                    Assert.Equal("x"u8.ToArray(), await RoundTripAsync(s.listener.Backend, PortOf(s.listener), "x"u8.ToArray()));
                    s.scope.Cancel();
                }, (listener, scope));
            }, listener);
            Assert.True(scope.CancelledCaught);
            Assert.False(listener.IsClosing);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_40_S3_33_serving_cancelled_while_a_handler_move_on_unwinds_its_cancelled_receive_ends_cleanly(string backend)
        => await RunAsync(backend, static async b =>
        {
            // Regression: the handler's receive raised its move-on's cancellation, the serving group was cancelled
            // before the move-on exited, and the cancellation escaped that group as a failure instead of being absorbed.
            await using IListener<IStreamTransport> listener = await ListenLoopbackAsync(b);
            IAsyncEvent receiving = b.CreateEvent();
            CancelScope? moveOn = null;
            CancelledException? raised = null;
            ITaskGroup? serving = null;
            await b.RunTaskGroupAsync(async (group, _) =>
            {
                serving = group;
                group.StartSoon(_ => listener.ServeAsync(async transport =>
                {
                    await b.MoveOnAfterAsync(Timeout.InfiniteTimeSpan, async (scope, _) =>
                    {
                        moveOn = scope;
                        receiving.Set();
                        try
                        {
                            await transport.ReceiveAsync(new byte[16]);
                        }
                        catch (CancelledException ex)
                        {
                            raised = ex;
                            group.CancelScope.Cancel();
                            throw;
                        }
                    }, 0);
                }), 0);

                // A silent client: the handler's receive stays pending until its move-on is cancelled.
                await using IStreamTransport client = await b.ConnectTcpAsync("127.0.0.1", PortOf(listener));
                await receiving.WaitAsync();
                moveOn!.Cancel();
                await b.SleepForeverAsync();
            }, 0);

            Assert.NotNull(raised);
            Assert.Same(moveOn, raised.Scope);
            Assert.False(moveOn!.CancelledCaught);
            Assert.True(serving!.CancelScope.CancelledCaught);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_43_a_handler_failure_ends_serve_with_the_internal_group(string backend)
        => await RunAsync(backend, static async b =>
        {
            await using IListener<IStreamTransport> listener = await ListenLoopbackAsync(b);
            Exception? served = null;
            await b.RunTaskGroupAsync(async (group, listener) =>
            {
                group.StartSoon(async listener => served = await Catch.ExceptionAsync(() => listener.ServeAsync(static _ => throw new MarkerException())), listener);
                await using IStreamTransport client = await listener.Backend.ConnectTcpAsync("127.0.0.1", PortOf(listener));

                // The handler fails, ServeAsync ends, and the accepted transport is closed (EOF or reset on our side).
                Exception? read = await Catch.ExceptionAsync(async () => Assert.Equal(0, await client.ReceiveAsync(new byte[1])));
                Assert.True(read is null or SocketException, read?.ToString());
            }, listener);
            Assert.IsType<MarkerException>(served);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_39_S8_44_a_given_group_runs_the_handlers_and_closing_the_listener_keeps_accepted_transports(string backend)
        => await RunAsync(backend, static async b =>
        {
            IListener<IStreamTransport> listener = await ListenLoopbackAsync(b);
            await b.RunTaskGroupAsync(static async (group, listener) =>
            {
                IAsyncEvent accepted = listener.Backend.CreateEvent();
                IAsyncEvent closed = listener.Backend.CreateEvent();
                group.StartSoon(static async s =>
                {
                    Exception? served = await Catch.ExceptionAsync(() => s.listener.ServeAsync(
                        async transport =>
                        {
                            s.accepted.Set();
                            await s.closed.WaitAsync();
                            await EchoAsync(transport);
                        },
                        s.group));
                    Assert.IsType<ClosedResourceException>(served);
                }, (listener, group, accepted, closed));

                await using IStreamTransport client = await listener.Backend.ConnectTcpAsync("127.0.0.1", PortOf(listener));
                await accepted.WaitAsync();
                await listener.CloseAsync();
                closed.Set();
                await client.SendAllAsync("still open"u8.ToArray());
                var buffer = new byte[10];
                int total = 0;
                while (total < buffer.Length)
                {
                    total += await client.ReceiveAsync(buffer.AsMemory(total));
                }

                Assert.Equal("still open"u8.ToArray(), buffer);
            }, listener);
        });
}
