using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Reliability;

/// <summary>
/// Issue 9, load: many connections held at once, many connect/close cycles, a long stream of datagrams. Each workload
/// must end with no error, no descriptor left open (sockets exactly, every descriptor within a small margin for the
/// runtime's own lazily opened files), and the managed heap back near its baseline after a full GC. Sizes come from
/// <see cref="ReliabilityScale"/>.
/// </summary>
[Collection(NetworkCollection.Name)]
public sealed class LoadTests
{
    // The runtime may open a few descriptors of its own on first use (e.g. a timer or an extra wake-up pipe).
    private const int OtherDescriptorMargin = 8;

    // Live heap allowed to remain after the workload: thread-pool threads, pooled buffers and JIT data, not per-connection state.
    private const long HeapMargin = 8L << 20;

    private static readonly byte[] s_message = "0123456789abcdef0123456789abcdef"u8.ToArray();

    /// <summary>Runs <paramref name="body"/> and checks descriptors and the heap against their values before it.</summary>
    private static async Task WithLeakChecksAsync(string workload, string backend, Func<Task> body)
    {
        using (OpenDescriptors.Check())
        {
            int descriptorsBefore = OpenDescriptors.CountAll();
            long heapBefore = GC.GetTotalMemory(forceFullCollection: true);
            await body();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long heapAfter = GC.GetTotalMemory(forceFullCollection: true);
            int descriptorsAfter = OpenDescriptors.CountAll();
            ReliabilityFigures.Record(workload, backend, "descriptors left open", Math.Max(0, descriptorsAfter - descriptorsBefore));
            ReliabilityFigures.Record(workload, backend, "heap growth after GC (KiB)", (heapAfter - heapBefore) / 1024);
            Assert.True(descriptorsAfter <= descriptorsBefore + OtherDescriptorMargin, $"{workload}: {descriptorsAfter} descriptors open after, {descriptorsBefore} before.");
            Assert.True(heapAfter - heapBefore <= HeapMargin, $"{workload}: the live heap grew by {(heapAfter - heapBefore) / 1024} KiB after a full GC.");
        }
    }

    [Theory]
    [MemberData(nameof(ReliabilityRuns.Backends), MemberType = typeof(ReliabilityRuns))]
    public async Task Many_connections_held_at_once_all_echo_and_leave_nothing_behind(string backend)
    {
        ReliabilityScale scale = ReliabilityScale.Current;
        int connections = scale.ConcurrentConnections;

        // Two descriptors per connection (client and server side) in this one process, plus what is already open.
        long wanted = OpenDescriptors.CountAll() + (2 * connections) + 256;
        long limit = DescriptorLimit.EnsureAtLeast(wanted);
        if (limit >= 0 && limit < wanted)
        {
            connections = (int)Math.Max(16, (limit - OpenDescriptors.CountAll() - 256) / 2);
        }

        int held = 0;
        await WithLeakChecksAsync("concurrent echo connections", backend, async () =>
        {
            held = await EchoWithConnectionsHeldAsync(backend, connections, scale.EchoRounds);
        });

        Assert.Equal(connections, held);
        ReliabilityFigures.Record("concurrent echo connections", backend, "connections held", held);
        ReliabilityFigures.Record("concurrent echo connections", backend, "echo round trips", (long)held * scale.EchoRounds);
    }

    /// <summary>Connects every client, waits until all are connected, echoes, waits until all are done, then closes; returns the server's peak of open connections.</summary>
    private static async Task<int> EchoWithConnectionsHeldAsync(string backend, int connections, int rounds)
    {
        var peak = new int[2]; // [0] open now, [1] the peak
        await ReliabilityRuns.RunAsync(backend, async b =>
        {
            IListener<IStreamTransport> listener = Assert.Single(await b.CreateTcpListenersAsync("127.0.0.1", 0, connections));
            int port = ((IPEndPoint)listener.LocalEndPoint).Port;
            await using (listener)
            {
                await b.RunTaskGroupAsync(async (group, _) =>
                {
                    group.StartSoon(static s => s.listener.ServeAsync(transport => EchoAsync(transport, s.peak)), (listener, peak));
                    var barrier = new ClientBarrier(b, connections);
                    await b.RunTaskGroupAsync(async (clients, _) =>
                    {
                        for (int i = 0; i < connections; i++)
                        {
                            clients.StartSoon(static s => ClientAsync(s.b, s.port, s.barrier, s.rounds), (b, port, barrier, rounds));
                        }
                    }, 0);
                    group.CancelScope.Cancel();
                }, 0);
            }
        });
        return peak[1];
    }

    private static async ValueTask ClientAsync(IAsyncBackend b, int port, ClientBarrier barrier, int rounds)
    {
        await using IStreamTransport transport = await b.ConnectTcpAsync("127.0.0.1", port);
        await barrier.ArriveAndWaitAsync(0);
        var echo = new byte[s_message.Length];
        for (int round = 0; round < rounds; round++)
        {
            await transport.SendAllAsync(s_message);
            int received = 0;
            while (received < echo.Length)
            {
                int n = await transport.ReceiveAsync(echo.AsMemory(received));
                Assert.NotEqual(0, n);
                received += n;
            }

            Assert.Equal(s_message, echo);
        }

        // Hold the connection until every client has echoed, so the server sees them all open at once.
        await barrier.ArriveAndWaitAsync(1);
    }

    private static async ValueTask EchoAsync(IStreamTransport transport, int[] peak)
    {
        int open = Interlocked.Increment(ref peak[0]);
        int seen;
        while ((seen = Volatile.Read(ref peak[1])) < open && Interlocked.CompareExchange(ref peak[1], open, seen) != seen)
        {
        }

        try
        {
            var buffer = new byte[256];
            int n;
            while ((n = await transport.ReceiveAsync(buffer)) > 0)
            {
                await transport.SendAllAsync(buffer.AsMemory(0, n));
            }
        }
        finally
        {
            Interlocked.Decrement(ref peak[0]);
        }
    }

