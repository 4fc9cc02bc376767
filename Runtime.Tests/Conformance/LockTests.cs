using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Conformance;

/// <summary>SPEC §5, locks: S5.1–S5.11, and S5.20 for locks.</summary>
/// <remarks>
/// A waiter started with <c>StartAsync</c> whose first statement is <c>await l.AcquireAsync()</c> on a held lock is
/// queued when <c>StartAsync</c> returns (S4.4: the child ran to its first suspension), so waiters are queued in the
/// order they were started. Rules that do not name a lock kind are checked on both kinds.
/// </remarks>
public sealed class LockTests
{
    private static readonly bool[] BothKinds = [false, true];

    private static IAsyncLock Create(IAsyncBackend b, bool fair) => fair ? b.CreateFairLock() : b.CreateLock();

    // ------------------------------------------------------------------ S5.1

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S5_1_lock_acquires_releases_and_reports_IsLocked(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            foreach (bool fair in BothKinds)
            {
                IAsyncLock l = Create(b, fair);
                Assert.False(l.IsLocked);

                await l.AcquireAsync();
                Assert.True(l.IsLocked);
                l.Release();
                Assert.False(l.IsLocked);

                await using (await l.LockAsync())
                {
                    Assert.True(l.IsLocked);
                }

                Assert.False(l.IsLocked);

                using (await l.LockAsync())
                {
                    Assert.True(l.IsLocked);
                }

                Assert.False(l.IsLocked);
            }
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S5_1_LockAsync_excludes_other_tasks_until_the_releaser_is_disposed(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            foreach (bool fair in BothKinds)
            {
                IAsyncLock l = Create(b, fair);
                var order = new ConcurrentQueue<string>();
                await b.RunTaskGroupAsync(async (g, _) =>
                {
                    await using (await l.LockAsync())
                    {
                        await g.StartAsync(async _ =>
                        {
                            await l.AcquireAsync(); // queued: the body holds the lock
                            order.Enqueue("other");
                            l.Release();
                        }, 0);
                        order.Enqueue("holder");
                    }
                }, 0);

                Assert.Equal(["holder", "other"], order);
            }
        });

