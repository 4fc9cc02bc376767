using System;
using System.Reflection;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using EasyNetwork.Internal;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Internals;

/// <summary>
/// Regression: a completer on another thread publishes the waiter's result, then takes the continuation slot. The
/// awaiting side used to report completion as soon as the result was visible, take it, and recycle the waiter while
/// the completer still wrote the slot (a spurious wake-up of the waiter's next user, or "continuation ran twice"). The
/// window is a few instructions wide, so the test puts the waiter in that state directly.
/// </summary>
public sealed class WaiterHandOffTests
{
    private static readonly FieldInfo s_result = typeof(Waiter).GetField("_result", BindingFlags.Instance | BindingFlags.NonPublic)!;
    private static readonly FieldInfo s_version = typeof(Waiter).GetField("_version", BindingFlags.Instance | BindingFlags.NonPublic)!;

    [Fact]
    public async Task A_published_result_is_not_reported_before_the_continuation_slot_is_settled()
        => await BackendRuns.RunAsync(AsyncBackendRegistry.ThreadPool, static b =>
        {
            RunState run = BackendTask.GetCurrent("test").Run;
            Waiter waiter = run.RentWaiter();
            ValueTask<WaitResult> wait = waiter.AsValueTask();
            IValueTaskSource<WaitResult> source = waiter;

            // The completer's first step only: the result is published, the slot not yet exchanged.
            s_result.SetValue(waiter, (int)WaitResult.Signaled);
            Assert.True(waiter.IsCompleted);
            Assert.False(wait.IsCompleted);
            Assert.Equal(ValueTaskSourceStatus.Pending, source.GetStatus((short)s_version.GetValue(waiter)!));
            GC.KeepAlive(b);
            return ValueTask.CompletedTask;
        });

    [Fact]
    public async Task A_completed_waiter_reports_completion_once_settled()
        => await BackendRuns.RunAsync(AsyncBackendRegistry.ThreadPool, static async b =>
        {
            RunState run = BackendTask.GetCurrent("test").Run;
            Waiter waiter = run.RentWaiter();
            ValueTask<WaitResult> wait = waiter.AsValueTask();
            Assert.True(waiter.TryComplete(WaitResult.Signaled));
            Assert.False(waiter.TryComplete(WaitResult.Cancelled));
            Assert.True(wait.IsCompleted);
            Assert.Equal(WaitResult.Signaled, await wait);
            run.ReturnWaiter(waiter);
        });
}
