using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace EasyNetwork.Runtime.Tests.Performance;

/// <summary>Serialises the allocation tests: they measure process-wide allocated bytes, so nothing else may run meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AllocationCollection
{
    public const string Name = "Allocation measurements";
}

/// <summary>
/// Steady-state allocation of the hot operations (DESIGN §4), measured around loops of 10,000 operations inside one
/// run after a warm-up loop. Process-wide counters include background noise, so the bound is below one byte per
/// operation: any per-operation allocation (the smallest object is 24 bytes) fails it.
/// </summary>
[Collection(AllocationCollection.Name)]
public sealed class AllocationTests(ITestOutputHelper output)
{
    private const int Operations = 10_000;

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Checkpoint_allocates_nothing(string backend)
        => await AssertNoAllocationAsync(backend, "YieldAsync", static b => b.YieldAsync());

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Sleep_zero_allocates_nothing(string backend)
        => await AssertNoAllocationAsync(backend, "SleepAsync(0)", static b => b.SleepAsync(TimeSpan.Zero));

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Uncontended_lock_acquire_and_release_allocates_nothing(string backend)
    {
        IAsyncLock? gate = null;
        await AssertNoAllocationAsync(backend, "lock acquire+release", b =>
        {
            gate ??= b.CreateLock();
            ValueTask acquire = gate.AcquireAsync();
            Assert.True(acquire.IsCompletedSuccessfully);
            gate.Release();
            return default;
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Wait_on_a_set_event_allocates_nothing(string backend)
    {
        IAsyncEvent? set = null;
        await AssertNoAllocationAsync(backend, "event wait (set)", b =>
        {
            if (set is null)
            {
                set = b.CreateEvent();
                set.Set();
            }

            return set.WaitAsync();
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Contended_lock_hand_off_allocates_nothing(string backend)
        => await AssertLockHandOffAllocatesNothingAsync(backend, useLockAsync: false);

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Contended_LockAsync_hand_off_allocates_nothing(string backend)
        => await AssertLockHandOffAllocatesNothingAsync(backend, useLockAsync: true);

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Condition_notify_and_wake_up_allocate_nothing(string backend)
    {
        // Two tasks take turns on one condition variable: acquire, wait for the turn (parks, releases the lock), flip
        // it, Notify() under the lock, release (hands the lock to the woken waiter). One operation is one turn, so
        // every operation wakes a parked WaitAsync and re-acquires the lock on the waiter's side.
        IAsyncCondition? condition = null;
        ConditionTurns turns = new();
        double perOperation = await MeasureLoopAsync(backend, async (b, count) =>
        {
            condition ??= b.CreateConditionVariable();
            turns.Condition = condition;
            turns.Rounds = count / 2;
            await b.RunTaskGroupAsync(static (group, turns) =>
            {
                group.StartSoon(static t => t.PlayAsync(player: 0), turns);
                group.StartSoon(static t => t.PlayAsync(player: 1), turns);
                return ValueTask.CompletedTask;
            }, turns);
        });
        output.WriteLine($"{backend}: condition notify + wake-up {perOperation:F3} B/op");
        Assert.True(perOperation < 1, $"condition notify + wake-up on {backend} allocated {perOperation:F2} bytes per turn in steady state.");
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Scope_enter_exit_allocates_only_the_scope_object(string backend)
    {
        // The scope is an object the caller may keep (ScopeResult.Scope, CancelledException.Scope), so it is not pooled:
        // one allocation per scope, nothing else (no token source, no timer, no closure, no state machine box).
        double withoutDeadline = await MeasureAsync(backend, static b => b.OpenCancelScope().RunAsync(static (_, _) => ValueTask.CompletedTask, 0) is var pending && pending.IsCompletedSuccessfully ? default : new ValueTask(pending.AsTask()));
        double withDeadline = await MeasureAsync(backend, static b => b.MoveOnAfterAsync(TimeSpan.FromSeconds(30), static (_, _) => ValueTask.CompletedTask, 0) is var pending && pending.IsCompletedSuccessfully ? default : new ValueTask(pending.AsTask()));
        output.WriteLine($"{backend}: scope enter+exit {withoutDeadline:F1} B/op, with deadline {withDeadline:F1} B/op");
        // 112 bytes on .NET 10 x64: the CancelScopeImpl object itself.
        Assert.InRange(withoutDeadline, 1, 120);
        Assert.InRange(withDeadline, 1, 120);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Datagram_send_and_receive_allocate_nothing(string backend)
    {
        // A connected UDP pair on loopback; the loop is plain task code, as a user writes it (awaits in the task itself).
        using var peerSocket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        peerSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        byte[] datagram = new byte[64];
        byte[] buffer = new byte[IDatagramTransport.MaxDatagramSize];
        IDatagramTransport? sender = null;
        IDatagramTransport? receiver = null;
        try
        {
            double perOperation = await MeasureLoopAsync(backend, async (b, count) =>
            {
                if (sender is null)
                {
                    sender = await b.CreateUdpEndpointAsync("127.0.0.1", ((IPEndPoint)peerSocket.LocalEndPoint!).Port);
                    peerSocket.Connect(sender.LocalEndPoint);
                    receiver = await b.WrapConnectedDatagramSocketAsync(peerSocket);
                }

                for (int i = 0; i < count; i++)
                {
                    // Receive first, so the receive really waits for the datagram (the pending path, not only the ready one).
                    ValueTask<int> receiving = receiver!.ReceiveAsync(buffer);
                    await sender.SendAsync(datagram);
                    if (await receiving != datagram.Length)
                    {
                        // Not Assert.Equal: it allocates a comparer per call, which this loop would then measure.
                        throw new InvalidOperationException("The datagram came back with the wrong length.");
                    }
                }
            });
            output.WriteLine($"{backend}: datagram send+receive {perOperation:F3} B/op");
            Assert.True(perOperation < 1, $"datagram send+receive on {backend} allocated {perOperation:F2} bytes per operation in steady state.");
        }
        finally
        {
            if (sender is not null)
            {
                await sender.CloseAsync();
            }

            peerSocket.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Stream_receive_and_send_allocate_nothing(string backend)
    {
        // One operation is a ping-pong over an established loopback connection: two sends and two receives; on loopback
        // the data is usually there by the time the receive starts (the pending path is measured by the next test).
        StreamPair? pair = null;
        try
        {
            // On eventloop every task step runs on the loop thread, so its own counter is exact; the process-wide one
            // also sees the socket engine's and thread pool's threads, which allocate now and then on their own.
            await AssertNoAllocationAsync(
                backend,
                "stream send+receive ping-pong",
                async b =>
                {
                    pair ??= await StreamPair.ConnectAsync(b);
                    await pair.PingPongAsync();
                },
                loopThreadOnly: BackendRuns.BackendName(backend) == AsyncBackendRegistry.EventLoop);
        }
        finally
        {
            pair?.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Stream_receive_pending_before_the_send_allocates_nothing(string backend)
    {
        // The ping-pong above mostly finds the data already there; here every receive waits first, so the caller resumes
        // from the wait each time (on eventloop: from the loop's readiness set, without a post through its context).
        // The loop runs in one invocation, so no test state machine is measured.
        byte[] message = new byte[64];
        byte[] buffer = new byte[64];
        StreamPair? pair = null;
        try
        {
            double perOperation = await MeasureLoopAsync(
                backend,
                async (b, count) =>
                {
                    pair ??= await StreamPair.ConnectAsync(b);
                    for (int i = 0; i < count; i++)
                    {
                        // Inline rather than a helper method: a helper's own suspension would be measured too.
                        ValueTask<int> receiving = pair.Server.ReceiveAsync(buffer);
                        await pair.Client.SendAllAsync(message);
                        int received = await receiving;
                        receiving = pair.Client.ReceiveAsync(buffer);
                        await pair.Server.SendAllAsync(message);
                        received += await receiving;
                        if (received != 2 * message.Length)
                        {
                            // Not Assert.Equal: it allocates a comparer per call, which this loop would then measure.
                            throw new InvalidOperationException($"Loopback delivered {received} bytes in two receives instead of {2 * message.Length}.");
                        }
                    }
                },
                loopThreadOnly: BackendRuns.BackendName(backend) == AsyncBackendRegistry.EventLoop);
            output.WriteLine($"{backend}: stream pending receive ping-pong {perOperation:F3} B/op");
            Assert.True(perOperation < 1, $"stream pending receive ping-pong on {backend} allocated {perOperation:F2} bytes per operation in steady state.");
        }
        finally
        {
            pair?.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Stream_send_that_waits_for_room_allocates_nothing(string backend)
    {
        // A Unix stream socket with small buffers makes every 32 KiB send wait for room several times while the same task
        // drains the other end: the send's own continuation (on eventloop, resumed from the loop's readiness set) and
        // the caller's resumption once it is done must not allocate. One operation is one message through.
        byte[] message = new byte[32 * 1024];
        byte[] buffer = new byte[4 * 1024];
        using var directory = new TempDirectory();
        StreamPair? pair = null;
        try
        {
            double perOperation = await MeasureLoopAsync(
                backend,
                async (b, count) =>
                {
                    if (pair is null)
                    {
                        pair = await StreamPair.ConnectUnixAsync(b, directory.File("pair.sock"));
                        pair.Client.Socket.SendBufferSize = 4 * 1024;
                        pair.Server.Socket.ReceiveBufferSize = 4 * 1024;
                    }

                    for (int i = 0; i < count; i++)
                    {
                        ValueTask sending = pair.Client.SendAllAsync(message);
                        int received = 0;
                        while (received < message.Length)
                        {
                            int got = await pair.Server.ReceiveAsync(buffer);
                            if (got == 0)
                            {
                                throw new InvalidOperationException($"End of stream after {received} bytes of {message.Length}.");
                            }

                            received += got;
                        }

                        await sending;
                    }
                },
                operations: 2_000);
            output.WriteLine($"{backend}: stream send waiting for room {perOperation:F3} B/op");

            // On threadpool the BCL's pooled async-method boxes (the send's) now and then miss their per-thread cache when
            // a wait completes on another pool thread: about one 64 B box per hundred sends, measured. A cost of the send
            // path itself would be 64 B or more on every send.
            double bound = BackendRuns.BackendName(backend) == AsyncBackendRegistry.ThreadPool ? 2 : 1;
            Assert.True(perOperation < bound, $"stream send waiting for room on {backend} allocated {perOperation:F2} bytes per operation in steady state.");
        }
        finally
        {
            pair?.Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Run_in_thread_round_trip_allocates_nothing(string backend)
    {
        // The call (delegate, state, result, context, waiter) is pooled and resumes its caller from a loop step, so the
        // caller's await posts nothing through the event loop's SynchronizationContext; the worker's context (the
        // caller's without the ambient task) is derived once. Before: 81 B (threadpool) and 146 B (eventloop) per call.
        double perOperation = await MeasureLoopAsync(backend, static async (b, count) =>
        {
            for (int i = 0; i < count; i++)
            {
                await b.RunInThreadAsync(static _ => { }, 0);
            }
        }, operations: 1_000);
        output.WriteLine($"{backend}: RunInThreadAsync round trip {perOperation:F2} B/op");
        Assert.True(perOperation < 1, $"RunInThreadAsync round trip on {backend} allocated {perOperation:F2} bytes per operation in steady state.");
    }

    private async Task AssertLockHandOffAllocatesNothingAsync(string backend, bool useLockAsync)
    {
        // Two tasks take a fair lock in turn and hold it across a schedule point, so the other one is always parked in
        // the acquire: one operation is one release that hands the lock to the parked waiter, and its resumption.
        IAsyncLock? gate = null;
        LockTurns turns = new() { UseLockAsync = useLockAsync };
        double perOperation = await MeasureLoopAsync(backend, async (b, count) =>
        {
            gate ??= b.CreateFairLock();
            turns.Backend = b;
            turns.Lock = gate;
            turns.Rounds = count / 2;
            await b.RunTaskGroupAsync(static (group, turns) =>
            {
                group.StartSoon(static t => t.PlayAsync(), turns);
                group.StartSoon(static t => t.PlayAsync(), turns);
                return ValueTask.CompletedTask;
            }, turns);
        });
        string operation = useLockAsync ? "contended LockAsync hand-off" : "contended lock hand-off";
        output.WriteLine($"{backend}: {operation} {perOperation:F3} B/op");
        Assert.True(perOperation < 1, $"{operation} on {backend} allocated {perOperation:F2} bytes per operation in steady state.");
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Portal_sync_round_trip_allocates_nothing(string backend)
    {
        // One operation is a RunSync from a worker thread: the call enters the run and blocks the worker until the
        // callback has run there. The process-wide counter sees both sides (the worker and the loop or pool thread).
        double perOperation = await MeasureLoopAsync(backend, static (b, count) => b.CreateThreadsPortal().RunAsync(
            static (portal, s) => s.b.RunInThreadAsync(static s =>
            {
                for (int i = 0; i < s.count; i++)
                {
                    if (s.portal.RunSync(static x => x, i) != i)
                    {
                        throw new InvalidOperationException("RunSync returned another value than its callback.");
                    }
                }
            }, (portal, s.count)),
            (b, count)));
        output.WriteLine($"{backend}: portal RunSync round trip {perOperation:F1} B/op");
        Assert.True(perOperation < 1, $"portal RunSync round trip on {backend} allocated {perOperation:F2} bytes per operation in steady state.");
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task Portal_coroutine_round_trip_allocates_only_what_a_waiting_coroutine_needs(string backend)
    {
        // RunCoroutine reuses its run-side call like RunSync. A coroutine that completes at once allocates nothing; one that
        // really waits (a YieldAsync) pays for its own async frame and the task driver's, boxed by the BCL when they suspend.
        double immediate = await MeasurePortalLoopAsync(backend, static (portal, b, count) =>
        {
            for (int i = 0; i < count; i++)
            {
                if (portal.RunCoroutine(static x => ValueTask.FromResult(x), i) != i)
                {
                    throw new InvalidOperationException("RunCoroutine returned another value than its coroutine.");
                }
            }
        });
        double yielding = await MeasurePortalLoopAsync(backend, static (portal, b, count) =>
        {
            for (int i = 0; i < count; i++)
            {
                portal.RunCoroutine(static async b => { await b.YieldAsync(); return 0; }, b);
            }
        }, operations: 1_000);
        output.WriteLine($"{backend}: portal RunCoroutine round trip {immediate:F1} B/op completing at once, {yielding:F1} B/op with a YieldAsync");
        Assert.True(immediate < 1, $"portal RunCoroutine round trip on {backend} allocated {immediate:F2} bytes per operation in steady state.");

        // On .NET 10 x64: 241 B on threadpool, the coroutine's own state machine box and the task driver's (RunToEndAsync);
        // 353 B on the event loop, where the driver's await resumes through the loop's SynchronizationContext (a BCL post).
        // Before the call was pooled: 1,025 B and 1,217 B.
        Assert.InRange(yielding, 1, 400);
    }

    /// <summary>Measures <paramref name="loop"/> on a worker thread calling into the run through an entered portal.</summary>
    private static Task<double> MeasurePortalLoopAsync(string backend, Action<ThreadsPortal, IAsyncBackend, int> loop, int operations = Operations)
        => MeasureLoopAsync(backend, (b, count) => b.CreateThreadsPortal().RunAsync(
            static (portal, s) => s.b.RunInThreadAsync(static s => s.loop(s.portal, s.b, s.count), (portal, s.b, s.loop, s.count)),
            (b, loop, count)), operations: operations);

    private async Task AssertNoAllocationAsync(string backend, string operation, Func<IAsyncBackend, ValueTask> op, bool loopThreadOnly = false)
    {
        double perOperation = await MeasureAsync(backend, op, loopThreadOnly);
        output.WriteLine($"{backend}: {operation} {perOperation:F3} B/op");
        Assert.True(perOperation < 1, $"{operation} on {backend} allocated {perOperation:F2} bytes per operation in steady state.");
    }

    private static Task<double> MeasureAsync(string backend, Func<IAsyncBackend, ValueTask> op, bool loopThreadOnly = false)
        => MeasureLoopAsync(backend, async (b, count) =>
        {
            for (int i = 0; i < count; i++)
            {
                await op(b);
            }
        }, loopThreadOnly);

    /// <summary>
    /// Runs <paramref name="loop"/> (which performs <c>count</c> operations) once to warm up, then in five measured
    /// windows; a window's own state machine is one allocation per 10,000 operations, far below the bound.
    /// </summary>
    private static Task<double> MeasureLoopAsync(string backend, Func<IAsyncBackend, int, ValueTask> loop, bool loopThreadOnly = false, int operations = Operations)
        => BackendRuns.RunAsync(backend, async b =>
        {
            await loop(b, operations);

            // The counter is process-wide: the least of five windows filters out other threads' sporadic allocations (the socket engine and thread pool allocate now and then on their own).
            double least = double.MaxValue;
            for (int window = 0; window < 5; window++)
            {
                long before = loopThreadOnly ? GC.GetAllocatedBytesForCurrentThread() : GC.GetTotalAllocatedBytes(precise: true);
                await loop(b, operations);
                long after = loopThreadOnly ? GC.GetAllocatedBytesForCurrentThread() : GC.GetTotalAllocatedBytes(precise: true);
                least = Math.Min(least, (after - before) / (double)operations);
            }

            return least;
        });

    /// <summary>The shared state of the lock hand-off: the lock, and how each task takes it.</summary>
    private sealed class LockTurns
    {
        public IAsyncBackend Backend { get; set; } = null!;

        public IAsyncLock Lock { get; set; } = null!;

        public int Rounds { get; set; }

        public bool UseLockAsync { get; init; }

        public async ValueTask PlayAsync()
        {
            for (int i = 0; i < Rounds; i++)
            {
                if (UseLockAsync)
                {
                    await using (await Lock.LockAsync())
                    {
                        await Backend.YieldAsync();
                    }
                }
                else
                {
                    await Lock.AcquireAsync();
                    await Backend.YieldAsync();
                    Lock.Release();
                }
            }
        }
    }

    /// <summary>The shared state of the condition ping-pong: the condition, whose turn it is, and how many turns each task takes.</summary>
    private sealed class ConditionTurns
    {
        public IAsyncCondition Condition { get; set; } = null!;

        public int Turn { get; set; }

        public int Rounds { get; set; }

        public async ValueTask PlayAsync(int player)
        {
            for (int i = 0; i < Rounds; i++)
            {
                await Condition.AcquireAsync();
                while (Turn != player)
                {
                    await Condition.WaitAsync();
                }

                Turn = 1 - player;
                Condition.Notify();
                Condition.Release();
            }
        }
    }
}