    // ------------------------------------------------------------------ S5.2

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S5_2_only_the_owner_can_release(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            foreach (bool fair in BothKinds)
            {
                IAsyncLock l = Create(b, fair);
                Assert.IsType<InvalidOperationException>(Catch.Exception(l.Release)); // not locked

                await l.AcquireAsync();
                await b.RunTaskGroupAsync(async (g, _) =>
                {
                    TaskHandle<Exception?> other = await g.StartAsync(_ => new ValueTask<Exception?>(Catch.Exception(l.Release)), 0);
                    Assert.IsType<InvalidOperationException>(await other.JoinAsync());
                }, 0);

                Assert.True(l.IsLocked); // left as it was
                l.Release();              // the owner still owns it
                Assert.False(l.IsLocked);
                Assert.IsType<InvalidOperationException>(Catch.Exception(l.Release));
            }
        });

    // ------------------------------------------------------------------ S5.3

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S5_3_reacquiring_by_the_owner_throws_instead_of_deadlocking(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            foreach (bool fair in BothKinds)
            {
                IAsyncLock l = Create(b, fair);
                await l.AcquireAsync();

                Assert.IsType<InvalidOperationException>(await Catch.ExceptionAsync(() => l.AcquireAsync()));
                Assert.IsType<InvalidOperationException>(await Catch.ExceptionAsync(() => l.LockAsync()));

                Assert.True(l.IsLocked);
                l.Release();
                Assert.False(l.IsLocked);
            }
        });

    // ------------------------------------------------------------------ S5.4

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S5_4_acquire_is_a_cancel_point_on_entry(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            foreach (bool fair in BothKinds)
            {
                IAsyncLock l = Create(b, fair);
                var raised = new ConcurrentQueue<CancelledException>();
                CancelScope scope = await b.OpenCancelScope().RunAsync(async (scope, _) =>
                {
                    scope.Cancel();
                    if (await Catch.ExceptionAsync(() => l.AcquireAsync()) is CancelledException first)
                    {
                        raised.Enqueue(first);
                    }

                    if (await Catch.ExceptionAsync(() => l.LockAsync()) is CancelledException second)
                    {
                        raised.Enqueue(second);
                    }
                }, 0);

                Assert.Equal(2, raised.Count);
                Assert.All(raised, ex => Assert.Same(scope, ex.Scope));
                Assert.False(l.IsLocked);
            }
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S5_4_blocked_acquire_is_woken_by_cancellation_and_does_not_own_the_lock(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            foreach (bool fair in BothKinds)
            {
                IAsyncLock l = Create(b, fair);
                int acquired = 0;
                Exception? releaseAfterCancel = null;
                CancelScope? waiterScope = null;

                await l.AcquireAsync();
                await b.RunTaskGroupAsync(async (g, _) =>
                {
                    // Cancelled from the waiter's own task while it is blocked.
                    TaskHandle own = await g.StartAsync(async _ =>
                    {
                        waiterScope = await b.OpenCancelScope().RunAsync(async (scope, _) =>
                        {
                            ValueTask acquiring = l.AcquireAsync();
                            Assert.False(acquiring.IsCompleted);
                            scope.Cancel();
                            await acquiring;
                            Interlocked.Exchange(ref acquired, 1);
                        }, 0);
                        releaseAfterCancel = Catch.Exception(l.Release);
                    }, 0);

                    // Cancelled by another task while it is blocked (StartAsync returned: it is queued).
                    TaskHandle other = await g.StartAsync(async _ =>
                    {
                        await l.AcquireAsync();
                        Interlocked.Exchange(ref acquired, 1);
                    }, 0);
                    Assert.True(other.Cancel());
                    await other.WaitAsync();
                    Assert.True(other.IsCancelled);
                    await own.JoinAsync();
                }, 0);

                Assert.Equal(0, acquired);
                Assert.NotNull(waiterScope);
                Assert.True(waiterScope.CancelledCaught);
                Assert.IsType<InvalidOperationException>(releaseAfterCancel);
                Assert.True(l.IsLocked);
                l.Release(); // still the holder's; nobody was handed the lock
                Assert.False(l.IsLocked);
            }
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S5_4_blocked_LockAsync_is_woken_by_cancellation_and_does_not_own_the_lock(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            foreach (bool fair in BothKinds)
            {
                IAsyncLock l = Create(b, fair);
                int acquired = 0;
                Exception? releaseAfterCancel = null;
                CancelScope? waiterScope = null;

                await l.AcquireAsync();
                await b.RunTaskGroupAsync(async (g, _) =>
                {
                    TaskHandle own = await g.StartAsync(async _ =>
                    {
                        waiterScope = await b.OpenCancelScope().RunAsync(async (scope, _) =>
                        {
                            ValueTask<AsyncLockReleaser> locking = l.LockAsync();
                            Assert.False(locking.IsCompleted);
                            scope.Cancel();
                            await locking;
                            Interlocked.Exchange(ref acquired, 1);
                        }, 0);
                        releaseAfterCancel = Catch.Exception(l.Release);
                    }, 0);
                    await own.JoinAsync();
                }, 0);

                Assert.Equal(0, acquired);
                Assert.NotNull(waiterScope);
                Assert.True(waiterScope.CancelledCaught);
                Assert.IsType<InvalidOperationException>(releaseAfterCancel);
                Assert.True(l.IsLocked);
                l.Release(); // still the holder's; nobody was handed the lock
                Assert.False(l.IsLocked);
            }
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S5_8_blocked_LockAsync_is_handed_the_lock_and_its_releaser_releases_it(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            foreach (bool fair in BothKinds)
            {
                IAsyncLock l = Create(b, fair);
                var order = new ConcurrentQueue<string>();
                await l.AcquireAsync();
                await b.RunTaskGroupAsync(async (g, _) =>
                {
                    TaskHandle waiter = await g.StartAsync(async _ =>
                    {
                        ValueTask<AsyncLockReleaser> locking = l.LockAsync();
                        Assert.False(locking.IsCompleted); // parked behind the holder
                        await using (await locking)
                        {
                            order.Enqueue("waiter");
                            Assert.True(l.IsLocked);
                        }

                        Assert.IsType<InvalidOperationException>(Catch.Exception(l.Release)); // the releaser released it
                    }, 0);
                    order.Enqueue("holder");
                    l.Release(); // hands the lock to the parked LockAsync
                    await waiter.JoinAsync();
                }, 0);

                Assert.Equal(["holder", "waiter"], order);
                Assert.False(l.IsLocked);
            }
        });

    // ------------------------------------------------------------------ S5.5

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S5_5_fair_lock_grants_in_the_order_of_AcquireAsync_calls(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            IAsyncLock l = b.CreateFairLock();
            var order = new ConcurrentQueue<int>();
            await l.AcquireAsync();
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                for (int i = 0; i < 6; i++)
                {
                    await g.StartAsync(async index =>
                    {
                        await l.AcquireAsync();
                        order.Enqueue(index);
                        await b.YieldAsync(); // hold it across a schedule point
                        l.Release();
                    }, i);
                }

                l.Release();
            }, 0);

            Assert.Equal([0, 1, 2, 3, 4, 5], order);
            Assert.False(l.IsLocked);
        });

    // ------------------------------------------------------------------ S5.6

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S5_6_uncontended_fair_acquire_does_not_yield_but_is_a_cancel_point(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            IAsyncLock l = b.CreateFairLock();
            ValueTask acquiring = l.AcquireAsync();
            Assert.True(acquiring.IsCompletedSuccessfully);
            await acquiring;
            Assert.True(l.IsLocked);
            l.Release();

            CancelledException? raised = null;
            CancelScope scope = await b.OpenCancelScope().RunAsync(async (scope, _) =>
            {
                scope.Cancel();
                raised = await Catch.ExceptionAsync(() => l.AcquireAsync()) as CancelledException;
            }, 0);

            Assert.NotNull(raised);
            Assert.Same(scope, raised.Scope);
            Assert.False(l.IsLocked);
        });

    [Theory]
    [InlineData("eventloop")]
    [InlineData("eventloop+virtual")]
    public Task S5_6_uncontended_fair_acquire_does_not_let_a_ready_task_run(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            IAsyncLock l = b.CreateFairLock();
            int ran = 0;
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                g.StartSoon(_ =>
                {
                    Interlocked.Exchange(ref ran, 1);
                    return ValueTask.CompletedTask;
                }, 0);
                await l.AcquireAsync();
                Assert.Equal(0, Volatile.Read(ref ran));
                l.Release();
            }, 0);

            Assert.Equal(1, ran);
        });

    // ------------------------------------------------------------------ S5.7

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S5_7_fair_lock_newcomer_queues_behind_existing_waiters(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            IAsyncLock l = b.CreateFairLock();
            var order = new ConcurrentQueue<string>();
            await l.AcquireAsync();
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                await g.StartAsync(async _ =>
                {
                    await l.AcquireAsync();
                    order.Enqueue("first-waiter");
                    l.Release();
                }, 0);
                await g.StartAsync(async _ =>
                {
                    await l.AcquireAsync();
                    order.Enqueue("second-waiter");
                    l.Release();
                }, 0);

                l.Release();            // the first waiter has not resumed yet
                await l.AcquireAsync(); // a newcomer: it must not take the lock ahead of the waiters
                order.Enqueue("newcomer");
                l.Release();
            }, 0);

            Assert.Equal(["first-waiter", "second-waiter", "newcomer"], order);
        });

    // ------------------------------------------------------------------ S5.8

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S5_8_release_hands_ownership_directly_to_the_first_waiter(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            // Checked on the fair lock: on CreateLock (no fairness promise, S5.5) a direct hand-off is not required.
            IAsyncLock l = b.CreateFairLock();
            var order = new ConcurrentQueue<string>();
            Exception? waiterRelease = new MarkerException("not reached");
            await l.AcquireAsync();
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                IAsyncEvent letGo = b.CreateEvent();
                await g.StartAsync(async _ =>
                {
                    await l.AcquireAsync();
                    order.Enqueue("waiter");
                    await letGo.WaitAsync(); // keeps the lock until the body says so
                    waiterRelease = Catch.Exception(l.Release);
                }, 0);

                l.Release();
                Assert.True(l.IsLocked); // owned by the waiter at once, even though it has not resumed yet

                ValueTask again = l.AcquireAsync();
                Assert.False(again.IsCompleted); // nobody can take the lock in between

                letGo.Set();
                await again;
                order.Enqueue("body");
                Assert.True(l.IsLocked);
                l.Release();
            }, 0);

            Assert.Null(waiterRelease);
            Assert.Equal(["waiter", "body"], order);
            Assert.False(l.IsLocked);
        });

    // ------------------------------------------------------------------ S5.9

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S5_9_cancelled_waiter_leaves_the_queue_and_the_others_keep_their_order(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            foreach (bool fair in BothKinds)
            {
                IAsyncLock l = Create(b, fair);
                var order = new ConcurrentQueue<int>();
                await l.AcquireAsync();
                await b.RunTaskGroupAsync(async (g, _) =>
                {
                    var waiters = new TaskHandle[4];
                    for (int i = 0; i < waiters.Length; i++)
                    {
                        waiters[i] = await g.StartAsync(async index =>
                        {
                            await l.AcquireAsync();
                            order.Enqueue(index);
                            l.Release();
                        }, i);
                    }

                    Assert.True(waiters[1].Cancel());
                    await waiters[1].WaitAsync();
                    Assert.True(waiters[1].IsCancelled);
                    Assert.True(l.IsLocked);
                    l.Release(); // the holder kept the lock: no exception
                }, 0);

                if (fair)
                {
                    Assert.Equal([0, 2, 3], order);
                }
                else
                {
                    Assert.Equal([0, 2, 3], order.Order().ToArray());
                }

                Assert.False(l.IsLocked);
            }
        });

    // ------------------------------------------------------------------ S5.10

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S5_10_cancellation_racing_a_grant_never_loses_the_lock(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            foreach (bool fair in BothKinds)
            {
                int ownedAfterAcquire = 0;
                int threwWithoutLock = 0;
                for (int attempt = 0; attempt < 50; attempt++)
                {
                    IAsyncLock l = Create(b, fair);
                    int acquired = 0;
                    int raisedAfterAcquire = 0;
                    int threw = 0;
                    int nextServed = 0;
                    Exception? releaseByLoser = null;

                    await l.AcquireAsync();
                    await b.RunTaskGroupAsync(async (g, _) =>
                    {
                        IAsyncEvent go = b.CreateEvent();
                        IAsyncEvent cancelIssued = b.CreateEvent();
                        TaskHandle target = await g.StartAsync(async _ =>
                        {
                            try
                            {
                                await l.AcquireAsync();
                            }
                            catch (CancelledException)
                            {
                                Interlocked.Exchange(ref threw, 1);
                                releaseByLoser = Catch.Exception(l.Release); // it must not own the lock
                                throw;
                            }

                            Interlocked.Exchange(ref acquired, 1);
                            try
                            {
                                // On threadpool the wait's entry check may run just before Cancel() and still find the
                                // event set just after it (a valid order). Cancel() happens before Set(), so the first
                                // cancel point after observing the event is guaranteed to raise.
                                await cancelIssued.WaitAsync();
                                await b.YieldAsync();
                            }
                            catch (CancelledException)
                            {
                                Interlocked.Exchange(ref raisedAfterAcquire, 1);
                                throw;
                            }
                            finally
                            {
                                l.Release();
                            }
                        }, 0);

                        await g.StartAsync(async _ =>
                        {
                            await l.AcquireAsync();
                            Interlocked.Increment(ref nextServed);
                            l.Release();
                        }, 0);

                        g.StartSoon(async _ =>
                        {
                            await go.WaitAsync();
                            target.Cancel();
                            cancelIssued.Set();
                        }, 0);

                        go.Set();
                        l.Release(); // races with the cancellation of the first waiter
                    }, 0);

                    Assert.Equal(1, acquired + threw);
                    if (acquired == 1)
                    {
                        ownedAfterAcquire++;
                        Assert.Equal(1, raisedAfterAcquire);
                    }
                    else
                    {
                        threwWithoutLock++;
                        Assert.IsType<InvalidOperationException>(releaseByLoser);
                    }

                    Assert.Equal(1, nextServed); // the lock passed on
                    Assert.False(l.IsLocked);
                }

                Assert.Equal(50, ownedAfterAcquire + threwWithoutLock);
            }
        });

    // ------------------------------------------------------------------ S5.11

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S5_11_after_a_release_races_with_cancellations_exactly_one_task_owns_the_lock(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            foreach (bool fair in BothKinds)
            {
                for (int attempt = 0; attempt < 50; attempt++)
                {
                    IAsyncLock l = Create(b, fair);
                    int inside = 0;
                    int maxInside = 0;
                    int served = 0;
                    TaskHandle? survivor = null;

                    await l.AcquireAsync();
                    await b.RunTaskGroupAsync(async (g, _) =>
                    {
                        IAsyncEvent go = b.CreateEvent();
                        var waiters = new TaskHandle[3];
                        for (int i = 0; i < waiters.Length; i++)
                        {
                            waiters[i] = await g.StartAsync(async _ =>
                            {
                                await l.AcquireAsync();
                                int now = Interlocked.Increment(ref inside);
                                InterlockedMax(ref maxInside, now);
                                try
                                {
                                    Assert.True(l.IsLocked);
                                    await b.CancelShieldedYieldAsync(); // hold it across a schedule point
                                    Interlocked.Increment(ref served);
                                }
                                finally
                                {
                                    Interlocked.Decrement(ref inside);
                                    l.Release();
                                }
                            }, 0);
                        }

                        survivor = waiters[2];
                        g.StartSoon(async _ =>
                        {
                            await go.WaitAsync();
                            waiters[0].Cancel();
                            waiters[1].Cancel();
                        }, 0);

                        go.Set();
                        l.Release();
                    }, 0);

                    Assert.Equal(1, maxInside);
                    Assert.InRange(served, 1, 3);
                    Assert.False(survivor!.IsCancelled);
                    Assert.False(l.IsLocked);
                }
            }
        });

    // ------------------------------------------------------------------ S5.20 (locks)

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S5_20_lock_is_safe_under_parallel_use_by_the_tasks_of_a_run(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            foreach (bool fair in BothKinds)
            {
                IAsyncLock l = Create(b, fair);
                int inside = 0;
                int maxInside = 0;
                int total = 0;
                await b.RunTaskGroupAsync((g, _) =>
                {
                    for (int t = 0; t < 8; t++)
                    {
                        g.StartSoon(async _ =>
                        {
                            for (int i = 0; i < 50; i++)
                            {
                                await l.AcquireAsync();
                                InterlockedMax(ref maxInside, Interlocked.Increment(ref inside));
                                if (i % 5 == 0)
                                {
                                    await b.YieldAsync();
                                }

                                Interlocked.Increment(ref total);
                                Interlocked.Decrement(ref inside);
                                l.Release();
                            }
                        }, 0);
                    }

                    return ValueTask.CompletedTask;
                }, 0);

                Assert.Equal(400, total);
                Assert.Equal(1, maxInside);
                Assert.False(l.IsLocked);
            }
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S5_20_using_a_lock_outside_a_task_throws_InvalidOperationException(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            foreach (bool fair in BothKinds)
            {
                IAsyncLock l = Create(b, fair);
                await l.AcquireAsync(); // used by a task of this run first
                l.Release();

                Exception?[] errors = await b.RunInThreadAsync(_ =>
                {
                    Exception?[] inWorker = Probe(l);
                    Exception?[] onForeignThread = OffTask.OnForeignThread(() => Probe(l));
                    Exception?[] all = [.. inWorker, .. onForeignThread];
                return all;
                }, 0);

                Assert.Equal(6, errors.Length);
                Assert.All(errors, error => Assert.IsType<InvalidOperationException>(error));
                Assert.False(l.IsLocked);
            }

            static Exception?[] Probe(IAsyncLock l) =>
            [
                OffTask.Call(() => l.AcquireAsync()),
                OffTask.Call(async () => await l.LockAsync()),
                OffTask.Call(l.Release),
            ];
        });

    private static void InterlockedMax(ref int location, int value)
    {
        int current = Volatile.Read(ref location);
        while (value > current)
        {
            int seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
