using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Conformance;

/// <summary>SPEC §4, task handles and task identity: S4.18–S4.29.</summary>
/// <remarks>
/// To cancel a caller "while it waits" without a race, a test calls the waiting operation first (its entry cancel point
/// passes and the wait is registered before the call returns its pending <see cref="ValueTask"/>), then cancels, then
/// awaits the pending operation.
/// </remarks>
public sealed class TaskHandleTests
{
    private static readonly TimeSpan NoTimeout = Timeout.InfiniteTimeSpan;

    // ------------------------------------------------------------------ S4.18

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_18_generic_and_plain_handles_expose_the_contract(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                IAsyncEvent release = b.CreateEvent();
                TaskHandle<int> valued = await g.StartAsync(async _ =>
                {
                    await release.WaitAsync();
                    return 42;
                }, 0);
                TaskHandle plain = await g.StartAsync(async _ => await release.WaitAsync(), 0);

                Assert.NotNull(valued.Info);
                Assert.NotNull(plain.Info);
                Assert.False(valued.IsCompleted);
                Assert.False(plain.IsCompleted);
                Assert.False(valued.IsCancelled);
                Assert.False(plain.IsCancelled);

                release.Set();
                await valued.WaitAsync();
                await plain.WaitAsync();

                Assert.True(valued.IsCompleted);
                Assert.True(plain.IsCompleted);
                Assert.False(valued.IsCancelled);
                Assert.False(plain.IsCancelled);
                Assert.Equal(42, await valued.JoinAsync());
                Assert.Equal(42, await valued.JoinOrCancelAsync());
                await plain.JoinAsync();
                await plain.JoinOrCancelAsync();

                TaskHandle valuedAsPlain = valued;
                await valuedAsPlain.JoinAsync();
                await valuedAsPlain.JoinOrCancelAsync();

                Assert.False(valued.Cancel());
                Assert.False(plain.Cancel());
            }, 0);
        });

    // ------------------------------------------------------------------ S4.19

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_19_Cancel_is_level_triggered_caught_by_the_task_scope_and_spares_siblings(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var raised = new ConcurrentQueue<CancelledException>();
            int siblingCheckpoints = 0;
            ITaskGroup? group = null;

            await b.RunTaskGroupAsync(async (g, _) =>
            {
                group = g;
                TaskHandle target = await g.StartAsync(async _ =>
                {
                    try
                    {
                        await b.SleepForeverAsync();
                    }
                    catch (CancelledException ex)
                    {
                        raised.Enqueue(ex); // swallowed on purpose
                    }

                    try
                    {
                        await b.YieldAsync(); // level-triggered: raises again
                    }
                    catch (CancelledException ex)
                    {
                        raised.Enqueue(ex);
                        throw;
                    }
                }, 0);

                TaskHandle sibling = await g.StartAsync(async _ =>
                {
                    await target.WaitAsync();
                    for (int i = 0; i < 3; i++)
                    {
                        await b.YieldAsync();
                        Interlocked.Increment(ref siblingCheckpoints);
                    }
                }, 0);

                Assert.True(target.Cancel());
                await target.WaitAsync();
                Assert.True(target.IsCancelled);
                await sibling.JoinAsync();
                Assert.False(sibling.IsCancelled);
            }, 0); // no failure: the group completes normally

            Assert.Equal(3, siblingCheckpoints);
            Assert.NotNull(group);
            Assert.False(group.CancelScope.CancelCalled);
            Assert.Equal(2, raised.Count);
            CancelledException[] both = raised.ToArray();
            Assert.Same(both[0].Scope, both[1].Scope);
            Assert.NotSame(group.CancelScope, both[0].Scope);
            Assert.True(both[0].Scope.CancelCalled);
        });

    // ------------------------------------------------------------------ S4.20

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_20_Cancel_returns_true_until_completion_then_false(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                IAsyncEvent release = b.CreateEvent();
                TaskHandle target = await g.StartAsync(async _ =>
                {
                    try
                    {
                        await b.SleepForeverAsync();
                    }
                    finally
                    {
                        // The task cannot complete before the test lets it.
                        await b.ShieldAsync(NoTimeout, (_, _) => release.WaitAsync(), 0);
                    }
                }, 0);

                Assert.True(target.Cancel());
                Assert.True(target.Cancel());
                Assert.True(target.Cancel());
                release.Set();
                await target.WaitAsync();
                Assert.False(target.Cancel());

                TaskHandle<int> returned = await g.StartAsync(_ => new ValueTask<int>(1), 0);
                await returned.WaitAsync();
                Assert.False(returned.Cancel());
                Assert.False(returned.IsCancelled);
            }, 0);
        });

    // ------------------------------------------------------------------ S4.21

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_21_IsCompleted_and_IsCancelled_for_each_way_a_task_ends(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            TaskHandle? returned = null;
            TaskHandle? cancelledByHandle = null;
            TaskHandle? ignoredItsCancellation = null;
            TaskHandle? cancelledByGroup = null;
            TaskHandle? failed = null;
            TaskHandle? endedWithForeignCancellation = null;

            await b.RunTaskGroupAsync(async (g, _) =>
            {
                IAsyncEvent release = b.CreateEvent();
                returned = await g.StartAsync(async _ => await release.WaitAsync(), 0);
                Assert.False(returned.IsCompleted);
                release.Set();

                cancelledByHandle = await g.StartAsync(async _ => await b.SleepForeverAsync(), 0);
                cancelledByHandle.Cancel();

                ignoredItsCancellation = await g.StartAsync(async _ =>
                {
                    try
                    {
                        await b.SleepForeverAsync();
                    }
                    catch (CancelledException)
                    {
                    }
                }, 0);
                ignoredItsCancellation.Cancel();
            }, 0);

            await b.RunTaskGroupAsync(async (g, _) =>
            {
                cancelledByGroup = await g.StartAsync(async _ => await b.SleepForeverAsync(), 0);
                g.CancelScope.Cancel();
            }, 0);

            var failure = new MarkerException("failed");
            var foreign = new OperationCanceledException("foreign");
            Exception? fromGroup = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                IAsyncEvent go = b.CreateEvent();
                failed = await g.StartAsync(async _ =>
                {
                    await go.WaitAsync();
                    throw failure;
                }, 0);
                endedWithForeignCancellation = await g.StartAsync(async _ =>
                {
                    await go.WaitAsync();
                    throw foreign;
                }, 0);
                Assert.False(failed.IsCompleted);
                go.Set();
            }, 0));
            Assert.IsType<AggregateException>(fromGroup);

            Assert.True(returned!.IsCompleted);
            Assert.False(returned.IsCancelled);
            Assert.True(cancelledByHandle!.IsCompleted);
            Assert.True(cancelledByHandle.IsCancelled);
            Assert.True(ignoredItsCancellation!.IsCompleted);
            Assert.False(ignoredItsCancellation.IsCancelled);
            Assert.True(cancelledByGroup!.IsCompleted);
            Assert.True(cancelledByGroup.IsCancelled);
            Assert.True(failed!.IsCompleted);
            Assert.False(failed.IsCancelled);
            Assert.True(endedWithForeignCancellation!.IsCompleted);
            Assert.False(endedWithForeignCancellation.IsCancelled);
        });

    // ------------------------------------------------------------------ S4.22

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_22_WaitAsync_never_throws_the_task_exception(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var failure = new MarkerException("failed");
            TaskHandle? target = null;
            Exception? fromParkedWait = new MarkerException("not reached");

            await b.RunTaskGroupAsync(async (outer, _) =>
            {
                IAsyncEvent handleReady = b.CreateEvent();
                IAsyncEvent go = b.CreateEvent();
                outer.StartSoon(async _ =>
                {
                    await handleReady.WaitAsync();
                    ValueTask waiting = target!.WaitAsync(); // parked: the task waits for go
                    go.Set();
                    fromParkedWait = await Catch.ExceptionAsync(() => waiting);
                }, 0);

                Exception? fromGroup = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
                {
                    target = await g.StartAsync(async _ =>
                    {
                        await go.WaitAsync();
                        throw failure;
                    }, 0);
                    handleReady.Set();
                }, 0));
                Assert.Same(failure, fromGroup);
            }, 0);

            Assert.Null(fromParkedWait);
            Assert.True(target!.IsCompleted);
            Assert.Null(await Catch.ExceptionAsync(() => target.WaitAsync()));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_22_cancelling_the_waiter_does_not_cancel_the_task(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                IAsyncEvent release = b.CreateEvent();
                TaskHandle<int> target = await g.StartAsync(async _ =>
                {
                    await release.WaitAsync();
                    return 7;
                }, 0);

                CancelScope scope = await b.OpenCancelScope().RunAsync(async (scope, _) =>
                {
                    ValueTask waiting = target.WaitAsync();
                    Assert.False(waiting.IsCompleted);
                    scope.Cancel();
                    await waiting; // woken by the cancellation
                }, 0);

                Assert.True(scope.CancelledCaught);
                Assert.False(target.IsCompleted);
                Assert.False(target.IsCancelled);
                release.Set();
                Assert.Equal(7, await target.JoinAsync());
            }, 0);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_22_WaitAsync_on_a_completed_task_returns_at_once_even_in_a_cancelled_scope(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            TaskHandle? failed = null;
            TaskHandle<int>? returned = null;
            await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                returned = await g.StartAsync(_ => new ValueTask<int>(5), 0);
                await returned.WaitAsync();
                failed = await g.StartAsync<int>(_ => throw new MarkerException("failed"), 0);
            }, 0));
            Assert.True(returned!.IsCompleted);
            Assert.True(failed!.IsCompleted);

            CancelScope scope = await b.OpenCancelScope().RunAsync((scope, _) =>
            {
                scope.Cancel();
                ValueTask first = returned.WaitAsync();
                ValueTask second = failed.WaitAsync();
                Assert.True(first.IsCompletedSuccessfully);
                Assert.True(second.IsCompletedSuccessfully);
                return ValueTask.CompletedTask;
            }, 0);

            Assert.False(scope.CancelledCaught); // no cancel point ran in the scope
        });

    // ------------------------------------------------------------------ S4.23

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_23_JoinAsync_returns_the_value_every_time(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                IAsyncEvent release = b.CreateEvent();
                TaskHandle<string> target = await g.StartAsync(async _ =>
                {
                    await release.WaitAsync();
                    return "value";
                }, 0);

                ValueTask<string> joining = target.JoinAsync(); // parked
                release.Set();
                Assert.Equal("value", await joining);
                Assert.Equal("value", await target.JoinAsync());
                Assert.Equal("value", await target.JoinAsync());
            }, 0);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_23_JoinAsync_rethrows_the_same_exception_every_time(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var failure = new MarkerException("failed");
            TaskHandle<int>? target = null;
            Exception? fromParkedJoin = null;

            await b.RunTaskGroupAsync(async (outer, _) =>
            {
                IAsyncEvent handleReady = b.CreateEvent();
                IAsyncEvent go = b.CreateEvent();
                outer.StartSoon(async _ =>
                {
                    await handleReady.WaitAsync();
                    ValueTask<int> joining = target!.JoinAsync(); // parked: the task waits for go
                    go.Set();
                    fromParkedJoin = await Catch.ExceptionAsync(() => joining);
                }, 0);

                Exception? fromGroup = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
                {
                    target = await g.StartAsync<int, int>(async _ =>
                    {
                        await go.WaitAsync();
                        throw failure;
                    }, 0);
                    handleReady.Set();
                }, 0));
                Assert.Same(failure, fromGroup);
            }, 0);

            Assert.Same(failure, fromParkedJoin);
            Assert.Same(failure, await Catch.ExceptionAsync(() => target!.JoinAsync()));
            Assert.Same(failure, await Catch.ExceptionAsync(() => target!.JoinAsync()));
            Assert.Same(failure, await Catch.ExceptionAsync(() => ((TaskHandle)target!).JoinAsync()));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_23_JoinAsync_of_a_cancelled_task_throws_a_foreign_cancellation(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                TaskHandle<int> target = await g.StartAsync(async _ =>
                {
                    await b.SleepForeverAsync();
                    return 0;
                }, 0);

                ValueTask<int> joining = target.JoinAsync(); // parked
                target.Cancel();
                Exception? fromParkedJoin = await Catch.ExceptionAsync(() => joining);
                AssertForeignCancellation(fromParkedJoin);

                // On the completed task, from inside a cancelled scope of the joiner: the scope must not swallow it.
                CancelScope joinerScope = b.OpenCancelScope();
                Exception? fromScope = await Catch.ExceptionAsync(() => joinerScope.RunAsync(async (scope, _) =>
                {
                    scope.Cancel();
                    await target.JoinAsync();
                }, 0));
                AssertForeignCancellation(fromScope);
                Assert.True(joinerScope.CancelCalled);
                Assert.False(joinerScope.CancelledCaught);

                AssertForeignCancellation(await Catch.ExceptionAsync(() => target.JoinAsync()));
                AssertForeignCancellation(await Catch.ExceptionAsync(() => ((TaskHandle)target).JoinAsync()));
            }, 0);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_23_JoinAsync_of_a_task_cancelled_by_its_group_throws_a_foreign_cancellation(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            TaskHandle? target = null;
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                target = await g.StartAsync(async _ => await b.SleepForeverAsync(), 0);
                g.CancelScope.Cancel();
            }, 0);

            Assert.True(target!.IsCancelled);
            AssertForeignCancellation(await Catch.ExceptionAsync(() => target.JoinAsync()));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_23_cancelling_the_joiner_does_not_cancel_the_task(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                IAsyncEvent release = b.CreateEvent();
                TaskHandle<int> target = await g.StartAsync(async _ =>
                {
                    await release.WaitAsync();
                    return 7;
                }, 0);

                CancelScope scope = await b.OpenCancelScope().RunAsync(async (scope, _) =>
                {
                    ValueTask<int> joining = target.JoinAsync();
                    Assert.False(joining.IsCompleted);
                    scope.Cancel();
                    await joining;
                }, 0);

                Assert.True(scope.CancelledCaught);
                Assert.False(target.IsCompleted);
                release.Set();
                Assert.Equal(7, await target.JoinAsync());
            }, 0);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_23_JoinAsync_on_a_completed_task_returns_at_once_even_in_a_cancelled_scope(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var failure = new MarkerException("failed");
            TaskHandle<int>? returned = null;
            TaskHandle<int>? failed = null;
            await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                returned = await g.StartAsync(_ => new ValueTask<int>(5), 0);
                await returned.WaitAsync();
                failed = await g.StartAsync<int, int>(_ => throw failure, 0);
            }, 0));

            Exception? fromFailed = null;
            CancelScope scope = await b.OpenCancelScope().RunAsync(async (scope, _) =>
            {
                scope.Cancel();
                ValueTask<int> value = returned!.JoinAsync();
                Assert.True(value.IsCompletedSuccessfully);
                Assert.Equal(5, value.Result);
                Assert.True(((TaskHandle)returned).JoinAsync().IsCompletedSuccessfully);
                Assert.True(returned.JoinOrCancelAsync().IsCompletedSuccessfully);

                ValueTask<int> failing = failed!.JoinAsync();
                Assert.True(failing.IsCompleted);
                fromFailed = await Catch.ExceptionAsync(() => failing);
            }, 0);

            Assert.Same(failure, fromFailed);
            Assert.False(scope.CancelledCaught); // no cancel point ran in the scope
        });

    // ------------------------------------------------------------------ S4.24

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_24_JoinOrCancelAsync_without_cancellation_behaves_like_JoinAsync(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var failure = new MarkerException("failed");
            TaskHandle<int>? failed = null;
            Exception? fromParkedJoin = null;

            Exception? fromGroup = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                IAsyncEvent release = b.CreateEvent();
                TaskHandle<int> target = await g.StartAsync(async _ =>
                {
                    await release.WaitAsync();
                    return 3;
                }, 0);
                ValueTask<int> joining = target.JoinOrCancelAsync();
                release.Set();
                Assert.Equal(3, await joining);
                Assert.False(target.IsCancelled);

                failed = await g.StartAsync<int, int>(async _ =>
                {
                    await release.WaitAsync();
                    await b.YieldAsync();
                    throw failure;
                }, 0);
                fromParkedJoin = await Catch.ExceptionAsync(() => failed.JoinOrCancelAsync());
            }, 0));

            Assert.Same(failure, fromParkedJoin);
            Assert.Same(failure, fromGroup);
            Assert.Same(failure, await Catch.ExceptionAsync(() => failed!.JoinOrCancelAsync()));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_24_caller_cancelled_while_waiting_cancels_the_task_waits_for_it_and_raises_its_own_cancellation(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            int cleanupDone = 0;
            bool completedWhenJoinEnded = false;
            CancelledException? raised = null;
            TaskHandle<int>? target = null;
            CancelScope? callerScope = null;

            await b.RunTaskGroupAsync(async (g, _) =>
            {
                target = await g.StartAsync(async _ =>
                {
                    try
                    {
                        await b.SleepForeverAsync();
                        return 0;
                    }
                    finally
                    {
                        // Slow cleanup: JoinOrCancelAsync must wait for it, shielded.
                        await b.ShieldAsync(NoTimeout, async (_, _) =>
                        {
                            for (int i = 0; i < 3; i++)
                            {
                                await b.YieldAsync();
                            }

                            await b.SleepAsync(TimeSpan.FromMilliseconds(10));
                        }, 0);
                        Volatile.Write(ref cleanupDone, 1);
                    }
                }, 0);

                callerScope = await b.OpenCancelScope().RunAsync(async (scope, _) =>
                {
                    ValueTask<int> joining = target.JoinOrCancelAsync();
                    Assert.False(joining.IsCompleted);
                    scope.Cancel();
                    try
                    {
                        await joining;
                    }
                    catch (CancelledException ex)
                    {
                        raised = ex;
                        completedWhenJoinEnded = target.IsCompleted && Volatile.Read(ref cleanupDone) == 1;
                        throw;
                    }
                }, 0);
            }, 0);

            Assert.NotNull(raised);
            Assert.NotNull(callerScope);
            Assert.Same(callerScope, raised.Scope); // S3.26: the outermost cancelled scope visible from the caller
            Assert.True(callerScope.CancelledCaught);
            Assert.True(completedWhenJoinEnded);
            Assert.True(target!.IsCancelled);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_24_caller_cancellation_is_attributed_to_the_outermost_cancelled_scope(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            CancelledException? raised = null;
            CancelScope? inner = null;
            IAsyncEvent released = b.CreateEvent();
            CancelScope outer = await b.OpenCancelScope().RunAsync(async (outer, _) =>
            {
                await b.RunTaskGroupAsync(async (g, _) =>
                {
                    TaskHandle<int> target = await g.StartAsync(async _ =>
                    {
                        try
                        {
                            await b.SleepForeverAsync();
                        }
                        finally
                        {
                            // Regression (threadpool): without this, the target could finish and the joiner resume
                            // between the two Cancel calls below, when only `inner` was cancelled yet.
                            await b.ShieldAsync(TimeSpan.MaxValue, static (_, released) => released.WaitAsync(), released);
                        }

                        return 0;
                    }, 0);

                    // The task is a child of a group opened inside `outer`, so `outer` cancels it too; it is joined
                    // from a nested scope, and both scopes are cancelled while the caller waits.
                    inner = b.OpenCancelScope();
                    await inner.RunAsync(async (innerScope, _) =>
                    {
                        ValueTask<int> joining = target.JoinOrCancelAsync();
                        innerScope.Cancel();
                        outer.Cancel();
                        released.Set();
                        try
                        {
                            await joining;
                        }
                        catch (CancelledException ex)
                        {
                            raised = ex;
                            throw;
                        }
                    }, 0);
                }, 0);
            }, 0);

            Assert.NotNull(raised);
            Assert.Same(outer, raised.Scope);
            Assert.True(outer.CancelledCaught);
            Assert.NotNull(inner);
            Assert.True(inner.CancelCalled);
            Assert.False(inner.CancelledCaught);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_24_task_returning_a_value_despite_the_cancellation_gives_the_value_and_the_scope_stays_cancelled(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            int? value = null;
            bool tokenCancelledAfterJoin = false;
            TaskHandle<int>? target = null;
            CancelScope? callerScope = null;

            await b.RunTaskGroupAsync(async (g, _) =>
            {
                target = await g.StartAsync(async _ =>
                {
                    try
                    {
                        await b.SleepForeverAsync();
                    }
                    catch (CancelledException)
                    {
                        // ignores its cancellation
                    }

                    return 5;
                }, 0);

                callerScope = await b.OpenCancelScope().RunAsync(async (scope, _) =>
                {
                    ValueTask<int> joining = target.JoinOrCancelAsync();
                    scope.Cancel();
                    value = await joining;
                    tokenCancelledAfterJoin = b.CurrentCancellationToken.IsCancellationRequested;
                }, 0); // no cancel point after the join
            }, 0);

            Assert.Equal(5, value);
            Assert.True(tokenCancelledAfterJoin);
            Assert.NotNull(callerScope);
            Assert.True(callerScope.CancelCalled);
            Assert.False(callerScope.CancelledCaught);
            Assert.False(target!.IsCancelled);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_24_after_a_value_the_next_cancel_point_raises_the_pending_cancellation(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            int? value = null;
            CancelledException? raised = null;
            CancelScope? callerScope = null;

            await b.RunTaskGroupAsync(async (g, _) =>
            {
                TaskHandle<int> target = await g.StartAsync(async _ =>
                {
                    try
                    {
                        await b.SleepForeverAsync();
                    }
                    catch (CancelledException)
                    {
                    }

                    return 5;
                }, 0);

                callerScope = await b.OpenCancelScope().RunAsync(async (scope, _) =>
                {
                    ValueTask<int> joining = target.JoinOrCancelAsync();
                    scope.Cancel();
                    value = await joining;
                    try
                    {
                        await b.YieldAsync();
                    }
                    catch (CancelledException ex)
                    {
                        raised = ex;
                        throw;
                    }
                }, 0);
            }, 0);

            Assert.Equal(5, value);
            Assert.NotNull(raised);
            Assert.NotNull(callerScope);
            Assert.Same(callerScope, raised.Scope);
            Assert.True(callerScope.CancelledCaught);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_24_task_failing_after_the_cancellation_rethrows_its_exception(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var failure = new MarkerException("failed while cancelled");
            Exception? fromJoin = null;
            CancelScope? callerScope = null;

            Exception? fromGroup = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                TaskHandle<int> target = await g.StartAsync<int, int>(async _ =>
                {
                    try
                    {
                        await b.SleepForeverAsync();
                    }
                    catch (CancelledException)
                    {
                        throw failure;
                    }

                    return 0;
                }, 0);

                callerScope = b.OpenCancelScope();
                fromJoin = await Catch.ExceptionAsync(() => callerScope.RunAsync(async (scope, _) =>
                {
                    ValueTask<int> joining = target.JoinOrCancelAsync();
                    scope.Cancel();
                    await joining;
                }, 0));
            }, 0));

            Assert.Same(failure, fromJoin);
            Assert.Same(failure, fromGroup); // the task's failure is also the group's
            Assert.NotNull(callerScope);
            Assert.False(callerScope.CancelledCaught);
        });

    // ------------------------------------------------------------------ S4.25

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_25_waiting_on_the_own_handle_throws_InvalidOperationException(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var errors = new ConcurrentQueue<Exception?>();
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                IAsyncEvent ready = b.CreateEvent();
                TaskHandle<int>? valued = null;
                TaskHandle? plain = null;

                valued = await g.StartAsync(async _ =>
                {
                    await ready.WaitAsync();
                    errors.Enqueue(await Catch.ExceptionAsync(() => valued!.WaitAsync()));
                    errors.Enqueue(await Catch.ExceptionAsync(() => valued!.JoinAsync()));
                    errors.Enqueue(await Catch.ExceptionAsync(() => valued!.JoinOrCancelAsync()));
                    errors.Enqueue(await Catch.ExceptionAsync(() => ((TaskHandle)valued!).JoinAsync()));
                    errors.Enqueue(await Catch.ExceptionAsync(() => ((TaskHandle)valued!).JoinOrCancelAsync()));
                    return 1;
                }, 0);

                plain = await g.StartAsync(async _ =>
                {
                    await ready.WaitAsync();
                    errors.Enqueue(await Catch.ExceptionAsync(() => plain!.WaitAsync()));
                    errors.Enqueue(await Catch.ExceptionAsync(() => plain!.JoinAsync()));
                    errors.Enqueue(await Catch.ExceptionAsync(() => plain!.JoinOrCancelAsync()));
                }, 0);

                ready.Set();
            }, 0);

            Assert.Equal(8, errors.Count);
            Assert.All(errors, error => Assert.IsType<InvalidOperationException>(error));
        });

    // ------------------------------------------------------------------ S4.26

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_26_handles_of_the_same_task_are_equal_and_of_different_tasks_are_not(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                TaskHandle<int> first = await g.StartAsync(_ => new ValueTask<int>(1), 0);
                TaskHandle second = await g.StartAsync(_ => ValueTask.CompletedTask, 0);

                // The runtime hands out one handle per start; a second handle of the same task is one with the same Info.
                var sameTask = new InfoOnlyHandle(first.Info);
                Assert.True(first.Equals(sameTask));
                Assert.True(sameTask.Equals(first));
                Assert.True(first.Equals((object)sameTask));
                Assert.Equal(first.GetHashCode(), sameTask.GetHashCode());
                Assert.True(first.Equals(first));

                Assert.False(first.Equals(second));
                Assert.False(second.Equals(first));
                Assert.False(first.Equals((object)second));
                Assert.False(first.Equals(new InfoOnlyHandle(second.Info)));

                var set = new HashSet<TaskHandle> { first, sameTask, second };
                Assert.Equal(2, set.Count);
            }, 0);
        });

    // ------------------------------------------------------------------ S4.27

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_27_GetCurrentTask_returns_the_calling_task_info(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            TaskInfo root = b.GetCurrentTask();
            Assert.NotNull(root);
            Assert.Equal(root, b.GetCurrentTask());

            await b.RunTaskGroupAsync(async (g, _) =>
            {
                TaskHandle<TaskInfo> child = await g.StartAsync(async _ =>
                {
                    await b.YieldAsync();
                    return b.GetCurrentTask();
                }, 0);
                TaskInfo fromChild = await child.JoinAsync();
                Assert.Equal(child.Info, fromChild);
                Assert.NotEqual(root, fromChild);
            }, 0);

            TaskHandle<TaskInfo> system = b.SpawnSystemTask(_ => new ValueTask<TaskInfo>(b.GetCurrentTask()), 0);
            TaskInfo fromSystem = await system.JoinAsync();
            Assert.Equal(system.Info, fromSystem);
            Assert.NotEqual(root, fromSystem);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S4_27_GetCurrentTask_outside_a_task_throws_InvalidOperationException(string backend)
    {
        IAsyncBackend backend1 = BackendRuns.Create(backend);
        Assert.Throws<InvalidOperationException>(() => backend1.GetCurrentTask());

        await BackendRuns.RunAsync(backend, static async b =>
        {
            Exception? inWorker = await b.RunInThreadAsync(_ => Catch.Exception(() => b.GetCurrentTask()), 0);
            Assert.IsType<InvalidOperationException>(inWorker);
        });
    }

    // ------------------------------------------------------------------ S4.28

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S4_28_TaskInfo_ids_are_unique_names_non_null_and_Entry_is_the_delegate(string backend)
    {
        long[] firstRun = await BackendRuns.RunAsync(backend, CollectIds);
        long[] secondRun = await BackendRuns.RunAsync(backend, CollectIds);

        var all = new HashSet<long>(firstRun);
        all.UnionWith(secondRun);
        Assert.Equal(firstRun.Length + secondRun.Length, all.Count);

        await BackendRuns.RunAsync(backend, static async b =>
        {
            Func<int, ValueTask> entry = static _ => ValueTask.CompletedTask;
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                TaskHandle handle = await g.StartAsync(entry, 0, name: "named");
                Assert.Same(entry, handle.Info.Entry);
                Assert.Equal("named", handle.Info.Name);
                Assert.DoesNotContain(entry.Method.Name, handle.Info.ToString(), StringComparison.Ordinal);
            }, 0);
        });

        static async ValueTask<long[]> CollectIds(IAsyncBackend b)
        {
            var ids = new ConcurrentQueue<long>();
            ids.Enqueue(b.GetCurrentTask().Id);
            await b.RunTaskGroupAsync((g, _) =>
            {
                for (int i = 0; i < 50; i++)
                {
                    g.StartSoon(_ =>
                    {
                        TaskInfo info = b.GetCurrentTask();
                        Assert.NotNull(info.Name);
                        ids.Enqueue(info.Id);
                        return ValueTask.CompletedTask;
                    }, 0);
                }

                return ValueTask.CompletedTask;
            }, 0);
            return ids.ToArray();
        }
    }

    // Not backend behaviour: the value semantics of TaskInfo itself.
    [Fact]
    public void S4_28_Entry_is_excluded_from_ToString_and_equality()
    {
        Func<int, ValueTask> entry = static _ => ValueTask.CompletedTask;
        var info = new TaskInfo(7, "seven", entry);
        var sameIdOtherEntry = new TaskInfo(7, "seven", null);

        Assert.Same(entry, info.Entry);
        Assert.DoesNotContain(entry.Method.Name, info.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(entry.ToString()!, info.ToString(), StringComparison.Ordinal);
        Assert.Equal(sameIdOtherEntry.ToString(), info.ToString());
        Assert.Equal(sameIdOtherEntry, info);
        Assert.Throws<ArgumentNullException>(() => new TaskInfo(8, null!, entry));
    }

    // ------------------------------------------------------------------ S4.29

    // Not backend behaviour: the value semantics of TaskInfo itself.
    [Fact]
    public void S4_29_TaskInfo_equality_and_hash_code_use_the_Id_only()
    {
        var a = new TaskInfo(1, "a", null);
        var sameId = new TaskInfo(1, "b", static () => { });
        var otherId = new TaskInfo(2, "a", null);

        Assert.True(a.Equals(sameId));
        Assert.True(a.Equals((object)sameId));
        Assert.True(a == sameId);
        Assert.False(a != sameId);
        Assert.Equal(a.GetHashCode(), sameId.GetHashCode());
        Assert.Equal(1L.GetHashCode(), a.GetHashCode());

        Assert.False(a.Equals(otherId));
        Assert.False(a.Equals((object)otherId));
        Assert.False(a == otherId);
        Assert.True(a != otherId);

        Assert.False(a.Equals("1"));
        Assert.False(a.Equals((object)1L));
        Assert.False(a.Equals(null));
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_29_infos_of_the_same_task_are_equal(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                TaskHandle<TaskInfo> child = await g.StartAsync(_ => new ValueTask<TaskInfo>(b.GetCurrentTask()), 0);
                TaskInfo fromInside = await child.JoinAsync();
                Assert.Equal(child.Info, fromInside);
                Assert.Equal(child.Info.GetHashCode(), fromInside.GetHashCode());
                Assert.Equal(child.Info.Id.GetHashCode(), fromInside.GetHashCode());
                Assert.NotEqual(b.GetCurrentTask(), fromInside);
            }, 0);
        });

    private static void AssertForeignCancellation(Exception? exception)
    {
        OperationCanceledException cancellation = Assert.IsAssignableFrom<OperationCanceledException>(exception);
        Assert.IsNotType<CancelledException>(cancellation);
    }

    /// <summary>A second handle of a task: it carries the same <see cref="TaskInfo"/> and nothing else.</summary>
    private sealed class InfoOnlyHandle(TaskInfo info) : TaskHandle
    {
        public override TaskInfo Info { get; } = info;

        public override bool IsCompleted => throw new NotSupportedException();

        public override bool IsCancelled => throw new NotSupportedException();

        public override bool Cancel() => throw new NotSupportedException();

        public override ValueTask WaitAsync() => throw new NotSupportedException();

        protected override ValueTask JoinCoreAsync() => throw new NotSupportedException();

        protected override ValueTask JoinOrCancelCoreAsync() => throw new NotSupportedException();
    }
}
