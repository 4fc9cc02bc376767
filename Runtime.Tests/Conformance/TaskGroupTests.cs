using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Conformance;

/// <summary>SPEC §4, task groups: S4.1–S4.17.</summary>
/// <remarks>
/// Children run in parallel on <c>threadpool</c>: every shared counter is updated with <see cref="Interlocked"/>, order
/// is recorded in a <see cref="ConcurrentQueue{T}"/>, and every ordering a test relies on is enforced by a backend event,
/// a task handle, or the fact that <c>StartAsync</c> returns only after the child's first step (S4.4).
/// </remarks>
public sealed class TaskGroupTests
{

    private static readonly TimeSpan NoTimeout = Timeout.InfiniteTimeSpan;
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(10);

    // ------------------------------------------------------------------ S4.1

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_1_body_runs_in_the_calling_task_inside_the_group_scope(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            TaskInfo outside = b.GetCurrentTask();
            TaskInfo? inside = null;
            ITaskGroup? group = null;
            bool activeInside = false;
            bool innermostIsGroupScope = false;

            await b.RunTaskGroupAsync((g, _) =>
            {
                inside = b.GetCurrentTask();
                group = g;
                activeInside = g.CancelScope.IsActive;
                innermostIsGroupScope = b.CurrentCancellationToken == g.CancelScope.Token;
                return ValueTask.CompletedTask;
            }, 0);

            Assert.Equal(outside, inside);
            Assert.True(activeInside);
            Assert.True(innermostIsGroupScope);
            Assert.NotNull(group);
            Assert.False(group.CancelScope.IsActive);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_1_group_returns_only_after_every_child_finished(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            int finished = 0;
            await b.RunTaskGroupAsync((g, _) =>
            {
                for (int i = 0; i < 5; i++)
                {
                    g.StartSoon(async milliseconds =>
                    {
                        await b.SleepAsync(TimeSpan.FromMilliseconds(milliseconds));
                        Interlocked.Increment(ref finished);
                    }, 5 * i);
                }

                return ValueTask.CompletedTask;
            }, 0);

            Assert.Equal(5, Volatile.Read(ref finished));
        });

    // ------------------------------------------------------------------ S4.2

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_2_child_sees_the_scopes_that_enclosed_the_group(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            CancelScope? seenByChild = null;
            CancelScope outer = await b.OpenCancelScope().RunAsync(async (outer, _) =>
            {
                await b.RunTaskGroupAsync(async (g, _) =>
                {
                    await g.StartAsync(async _ =>
                    {
                        try
                        {
                            await b.SleepForeverAsync();
                        }
                        catch (CancelledException ex)
                        {
                            seenByChild = ex.Scope;
                            throw;
                        }
                    }, 0);

                    outer.Cancel();
                }, 0);
            }, 0);

            Assert.Same(outer, seenByChild);
            Assert.True(outer.CancelledCaught);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_2_scope_opened_by_the_body_around_StartSoon_does_not_limit_the_child(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            int childCancelled = 0;
            int childCompleted = 0;
            CancelScope? bodyScope = null;

            await b.RunTaskGroupAsync(async (g, _) =>
            {
                IAsyncEvent childDone = b.CreateEvent();
                bodyScope = await b.MoveOnAfterAsync(NoTimeout, async (scope, _) =>
                {
                    g.StartSoon(async _ =>
                    {
                        try
                        {
                            // The body's scope is cancelled and still active while these checkpoints run.
                            for (int i = 0; i < 3; i++)
                            {
                                await b.YieldAsync();
                            }

                            await b.SleepAsync(TimeSpan.FromMilliseconds(1));
                            Interlocked.Exchange(ref childCompleted, 1);
                        }
                        catch (OperationCanceledException)
                        {
                            Interlocked.Exchange(ref childCancelled, 1);
                        }
                        finally
                        {
                            childDone.Set();
                        }
                    }, 0);

                    scope.Cancel();

                    // Keep the cancelled scope active until the child is done (a shielded wait is not interrupted by it).
                    await b.OpenCancelScope(new CancelScopeOptions { Shield = true }).RunAsync((_, _) => childDone.WaitAsync(), 0);
                }, 0);
            }, 0);

            Assert.Equal(0, childCancelled);
            Assert.Equal(1, childCompleted);
            Assert.NotNull(bodyScope);
            Assert.True(bodyScope.CancelCalled);
        });

    // ------------------------------------------------------------------ S4.3

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_3_StartSoon_returns_without_invoking_the_child_inline(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            int callerThread = 0;
            int insideStartSoon = 0;
            int invokedInline = 0;
            int invoked = 0;

            await b.RunTaskGroupAsync((g, _) =>
            {
                callerThread = Environment.CurrentManagedThreadId;
                for (int i = 0; i < 10; i++)
                {
                    Volatile.Write(ref insideStartSoon, 1);
                    g.StartSoon(_ =>
                    {
                        if (Volatile.Read(ref insideStartSoon) == 1 && Environment.CurrentManagedThreadId == callerThread)
                        {
                            Interlocked.Increment(ref invokedInline);
                        }

                        Interlocked.Increment(ref invoked);
                        return ValueTask.CompletedTask;
                    }, 0);
                    Volatile.Write(ref insideStartSoon, 0);
                }

                return ValueTask.CompletedTask;
            }, 0);

            Assert.Equal(0, invokedInline);
            Assert.Equal(10, invoked);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_3_StartSoon_is_not_a_cancel_point(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            // S2.15: calling StartSoon inside a cancelled scope raises nothing; the child hangs under the group's scope (S4.2).
            int childRan = 0;
            Exception? fromStartSoon = new MarkerException("not reached");
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                await b.OpenCancelScope().RunAsync((scope, _) =>
                {
                    scope.Cancel();
                    fromStartSoon = Catch.Exception(() => g.StartSoon(async _ =>
                    {
                        await b.YieldAsync();
                        Interlocked.Exchange(ref childRan, 1);
                    }, 0));
                    return ValueTask.CompletedTask;
                }, 0);
            }, 0);

