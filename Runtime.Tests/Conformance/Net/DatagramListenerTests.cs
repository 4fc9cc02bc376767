using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Net.Sockets;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Conformance.Net;

/// <summary>SPEC S9.11–S9.19: datagram listeners (UDP and Unix), served against plain socket peers.</summary>
[Collection(NetworkCollection.Name)]
public sealed class DatagramListenerTests
{
    private static async Task WithListenerAsync(string backend, Func<IAsyncBackend, IDatagramListener, ValueTask> body, RunnerOptions? options = null)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, async b =>
        {
            IReadOnlyList<IDatagramListener> listeners = await b.CreateUdpListenersAsync("127.0.0.1", 0);
            IDatagramListener listener = Assert.Single(listeners);
            await using (listener)
            {
                await body(b, listener);
            }
        }, options);
    }

    private static async Task WithUnixListenerAsync(string backend, Func<IAsyncBackend, IDatagramListener, string, ValueTask> body)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        string directory = DatagramPeer.TempDirectory();
        try
        {
            await BackendRuns.RunAsync(backend, async b =>
            {
                await using IDatagramListener listener = await b.CreateUnixDatagramListenerAsync(Path.Combine(directory, "listener.sock"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
                await body(b, listener, directory);
            });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static byte[] Datagram(int index) => Enumerable.Repeat((byte)index, 8 + index).ToArray();

    /// <summary>Serves <paramref name="listener"/> in the background of <paramref name="body"/>, then cancels serving.</summary>
    private static async ValueTask ServeDuringAsync(IAsyncBackend b, IDatagramListener listener, Func<ReadOnlyMemory<byte>, EndPoint, ValueTask> handler, Func<ValueTask> body)
        => await b.RunTaskGroupAsync(static async (group, s) =>
        {
            group.StartSoon(static s => s.listener.ServeAsync(s.handler), s);
            await s.body();
            group.CancelScope.Cancel();
        }, (listener, handler, body));

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_11_every_interface_means_one_socket_per_family_without_reuse_address(string backend)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, static async b =>
        {
            IReadOnlyList<IDatagramListener> listeners = await b.CreateUdpListenersAsync((string?)null, 0);
            try
            {
                List<IPEndPoint> endPoints = listeners.Select(static l => (IPEndPoint)l.LocalEndPoint).ToList();
                Assert.Equal(IPAddress.Any, endPoints[0].Address);
                Assert.All(endPoints, static e => Assert.True(e.Address.Equals(IPAddress.Any) || e.Address.Equals(IPAddress.IPv6Any), e.ToString()));
                Assert.All(endPoints, static e => Assert.NotEqual(0, e.Port));
                Assert.Equal(endPoints.Count, endPoints.Select(static e => e.AddressFamily).Distinct().Count());
                Assert.InRange(endPoints.Count, 1, 2);
                foreach (IDatagramListener listener in listeners)
                {
                    Socket socket = ((SocketDatagramListener)listener).Socket;
                    Assert.Equal(0, (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress)!);
                    if (socket.AddressFamily == AddressFamily.InterNetworkV6)
                    {
                        Assert.False(socket.DualMode);
                    }
                }
            }
            finally
            {
                foreach (IDatagramListener listener in listeners)
                {
                    await listener.CloseAsync();
                }
            }
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_11_host_sequences_and_bad_arguments(string backend)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, static async b =>
        {
            IReadOnlyList<IDatagramListener> listeners = await b.CreateUdpListenersAsync(["127.0.0.1", "127.0.0.1"], 0);
            IDatagramListener listener = Assert.Single(listeners);
            Assert.Equal(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndPoint).Address);
            await listener.CloseAsync();

            Assert.Throws<ArgumentException>(() => { _ = b.CreateUdpListenersAsync(Array.Empty<string>(), 0); });
            Assert.Throws<ArgumentNullException>(() => { _ = b.CreateUdpListenersAsync(["127.0.0.1", null!], 0); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = b.CreateUdpListenersAsync("127.0.0.1", 65536); });
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = b.CreateUdpListenersAsync("127.0.0.1", -1); });

            // A port in use: the bind fails and no socket stays open.
            using DatagramPeer taken = DatagramPeer.Udp();
            SocketException inUse = await Assert.ThrowsAsync<SocketException>(async () => await b.CreateUdpListenersAsync("127.0.0.1", taken.Port));
            Assert.Equal(SocketError.AddressAlreadyInUse, inUse.SocketErrorCode);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_12_S9_13_S9_14_one_handler_per_datagram_in_arrival_order_with_stable_memory(string backend)
        => await WithListenerAsync(backend, async (b, listener) =>
        {
            Assert.Same(b, listener.Backend);
            Assert.False(listener.IsClosing);
            const int Count = 20;
            var started = new List<int>();
            var intact = new List<bool>();
            IAsyncEvent allDone = b.CreateEvent();
            using DatagramPeer client = DatagramPeer.Udp().ConnectTo(listener.LocalEndPoint);
            await ServeDuringAsync(b, listener, async (datagram, remote) =>
            {
                int index = datagram.Span[0];
                lock (started)
                {
                    started.Add(index);
                }

                // Later datagrams arrive and get their own handlers while this one is parked: its memory must not change.
                for (int i = 0; i < 5; i++)
                {
                    await b.YieldAsync();
                }

                bool same = datagram.Span.SequenceEqual(Datagram(index));
                await listener.SendToAsync(datagram, remote);
                lock (started)
                {
                    intact.Add(same && remote.Equals(client.EndPoint));
                    if (intact.Count == Count)
                    {
                        allDone.Set();
                    }
                }
            }, async () =>
            {
                for (int i = 0; i < Count; i++)
                {
                    client.Send(Datagram(i));
                }

                await allDone.WaitAsync();
                var echoed = new HashSet<int>();
                for (int i = 0; i < Count; i++)
                {
                    byte[] echo = await client.ReceiveAsync(b);
                    Assert.Equal(Datagram(echo[0]), echo);
                    echoed.Add(echo[0]);
                }

                Assert.Equal(Count, echoed.Count);
            });

            Assert.All(intact, Assert.True);
            if (BackendRuns.BackendName(backend) == AsyncBackendRegistry.EventLoop)
            {
                // (eventloop) Handlers first run in arrival order.
                Assert.Equal(Enumerable.Range(0, Count), started);
            }
            else
            {
                Assert.Equal(Enumerable.Range(0, Count), started.Order());
            }
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_15_datagrams_received_before_serving_are_dispatched_first_in_order(string backend)
        => await WithListenerAsync(backend, async (b, listener) =>
        {
            using DatagramPeer client = DatagramPeer.Udp().ConnectTo(listener.LocalEndPoint);
            for (int i = 0; i < 3; i++)
            {
                client.Send(Datagram(i));
            }

            var seen = new List<int>();
            IAsyncEvent done = b.CreateEvent();
            await ServeDuringAsync(b, listener, (datagram, _) =>
            {
                lock (seen)
                {
                    seen.Add(datagram.Span[0]);
                    if (seen.Count == 4)
                    {
                        done.Set();
                    }
                }

                return ValueTask.CompletedTask;
            }, async () =>
            {
                await b.YieldAsync();
                client.Send(Datagram(3));
                await done.WaitAsync();
            });

            if (BackendRuns.BackendName(backend) == AsyncBackendRegistry.EventLoop)
            {
                Assert.Equal([0, 1, 2, 3], seen);
            }
            else
            {
                Assert.Equal([0, 1, 2, 3], seen.Order());
            }
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_16_a_second_serve_is_busy_and_an_outside_cancellation_stays_a_cancellation(string backend)
        => await WithListenerAsync(backend, static async (b, listener) =>
        {
            CancelScope scope = await b.OpenCancelScope().RunAsync(static async (scope, listener) =>
            {
                // Serving is marked active before the call returns, so the second call from this very task is busy.
                ValueTask serving = listener.ServeAsync(static (_, _) => ValueTask.CompletedTask);
                Assert.IsType<BusyResourceException>(await Catch.ExceptionAsync(() => listener.ServeAsync(static (_, _) => ValueTask.CompletedTask)));
                scope.Cancel();
                await serving;
            }, listener);
            Assert.True(scope.CancelledCaught);
            Assert.False(listener.IsClosing);

            // Serving ended with the cancellation, so the listener can be served again.
            using DatagramPeer client = DatagramPeer.Udp().ConnectTo(listener.LocalEndPoint);
            IAsyncEvent got = b.CreateEvent();
            await ServeDuringAsync(b, listener, (_, _) => { got.Set(); return ValueTask.CompletedTask; }, async () =>
            {
                client.Send([1]);
                await got.WaitAsync();
            });
            Assert.Throws<ArgumentNullException>(() => { _ = listener.ServeAsync(null!); });
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_16_closing_during_serve_ends_it_as_closed_and_a_closed_listener_cannot_serve(string backend)
        => await WithListenerAsync(backend, static async (b, listener) =>
        {
            var outcome = new Exception?[1];
            await b.RunTaskGroupAsync(static async (group, s) =>
            {
                IAsyncEvent ended = s.b.CreateEvent();
                group.StartSoon(static async c =>
                {
                    c.outcome[0] = await Catch.ExceptionAsync(() => c.listener.ServeAsync(static (_, _) => ValueTask.CompletedTask));
                    c.ended.Set();
                }, (s.listener, s.outcome, ended));
                await s.b.YieldAsync();
                await s.listener.CloseAsync();
                await ended.WaitAsync();
            }, (b, listener, outcome));

            Assert.IsType<ClosedResourceException>(outcome[0]);
            Assert.IsType<ClosedResourceException>(await Catch.ExceptionAsync(() => listener.ServeAsync(static (_, _) => ValueTask.CompletedTask)));
            Assert.IsType<ClosedResourceException>(await Catch.ExceptionAsync(() => listener.SendToAsync(new byte[1], new IPEndPoint(IPAddress.Loopback, 9))));
            await listener.CloseAsync();
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_17_a_peer_error_on_the_unconnected_socket_is_logged_and_serving_continues(string backend)
    {
        var logger = new CapturingLogger();
        await WithListenerAsync(backend, async (b, listener) =>
        {
            // Linux reports ICMP errors on an unconnected socket only with IP_RECVERR; set it so the error really happens.
            if (OperatingSystem.IsLinux())
            {
                ((SocketDatagramListener)listener).Socket.SetRawSocketOption(0, 11, BitConverter.GetBytes(1));
            }

            using DatagramPeer client = DatagramPeer.Udp().ConnectTo(listener.LocalEndPoint);
            IAsyncEvent got = b.CreateEvent();
            await ServeDuringAsync(b, listener, (datagram, _) =>
            {
                got.Set();
                return ValueTask.CompletedTask;
            }, async () =>
            {
                await listener.SendToAsync(new byte[] { 1 }, new IPEndPoint(IPAddress.Loopback, DatagramPeer.DeadPort()));
                await b.YieldAsync();
                client.Send([2]);
                await got.WaitAsync();
            });
            Assert.Contains(logger.Entries, static e => e.Level == LogLevel.Warning && e.Exception is SocketException);
            int logged = logger.Entries.Count;
            await listener.CloseAsync();
            Assert.Equal(logged, logger.Entries.Count);
        }, new RunnerOptions { Logger = logger });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_18_send_to_from_many_tasks_is_never_busy_and_every_datagram_is_sent(string backend)
        => await WithListenerAsync(backend, static async (b, listener) =>
        {
            using DatagramPeer client = DatagramPeer.Udp();
            const int Count = 50;
            await b.RunTaskGroupAsync(static (group, s) =>
            {
                for (int i = 0; i < Count; i++)
                {
                    group.StartSoon(static c => c.listener.SendToAsync(Datagram(c.i), c.client.EndPoint), (s.listener, s.client, i));
                }

                return ValueTask.CompletedTask;
            }, (listener, client));

            var received = new HashSet<int>();
            for (int i = 0; i < Count; i++)
            {
                byte[] datagram = await client.ReceiveAsync(b);
                Assert.Equal(Datagram(datagram[0]), datagram);
                received.Add(datagram[0]);
            }

            Assert.Equal(Count, received.Count);
            Assert.Throws<ArgumentNullException>(() => { _ = listener.SendToAsync(new byte[1], null!); });
        });

    /// <summary>
    /// Fills the queue of a Unix peer that does not read until a <c>SendToAsync</c> stays in flight, so later calls must
    /// queue behind it. Returns the pending send and how many datagrams went out before it.
    /// </summary>
    private static async ValueTask<(ValueTask Pending, int Sent)> FillAsync(IDatagramListener listener, EndPoint peer)
    {
        byte[] filler = new byte[4096];
        for (int sent = 0; sent < 10_000; sent++)
        {
            ValueTask sending = listener.SendToAsync(filler, peer);
            if (!sending.IsCompleted)
            {
                return (sending, sent);
            }

            await sending;
        }

        throw new InvalidOperationException("The peer's queue never filled up.");
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_18_S9_19_queued_sends_go_out_in_call_order_and_close_waits_for_them(string backend)
        => await WithUnixListenerAsync(backend, async (b, listener, directory) =>
        {
            using DatagramPeer peer = DatagramPeer.Unix(Path.Combine(directory, "peer.sock"));
            const int Queued = 5;
            var order = new List<int>();
            await b.RunTaskGroupAsync(static async (group, s) =>
            {
                (ValueTask pending, int sent) = await FillAsync(s.listener, s.peer.EndPoint);
                var calling = new int[1];
                for (int i = 0; i < Queued; i++)
                {
                    group.StartSoon(static async c =>
                    {
                        // The call joins the lock's queue before it returns; counting after it proves this sender queued.
                        ValueTask sending = c.listener.SendToAsync(Datagram(c.i), c.peer.EndPoint);
                        Interlocked.Increment(ref c.calling[0]);
                        await sending;
                    }, (s.listener, s.peer, i, calling));
                }

                // Every sender queued (on threadpool they start on other threads), then close: the close queues behind them all.
                while (Volatile.Read(ref calling[0]) < Queued)
                {
                    await s.b.YieldAsync();
                }

                group.StartSoon(static l => l.CloseAsync(), s.listener);
                while (!s.listener.IsClosing)
                {
                    // (threadpool) The closing task may start on another thread a little later.
                    await s.b.YieldAsync();
                }

                Assert.IsType<ClosedResourceException>(await Catch.ExceptionAsync(() => s.listener.SendToAsync(new byte[1], s.peer.EndPoint)));

                for (int i = 0; i <= sent; i++)
                {
                    Assert.Equal(4096, (await s.peer.ReceiveAsync(s.b)).Length);
                }

                await pending;
                for (int i = 0; i < Queued; i++)
                {
                    s.order.Add((await s.peer.ReceiveAsync(s.b))[0]);
                }
            }, (b, listener, peer, order));

            Assert.True(listener.IsClosing);
            if (BackendRuns.BackendName(backend) == AsyncBackendRegistry.EventLoop)
            {
                Assert.Equal(Enumerable.Range(0, Queued), order);
            }
            else
            {
                Assert.Equal(Enumerable.Range(0, Queued), order.Order());
            }
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_19_a_cancelled_close_aborts_the_send_in_flight(string backend)
        => await WithUnixListenerAsync(backend, static async (b, listener, directory) =>
        {
            using DatagramPeer peer = DatagramPeer.Unix(Path.Combine(directory, "peer.sock"));
            (ValueTask pending, _) = await FillAsync(listener, peer.EndPoint);
            CancelScope scope = await b.OpenCancelScope().RunAsync(static async (scope, listener) =>
            {
                scope.Cancel();
                await listener.CloseAsync();
            }, listener);
            Assert.True(scope.CancelledCaught);
            Assert.True(listener.IsClosing);
            await Assert.ThrowsAsync<ClosedResourceException>(async () => await pending);
            Assert.IsType<ClosedResourceException>(await Catch.ExceptionAsync(() => listener.ServeAsync(static (_, _) => ValueTask.CompletedTask)));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S9_4_S9_11_a_unix_datagram_client_and_listener_talk_and_the_client_can_be_answered(string backend)
        => await WithUnixListenerAsync(backend, static async (b, listener, directory) =>
        {
            string path = Path.Combine(directory, "listener.sock");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            // An existing path is refused, and the library never deletes it.
            SocketException inUse = await Assert.ThrowsAsync<SocketException>(async () => await b.CreateUnixDatagramListenerAsync(path));
            Assert.Equal(SocketError.AddressAlreadyInUse, inUse.SocketErrorCode);
            Assert.True(File.Exists(path));

            // No local path: on Linux the client is autobound, so the listener's reply reaches it.
            await using IDatagramTransport client = await b.ConnectUnixDatagramAsync(path);
            await ServeDuringAsync(b, listener, (datagram, remote) => listener.SendToAsync(datagram, remote), async () =>
            {
                await client.SendAsync("ping"u8.ToArray());
                var buffer = new byte[16];
                Assert.Equal("ping"u8.ToArray(), buffer[..await client.ReceiveAsync(buffer)]);
            });
        });
}
