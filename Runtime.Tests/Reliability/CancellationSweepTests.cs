using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace EasyNetwork.Runtime.Tests.Reliability;

/// <summary>
/// Issue 9 (1): every waiting operation cancelled at its 1st, 2nd, ... schedule point (see <see cref="CheckpointSweep"/>).
/// Each round asserts that the cancellation surfaced as the cancellation of the scope around the operation, that no
/// socket descriptor leaked and that the object is usable or cleanly closed as SPEC says; the run returning proves that
/// no task was left running.
/// </summary>
[Collection(NetworkCollection.Name)]
public sealed class CancellationSweepTests(ITestOutputHelper output)
{
    private static readonly X509Certificate2 s_certificate = CreateCertificate();

    private void Report(string operation, string backend, SweepReport report, bool mustComplete = true, bool mustCancel = true)
    {
        output.WriteLine($"{operation} on {backend}: {report.Cancelled} rounds cancelled, {report.CompletedDespiteCancel} completed despite a late cancellation, reached the end: {report.Completed}");
        // On threadpool the canceller runs in parallel, so a fast operation may outrun even the first round.
        // I/O that the kernel completes at once is a cancel point with no schedule point (S2.12 b), so for I/O only the
        // rounds that did get cancelled are checked.
        if (mustCancel && BackendRuns.BackendName(backend) != AsyncBackendRegistry.ThreadPool)
        {
            Assert.True(report.Cancelled > 0, $"{operation}: no round was cancelled, so the sweep tested nothing.");
        }

        if (mustComplete)
        {
            Assert.True(report.Completed, $"{operation}: no round completed within {CheckpointSweep.MaxRounds} rounds.");
        }
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Lock_acquire_cancelled_at_every_checkpoint_leaves_the_lock_free(string backend)
    {
        var reports = new List<(string, SweepReport)>();
        await BackendRuns.RunAsync(backend, async b =>
        {
            foreach (bool fair in new[] { false, true })
            {
                IAsyncLock gate = fair ? b.CreateFairLock() : b.CreateLock();
                await b.RunTaskGroupAsync(async (outer, _) =>
                {
                    IAsyncEvent released = b.CreateEvent();
                    SweepReport report = await CheckpointSweep.RunAsync(
                        b,
                        prepare: async () =>
                        {
                            // A holder outside the swept scope keeps the lock for a few schedule points.
                            IAsyncEvent held = b.CreateEvent();
                            released = b.CreateEvent();
                            outer.StartSoon(async _ =>
                            {
                                await gate.AcquireAsync();
                                try
                                {
                                    held.Set();
                                    for (int i = 0; i < 8; i++)
                                    {
                                        await b.CancelShieldedYieldAsync();
                                    }
                                }
                                finally
                                {
                                    gate.Release();
                                    released.Set();
                                }
                            }, 0, "holder");
                            await held.WaitAsync();
                        },
                        operation: async () =>
                        {
                            await gate.AcquireAsync();
                            gate.Release();
                        },
                        verify: async round =>
                        {
                            await released.WaitAsync();
                            Assert.False(gate.IsLocked, $"The lock is still held after a round cancelled after {round.SchedulePoints} schedule points.");
                            await gate.AcquireAsync();
                            gate.Release();
                        },
                        countDescriptors: false);
                    reports.Add((fair ? "fair lock acquire" : "lock acquire", report));
                }, 0);
            }
        });
        foreach ((string name, SweepReport report) in reports)
        {
            Report(name, backend, report);
        }
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Condition_wait_cancelled_at_every_checkpoint_holds_the_lock_again(string backend)
    {
        SweepReport report = default;
        await BackendRuns.RunAsync(backend, async b =>
        {
            IAsyncCondition condition = b.CreateConditionVariable();
            await b.RunTaskGroupAsync(async (outer, _) =>
            {
                IAsyncEvent notified = b.CreateEvent();
                report = await CheckpointSweep.RunAsync(
                    b,
                    prepare: () =>
                    {
                        // The notifier can only take the lock once the waiter released it by waiting (or gave up).
                        notified = b.CreateEvent();
                        outer.StartSoon(async _ =>
                        {
                            for (int i = 0; i < 8; i++)
                            {
                                await b.YieldAsync();
                            }

                            await condition.AcquireAsync();
                            condition.NotifyAll();
                            condition.Release();
                            notified.Set();
                        }, 0, "notifier");
                        return ValueTask.CompletedTask;
                    },
                    operation: async () =>
                    {
                        await condition.AcquireAsync();
                        try
                        {
                            await condition.WaitAsync();
                        }
                        finally
                        {
                            // S5.18: the lock is held again however the wait ended.
                            Assert.True(condition.IsLocked);
                            condition.Release();
                        }
                    },
                    verify: async round =>
                    {
                        await notified.WaitAsync();
                        Assert.False(condition.IsLocked);
                    },
                    countDescriptors: false);
            }, 0);
        });
        Report("condition wait", backend, report);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Task_group_start_cancelled_at_every_checkpoint_leaves_no_child_running(string backend)
    {
        SweepReport report = default;
        await BackendRuns.RunAsync(backend, async b =>
        {
            int running = 0;
            int finished = 0;
            async ValueTask ChildAsync(int steps)
            {
                Interlocked.Increment(ref running);
                try
                {
                    for (int i = 0; i < steps; i++)
                    {
                        await b.YieldAsync();
                    }

                    Interlocked.Increment(ref finished);
                }
                finally
                {
                    Interlocked.Decrement(ref running);
                }
            }

            report = await CheckpointSweep.RunAsync(
                b,
                operation: () => b.RunTaskGroupAsync(async (group, _) =>
                {
                    TaskHandle first = await group.StartAsync(static s => s.ChildAsync(3), (ChildAsync: (Func<int, ValueTask>)ChildAsync, 0));
                    group.StartSoon(static s => s(2), (Func<int, ValueTask>)ChildAsync);
                    TaskHandle<int> second = await group.StartAsync(static async s => { await s(2); return 7; }, (Func<int, ValueTask>)ChildAsync);
                    // A child cancelled with the group would make JoinAsync throw a foreign cancellation (S4.23): wait, then join only a finished one.
                    await second.WaitAsync();
                    if (!second.IsCancelled)
                    {
                        Assert.Equal(7, await second.JoinAsync());
                    }

                    await first.WaitAsync();
                }, 0),
                verify: round =>
                {
                    // S4.17: whatever happened, no child of the group is still running.
                    Assert.Equal(0, Volatile.Read(ref running));
                    if (round.Completed && !round.CompletedAfterCancel)
                    {
                        Assert.True(Volatile.Read(ref finished) >= 3);
                    }

                    return ValueTask.CompletedTask;
                },
                countDescriptors: false);
        });
        Report("task group start", backend, report);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Stream_receive_cancelled_at_every_checkpoint_loses_no_byte(string backend)
    {
        SweepReport report = default;
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, async b =>
        {
            using RawPeer peer = RawPeer.Listen();
            await using IStreamTransport transport = await peer.ConnectAsync(b);
            var sent = new List<byte>();
            var received = new List<byte>();
            var buffer = new byte[256];
            await b.RunTaskGroupAsync(async (outer, _) =>
            {
                IAsyncEvent delivered = b.CreateEvent();
                report = await CheckpointSweep.RunAsync(
                    b,
                    prepare: () =>
                    {
                        byte[] chunk = new byte[1 + (sent.Count % 97)];
                        Random.Shared.NextBytes(chunk);
                        sent.AddRange(chunk);
                        delivered = b.CreateEvent();
                        outer.StartSoon(async _ => { await peer.SendAsync(b, chunk); delivered.Set(); }, 0, "peer sender");
                        return ValueTask.CompletedTask;
                    },
                    operation: async () => received.AddRange(buffer.AsSpan(0, await transport.ReceiveAsync(buffer)).ToArray()),
                    verify: async round =>
                    {
                        // S8.17: whatever the round did, the bytes it did not consume are still there.
                        await delivered.WaitAsync();
                        while (received.Count < sent.Count)
                        {
                            int n = await transport.ReceiveAsync(buffer);
                            Assert.NotEqual(0, n);
                            received.AddRange(buffer.AsSpan(0, n).ToArray());
                        }

                        Assert.Equal(sent, received);
                    },
                    countDescriptors: false);
            }, 0);
        });
        Report("stream receive", backend, report, mustCancel: false);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Stream_send_cancelled_at_every_checkpoint_frees_the_writer(string backend)
    {
        SweepReport report = default;
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, async b =>
        {
            using RawPeer peer = RawPeer.Listen();
            IStreamTransport transport = await peer.ConnectAsync(b);

            // Small buffers on both sides so that a send must wait for the peer, which drains on its own thread.
            transport.Socket.SendBufferSize = 16 * 1024;
            peer.Socket.ReceiveBufferSize = 16 * 1024;
            var drained = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var drainer = new Thread(() =>
            {
                long total = 0;
                var sink = new byte[64 * 1024];
                int n;
                while ((n = peer.Socket.Receive(sink)) > 0)
                {
                    total += n;
                }

                drained.SetResult(total);
            }) { IsBackground = true, Name = "send sweep drainer" };
            drainer.UnsafeStart();
            byte[] payload = new byte[256 * 1024];
            try
            {
                report = await CheckpointSweep.RunAsync(
                    b,
                    operation: () => transport.SendAllAsync(payload),
                    verify: async round =>
                    {
                        // How much a cancelled send wrote is unspecified (S8.19), but the writer slot is free again.
                        Assert.False(transport.IsClosing);
                        await transport.SendAllAsync(new byte[] { 1 });
                    },
                    countDescriptors: false);
            }
            finally
            {
                await b.ShieldAsync(Timeout.InfiniteTimeSpan, static (_, t) => t.CloseAsync(), transport);
            }

            Assert.True(await b.IgnoreCancellationAsync(drained.Task) > 0);
        });
        Report("stream send", backend, report, mustCancel: false);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Tcp_connect_cancelled_at_every_checkpoint_leaves_no_socket(string backend)
    {
        SweepReport report = default;
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, async b =>
        {
            // Never accepted: the kernel completes the handshakes, and the test process holds no descriptor for them.
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(512);
            int port = ((IPEndPoint)listener.LocalEndPoint!).Port;

            // "localhost" goes through the resolver and, where ::1 exists, a refused IPv6 attempt before the IPv4 one.
            report = await CheckpointSweep.RunAsync(
                b,
                operation: async () =>
                {
                    IStreamTransport transport = await b.ConnectTcpAsync("localhost", port, happyEyeballsDelay: TimeSpan.FromMilliseconds(50));
                    await transport.CloseForcefullyAsync();
                },
                verify: _ => ValueTask.CompletedTask);
        });
        Report("tcp connect", backend, report, mustCancel: false);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Tcp_serve_cancelled_at_every_checkpoint_closes_what_it_accepted_and_keeps_accepting(string backend)
    {
        SweepReport report = default;
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, async b =>
        {
            IReadOnlyList<IListener<IStreamTransport>> listeners = await b.CreateTcpListenersAsync("127.0.0.1", 0, 64);
            await using IListener<IStreamTransport> listener = listeners[0];
            int port = ((IPEndPoint)listener.LocalEndPoint).Port;
            Socket? client = null;
            await b.RunTaskGroupAsync(async (outer, _) =>
            {
                IAsyncEvent connected = b.CreateEvent();
                report = await CheckpointSweep.RunAsync(
                    b,
                    prepare: () =>
                    {
                        connected = b.CreateEvent();
                        outer.StartSoon(async _ =>
                        {
                            client = await b.RunInThreadAsync(static port =>
                            {
                                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                                socket.Connect(IPAddress.Loopback, port);
                                return socket;
                            }, port);
                            connected.Set();
                        }, 0, "client");
                        return ValueTask.CompletedTask;
                    },
                    operation: () => listener.ServeAsync(static async transport =>
                    {
                        await transport.SendAllAsync(new byte[] { 42 });
                        await transport.ReceiveAsync(new byte[1]);
                    }),
                    verify: async round =>
                    {
                        await connected.WaitAsync();
                        client!.Dispose();
                        Assert.False(listener.IsClosing);
                    },
                    rounds: 12,
                    untilCompleted: false);

                // S8.40: after every cancelled serve, the listener still accepts and serves.
                await AssertStillServesAsync(b, listener, port);
            }, 0);
        });
        Report("tcp serve", backend, report, mustComplete: false);
    }

    private static async ValueTask AssertStillServesAsync(IAsyncBackend b, IListener<IStreamTransport> listener, int port)
    {
        IAsyncEvent served = b.CreateEvent();
        await b.RunTaskGroupAsync(static async (group, s) =>
        {
            group.StartSoon(static s => s.listener.ServeAsync(async transport =>
            {
                await transport.SendAllAsync(new byte[] { 7 });
                s.served.Set();
            }), s);
            using Socket socket = await s.b.RunInThreadAsync(static port =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Connect(IPAddress.Loopback, port);
                return socket;
            }, s.port);
            await s.served.WaitAsync();
            group.CancelScope.Cancel();
        }, (b, listener, served, port));
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Udp_receive_cancelled_at_every_checkpoint_loses_no_datagram(string backend)
    {
        SweepReport report = default;
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, async b =>
        {
            using DatagramPeer peer = DatagramPeer.Udp();
            await using IDatagramTransport transport = await b.CreateUdpEndpointAsync("127.0.0.1", peer.Port);
            peer.ConnectTo(transport.LocalEndPoint);
            int sent = 0;
            int received = 0;
            var buffer = new byte[16];
            await b.RunTaskGroupAsync(async (outer, _) =>
            {
                report = await CheckpointSweep.RunAsync(
                    b,
                    prepare: () =>
                    {
                        int sequence = sent++;
                        outer.StartSoon(async _ =>
                        {
                            await b.YieldAsync();
                            peer.Send(BitConverter.GetBytes(sequence));
                        }, 0, "peer sender");
                        return ValueTask.CompletedTask;
                    },
                    operation: async () =>
                    {
                        int n = await transport.ReceiveAsync(buffer);
                        Assert.Equal(sizeof(int), n);
                        Assert.Equal(received++, BitConverter.ToInt32(buffer));
                    },
                    verify: async round =>
                    {
                        // S9.10: the datagram a cancelled receive did not return is the next one returned.
                        if (!round.Completed)
                        {
                            int n = await transport.ReceiveAsync(buffer);
                            Assert.Equal(sizeof(int), n);
                            Assert.Equal(received++, BitConverter.ToInt32(buffer));
                        }

                        Assert.Equal(sent, received);
                    },
                    countDescriptors: false);
            }, 0);
        });
        Report("udp receive", backend, report, mustCancel: false);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Udp_serve_cancelled_at_every_checkpoint_keeps_the_listener_serving(string backend)
    {
        SweepReport report = default;
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, async b =>
        {
            IReadOnlyList<IDatagramListener> listeners = await b.CreateUdpListenersAsync("127.0.0.1", 0);
            await using IDatagramListener listener = listeners[0];
            using DatagramPeer peer = DatagramPeer.Udp();
            int handled = 0;
            report = await CheckpointSweep.RunAsync(
                b,
                prepare: () =>
                {
                    peer.SendTo([1, 2, 3], listener.LocalEndPoint);
                    return ValueTask.CompletedTask;
                },
                operation: () => listener.ServeAsync(async (datagram, from) =>
                {
                    Assert.Equal(3, datagram.Length);
                    Interlocked.Increment(ref handled);
                    await listener.SendToAsync(datagram, from);
                }),
                verify: _ =>
                {
                    Assert.False(listener.IsClosing);
                    return ValueTask.CompletedTask;
                },
                rounds: 12,
                untilCompleted: false);

            // After every cancelled serve, a datagram still gets to a handler.
            IAsyncEvent served = b.CreateEvent();
            await b.RunTaskGroupAsync(async (group, _) =>
            {
                group.StartSoon(_ => listener.ServeAsync((datagram, from) =>
                {
                    if (datagram.Span.SequenceEqual("last"u8))
                    {
                        served.Set();
                    }

                    return ValueTask.CompletedTask;
                }), 0);
                await b.YieldAsync();
                peer.SendTo("last"u8.ToArray(), listener.LocalEndPoint);
                await served.WaitAsync();
                group.CancelScope.Cancel();
            }, 0);
        });
        Report("udp serve", backend, report, mustComplete: false);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Tls_handshake_cancelled_at_every_checkpoint_aborts_the_connection(string backend)
    {
        SweepReport report = default;
        TimeSpan? limit = BackendRuns.IsVirtual(backend) ? Timeout.InfiniteTimeSpan : null;
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, async b =>
        {
            IReadOnlyList<IListener<IStreamTransport>> listeners = await b.CreateTcpListenersAsync("127.0.0.1", 0, 64);
            await using var listener = new TlsListener(listeners[0], new SslServerAuthenticationOptions { ServerCertificate = s_certificate }, limit, limit);
            int port = ((IPEndPoint)listener.LocalEndPoint).Port;
            var clientOptions = new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                RemoteCertificateValidationCallback = static (_, certificate, _, errors)
                    => certificate is not null && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
                       && certificate.GetCertHashString(HashAlgorithmName.SHA256) == s_certificate.GetCertHashString(HashAlgorithmName.SHA256),
            };
            await b.RunTaskGroupAsync(async (group, _) =>
            {
                group.StartSoon(_ => listener.ServeAsync(static async transport =>
                {
                    try
                    {
                        while (await transport.ReceiveAsync(new byte[16]) > 0)
                        {
                        }
                    }
                    catch (Exception ex) when (ex is SocketException or IOException)
                    {
                        // A client cancelled after the server finished its side of the handshake aborts the connection.
                    }
                }), 0, "tls server");
                IStreamTransport tcp = null!;
                report = await CheckpointSweep.RunAsync(
                    b,
                    prepare: async () => tcp = await b.ConnectTcpAsync("127.0.0.1", port),
                    operation: async () =>
                    {
                        ITlsStreamTransport tls = await TlsStreamTransport.WrapAsync(tcp, clientOptions, limit, limit);
                        await b.ShieldAsync(Timeout.InfiniteTimeSpan, static (_, t) => t.CloseAsync(), tls);
                    },
                    verify: async round =>
                    {
                        // S10.2: a cancelled handshake aborted the transport underneath; a completed one was closed.
                        Assert.True(tcp.IsClosing);
                        await tcp.DisposeAsync();
                    },
                    countDescriptors: false);
                group.CancelScope.Cancel();
            }, 0);
        });
        Report("tls handshake", backend, report, mustCancel: false);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Portal_call_cancelled_at_every_checkpoint_leaves_no_thread_waiting(string backend)
    {
        SweepReport report = default;
        await BackendRuns.RunAsync(backend, async b =>
        {
            TaskCompletionSource<object?>? worker = null;
            report = await CheckpointSweep.RunAsync(
                b,
                operation: () => b.CreateThreadsPortal().RunAsync(async (portal, _) =>
                {
                    // A foreign thread calls into the run through the portal; the body waits for it, cancellably.
                    var call = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
                    new Thread(() =>
                    {
                        try
                        {
                            call.SetResult(portal.RunCoroutine(static async b =>
                            {
                                for (int i = 0; i < 4; i++)
                                {
                                    await b.YieldAsync();
                                }

                                return 11;
                            }, b));
                        }
                        catch (Exception ex)
                        {
                            call.SetResult(ex);
                        }
                    }) { IsBackground = true, Name = "portal caller" }.UnsafeStart();
                    worker = call;
                    object? outcome = await call.Task.WaitAsync(b.CurrentCancellationToken);
                    if (outcome is OperationCanceledException)
                    {
                        // S6.16: the thread sees a cancellation only when the run side was cancelled, so ours is pending.
                        await b.YieldAsync();
                    }

                    Assert.True(outcome is 11, $"The portal call from a thread failed while the portal was running: {outcome}");
                }, 0),
                verify: async round =>
                {
                    // The thread's call ended too: with the result, or refused because the portal was exiting (S6.8, S6.16, S6.19).
                    if (worker is { } call)
                    {
                        object? outcome = await b.IgnoreCancellationAsync(call.Task);
                        Assert.True(outcome is 11 or OperationCanceledException or InvalidOperationException, $"Unexpected outcome of the portal call: {outcome}");
                    }

                    worker = null;
                },
                countDescriptors: false);
        });
        Report("portal call", backend, report);
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        // An ephemeral key cannot serve TLS on Linux: round-trip through PKCS#12 to get a usable one.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }
}