            Assert.Null(fromStartSoon);
            Assert.Equal(1, childRan);
        });

    [Theory]
    [InlineData("eventloop")]
    [InlineData("eventloop+virtual")]
    public Task S4_3_children_start_in_scheduling_order_after_the_tasks_already_ready(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var order = new ConcurrentQueue<string>();
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                IAsyncEvent wake = b.CreateEvent();
                await g.StartAsync(async _ =>
                {
                    await wake.WaitAsync();
                    order.Enqueue("ready-before");
                }, 0);

                wake.Set(); // the waiter is ready now, before any of the children below
                for (int i = 0; i < 5; i++)
                {
                    g.StartSoon(index =>
                    {
                        order.Enqueue($"child-{index}");
                        return ValueTask.CompletedTask;
                    }, i);
                }

                await b.YieldAsync(); // S2.4: every task ready now runs before the body resumes
                order.Enqueue("body");
            }, 0);

            Assert.Equal(["ready-before", "child-0", "child-1", "child-2", "child-3", "child-4", "body"], order);
        });

    // ------------------------------------------------------------------ S4.4

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_4_StartAsync_returns_once_the_child_ran_to_its_first_suspension(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            int firstStepDone = 0;
            int secondStepDone = 0;
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                IAsyncEvent release = b.CreateEvent();
                TaskHandle handle = await g.StartAsync(async _ =>
                {
                    Interlocked.Exchange(ref firstStepDone, 1);
                    await release.WaitAsync();
                    Interlocked.Exchange(ref secondStepDone, 1);
                }, 0);

                Assert.Equal(1, Volatile.Read(ref firstStepDone));
                Assert.Equal(0, Volatile.Read(ref secondStepDone));
                Assert.False(handle.IsCompleted);
                release.Set();
                await handle.JoinAsync();
            }, 0);

            Assert.Equal(1, secondStepDone);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_4_StartAsync_returns_the_handle_of_a_child_that_completed_in_its_first_step(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                TaskHandle<int> handle = await g.StartAsync(static _ => new ValueTask<int>(7), 0);
                Assert.Equal(7, await handle.JoinAsync());
            }, 0);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_4_child_failure_goes_to_the_group_and_the_handle_never_to_StartAsync(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var failedAsync = new MarkerException("fails after its first suspension");
            var failedSync = new MarkerException("throws instead of returning a ValueTask");
            TaskHandle? asyncHandle = null;
            TaskHandle<int>? syncHandle = null;

            Exception? fromGroup = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                IAsyncEvent go = b.CreateEvent();
                asyncHandle = await g.StartAsync(async _ =>
                {
                    await go.WaitAsync();
                    throw failedAsync;
                }, 0);
                go.Set();
            }, 0));

            Assert.Same(failedAsync, fromGroup);
            Assert.NotNull(asyncHandle);
            Assert.Same(failedAsync, await Catch.ExceptionAsync(() => asyncHandle.JoinAsync()));

            fromGroup = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                syncHandle = await g.StartAsync<int, int>(_ => throw failedSync, 0);
            }, 0));

            Assert.Same(failedSync, fromGroup);
            Assert.NotNull(syncHandle);
            Assert.Same(failedSync, await Catch.ExceptionAsync(() => syncHandle.JoinAsync()));
        });

    // ------------------------------------------------------------------ S4.5

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_5_StartAsync_is_a_cancel_point_on_entry_and_never_invokes_the_child(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            int invoked = 0;
            CancelledException? raised = null;
            CancelScope? scope = null;

            await b.RunTaskGroupAsync(async (g, _) =>
            {
                scope = await b.OpenCancelScope().RunAsync(async (scope, _) =>
                {
                    scope.Cancel();
                    try
                    {
                        await g.StartAsync(_ =>
                        {
                            Interlocked.Increment(ref invoked);
                            return ValueTask.CompletedTask;
                        }, 0);
                    }
                    catch (CancelledException ex)
                    {
                        raised = ex;
                        throw;
                    }
                }, 0);
            }, 0);

            Assert.NotNull(scope);
            Assert.NotNull(raised);
            Assert.Same(scope, raised.Scope);
            Assert.True(scope.CancelledCaught);
            Assert.Equal(0, invoked);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_5_caller_cancelled_before_the_child_started_cancels_the_child_waits_for_it_and_raises(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            // The child cancels the caller during its own first step, i.e. before it "has started" in the sense of
            // S4.4 (its delegate has not returned its ValueTask yet). Repeated because the backend may run both in parallel.
            for (int attempt = 0; attempt < 20; attempt++)
            {
                int childFinished = 0;
                bool finishedWhenStartAsyncThrew = false;
                TaskHandle? handle = null;
                CancelledException? raised = null;
                CancelScope? callerScope = null;

                await b.RunTaskGroupAsync(async (g, _) =>
                {
                    callerScope = await b.OpenCancelScope().RunAsync(async (scope, _) =>
                    {
                        try
                        {
                            handle = await g.StartAsync(async _ =>
                            {
                                scope.Cancel();
                                try
                                {
                                    await b.SleepForeverAsync();
                                }
                                finally
                                {
                                    Volatile.Write(ref childFinished, 1);
                                }
                            }, 0);
                        }
                        catch (CancelledException ex)
                        {
                            raised = ex;
                            finishedWhenStartAsyncThrew = Volatile.Read(ref childFinished) == 1;
                            throw;
                        }
                    }, 0);

                    // Only reached when StartAsync wrongly returned a handle: end the child so the group can exit.
                    handle?.Cancel();
                }, 0);

                Assert.Null(handle);
                Assert.NotNull(raised);
                Assert.NotNull(callerScope);
                Assert.Same(callerScope, raised.Scope);
                Assert.True(callerScope.CancelledCaught);
                Assert.True(finishedWhenStartAsyncThrew);
            }
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_5_caller_cancelled_while_starting_either_gets_the_handle_or_a_finished_child(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            // The caller is cancelled after entering StartAsync; whether the child started first is a race on a
            // parallel backend, so only what holds in both cases is asserted.
            for (int attempt = 0; attempt < 20; attempt++)
            {
                int invoked = 0;
                int childFinished = 0;
                bool consistentWhenThrown = true;
                TaskHandle? handle = null;
                CancelScope? callerScope = null;

                await b.RunTaskGroupAsync(async (g, _) =>
                {
                    callerScope = await b.OpenCancelScope().RunAsync(async (scope, _) =>
                    {
                        ValueTask<TaskHandle> starting = g.StartAsync(async _ =>
                        {
                            Interlocked.Exchange(ref invoked, 1);
                            try
                            {
                                await b.SleepForeverAsync();
                            }
                            finally
                            {
                                Volatile.Write(ref childFinished, 1);
                            }
                        }, 0);
                        scope.Cancel();
                        try
                        {
                            handle = await starting;
                        }
                        catch (CancelledException ex) when (ReferenceEquals(ex.Scope, scope))
                        {
                            // Not started: never invoked. Started meanwhile: cancelled and awaited before the throw.
                            consistentWhenThrown = Volatile.Read(ref invoked) == 0 || Volatile.Read(ref childFinished) == 1;
                            throw;
                        }

                        await b.YieldAsync(); // got the handle: the pending cancellation is raised here
                    }, 0);

                    handle?.Cancel();
                }, 0);

                Assert.True(consistentWhenThrown);
                Assert.NotNull(callerScope);
                Assert.True(callerScope.CancelledCaught);
                if (handle is not null)
                {
                    Assert.Equal(1, invoked);
                    Assert.True(handle.IsCancelled);
                }
            }
        });

    // ------------------------------------------------------------------ S4.6

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_6_starting_in_an_exited_group_throws_and_never_invokes(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            ITaskGroup? group = null;
            await b.RunTaskGroupAsync((g, _) =>
            {
                group = g;
                return ValueTask.CompletedTask;
            }, 0);
            Assert.NotNull(group);

            int invoked = 0;
            Func<int, ValueTask> entry = _ =>
            {
                Interlocked.Increment(ref invoked);
                return ValueTask.CompletedTask;
            };
            Func<int, ValueTask<int>> valued = _ =>
            {
                Interlocked.Increment(ref invoked);
                return new ValueTask<int>(1);
            };

            Exception?[] errors =
            [
                Catch.Exception(() => group.StartSoon(entry, 0)),
                await Catch.ExceptionAsync(() => group.StartAsync(entry, 0)),
                await Catch.ExceptionAsync(() => group.StartAsync(valued, 0)),
            ];

            foreach (Exception? error in errors)
            {
                InvalidOperationException ioe = Assert.IsType<InvalidOperationException>(error);
                Assert.Contains("exited", ioe.Message, StringComparison.OrdinalIgnoreCase);
            }

            await b.YieldAsync();
            Assert.Equal(0, Volatile.Read(ref invoked));
        });

    // ------------------------------------------------------------------ S4.7

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_7_children_can_be_added_by_the_body_children_and_other_tasks_until_exit(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var ran = new ConcurrentQueue<string>();
            await b.RunTaskGroupAsync(async (outerGroup, _) =>
            {
                IAsyncEvent groupReady = b.CreateEvent();
                IAsyncEvent outsiderDone = b.CreateEvent();
                ITaskGroup? inner = null;

                // A task outside the group that holds it.
                outerGroup.StartSoon(async _ =>
                {
                    await groupReady.WaitAsync();
                    inner!.StartSoon(async _ =>
                    {
                        await b.SleepAsync(Short);
                        ran.Enqueue("added-by-outsider");
                    }, 0);
                    outsiderDone.Set();
                }, 0);

                await b.RunTaskGroupAsync((g, _) =>
                {
                    inner = g;
                    g.StartSoon(async _ =>
                    {
                        // The group cannot exit before this child, which adds more children after the body returned.
                        await outsiderDone.WaitAsync();
                        g.StartSoon(async _ =>
                        {
                            await b.SleepAsync(Short);
                            ran.Enqueue("added-by-child-soon");
                        }, 0);
                        await g.StartAsync(async _ =>
                        {
                            await b.YieldAsync();
                            await b.SleepAsync(Short);
                            ran.Enqueue("added-by-child-start");
                        }, 0);
                        ran.Enqueue("child");
                    }, 0);
                    groupReady.Set();
                    ran.Enqueue("body");
                    return ValueTask.CompletedTask;
                }, 0);

                // Every child, however late it was added, ended before the group returned.
                string[] snapshot = ran.ToArray();
                Assert.Equal(5, snapshot.Length);
                Assert.Contains("added-by-outsider", snapshot);
                Assert.Contains("added-by-child-soon", snapshot);
                Assert.Contains("added-by-child-start", snapshot);
            }, 0);
        });

    // ------------------------------------------------------------------ S4.8

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_8_name_becomes_TaskInfo_Name_and_null_derives_a_default(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            string? seenBySoonChild = null;
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                TaskHandle<string> named = await g.StartAsync(_ => new ValueTask<string>(b.GetCurrentTask().Name), 0, name: "worker-1");
                Assert.Equal("worker-1", named.Info.Name);
                Assert.Equal("worker-1", await named.JoinAsync());

                TaskHandle<string> unnamed = await g.StartAsync(_ => new ValueTask<string>(b.GetCurrentTask().Name), 0);
                Assert.NotNull(unnamed.Info.Name);
                Assert.Equal(unnamed.Info.Name, await unnamed.JoinAsync());

                g.StartSoon(_ =>
                {
                    seenBySoonChild = b.GetCurrentTask().Name;
                    return ValueTask.CompletedTask;
                }, 0, name: "soon-1");
            }, 0);

            Assert.Equal("soon-1", seenBySoonChild);
        });

    // ------------------------------------------------------------------ S4.9

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_9_waiting_at_exit_is_not_a_cancel_point(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var order = new ConcurrentQueue<string>();
            CancelScope outer = await b.OpenCancelScope().RunAsync(async (outer, _) =>
            {
                await b.RunTaskGroupAsync(async (g, _) =>
                {
                    await g.StartAsync(async _ =>
                    {
                        await b.OpenCancelScope(new CancelScopeOptions { Shield = true }).RunAsync(async (_, _) =>
                        {
                            await b.SleepAsync(TimeSpan.FromMilliseconds(20));
                            order.Enqueue("child");
                        }, 0);
                    }, 0);

                    // The enclosing scope is cancelled while the group will be waiting for the shielded child; the body
                    // reaches no cancel point after this.
                    outer.Cancel();
                }, 0);

                order.Enqueue("after-group");
            }, 0);

            Assert.Equal(["child", "after-group"], order);
            Assert.True(outer.CancelCalled);
            Assert.False(outer.CancelledCaught);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_9_enclosing_cancellation_reaches_every_child_and_the_group_waits_for_all(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var seen = new ConcurrentQueue<CancelScope>();
            int finished = 0;
            CancelScope outer = await b.OpenCancelScope().RunAsync(async (outer, _) =>
            {
                await b.RunTaskGroupAsync(async (g, _) =>
                {
                    for (int i = 0; i < 3; i++)
                    {
                        await g.StartAsync(_ => SleepThenCleanUpAsync(b, () => Interlocked.Increment(ref finished), cancelledBy: seen), 0);
                    }

                    outer.Cancel();
                    await b.SleepForeverAsync();
                }, 0);
            }, 0);

            Assert.Equal(3, Volatile.Read(ref finished));
            Assert.Equal(3, seen.Count);
            Assert.All(seen, scope => Assert.Same(outer, scope));
            Assert.True(outer.CancelledCaught);
        });

    // ------------------------------------------------------------------ S4.10

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_10_child_failure_cancels_the_body_and_siblings_and_the_group_waits(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var failure = new MarkerException("child failed");
            var cancelledIn = new ConcurrentQueue<CancelScope>();
            int siblingFinished = 0;
            ITaskGroup? group = null;

            Exception? thrown = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                group = g;
                await g.StartAsync(_ => SleepThenCleanUpAsync(b, () => Interlocked.Increment(ref siblingFinished), cancelledBy: cancelledIn), 0, name: "sibling");

                g.StartSoon<int>(_ => throw failure, 0, name: "failing");

                try
                {
                    await b.SleepForeverAsync();
                }
                catch (CancelledException ex)
                {
                    cancelledIn.Enqueue(ex.Scope);
                    throw;
                }
            }, 0));

            Assert.Same(failure, thrown);
            Assert.NotNull(group);
            Assert.True(group.CancelScope.CancelCalled);
            Assert.Equal(2, cancelledIn.Count);
            Assert.All(cancelledIn, scope => Assert.Same(group.CancelScope, scope));
            Assert.Equal(1, Volatile.Read(ref siblingFinished));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_10_body_failure_cancels_every_child_and_the_group_waits(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var failure = new MarkerException("body failed");
            var cancelledIn = new ConcurrentQueue<CancelScope>();
            int finished = 0;
            ITaskGroup? group = null;

            Exception? thrown = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                group = g;
                for (int i = 0; i < 2; i++)
                {
                    await g.StartAsync(_ => SleepThenCleanUpAsync(b, () => Interlocked.Increment(ref finished), cancelledBy: cancelledIn), 0);
                }

                throw failure;
            }, 0));

            Assert.Same(failure, thrown);
            Assert.NotNull(group);
            Assert.True(group.CancelScope.CancelCalled);
            Assert.Equal(2, cancelledIn.Count);
            Assert.All(cancelledIn, scope => Assert.Same(group.CancelScope, scope));
            Assert.Equal(2, Volatile.Read(ref finished));
        });

    // ------------------------------------------------------------------ S4.11

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_11_cancelling_the_group_scope_cancels_body_and_children_and_the_group_swallows_it(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var cancelledIn = new ConcurrentQueue<CancelScope>();
            var handles = new List<TaskHandle>();
            ITaskGroup? group = null;

            await b.RunTaskGroupAsync(async (g, _) =>
            {
                group = g;
                for (int i = 0; i < 2; i++)
                {
                    handles.Add(await g.StartAsync(async _ =>
                    {
                        try
                        {
                            await b.SleepForeverAsync();
                        }
                        catch (CancelledException ex)
                        {
                            cancelledIn.Enqueue(ex.Scope);
                            throw;
                        }
                    }, 0));
                }

                g.CancelScope.Cancel();
                try
                {
                    await b.SleepForeverAsync();
                }
                catch (CancelledException ex)
                {
                    cancelledIn.Enqueue(ex.Scope);
                    throw;
                }
            }, 0);

            Assert.NotNull(group);
            Assert.Equal(3, cancelledIn.Count);
            Assert.All(cancelledIn, scope => Assert.Same(group.CancelScope, scope));
            Assert.True(group.CancelScope.CancelledCaught);
            Assert.All(handles, h => Assert.True(h.IsCancelled));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_11_a_child_can_cancel_its_group(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            int bodyCancelled = 0;
            TaskHandle? sibling = null;
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                sibling = await g.StartAsync(async _ => await b.SleepForeverAsync(), 0);
                g.StartSoon(_ =>
                {
                    g.CancelScope.Cancel();
                    return ValueTask.CompletedTask;
                }, 0);

                try
                {
                    await b.SleepForeverAsync();
                }
                catch (CancelledException)
                {
                    Interlocked.Exchange(ref bodyCancelled, 1);
                    throw;
                }
            }, 0);

            Assert.Equal(1, bodyCancelled);
            Assert.NotNull(sibling);
            Assert.True(sibling.IsCancelled);
        });

    // ------------------------------------------------------------------ S4.12

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_12_foreign_OperationCanceledException_from_a_child_is_a_failure(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var foreign = new OperationCanceledException("raised by user code, not by a cancel scope");
            TaskHandle? sibling = null;
            ITaskGroup? group = null;

            Exception? thrown = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                group = g;
                sibling = await g.StartAsync(async _ => await b.SleepForeverAsync(), 0);
                g.StartSoon<int>(_ => throw foreign, 0);
            }, 0));

            Assert.Same(foreign, thrown);
            Assert.NotNull(group);
            Assert.True(group.CancelScope.CancelCalled); // a failure cancels the group (S4.10)
            Assert.NotNull(sibling);
            Assert.True(sibling.IsCancelled);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_12_cancellation_of_a_user_token_ending_the_body_is_a_failure(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            using var source = new CancellationTokenSource();
            source.Cancel();
            OperationCanceledException? foreign = null;
            TaskHandle? child = null;

            Exception? thrown = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                child = await g.StartAsync(async _ => await b.SleepForeverAsync(), 0);
                try
                {
                    source.Token.ThrowIfCancellationRequested();
                }
                catch (OperationCanceledException ex)
                {
                    foreign = ex;
                    throw;
                }
            }, 0));

            Assert.NotNull(foreign);
            Assert.Same(foreign, thrown);
            Assert.NotNull(child);
            Assert.True(child.IsCancelled);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_12_a_child_rethrowing_a_cancellation_after_its_scope_exited_fails(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            // The exception originates from a scope that no longer encloses the point where the task ends: a failure.
            CancelledException? stale = null;
            TaskHandle? child = null;
            Exception? thrown = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                child = await g.StartAsync(async _ =>
                {
                    await b.OpenCancelScope().RunAsync(async (scope, _) =>
                    {
                        scope.Cancel();
                        try
                        {
                            await b.YieldAsync();
                        }
                        catch (CancelledException ex)
                        {
                            stale = ex;
                        }
                    }, 0);

                    await b.YieldAsync();
                    throw stale!;
                }, 0);
            }, 0));

            Assert.NotNull(stale);
            Assert.NotNull(child);
            Assert.True(child.IsCompleted);
            Assert.False(child.IsCancelled);
            Assert.Same(stale, await Catch.ExceptionAsync(() => child.JoinAsync()));
            Assert.Same(stale, thrown);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_12_a_body_rethrowing_a_cancellation_after_its_scope_exited_fails(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            CancelledException? stale = null;
            Exception? thrown = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                await b.OpenCancelScope().RunAsync(async (scope, _) =>
                {
                    scope.Cancel();
                    try
                    {
                        await b.YieldAsync();
                    }
                    catch (CancelledException ex)
                    {
                        stale = ex;
                    }
                }, 0);

                throw stale!;
            }, 0));

            Assert.NotNull(stale);
            Assert.Same(stale, thrown);
        });

    // ------------------------------------------------------------------ S4.13

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_13_group_completes_normally_after_its_own_scope_was_cancelled(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            TaskHandle? child = null;
            ITaskGroup? group = null;
            int value = await b.RunTaskGroupAsync(async (g, _) =>
            {
                group = g;
                child = await g.StartAsync(async _ => await b.SleepForeverAsync(), 0);
                g.CancelScope.Cancel();
                return 42;
            }, 0);

            Assert.Equal(42, value);
            Assert.NotNull(group);
            Assert.True(group.CancelScope.CancelCalled);
            Assert.NotNull(child);
            Assert.True(child.IsCancelled);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_13_S3_33_a_child_cancellation_its_move_on_leaves_to_the_cancelled_group_is_absorbed(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            // Regression: the child's move-on expired first, the group was cancelled while that cancellation was still
            // in flight, so the move-on left it to the outermost cancelled scope (S3.33); it then escaped the group as a failure.
            CancelScope? inner = null;
            CancelledException? raised = null;
            ITaskGroup? group = null;
            TaskHandle? child = null;
            IAsyncEvent started = b.CreateEvent();
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                group = g;

                // The child waits until StartAsync has returned, so that its cancelling the group is not seen as a
                // cancellation of the starter before the child started (S4.5).
                child = await g.StartAsync(async _ =>
                {
                    await started.WaitAsync();
                    await b.MoveOnAfterAsync(TimeSpan.Zero, async (scope, _) =>
                    {
                        inner = scope;
                        try
                        {
                            await b.YieldAsync();
                        }
                        catch (CancelledException ex)
                        {
                            raised = ex;
                            g.CancelScope.Cancel();
                            throw;
                        }
                    }, 0);
                }, 0);
                started.Set();
            }, 0);

            Assert.NotNull(raised);
            Assert.Same(inner, raised.Scope);
            Assert.False(inner!.CancelledCaught);
            Assert.True(group!.CancelScope.CancelledCaught);
            Assert.True(child!.IsCancelled);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_13_S3_33_a_child_cancellation_its_inline_scope_does_not_own_is_absorbed_by_the_cancelled_group(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            // The inline form never sees the exception at exit: the boundary of the task must still find the group's scope.
            bool owned = true;
            TaskHandle? child = null;
            IAsyncEvent started = b.CreateEvent();
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                child = await g.StartAsync(async _ =>
                {
                    await started.WaitAsync();
                    using CancelScope scope = b.EnterCancelScope();
                    scope.Cancel();
                    try
                    {
                        await b.YieldAsync();
                    }
                    catch (OperationCanceledException ex)
                    {
                        g.CancelScope.Cancel();
                        owned = scope.Owns(ex);
                        throw;
                    }
                }, 0);
                started.Set();
            }, 0);

            Assert.False(owned);
            Assert.True(child!.IsCancelled);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_13_S3_33_a_body_cancellation_its_move_on_leaves_to_the_cancelled_group_is_absorbed(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            CancelScope? inner = null;
            ITaskGroup? group = null;
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                group = g;
                await b.MoveOnAfterAsync(TimeSpan.Zero, async (scope, _) =>
                {
                    inner = scope;
                    try
                    {
                        await b.YieldAsync();
                    }
                    catch (CancelledException)
                    {
                        g.CancelScope.Cancel();
                        throw;
                    }
                }, 0);
            }, 0);

            Assert.False(inner!.CancelledCaught);
            Assert.True(group!.CancelScope.CancelledCaught);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_16_S3_33_a_grandchild_cancellation_left_to_an_outer_cancelled_group_crosses_the_inner_group(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            // The shape of a listener's serve loop: the outer group runs a task whose own group runs the handler; the
            // outer group is cancelled while the handler's expired move-on is unwinding.
            TaskHandle? server = null;
            TaskHandle? handler = null;
            ITaskGroup? outer = null;
            IAsyncEvent started = b.CreateEvent();
            await b.RunTaskGroupAsync(async (o, _) =>
            {
                outer = o;
                server = await o.StartAsync(async _ =>
                {
                    await b.RunTaskGroupAsync(async (serving, _) =>
                    {
                        handler = await serving.StartAsync(async _ =>
                        {
                            await started.WaitAsync();
                            await b.MoveOnAfterAsync(TimeSpan.Zero, async (scope, _) =>
                            {
                                try
                                {
                                    await b.YieldAsync();
                                }
                                catch (CancelledException)
                                {
                                    o.CancelScope.Cancel();
                                    throw;
                                }
                            }, 0);
                        }, 0);
                        started.Set();
                        await b.SleepForeverAsync();
                    }, 0);
                }, 0);
            }, 0);

            Assert.True(outer!.CancelScope.CancelledCaught);
            Assert.True(server!.IsCancelled);
            Assert.True(handler!.IsCancelled);
        });

    // ------------------------------------------------------------------ S4.14

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_14_single_child_failure_is_rethrown_unwrapped_with_its_stack_trace(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            Exception? raised = null;
            Exception? thrown = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                g.StartSoon(async _ =>
                {
                    await b.YieldAsync();
                    try
                    {
                        FailInChild();
                    }
                    catch (Exception ex)
                    {
                        raised = ex;
                        throw;
                    }
                }, 0);

                // Cancelled by the failure: a structured cancellation, so not a second failure.
                await b.SleepForeverAsync();
            }, 0));

            Assert.NotNull(raised);
            Assert.Same(raised, thrown);
            Assert.Contains(nameof(FailInChild), thrown!.StackTrace, StringComparison.Ordinal);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_14_single_body_failure_is_rethrown_unwrapped_with_its_stack_trace(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            Exception? raised = null;
            TaskHandle? child = null;
            Exception? thrown = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                child = await g.StartAsync(async _ => await b.SleepForeverAsync(), 0);
                try
                {
                    FailInBody();
                }
                catch (Exception ex)
                {
                    raised = ex;
                    throw;
                }
            }, 0));

            Assert.NotNull(raised);
            Assert.Same(raised, thrown);
            Assert.Contains(nameof(FailInBody), thrown!.StackTrace, StringComparison.Ordinal);
            Assert.NotNull(child);
            Assert.True(child.IsCancelled);
        });

    // ------------------------------------------------------------------ S4.15

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_15_several_failures_are_one_AggregateException_in_order_without_cancellations(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var first = new MarkerException("first");
            var second = new MarkerException("second, in reaction to the cancellation caused by the first");

            Exception? thrown = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                await g.StartAsync(async _ =>
                {
                    try
                    {
                        await b.SleepForeverAsync();
                    }
                    catch (CancelledException)
                    {
                        throw second;
                    }
                }, 0);

                // A child and the body that end with structured cancellations: never elements.
                await g.StartAsync(async _ => await b.SleepForeverAsync(), 0);
                g.StartSoon<int>(_ => throw first, 0);
                await b.SleepForeverAsync();
            }, 0));

            AggregateException aggregate = Assert.IsType<AggregateException>(thrown);
            Assert.Equal(2, aggregate.InnerExceptions.Count);
            Assert.Same(first, aggregate.InnerExceptions[0]);
            Assert.Same(second, aggregate.InnerExceptions[1]);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_15_child_and_body_failures_are_aggregated_in_the_order_they_happened(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            var first = new MarkerException("child");
            var second = new MarkerException("body");

            Exception? thrown = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                g.StartSoon<int>(_ => throw first, 0);
                try
                {
                    await b.SleepForeverAsync();
                }
                catch (CancelledException)
                {
                    throw second;
                }
            }, 0));

            AggregateException aggregate = Assert.IsType<AggregateException>(thrown);
            Assert.Equal(2, aggregate.InnerExceptions.Count);
            Assert.Same(first, aggregate.InnerExceptions[0]);
            Assert.Same(second, aggregate.InnerExceptions[1]);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_15_an_AggregateException_failure_stays_one_element(string backend)
        => AssertFailureIsTheFirstElementAsync(backend, new AggregateException(new MarkerException("a"), new MarkerException("b")));

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_15_a_foreign_cancellation_can_be_an_element(string backend)
        => AssertFailureIsTheFirstElementAsync(backend, new OperationCanceledException("foreign"));

    /// <summary>A child fails with <paramref name="failure"/>; the sibling cancelled by it fails too: both are elements, in order.</summary>
    private static Task AssertFailureIsTheFirstElementAsync(string backend, Exception failure)
        => BackendRuns.RunAsync(backend, async b =>
        {
            var second = new MarkerException("second");

            Exception? thrown = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                await g.StartAsync(async _ =>
                {
                    try
                    {
                        await b.SleepForeverAsync();
                    }
                    catch (CancelledException)
                    {
                        throw second;
                    }
                }, 0);
                g.StartSoon<int>(_ => throw failure, 0);
            }, 0));

            AggregateException aggregate = Assert.IsType<AggregateException>(thrown);
            Assert.Equal(2, aggregate.InnerExceptions.Count);
            Assert.Same(failure, aggregate.InnerExceptions[0]);
            Assert.Same(second, aggregate.InnerExceptions[1]);
        });

    // ------------------------------------------------------------------ S4.16

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_16_enclosing_cancellation_is_rethrown_as_the_body_own_exception(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            CancelledException? fromBody = null;
            Exception? fromGroup = null;
            int afterOuter = 0;

            CancelScope outer = await b.OpenCancelScope().RunAsync(async (outer, _) =>
            {
                try
                {
                    await b.RunTaskGroupAsync(async (g, _) =>
                    {
                        await g.StartAsync(async _ => await b.SleepForeverAsync(), 0);
                        outer.Cancel();
                        try
                        {
                            await b.SleepForeverAsync();
                        }
                        catch (CancelledException ex)
                        {
                            fromBody = ex;
                            throw;
                        }
                    }, 0);
                }
                catch (Exception ex)
                {
                    fromGroup = ex;
                    throw;
                }
            }, 0);
            afterOuter = 1;

            Assert.NotNull(fromBody);
            Assert.Same(fromBody, fromGroup);
            Assert.Same(outer, fromBody.Scope);
            Assert.True(outer.CancelledCaught);
            Assert.Equal(1, afterOuter);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_16_enclosing_cancellation_is_rethrown_as_the_first_child_exception_when_the_body_returned(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            CancelledException? firstChild = null;
            CancelledException? secondChild = null;
            Exception? fromGroup = null;

            CancelScope outer = await b.OpenCancelScope().RunAsync(async (outer, _) =>
            {
                try
                {
                    await b.RunTaskGroupAsync(async (g, _) =>
                    {
                        TaskHandle first = await g.StartAsync(async _ =>
                        {
                            try
                            {
                                await b.SleepForeverAsync();
                            }
                            catch (CancelledException ex)
                            {
                                firstChild = ex;
                                throw;
                            }
                        }, 0);

                        await g.StartAsync(async _ =>
                        {
                            try
                            {
                                await b.SleepForeverAsync();
                            }
                            catch (CancelledException ex)
                            {
                                secondChild = ex;

                                // End after the first child, so that "the first child's" means the same in every reading.
                                await b.ShieldAsync(NoTimeout, (_, _) => first.WaitAsync(), 0);
                                throw;
                            }
                        }, 0);

                        outer.Cancel(); // the body then returns with no cancel point
                    }, 0);
                }
                catch (Exception ex)
                {
                    fromGroup = ex;
                    throw;
                }
            }, 0);

            Assert.NotNull(firstChild);
            Assert.NotNull(secondChild);
            Assert.Same(firstChild, fromGroup);
            Assert.Same(outer, firstChild.Scope);
            Assert.True(outer.CancelledCaught);
        });

    // ------------------------------------------------------------------ S4.17

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_17_no_child_runs_after_a_normal_completion(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            int finished = 0;
            var handles = new List<TaskHandle>();
            await b.RunTaskGroupAsync(async (g, _) =>
            {
                for (int i = 0; i < 3; i++)
                {
                    handles.Add(await g.StartAsync(milliseconds => SleepThenCleanUpAsync(b, () => Interlocked.Increment(ref finished), sleep: TimeSpan.FromMilliseconds(milliseconds)), 5 * i));
                }
            }, 0);

            Assert.Equal(3, Volatile.Read(ref finished));
            Assert.All(handles, h => Assert.True(h.IsCompleted));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_17_no_child_runs_after_a_failure(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            int finished = 0;
            var handles = new List<TaskHandle>();
            var failure = new MarkerException("boom");
            Exception? thrown = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync(async (g, _) =>
            {
                for (int i = 0; i < 3; i++)
                {
                    handles.Add(await g.StartAsync(_ => SleepThenCleanUpAsync(b, () => Interlocked.Increment(ref finished)), 0));
                }

                handles.Add(await g.StartAsync<int>(async _ =>
                {
                    await b.YieldAsync();
                    throw failure;
                }, 0));
            }, 0));

            Assert.Same(failure, thrown);
            Assert.Equal(3, Volatile.Read(ref finished));
            Assert.All(handles, h => Assert.True(h.IsCompleted));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_17_no_child_runs_after_an_enclosing_cancellation(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            int finished = 0;
            var handles = new List<TaskHandle>();
            CancelScope outer = await b.OpenCancelScope().RunAsync(async (outer, _) =>
            {
                await b.RunTaskGroupAsync(async (g, _) =>
                {
                    for (int i = 0; i < 3; i++)
                    {
                        handles.Add(await g.StartAsync(_ => SleepThenCleanUpAsync(b, () => Interlocked.Increment(ref finished)), 0));
                    }

                    g.StartSoon(_ =>
                    {
                        outer.Cancel();
                        return ValueTask.CompletedTask;
                    }, 0);
                }, 0);
            }, 0);

            Assert.True(outer.CancelledCaught);
            Assert.Equal(3, Volatile.Read(ref finished));
            Assert.All(handles, h => Assert.True(h.IsCompleted));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public Task S4_17_no_child_runs_after_a_body_that_throws_instead_of_returning(string backend)
        => BackendRuns.RunAsync(backend, static async b =>
        {
            int finished = 0;
            var failure = new MarkerException("thrown before the body returned a ValueTask");
            Exception? thrown = await Catch.ExceptionAsync(() => b.RunTaskGroupAsync((g, _) =>
            {
                for (int i = 0; i < 2; i++)
                {
                    g.StartSoon(_ => SleepThenCleanUpAsync(b, () => Interlocked.Increment(ref finished)), 0);
                }

                throw failure;
            }, 0));

            Assert.Same(failure, thrown);
            Assert.Equal(2, Volatile.Read(ref finished));
        });

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FailInChild() => throw new MarkerException("thrown by FailInChild");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void FailInBody() => throw new MarkerException("thrown by FailInBody");

    /// <summary>
    /// A child that sleeps (forever unless <paramref name="sleep"/> is given) and, however it ends, does slow shielded
    /// cleanup before reporting itself <paramref name="finished"/>; the scope that cancelled it goes to <paramref name="cancelledBy"/>.
    /// </summary>
    private static async ValueTask SleepThenCleanUpAsync(IAsyncBackend b, Action finished, ConcurrentQueue<CancelScope>? cancelledBy = null, TimeSpan? sleep = null)
    {
        try
        {
            await b.SleepAsync(sleep ?? Timeout.InfiniteTimeSpan);
        }
        catch (CancelledException ex) when (cancelledBy is not null)
        {
            cancelledBy.Enqueue(ex.Scope);
            throw;
        }
        finally
        {
            await b.ShieldAsync(NoTimeout, (_, _) => b.SleepAsync(Short), 0);
            finished();
        }
    }
}
