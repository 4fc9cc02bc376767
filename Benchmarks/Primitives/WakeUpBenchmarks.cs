using System.Threading.Channels;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace EasyNetwork.Benchmarks.Primitives;

/// <summary>
/// Two tasks waking each other in turn: every operation is one wake-up of a parked task through the run loop. The
/// event and the condition variable against their BCL counterparts: a <see cref="TaskCompletionSource"/> per turn
/// (events are one-shot too) and a <see cref="Channel{T}"/> hand-off (a reusable wake-up, like the condition).
/// </summary>
[MemoryDiagnoser]
public class WakeUpBenchmarks : BackendBenchmark
{
    private const int Rounds = BackendHarness.Operations / 2;

    /// <summary>Baseline: a new <see cref="TaskCompletionSource"/> per turn.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = BackendHarness.Operations)]
    public void TaskCompletionSourcePingPong() => Harness.Run(static b => b.RunTaskGroupAsync(static (g, turns) =>
    {
        g.StartSoon(static async t =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                TaskCompletionSource pong = t.Pong;
                t.Ping.SetResult();
                await pong.Task;
            }
        }, turns);
        g.StartSoon(static async t =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                await t.Ping.Task;
                t.Ping = new TaskCompletionSource();
                TaskCompletionSource pong = t.Pong;
                t.Pong = new TaskCompletionSource();
                pong.SetResult();
            }
        }, turns);
        return ValueTask.CompletedTask;
    }, new Turns<TaskCompletionSource>(new TaskCompletionSource(), new TaskCompletionSource())), Harness.Backend);

    /// <summary>A new <see cref="IAsyncEvent"/> per turn: <c>Set()</c> wakes the task parked in <c>WaitAsync()</c>.</summary>
    [Benchmark(OperationsPerInvoke = BackendHarness.Operations)]
    public void EventPingPong() => Harness.Run(static b => b.RunTaskGroupAsync(static (g, s) =>
    {
        g.StartSoon(static async t =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                IAsyncEvent pong = t.Pong;
                t.Ping.Set();
                await pong.WaitAsync();
            }
        }, s.turns);
        g.StartSoon(static async s =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                await s.turns.Ping.WaitAsync();
                s.turns.Ping = s.b.CreateEvent();
                IAsyncEvent pong = s.turns.Pong;
                s.turns.Pong = s.b.CreateEvent();
                pong.Set();
            }
        }, s);
        return ValueTask.CompletedTask;
    }, (b, turns: new Turns<IAsyncEvent>(b.CreateEvent(), b.CreateEvent()))), Harness.Backend);

    /// <summary>Baseline for a reusable wake-up: one item handed back and forth through two unbounded channels.</summary>
#pragma warning disable EN0002 // the baseline is the plain BCL hand-off this benchmark compares against.
    [Benchmark(OperationsPerInvoke = BackendHarness.Operations)]
    public void ChannelHandOff() => Harness.Run(static b => b.RunTaskGroupAsync(static (g, channels) =>
    {
        g.StartSoon(static async c =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                c.Ping.Writer.TryWrite(i);
                await c.Pong.Reader.ReadAsync();
            }
        }, channels);
        g.StartSoon(static async c =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                int item = await c.Ping.Reader.ReadAsync();
                c.Pong.Writer.TryWrite(item);
            }
        }, channels);
        return ValueTask.CompletedTask;
    }, new Turns<Channel<int>>(NewChannel(), NewChannel())), Harness.Backend);
#pragma warning restore EN0002

    /// <summary>
    /// One condition variable and a turn flag: each task waits under the lock for its turn, flips it, and notifies the
    /// other (<c>Notify()</c> while holding the lock; the woken task re-acquires it on release).
    /// </summary>
    [Benchmark(OperationsPerInvoke = BackendHarness.Operations)]
    public void ConditionNotify() => Harness.Run(static b => b.RunTaskGroupAsync(static (g, state) =>
    {
        for (int player = 0; player < 2; player++)
        {
            g.StartSoon(static async s =>
            {
                for (int i = 0; i < Rounds; i++)
                {
                    await s.State.Condition.AcquireAsync();
                    while (s.State.Turn != s.Player)
                    {
                        await s.State.Condition.WaitAsync();
                    }

                    s.State.Turn = 1 - s.Player;
                    s.State.Condition.Notify();
                    s.State.Condition.Release();
                }
            }, (State: state, Player: player));
        }

        return ValueTask.CompletedTask;
    }, new ConditionTurn(b.CreateConditionVariable())), Harness.Backend);

    private static Channel<int> NewChannel()
        => Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>The two wake-up objects of one ping-pong.</summary>
    private sealed class Turns<T>(T ping, T pong)
    {
        public T Ping { get; set; } = ping;

        public T Pong { get; set; } = pong;
    }

    /// <summary>The condition and whose turn it is.</summary>
    private sealed class ConditionTurn(IAsyncCondition condition)
    {
        public IAsyncCondition Condition { get; } = condition;

        public int Turn { get; set; }
    }
}
