using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace EasyNetwork.Runtime.Tests.Reliability;

/// <summary>
/// Issue 9 (4): every public entry point given bad input (out-of-range ports, empty or malformed hosts and paths,
/// negative durations, null delegates, closed objects, calls from the wrong task or thread, double entry of scopes and
/// portals) raises the typed error SPEC §12 documents, with a message that names the bad value, and leaves no socket behind.
/// </summary>
[Collection(NetworkCollection.Name)]
public sealed class BadInputTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_negative = TimeSpan.FromMilliseconds(-1.5);

    private static BadInput Row<TException>(string name, Func<IAsyncBackend, ValueTask> call, params string[] mentions)
        where TException : Exception
        => new(name, typeof(TException), mentions, call);

    private static ValueTask Sync(Action action)
    {
        action();
        return ValueTask.CompletedTask;
    }

    /// <summary>The table; each row runs in a task of the run, with the socket descriptor count checked around it.</summary>
    private static IEnumerable<BadInput> Rows(TempDirectory directory)
    {
        // ---- time, scopes, shields
        yield return Row<ArgumentOutOfRangeException>("SleepAsync(negative)", b => b.SleepAsync(s_negative), "delay", s_negative.ToString());
        yield return Row<ArgumentOutOfRangeException>("SleepAsync(MinValue)", b => b.SleepAsync(TimeSpan.MinValue), "delay", TimeSpan.MinValue.ToString());
        yield return Row<ArgumentException>("OpenCancelScope(both deadlines)", b => Sync(() => b.OpenCancelScope(new CancelScopeOptions { Deadline = TimeSpan.Zero, RelativeDeadline = TimeSpan.Zero })), "Deadline", "RelativeDeadline");
        yield return Row<ArgumentNullException>("MoveOnAfterAsync(null body)", async b => await b.MoveOnAfterAsync<int>(TimeSpan.FromSeconds(1), null!, 0), "body");
        yield return Row<ArgumentNullException>("TimeoutAfterAsync(null body)", b => b.TimeoutAfterAsync<int>(TimeSpan.FromSeconds(1), null!, 0), "body");
        yield return Row<ArgumentNullException>("ShieldAsync(null body)", async b => await b.ShieldAsync<int>(TimeSpan.FromSeconds(1), null!, 0), "body");
        yield return Row<ArgumentNullException>("IgnoreCancellationAsync(null func)", b => b.IgnoreCancellationAsync<int>(null!, 0), "func");
        yield return Row<ArgumentNullException>("IgnoreCancellationAsync(null task)", b => b.IgnoreCancellationAsync((Task)null!), "task");
        yield return Row<ArgumentNullException>("CancelScope.RunAsync(null body)", async b => await b.OpenCancelScope().RunAsync<int>(null!, 0), "body");
        yield return Row<InvalidOperationException>("CancelScope entered twice", async b =>
        {
            CancelScope scope = await b.OpenCancelScope().RunAsync(static (_, _) => ValueTask.CompletedTask, 0);
            await scope.RunAsync(static (_, _) => ValueTask.CompletedTask, 0);
        }, "scope");
        yield return Row<InvalidOperationException>("CancelScope exited out of order", b => Sync(() =>
        {
            CancelScope outer = b.EnterCancelScope();
            CancelScope inner = b.EnterCancelScope();
            try
            {
                outer.Dispose();
            }
            finally
            {
                inner.Dispose();
            }
        }), "scope");
        yield return Row<InvalidOperationException>("CancelScope exited from another task", async b =>
        {
            CancelScope scope = b.EnterCancelScope();
            try
            {
                await b.RunTaskGroupAsync(static (group, scope) =>
                {
                    group.StartSoon(static scope => { scope.Dispose(); return ValueTask.CompletedTask; }, scope);
                    return ValueTask.CompletedTask;
                }, scope);
            }
            finally
            {
                scope.Dispose();
            }
        }, "task");

        // ---- tasks
        yield return Row<ArgumentNullException>("RunTaskGroupAsync(null body)", b => b.RunTaskGroupAsync<int>(null!, 0), "body");
        yield return Row<ArgumentNullException>("StartSoon(null func)", b => b.RunTaskGroupAsync(static (group, _) => Sync(() => group.StartSoon<int>(null!, 0)), 0), "func");
        yield return Row<ArgumentNullException>("StartAsync(null func)", b => b.RunTaskGroupAsync(static async (group, _) => { await group.StartAsync<int>(null!, 0); }, 0), "func");
        yield return Row<InvalidOperationException>("StartSoon on an exited group", async b =>
        {
            ITaskGroup exited = await b.RunTaskGroupAsync(static (group, _) => ValueTask.FromResult(group), 0);
            exited.StartSoon(static _ => ValueTask.CompletedTask, 0);
        }, "group");
        yield return Row<ArgumentNullException>("GatherAsync(null list)", async b => await b.GatherAsync((IReadOnlyList<Func<ValueTask<int>>>)null!), "funcs");
        yield return Row<ArgumentNullException>("GatherAsync(null element)", async b => await b.GatherAsync(new Func<ValueTask<int>>[] { null! }), "funcs");
        yield return Row<ArgumentNullException>("SpawnSystemTask(null func)", b => Sync(() => b.SpawnSystemTask<int>(null!, 0)), "func");
        yield return Row<InvalidOperationException>("JoinAsync on the calling task's own handle", b => b.RunTaskGroupAsync(static async (group, _) =>
        {
            var self = new TaskCompletionSource<TaskHandle>(TaskCreationOptions.RunContinuationsAsynchronously);
            TaskHandle handle = await group.StartAsync(static async self => { await (await self.Task).JoinAsync(); }, self);
            self.SetResult(handle);
            await handle.WaitAsync();
        }, 0), "own");

        // ---- synchronisation
        yield return Row<ArgumentOutOfRangeException>("Notify(-1)", async b =>
        {
            IAsyncCondition condition = b.CreateConditionVariable();
            await condition.AcquireAsync();
            try
            {
                condition.Notify(-1);
            }
            finally
            {
                condition.Release();
            }
        }, "count", "-1");
        yield return Row<InvalidOperationException>("Release an unlocked lock", b => Sync(() => b.CreateLock().Release()), "lock");
        yield return Row<InvalidOperationException>("Acquire a lock twice", async b =>
        {
            IAsyncLock gate = b.CreateFairLock();
            await gate.AcquireAsync();
            try
            {
                await gate.AcquireAsync();
            }
            finally
            {
                gate.Release();
            }
        }, "lock");
        yield return Row<InvalidOperationException>("Condition wait without the lock", b => b.CreateConditionVariable().WaitAsync(), "lock");
        yield return Row<InvalidOperationException>("Lock acquired from a worker thread", b => b.RunInThreadAsync(static gate => gate.AcquireAsync().AsTask().GetAwaiter().GetResult(), b.CreateLock()), "task");
        yield return Row<InvalidOperationException>("YieldAsync from a worker thread", b => b.RunInThreadAsync(static b => b.YieldAsync().AsTask().GetAwaiter().GetResult(), b), "task");
        yield return Row<InvalidOperationException>("GetCurrentTask from a worker thread", b => b.RunInThreadAsync(static b => { _ = b.GetCurrentTask(); }, b), "task");

        // ---- threads and portals
        yield return Row<ArgumentNullException>("RunInThreadAsync(null func)", async b => await b.RunInThreadAsync<int, int>(null!, 0), "func");
        yield return Row<ArgumentNullException>("WaitFutureAsync(null)", async b => await b.WaitFutureAsync<int>(null!), "future");
        yield return Row<ArgumentNullException>("ThreadsPortal.RunAsync(null body)", b => b.CreateThreadsPortal().RunAsync<int>(null!, 0), "body");
        yield return Row<InvalidOperationException>("ThreadsPortal entered twice", b => b.CreateThreadsPortal().RunAsync(static (portal, _) => portal.RunAsync(static (_, _) => ValueTask.CompletedTask, 0), 0), "portal");
        yield return Row<InvalidOperationException>("ThreadsPortal called when not running", b => b.RunInThreadAsync(static portal => { portal.RunSync(static _ => 1, 0); }, b.CreateThreadsPortal()), "portal");
        yield return Row<InvalidOperationException>("ThreadsPortal called from its own run", b => b.CreateThreadsPortal().RunAsync(static (portal, _) => Sync(() => portal.RunSync(static _ => 1, 0)), 0), "thread");
        yield return Row<ArgumentNullException>("ThreadsPortal.RunSync(null func)", b => b.CreateThreadsPortal().RunAsync(static (portal, b) => b.RunInThreadAsync(static portal => { portal.RunSync<int, int>(null!, 0); }, portal), b), "func");
        yield return Row<InvalidOperationException>("Run inside a run", b => Sync(() => b.Run(static _ => ValueTask.CompletedTask, 0)), "run");
        yield return Row<ArgumentNullException>("Run(null main) from a worker thread", b => b.RunInThreadAsync(static b => b.Run<int>(null!, 0), b), "main");
        yield return Row<ObjectDisposedException>("Runner used after Dispose", b => b.RunInThreadAsync(static b =>
        {
            IAsyncRunner runner = b.CreateRunner();
            runner.Dispose();
            runner.Run(static _ => ValueTask.CompletedTask, 0);
        }, b), "runner");
        yield return Row<ArgumentNullException>("AsyncExecutor(null executor)", b => Sync(() => _ = new AsyncExecutor(null!, b)), "executor");

        // ---- DNS
        yield return Row<ArgumentOutOfRangeException>("GetAddrInfoAsync(port -1)", async b => await b.GetAddrInfoAsync("127.0.0.1", -1), "port", "-1");
        yield return Row<ArgumentOutOfRangeException>("GetAddrInfoAsync(port 65536)", async b => await b.GetAddrInfoAsync("127.0.0.1", 65536), "port", "65536");
        yield return Row<ArgumentException>("GetAddrInfoAsync(family Unix)", async b => await b.GetAddrInfoAsync("127.0.0.1", 80, AddressFamily.Unix), "family", "Unix");
        yield return Row<SocketException>("GetAddrInfoAsync(malformed host)", async b => await b.GetAddrInfoAsync("bad host..invalid", 80), "bad host..invalid");
        yield return Row<SocketException>("GetAddrInfoAsync(NumericHost with a name)", async b => await b.GetAddrInfoAsync("localhost", 80, flags: AddressInfoFlags.NumericHost), "localhost");
        yield return Row<ArgumentNullException>("GetNameInfoAsync(null)", async b => await b.GetNameInfoAsync(null!), "endPoint");

        // ---- clients
        yield return Row<ArgumentNullException>("ConnectTcpAsync(null host)", async b => await b.ConnectTcpAsync(null!, 80), "host");
        yield return Row<ArgumentOutOfRangeException>("ConnectTcpAsync(port -1)", async b => await b.ConnectTcpAsync("127.0.0.1", -1), "port", "-1");
        yield return Row<ArgumentOutOfRangeException>("ConnectTcpAsync(port 65536)", async b => await b.ConnectTcpAsync("127.0.0.1", 65536), "port", "65536");
        yield return Row<ArgumentOutOfRangeException>("ConnectTcpAsync(negative delay)", async b => await b.ConnectTcpAsync("127.0.0.1", 80, happyEyeballsDelay: s_negative), "happyEyeballsDelay", s_negative.ToString());
        yield return Row<ArgumentException>("ConnectTcpAsync(Unix local address)", async b => await b.ConnectTcpAsync("127.0.0.1", 80, new UnixDomainSocketEndPoint(directory.File("local"))), "localAddress", "UnixDomainSocketEndPoint");
        yield return Row<ArgumentException>("ConnectTcpAsync(empty host)", async b => await b.ConnectTcpAsync("", 80), "host");
        yield return Row<ArgumentException>("CreateUdpEndpointAsync(empty host)", async b => await b.CreateUdpEndpointAsync("", 80), "remoteHost");
        yield return Row<SocketException>("ConnectUnixDatagramAsync(missing path)", async b => await b.ConnectUnixDatagramAsync(directory.File("missing-dgram")), directory.File("missing-dgram"));
        yield return Row<SocketException>("ConnectTcpAsync(malformed host)", async b => await b.ConnectTcpAsync("bad host..invalid", 80), "bad host..invalid");
        yield return Row<ArgumentNullException>("ConnectUnixStreamAsync(null path)", async b => await b.ConnectUnixStreamAsync(null!), "path");
        yield return Row<SocketException>("ConnectUnixStreamAsync(missing path)", async b => await b.ConnectUnixStreamAsync(directory.File("missing")), directory.File("missing"));
        yield return Row<ArgumentOutOfRangeException>("ConnectUnixStreamAsync(path too long)", async b => await b.ConnectUnixStreamAsync(directory.File(new string('x', 200))), "path");
        yield return Row<ArgumentNullException>("WrapStreamSocketAsync(null)", async b => await b.WrapStreamSocketAsync(null!), "socket");
        yield return Row<ArgumentException>("WrapStreamSocketAsync(unconnected socket)", async b =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await b.WrapStreamSocketAsync(socket);
            }
            finally
            {
                // S8.11: the socket is left untouched.
                Assert.True(socket.Blocking);
                Assert.False(socket.SafeHandle.IsClosed);
            }
        }, "socket", "not connected");
        yield return Row<ArgumentNullException>("CreateUdpEndpointAsync(null host)", async b => await b.CreateUdpEndpointAsync(null!, 80), "remoteHost");
        yield return Row<ArgumentOutOfRangeException>("CreateUdpEndpointAsync(port -1)", async b => await b.CreateUdpEndpointAsync("127.0.0.1", -1), "remotePort", "-1");
        yield return Row<ArgumentException>("CreateUdpEndpointAsync(family Unix)", async b => await b.CreateUdpEndpointAsync("127.0.0.1", 80, family: AddressFamily.Unix), "family", "Unix");
        yield return Row<ArgumentNullException>("ConnectUnixDatagramAsync(null path)", async b => await b.ConnectUnixDatagramAsync(null!), "path");
        yield return Row<ArgumentNullException>("WrapConnectedDatagramSocketAsync(null)", async b => await b.WrapConnectedDatagramSocketAsync(null!), "socket");
        yield return Row<ArgumentException>("WrapConnectedDatagramSocketAsync(stream socket)", async b =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await b.WrapConnectedDatagramSocketAsync(socket);
        }, "socket", "Stream");

        // ---- listeners
        yield return Row<ArgumentOutOfRangeException>("CreateTcpListenersAsync(port -1)", async b => await b.CreateTcpListenersAsync("127.0.0.1", -1, 8), "port", "-1");
        yield return Row<ArgumentOutOfRangeException>("CreateTcpListenersAsync(port 65536)", async b => await b.CreateTcpListenersAsync("127.0.0.1", 65536, 8), "port", "65536");
        yield return Row<ArgumentOutOfRangeException>("CreateTcpListenersAsync(backlog 0)", async b => await b.CreateTcpListenersAsync("127.0.0.1", 0, 0), "backlog", "0");
        yield return Row<ArgumentException>("CreateTcpListenersAsync(no hosts)", async b => await b.CreateTcpListenersAsync(Array.Empty<string>(), 0, 8), "hosts");
        yield return Row<ArgumentNullException>("CreateTcpListenersAsync(null host element)", async b => await b.CreateTcpListenersAsync(new string[] { "127.0.0.1", null! }, 0, 8), "hosts");
        yield return Row<ArgumentNullException>("CreateTcpListenersAsync(null hosts)", async b => await b.CreateTcpListenersAsync((IEnumerable<string>)null!, 0, 8), "hosts");
        yield return Row<SocketException>("CreateTcpListenersAsync(malformed host)", async b => await b.CreateTcpListenersAsync(new[] { "127.0.0.1", "bad host..invalid" }, 0, 8), "bad host..invalid");
        yield return Row<ArgumentOutOfRangeException>("CreateUdpListenersAsync(port -1)", async b => await b.CreateUdpListenersAsync("127.0.0.1", -1), "port", "-1");
        yield return Row<ArgumentException>("CreateUdpListenersAsync(no hosts)", async b => await b.CreateUdpListenersAsync(Array.Empty<string>(), 0), "hosts");
        yield return Row<ArgumentNullException>("CreateUnixStreamListenerAsync(null path)", async b => await b.CreateUnixStreamListenerAsync(null!, 8), "path");
        yield return Row<ArgumentOutOfRangeException>("CreateUnixStreamListenerAsync(backlog 0)", async b => await b.CreateUnixStreamListenerAsync(directory.File("backlog"), 0), "backlog", "0");
        yield return Row<SocketException>("CreateUnixStreamListenerAsync(path in a missing directory)", async b => await b.CreateUnixStreamListenerAsync(directory.File("missing/listener"), 8), directory.File("missing/listener"));
        yield return Row<SocketException>("CreateUnixStreamListenerAsync(existing path)", async b =>
        {
            string path = directory.File("taken");
            await File.WriteAllTextAsync(path, "x");
            await b.CreateUnixStreamListenerAsync(path, 8);
        }, directory.File("taken"));
        yield return Row<ArgumentNullException>("CreateUnixDatagramListenerAsync(null path)", async b => await b.CreateUnixDatagramListenerAsync(null!), "path");

        // ---- closed objects and null arguments on transports and listeners
        yield return Row<ClosedResourceException>("ReceiveAsync on a closed stream transport", b => WithClosedTransportAsync(b, static t => t.ReceiveAsync(new byte[8]).AsTask()), "");
        yield return Row<ClosedResourceException>("SendAllAsync on a closed stream transport", b => WithClosedTransportAsync(b, static t => t.SendAllAsync(new byte[8]).AsTask()), "");
        yield return Row<ClosedResourceException>("SendEofAsync on a closed stream transport", b => WithClosedTransportAsync(b, static t => t.SendEofAsync().AsTask()), "");
        yield return Row<ArgumentNullException>("SendAllAsync(null buffer list)", b => WithTransportAsync(b, static t => t.SendAllAsync((IReadOnlyList<ReadOnlyMemory<byte>>)null!).AsTask()), "buffers");
        yield return Row<ArgumentNullException>("TlsStreamTransport.WrapAsync(null transport)", async b => await TlsStreamTransport.WrapAsync(null!, new SslClientAuthenticationOptions { TargetHost = "localhost" }), "transport");
        yield return Row<ArgumentNullException>("TlsStreamTransport.WrapAsync(null options)", b => WithTransportAsync(b, static t => TlsStreamTransport.WrapAsync(t, null!).AsTask()), "options");
        yield return Row<ArgumentException>("TlsStreamTransport.WrapAsync(empty TargetHost)", b => WithTransportAsync(b, static t => TlsStreamTransport.WrapAsync(t, new SslClientAuthenticationOptions { TargetHost = "" }).AsTask()), "TargetHost");
        yield return Row<ArgumentOutOfRangeException>("TlsStreamTransport.WrapAsync(negative handshake timeout)", b => WithTransportAsync(b, static t => TlsStreamTransport.WrapAsync(t, new SslClientAuthenticationOptions { TargetHost = "localhost" }, s_negative).AsTask()), "handshakeTimeout", s_negative.ToString());
        yield return Row<ArgumentNullException>("ServeAsync(null handler)", b => WithListenerAsync(b, static l => l.ServeAsync(null!).AsTask()), "handler");
        yield return Row<ClosedResourceException>("ServeAsync on a closed listener", b => WithListenerAsync(b, static async l =>
        {
            await l.CloseAsync();
            await l.ServeAsync(static _ => ValueTask.CompletedTask);
        }), "");
        yield return Row<ArgumentNullException>("TlsListener(null listener)", b => Sync(() => _ = new TlsListener(null!, new SslServerAuthenticationOptions())), "listener");
        yield return Row<ArgumentException>("TlsListener(no certificate)", b => WithListenerAsync(b, static l => Task.FromResult(new TlsListener(l, new SslServerAuthenticationOptions()))), "options");
        yield return Row<ArgumentNullException>("SendToAsync(null end point)", b => WithDatagramListenerAsync(b, static l => l.SendToAsync(new byte[1], null!).AsTask()), "endPoint");
        yield return Row<ClosedResourceException>("SendToAsync on a closed datagram listener", b => WithDatagramListenerAsync(b, static async l =>
        {
            await l.CloseAsync();
            await l.SendToAsync(new byte[1], new IPEndPoint(IPAddress.Loopback, 9));
        }), "");
        yield return Row<ClosedResourceException>("ReceiveAsync on a closed datagram transport", async b =>
        {
            IDatagramTransport transport = await b.CreateUdpEndpointAsync("127.0.0.1", 9);
            await transport.CloseAsync();
            await transport.ReceiveAsync(new byte[8]);
        }, "");
    }

    private static async ValueTask WithTransportAsync(IAsyncBackend b, Func<IStreamTransport, Task> call)
    {
        using RawPeer peer = RawPeer.Listen();
        await using IStreamTransport transport = await peer.ConnectAsync(b);
        await call(transport);
    }

    private static ValueTask WithClosedTransportAsync(IAsyncBackend b, Func<IStreamTransport, Task> call)
        => WithTransportAsync(b, async transport =>
        {
            await transport.CloseAsync();
            await call(transport);
        });

    private static async ValueTask WithListenerAsync(IAsyncBackend b, Func<IListener<IStreamTransport>, Task> call)
    {
        IReadOnlyList<IListener<IStreamTransport>> listeners = await b.CreateTcpListenersAsync("127.0.0.1", 0, 8);
        await using IListener<IStreamTransport> listener = listeners[0];
        await call(listener);
    }

    private static async ValueTask WithDatagramListenerAsync(IAsyncBackend b, Func<IDatagramListener, Task> call)
    {
        IReadOnlyList<IDatagramListener> listeners = await b.CreateUdpListenersAsync("127.0.0.1", 0);
        await using IDatagramListener listener = listeners[0];
        await call(listener);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Every_bad_input_raises_the_documented_error_naming_the_value_and_leaves_no_socket(string backend)
    {
        var failures = new List<string>();
        int tried = 0;
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        using var directory = new TempDirectory();
        await BackendRuns.RunAsync(backend, async b =>
        {
            foreach (BadInput row in Rows(directory))
            {
                tried++;
                int before = OpenDescriptors.Count();
                Exception? error = await Catch.ExceptionAsync(() => row.Call(b));
                int after = OpenDescriptors.Count();
                string? problem = Judge(row, error);
                if (after > before)
                {
                    problem = (problem is null ? string.Empty : problem + "; ") + $"{after - before} socket descriptor(s) leaked";
                }

                if (problem is not null)
                {
                    failures.Add($"{row.Name}: {problem}");
                }
            }
        });
        output.WriteLine($"{tried} bad inputs tried on {backend}, {failures.Count} wrong.");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static string? Judge(BadInput row, Exception? error)
    {
        if (error is null)
        {
            return $"expected {row.Expected.Name}, but the call completed";
        }

        if (error.GetType() != row.Expected)
        {
            return $"expected {row.Expected.Name}, got {error.GetType().Name}: {error.Message}";
        }

        string text = error is ArgumentException argument ? $"{argument.Message} [{argument.ParamName}]" : error.Message;
        foreach (string mention in row.Mentions)
        {
            if (!text.Contains(mention, StringComparison.OrdinalIgnoreCase))
            {
                return $"the message does not name '{mention}': {text}";
            }
        }

        return null;
    }
}