    [Theory]
    [MemberData(nameof(ReliabilityRuns.Backends), MemberType = typeof(ReliabilityRuns))]
    public async Task Connect_close_cycles_are_all_served_and_leave_nothing_behind(string backend)
    {
        const int Workers = 8;
        int cycles = ReliabilityScale.Current.ConnectCloseCycles;
        int served = 0;
        await WithLeakChecksAsync("connect/close cycles", backend, () => ReliabilityRuns.RunAsync(backend, async b =>
        {
            IListener<IStreamTransport> listener = Assert.Single(await b.CreateTcpListenersAsync("127.0.0.1", 0, 128));
            int port = ((IPEndPoint)listener.LocalEndPoint).Port;
            IAsyncEvent allServed = b.CreateEvent();
            await using (listener)
            {
                await b.RunTaskGroupAsync(async (group, _) =>
                {
                    group.StartSoon(_ => listener.ServeAsync(async transport =>
                    {
                        // The client closes at once: the server reads the end, then closes its side.
                        Assert.Equal(0, await transport.ReceiveAsync(new byte[1]));
                        if (Interlocked.Increment(ref served) == cycles)
                        {
                            allServed.Set();
                        }
                    }), 0);

                    await b.RunTaskGroupAsync(async (clients, _) =>
                    {
                        for (int w = 0; w < Workers; w++)
                        {
                            clients.StartSoon(async share =>
                            {
                                for (int i = 0; i < share; i++)
                                {
                                    IStreamTransport transport = await b.ConnectTcpAsync("127.0.0.1", port);
                                    await transport.CloseAsync();
                                }
                            }, (cycles / Workers) + (w < cycles % Workers ? 1 : 0));
                        }
                    }, 0);

                    await allServed.WaitAsync();
                    group.CancelScope.Cancel();
                }, 0);
            }
        }));

        Assert.Equal(cycles, served);
        ReliabilityFigures.Record("connect/close cycles", backend, "cycles", cycles);
    }

    [Theory]
    [MemberData(nameof(ReliabilityRuns.Backends), MemberType = typeof(ReliabilityRuns))]
    public async Task S9_13_a_long_datagram_stream_is_dispatched_in_arrival_order_and_nothing_the_kernel_delivered_is_dropped(string backend)
    {
        // At most this many datagrams in flight: well under what the socket's receive buffer holds, so the kernel drops none.
        const int Window = 128;
        int count = ReliabilityScale.Current.Datagrams;
        var started = new List<int>(count);
        long kernelDrops = -1;
        await WithLeakChecksAsync("datagram stream", backend, () => ReliabilityRuns.RunAsync(backend, async b =>
        {
            IDatagramListener listener = Assert.Single(await b.CreateUdpListenersAsync("127.0.0.1", 0));
            int port = ((IPEndPoint)listener.LocalEndPoint).Port;
            using var credits = new SemaphoreSlim(Window);
            IAsyncEvent all = b.CreateEvent();
            await using (listener)
            {
                await b.RunTaskGroupAsync(async (group, _) =>
                {
                    group.StartSoon(_ => listener.ServeAsync((datagram, _) =>
                    {
                        int index = BitConverter.ToInt32(datagram.Span);
                        bool last;
                        lock (started)
                        {
                            started.Add(index);
                            last = started.Count == count;
                        }

                        credits.Release();
                        if (last)
                        {
                            all.Set();
                        }

                        return ValueTask.CompletedTask;
                    }), 0);

                    await b.RunInThreadAsync(static s =>
                    {
                        using DatagramPeer sender = DatagramPeer.Udp().ConnectTo(new IPEndPoint(IPAddress.Loopback, s.port));
                        var datagram = new byte[sizeof(int)];
                        for (int i = 0; i < s.count; i++)
                        {
                            s.credits.Wait();
                            BitConverter.TryWriteBytes(datagram, i);
                            sender.Send(datagram);
                        }
                    }, (port, count, credits));

                    await all.WaitAsync();
                    kernelDrops = KernelDrops(port);
                    group.CancelScope.Cancel();
                }, 0);
            }
        }));

        Assert.Equal(count, started.Count);
        if (BackendRuns.BackendName(backend) == AsyncBackendRegistry.EventLoop)
        {
            // (eventloop) Handlers first run in arrival order, and loopback keeps the send order.
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(i, started[i]);
            }
        }
        else
        {
            started.Sort();
            for (int i = 0; i < count; i++)
            {
                Assert.Equal(i, started[i]);
            }
        }

        Assert.True(kernelDrops <= 0, $"The kernel dropped {kernelDrops} datagrams.");
        ReliabilityFigures.Record("datagram stream", backend, "datagrams dispatched", count);
        ReliabilityFigures.Record("datagram stream", backend, "kernel drops", Math.Max(0, kernelDrops));
    }

    /// <summary>The kernel's drop counter of the IPv4 UDP socket bound to 127.0.0.1:<paramref name="port"/> (Linux), or -1.</summary>
    private static long KernelDrops(int port)
    {
        const string Table = "/proc/net/udp";
        if (!File.Exists(Table))
        {
            return -1;
        }

        // Columns: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops.
        string local = string.Create(CultureInfo.InvariantCulture, $"0100007F:{port:X4}");
        foreach (string line in File.ReadLines(Table))
        {
            string[] columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length >= 13 && columns[1] == local)
            {
                return long.Parse(columns[12], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
