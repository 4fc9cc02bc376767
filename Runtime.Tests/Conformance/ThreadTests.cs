using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Conformance;

/// <summary>SPEC §6: worker threads and the threads portal.</summary>
public sealed class ThreadTests
{
    private static readonly AsyncLocal<string?> s_local = new();

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_1_RunInThread_runs_on_a_worker_and_returns_or_rethrows(string backend)
    {
        await BackendRuns.RunAsync(backend, static async b =>
        {
            int loopThread = Environment.CurrentManagedThreadId;
            ValueTask<(int Thread, bool InTask)> pending = b.RunInThreadAsync(static _ => (Environment.CurrentManagedThreadId, AsyncBackend.Current is not null), 0);
            (int worker, bool inTask) = await pending;
            Assert.False(inTask);
            if (BackendRuns.BackendName(b.Name) == AsyncBackendRegistry.EventLoop)
            {
                Assert.NotEqual(loopThread, worker);
            }

            var error = new IOException("worker");
            IOException thrown = await Assert.ThrowsAsync<IOException>(async () => await b.RunInThreadAsync(static e => throw e, error));
            Assert.Same(error, thrown);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_2_a_cancelled_caller_never_invokes_the_function(string backend)
    {
        await BackendRuns.RunAsync(backend, static async b =>
        {
            var invoked = new StrongBox<bool>();
            CancelScope scope = await b.OpenCancelScope().RunAsync(static async (scope, s) =>
            {
                scope.Cancel();
                await s.b.RunInThreadAsync(static invoked => invoked.Value = true, s.invoked);
            }, (b, invoked));
            Assert.True(scope.CancelledCaught);
            Assert.False(invoked.Value);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_3_by_default_cancellation_waits_for_the_function_and_is_raised_afterwards(string backend)
    {
        await BackendRuns.RunAsync(backend, static async b =>
        {
            var steps = new List<string>();
            CancelScope scope = await b.OpenCancelScope().RunAsync(static async (scope, s) =>
            {
                using var release = new ManualResetEventSlim();
                int value = await s.b.RunInThreadAsync(static s =>
                {
                    s.scope.Cancel();
                    return 7;
                }, (scope, release));
                s.steps.Add("returned " + value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await s.b.YieldAsync();
                s.steps.Add("not reached");
            }, (b, steps));
            Assert.Equal(new[] { "returned 7" }, steps);
            Assert.True(scope.CancelledCaught);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_4_abandon_on_cancel_releases_the_caller_at_once(string backend)
    {
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var finished = new ManualResetEventSlim();
        await BackendRuns.RunAsync(backend, async b =>
        {
            CancelScope scope = await b.OpenCancelScope().RunAsync(static async (scope, s) =>
            {
                await s.b.RunTaskGroupAsync(static async (g, s) =>
                {
                    g.StartSoon(static s => s.b.RunInThreadAsync(static s =>
                    {
                        s.started.Set();
                        s.release.Wait();
                        s.finished.Set();
                    }, s, abandonOnCancel: true), s);

                    // A worker thread cannot set a backend event: wait for the signal on another worker instead.
                    await s.b.RunInThreadAsync(static started => started.Wait(), s.started);
                    s.scope.Cancel();
                }, (s.b, scope, s.started, s.release, s.finished));
            }, (b, started, release, finished));
            Assert.True(scope.CancelledCaught);
            Assert.False(finished.IsSet);
        });
        release.Set();
        Assert.True(finished.Wait(BackendRuns.TestTimeout));
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_4_an_abandoned_call_raises_its_cancellation_even_if_a_shield_goes_up_before_the_caller_resumes(string backend)
    {
        // Regression: the caller re-checked its scopes when it resumed; with the inner scope shielded in between (on the
        // event loop, by the canceller's same step) it saw no cancellation and returned default(TResult) while the
        // function was still running.
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var finished = new ManualResetEventSlim();
        var steps = new List<string>();
        await BackendRuns.RunAsync(backend, async b =>
        {
            CancelScope outer = b.OpenCancelScope();
            CancelScope inner = b.OpenCancelScope();
            await b.RunTaskGroupAsync(static async (g, s) =>
            {
                g.StartSoon(static async s => await s.outer.RunAsync(static async (_, s) => await s.inner.RunAsync(static async (_, s) =>
                {
                    int value = await s.b.RunInThreadAsync(static s =>
                    {
                        s.started.Set();
                        s.release.Wait();
                        s.finished.Set();
                        return 42;
                    }, s, abandonOnCancel: true);
                    s.steps.Add("returned " + value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }, s), s), s);

                await s.b.RunInThreadAsync(static started => started.Wait(), s.started);
                s.outer.Cancel();
                s.inner.Shield = true;
            }, (b, outer, inner, steps, started, release, finished));
            Assert.True(outer.CancelledCaught);
            Assert.Empty(steps);
            Assert.False(finished.IsSet);
        });
        release.Set();
        Assert.True(finished.Wait(BackendRuns.TestTimeout));
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_5_workers_see_a_copy_of_the_context_and_no_backend(string backend)
    {
        await BackendRuns.RunAsync(backend, static async b =>
        {
            s_local.Value = "caller";
            (string? seen, bool noTask, bool awaitableRefused) = await b.RunInThreadAsync(static b =>
            {
                string? value = s_local.Value;
                s_local.Value = "worker";
                bool noTask = false;
                try
                {
                    b.GetCurrentTask();
                }
                catch (InvalidOperationException)
                {
                    noTask = true;
                }

                bool refused = false;
                try
                {
                    _ = b.YieldAsync();
                }
                catch (InvalidOperationException)
                {
                    refused = true;
                }

                return (value, noTask, refused);
            }, b);
            Assert.Equal("caller", seen);
            Assert.True(noTask);
            Assert.True(awaitableRefused);
            Assert.Equal("caller", s_local.Value);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_6_S6_8_a_portal_is_entered_once_inside_a_task_and_refuses_calls_when_not_running(string backend)
    {
        ThreadsPortal outside = BackendRuns.Create(backend).CreateThreadsPortal();
        Assert.Throws<InvalidOperationException>(() => { _ = outside.RunAsync(static (_, _) => ValueTask.CompletedTask, 0); });
        Assert.Throws<InvalidOperationException>(() => outside.RunSync(static _ => 1, 0));

        await BackendRuns.RunAsync(backend, static async b =>
        {
            ThreadsPortal portal = b.CreateThreadsPortal();
            Assert.False(portal.IsRunning);
            await portal.RunAsync(static (p, _) => { Assert.True(p.IsRunning); return ValueTask.CompletedTask; }, 0);
            Assert.False(portal.IsRunning);
            Assert.Throws<InvalidOperationException>(() => { _ = portal.RunAsync(static (_, _) => ValueTask.CompletedTask, 0); });
            InvalidOperationException after = await b.RunInThreadAsync(static p => Assert.Throws<InvalidOperationException>(() => p.RunSync(static _ => 1, 0)), portal);
            Assert.Contains("not running", after.Message, StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_9_calls_from_a_task_of_the_portal_run_are_refused(string backend)
    {
        await BackendRuns.RunAsync(backend, static async b =>
        {
            await b.CreateThreadsPortal().RunAsync(static (portal, _) =>
            {
                InvalidOperationException ex = Assert.Throws<InvalidOperationException>(() => portal.RunSync(static _ => 1, 0));
                Assert.Contains("another thread", ex.Message, StringComparison.Ordinal);
                Assert.Throws<InvalidOperationException>(() => portal.RunCoroutineSoon(static _ => ValueTask.FromResult(1), 0));
                return ValueTask.CompletedTask;
            }, 0);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_10_S6_16_S6_17_portal_calls_return_results_rethrow_and_see_the_backend(string backend)
    {
        await BackendRuns.RunAsync(backend, static async b =>
        {
            await b.CreateThreadsPortal().RunAsync(static async (portal, b) =>
            {
                await b.RunInThreadAsync(static s =>
                {
                    s_local.Value = "thread";
                    Assert.Equal(5, s.portal.RunSync(static _ => 5, 0));
                    Assert.Equal(s.b.Name, s.portal.RunSync(static _ => AsyncBackend.CurrentName, 0));
                    Assert.Equal("thread", s.portal.RunSync(static _ => s_local.Value, 0));

                    var error = new IOException("callback");
                    Assert.Same(error, Assert.Throws<IOException>(() => s.portal.RunSync<IOException, int>(static e => throw e, error)));
                    Assert.Same(error, Assert.Throws<IOException>(() => s.portal.RunCoroutine<IOException, int>(static e => ValueTask.FromException<int>(e), error)));

                    long id = s.portal.RunCoroutine(static async b => { await b.YieldAsync(); return b.GetCurrentTask().Id; }, s.b);
                    Assert.True(id > 0);
                    ThreadFuture<int> future = s.portal.RunSyncSoon(static _ => 9, 0);
                    Assert.Equal(9, future.GetResult());
                    Assert.Equal(9, future.Task.Result);
                }, (portal, b));
            }, b);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_16_S5_7_a_lock_taken_by_one_blocking_call_is_not_owned_by_the_next_call_of_the_same_thread(string backend)
    {
        // The run-side call object is reused between calls of a thread, but each call is another task: ownership must
        // follow the task, not the object (regression: the lock compared owners by object only).
        await BackendRuns.RunAsync(backend, static async b =>
        {
            IAsyncLock gate = b.CreateLock();
            await b.CreateThreadsPortal().RunAsync(static async (portal, s) =>
            {
                await s.b.RunInThreadAsync(static s =>
                {
                    // Both callbacks return int, so both calls can use the same pooled call object.
                    Assert.Equal(1, s.portal.RunSync(static gate => gate.AcquireAsync().IsCompletedSuccessfully ? 1 : 0, s.gate));
                    Assert.Throws<InvalidOperationException>(() => s.portal.RunSync(static gate => { gate.Release(); return 0; }, s.gate));
                    Assert.True(s.gate.IsLocked);
                }, (portal, s.gate));
            }, (b, gate));
            Assert.True(gate.IsLocked);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_16_S6_17_successive_blocking_calls_from_one_thread_are_separate_tasks_in_the_callers_current_context(string backend)
    {
        // RunSync and RunCoroutine reuse their run-side call between calls of a thread; nothing of one call may show in the next.
        await BackendRuns.RunAsync(backend, static async b =>
        {
            await b.CreateThreadsPortal().RunAsync(static async (portal, b) =>
            {
                await b.RunInThreadAsync(static s =>
                {
                    // The callback sees the context the caller has at each call, not the one of an earlier call.
                    s_local.Value = "first";
                    Assert.Equal("first", s.portal.RunSync(static _ => s_local.Value, 0));
                    s_local.Value = "second";
                    Assert.Equal("second", s.portal.RunSync(static _ => s_local.Value, 0));

                    // A write inside a callback does not flow back to the caller, nor into the next callback.
                    s.portal.RunSync(static _ => s_local.Value = "written by a callback", 0);
                    Assert.Equal("second", s_local.Value);
                    Assert.Equal("second", s.portal.RunSync(static _ => s_local.Value, 0));

                    // Each call is a task of its own: a new identity every time.
                    long first = s.portal.RunSync(static b => b.GetCurrentTask().Id, s.b);
                    long second = s.portal.RunSync(static b => b.GetCurrentTask().Id, s.b);
                    Assert.NotEqual(first, second);

                    // A call that failed, or that left its scope cancelled and entered, leaves nothing to the next call.
                    var error = new IOException("first call");
                    Assert.Same(error, Assert.Throws<IOException>(() => s.portal.RunSync<IOException, int>(static e => throw e, error)));
                    s.portal.RunSync(static b =>
                    {
                        CancelScope left = b.EnterCancelScope();
                        left.Cancel();
                        return b.CurrentCancellationToken.IsCancellationRequested;
                    }, s.b);
                    Assert.False(s.portal.RunSync(static b => b.CurrentCancellationToken.IsCancellationRequested, s.b));
                    Assert.Equal(7, s.portal.RunSync(static x => x, 7));

                    // RunCoroutine reuses its call the same way: a new task each time, in the caller's current context.
                    long coroutineFirst = s.portal.RunCoroutine(static async b => { await b.YieldAsync(); return b.GetCurrentTask().Id; }, s.b);
                    long coroutineSecond = s.portal.RunCoroutine(static async b => { await b.YieldAsync(); return b.GetCurrentTask().Id; }, s.b);
                    Assert.NotEqual(coroutineFirst, coroutineSecond);
                    s_local.Value = "third";
                    Assert.Equal("third", s.portal.RunCoroutine(static async b => { await b.YieldAsync(); return s_local.Value; }, s.b));
                    Assert.Same(error, Assert.Throws<IOException>(() => s.portal.RunCoroutine<IOException, int>(static e => ValueTask.FromException<int>(e), error)));
                    Assert.Equal(8, s.portal.RunCoroutine(static x => ValueTask.FromResult(x), 8));
                }, (portal, b));
            }, b);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_16_a_sync_call_ended_by_the_cancellation_of_a_scope_around_the_portal_throws_OperationCanceledException(string backend)
    {
        await BackendRuns.RunAsync(backend, static async b =>
        {
            CancelScope outer = await b.OpenCancelScope().RunAsync(static async (outer, b) =>
            {
                await b.CreateThreadsPortal().RunAsync(static async (portal, s) =>
                {
                    await s.b.RunInThreadAsync(static s =>
                    {
                        Assert.False(s.portal.RunSync(static b => b.CurrentCancellationToken.IsCancellationRequested, s.b));
                        s.portal.RunSync(static outer => { outer.Cancel("from a portal callback"); return 0; }, s.outer);

                        // The portal's callbacks are inside the cancelled scope: they see it, and a callback that raises it
                        // ends cancelled, which the thread sees as an OperationCanceledException (S6.16).
                        Assert.True(s.portal.RunSync(static b => b.CurrentCancellationToken.IsCancellationRequested, s.b));
                        Exception? cancelled = Record.Exception(() => s.portal.RunSync(static b =>
                        {
                            b.CurrentCancellationToken.ThrowIfCancellationRequested();
                            return 0;
                        }, s.b));
                        Assert.IsType<TaskCanceledException>(cancelled);

                        // The next call still runs, and still sees the cancellation.
                        Assert.Equal(3, s.portal.RunSync(static x => x, 3));
                    }, (portal, s.b, s.outer));
                }, (b, outer));
            }, b);
            Assert.True(outer.CancelCalled);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_11_cancelling_a_sync_call_either_prevents_it_or_delivers_its_result(string backend)
    {
        await BackendRuns.RunAsync(backend, static async b =>
        {
            await b.CreateThreadsPortal().RunAsync(static async (portal, b) =>
            {
                await b.RunInThreadAsync(static portal =>
                {
                    for (int i = 0; i < 50; i++)
                    {
                        var called = new StrongBox<bool>();
                        ThreadFuture<int> future = portal.RunSyncSoon(static called => { called.Value = true; return 1; }, called);
                        bool cancelled = future.Cancel();
                        if (cancelled)
                        {
                            Assert.True(future.IsCancelled);
                            Assert.ThrowsAny<OperationCanceledException>(() => future.GetResult());
                        }
                        else
                        {
                            Assert.Equal(1, future.GetResult());
                            Assert.True(called.Value);
                        }
                    }
                }, portal);
            }, b);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_12_a_sync_callback_returning_an_awaitable_fails_its_future(string backend)
    {
        await BackendRuns.RunAsync(backend, static async b =>
        {
            await b.CreateThreadsPortal().RunAsync(static async (portal, b) =>
            {
                await b.RunInThreadAsync(static portal =>
                {
                    ThreadFuture<Task> returnsTask = portal.RunSyncSoon(static _ => Task.CompletedTask, 0);
                    InvalidOperationException task = Assert.IsType<InvalidOperationException>(Record.Exception(() => { _ = returnsTask.GetResult(); }));
                    Assert.Contains("RunCoroutine", task.Message, StringComparison.Ordinal);
                    ThreadFuture<ValueTask<int>> returnsValueTask = portal.RunSyncSoon(static _ => ValueTask.FromResult(1), 0);
                    Assert.IsType<InvalidOperationException>(Record.Exception(() => { _ = returnsValueTask.GetResult(); }));
                }, portal);
            }, b);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_14_S6_15_cancelling_a_coroutine_future_cancels_the_task_and_reports_a_late_failure(string backend)
    {
        var reported = new StrongBox<Exception?>();
        var late = new IOException("late");
        await BackendRuns.RunAsync(backend, async b =>
        {
            await b.CreateThreadsPortal().RunAsync(static async (portal, s) =>
            {
                await s.b.RunInThreadAsync(static s =>
                {
                    ThreadFuture<int> sleeper = s.portal.RunCoroutineSoon(static async b => { await b.SleepForeverAsync(); return 0; }, s.b);
                    Assert.True(sleeper.Cancel());
                    Assert.True(sleeper.IsCancelled);
                    Assert.False(sleeper.Cancel());
                    Assert.ThrowsAny<OperationCanceledException>(() => sleeper.GetResult());

                    ThreadFuture<int> stubborn = s.portal.RunCoroutineSoon<(IAsyncBackend b, IOException late), int>(static async s =>
                    {
                        try
                        {
                            await s.b.SleepForeverAsync();
                        }
                        catch (CancelledException)
                        {
                        }

                        throw s.late;
                    }, (s.b, s.late));
                    Assert.True(stubborn.Cancel());
                }, (portal, s.b, s.late));
            }, (b, late));
        }, new RunnerOptions { UnobservedExceptionHandler = ex => reported.Value = ex });
        Assert.Same(late, reported.Value);
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_18_S6_19_failures_go_to_futures_and_exit_waits_for_accepted_calls(string backend)
    {
        await BackendRuns.RunAsync(backend, static async b =>
        {
            var finished = new StrongBox<bool>();
            ThreadsPortal portal = b.CreateThreadsPortal();
            await portal.RunAsync(static async (portal, s) =>
            {
                await s.b.RunInThreadAsync(static s =>
                {
                    // A failing callback fails its own future only; the portal and its body go on (S6.18).
                    Assert.Throws<IOException>(() => s.portal.RunSync<int, int>(static _ => throw new IOException("for the future only"), 0));
                    s.portal.RunCoroutineSoon(static async s =>
                    {
                        await s.b.SleepAsync(TimeSpan.FromMilliseconds(20));
                        s.finished.Value = true;
                        return 1;
                    }, (s.b, s.finished));
                }, (portal, s.b, s.finished));
            }, (b, finished));

            // The body completed normally: exit waited for the coroutine without cancelling it (S6.19).
            Assert.True(finished.Value);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S6_19_a_failing_body_cancels_running_coroutines_before_rethrowing(string backend)
    {
        await BackendRuns.RunAsync(backend, static async b =>
        {
            var cancelled = new StrongBox<bool>();
            var error = new IOException("body");
            IOException thrown = await Assert.ThrowsAsync<IOException>(async () =>
                await b.CreateThreadsPortal().RunAsync(static async (portal, s) =>
                {
                    await s.b.RunInThreadAsync(static s =>
                    {
                        s.portal.RunCoroutineSoon<(IAsyncBackend b, StrongBox<bool> cancelled), int>(static async s =>
                        {
                            try
                            {
                                await s.b.SleepForeverAsync();
                            }
                            catch (CancelledException)
                            {
                                s.cancelled.Value = true;
                                throw;
                            }

                            return 0;
                        }, (s.b, s.cancelled));
                    }, (portal, s.b, s.cancelled));
                    throw s.error;
                }, (b, cancelled, error)));
            Assert.Same(error, thrown);
            Assert.True(cancelled.Value);
        });
    }
}
