using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Reliability;

/// <summary>
/// Issue 9, concurrency stress: the threads portal called from 16 threads at once (SPEC §6), a fair lock's FIFO order
/// under many waiters (S5.5), and cancel/release races on both lock kinds repeated many times (S5.10, S5.11). The
/// threads start together on a barrier; every wait is on an event, a join or a lock, never on the clock.
/// </summary>
public sealed class ConcurrencyStressTests
{
    private const int PortalThreads = 16;

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_10_S6_16_the_portal_called_from_16_threads_at_once_runs_every_call_once_with_its_own_result(string backend)
    {
        int calls = ReliabilityScale.Current.PortalCallsPerThread;
        var runSide = new StrongCounter();
        await ReliabilityRuns.RunAsync(backend, async b =>
        {
            await b.CreateThreadsPortal().RunAsync(static async (portal, s) =>
            {
                await s.b.RunInThreadAsync(static s =>
                {
                    using var start = new Barrier(PortalThreads);
                    var failures = new Exception?[PortalThreads];
                    var threads = new Thread[PortalThreads];
                    for (int t = 0; t < PortalThreads; t++)
                    {
                        threads[t] = new Thread(index =>
                        {
                            int me = (int)index!;
                            try
                            {
                                start.SignalAndWait();
                                CallPortal(s.portal, s.runSide, me, s.calls);
                            }
                            catch (Exception e)
                            {
                                failures[me] = e;
                            }
                        }) { IsBackground = true, Name = $"portal caller {t}" };
                        threads[t].Start(t);
                    }

                    foreach (Thread thread in threads)
                    {
                        thread.Join();
                    }

                    foreach (Exception? failure in failures)
                    {
                        if (failure is not null)
                        {
                            throw new InvalidOperationException("A portal caller failed.", failure);
                        }
                    }
                }, (portal, s.runSide, s.calls));
            }, (b, runSide, calls));
        });

        Assert.Equal((long)PortalThreads * calls, runSide.Value);
        ReliabilityFigures.Record("concurrency stress", backend, "portal calls from 16 threads", (long)PortalThreads * calls);
    }

    /// <summary>One thread's share: synchronous calls, coroutines and a cancelled call, each checked against what it must return.</summary>
    private static void CallPortal(ThreadsPortal portal, StrongCounter runSide, int me, int calls)
    {
        for (int i = 0; i < calls; i++)
        {
            int expected = (me * 1_000_000) + i;
            switch (i % 4)
            {
                case 0:
                case 1:
                    Assert.Equal(expected, portal.RunSync(static s => { s.runSide.Increment(); return s.expected; }, (runSide, expected)));
                    break;
                case 2:
                    Assert.Equal(expected, portal.RunCoroutine(static async s =>
                    {
                        await AsyncBackend.Current!.YieldAsync();
                        s.runSide.Increment();
                        return s.expected;
                    }, (runSide, expected)));
                    break;
                default:
                    // Cancelled or not, the call runs at most once and never reports a wrong result.
                    ThreadFuture<int> future = portal.RunSyncSoon(static s => { s.runSide.Increment(); return s.expected; }, (runSide, expected));
                    if (future.Cancel())
                    {
                        Assert.ThrowsAny<OperationCanceledException>(() => future.GetResult());
                        runSide.Increment(); // never ran: count it so the total still adds up
                    }
                    else
                    {
                        Assert.Equal(expected, future.GetResult());
                    }

                    break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S5_5_a_fair_lock_grants_many_waiters_in_the_order_they_queued(string backend)
    {
        int waiters = ReliabilityScale.Current.FairLockWaiters;
        var order = new List<int>(waiters);
        await ReliabilityRuns.RunAsync(backend, async b =>
        {
            IAsyncLock l = b.CreateFairLock();
            await l.AcquireAsync();
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                // StartAsync returns once the child is queued on the held lock (S4.4), so queue order is start order.
                for (int i = 0; i < waiters; i++)
                {
                    await g.StartAsync(async index =>
                    {
                        await l.AcquireAsync();
                        lock (order)
                        {
                            order.Add(index);
                        }

                        await b.YieldAsync(); // hold it across a schedule point
                        l.Release();
                    }, i);
                }

                l.Release();
            }, 0);

            Assert.False(l.IsLocked);
        });

        Assert.Equal(waiters, order.Count);
        for (int i = 0; i < waiters; i++)
        {
            Assert.Equal(i, order[i]);
        }

        ReliabilityFigures.Record("concurrency stress", backend, "fair-lock waiters in FIFO order", waiters);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S5_10_S5_11_cancel_and_release_races_never_lose_the_lock_nor_give_it_twice(string backend)
    {
        int races = ReliabilityScale.Current.CancelReleaseRaces;
        var outcomes = new int[2]; // [0] the grant won, [1] the cancellation won
        await ReliabilityRuns.RunAsync(backend, async b =>
        {
            foreach (bool fair in new[] { false, true })
            {
                IAsyncLock l = fair ? b.CreateFairLock() : b.CreateLock();
                var owners = new int[1];
                for (int race = 0; race < races; race++)
                {
                    await RaceOnceAsync(b, l, owners, outcomes, grantFirst: race % 2 == 0);
                    Assert.False(l.IsLocked);
                }
            }
        });

        Assert.Equal(2 * races, outcomes[0] + outcomes[1]);
        if (BackendRuns.BackendName(backend) == AsyncBackendRegistry.EventLoop)
        {
            // (eventloop) The alternating order makes each side win half of the races.
            Assert.Equal(races, outcomes[0]);
            Assert.Equal(races, outcomes[1]);
        }

        ReliabilityFigures.Record("concurrency stress", backend, "cancel/release races", 2L * races);
    }

    /// <summary>
    /// The body holds the lock with two waiters queued; it releases while another task cancels the first waiter. The
    /// first waiter ends owning the lock or not at all, the second always gets it, and never two at once.
    /// </summary>
    private static async ValueTask RaceOnceAsync(IAsyncBackend b, IAsyncLock l, int[] owners, int[] outcomes, bool grantFirst)
    {
        var acquired = new bool[2];
        await l.AcquireAsync();
        await b.RunTaskGroupAsync(async (g, _) =>
        {
            TaskHandle first = await g.StartAsync(_ => WaitAndHoldAsync(l, owners, acquired, 0), 0);
            TaskHandle second = await g.StartAsync(_ => WaitAndHoldAsync(l, owners, acquired, 1), 0);
            IAsyncEvent go = b.CreateEvent();
            g.StartSoon(async _ =>
            {
                await go.WaitAsync();
                first.Cancel();
            }, 0);

            // (eventloop) Whichever is made ready first runs first; on threadpool both run at once.
            if (grantFirst)
            {
                l.Release();
                go.Set();
                await b.YieldAsync();
            }
            else
            {
                go.Set();
                await b.YieldAsync();
                l.Release();
            }

            await first.WaitAsync();
            await second.WaitAsync();
        }, 0);

        Assert.True(acquired[1], "The second waiter never got the lock: it was lost.");
        Interlocked.Increment(ref outcomes[acquired[0] ? 0 : 1]);
    }

    private static async ValueTask WaitAndHoldAsync(IAsyncLock l, int[] owners, bool[] acquired, int index)
    {
        await l.AcquireAsync();
        Assert.Equal(1, Interlocked.Increment(ref owners[0]));
        acquired[index] = true;
        Assert.Equal(0, Interlocked.Decrement(ref owners[0]));
        l.Release();
    }

    /// <summary>A counter shared by the portal callers and the run side.</summary>
    private sealed class StrongCounter
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }
}
