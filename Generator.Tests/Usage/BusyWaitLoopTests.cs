using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using EasyNetwork.Generator.Analyzers.Usage;
using EasyNetwork.Generator.Diagnostics;
using EasyNetwork.Generator.Tests.Harness;
using Xunit;

namespace EasyNetwork.Generator.Tests.Usage;

/// <summary>EN0016: loops that only sleep or checkpoint between checks of their condition (ANALYZERS §3.1, §6.6).</summary>
public sealed class BusyWaitLoopTests
{
    private const string Id = DiagnosticIds.BusyWaitLoop;

    private const string Flagged = """
        sealed class C
        {
            private volatile bool _done;

            async Task M(IAsyncBackend backend)
            {
                [|while|] (!_done) await backend.SleepAsync(TimeSpan.FromMilliseconds(10));

                [|while|] (!_done)
                {
                    await Task.Delay(10);
                }

                [|do|]
                {
                    await backend.YieldAsync();
                }
                while (!_done);

                [|while|] (!_done) await Task.Yield();

                [|while|] (!_done) await backend.SleepAsync(TimeSpan.FromMilliseconds(10)).ConfigureAwait(false);

                [|while|] (!_done) await new Ticker().TickAsync();
            }
        }

        [Checkpoint]
        sealed class Ticker
        {
            public ValueTask TickAsync() => default;
        }
        """;

    [Fact]
    public Task Polling_loops_are_flagged() => UsageVerifier.VerifyWithVariantsAsync<BusyWaitLoopAnalyzer>(Flagged, Id);

    [Fact]
    public async Task Message_names_the_awaited_member()
    {
        string[] messages = (await UsageVerifier.VerifyAsync<BusyWaitLoopAnalyzer>(Flagged, Id))
            .OrderBy(static d => d.Location.SourceSpan.Start)
            .Select(static d => d.GetMessage(CultureInfo.InvariantCulture))
            .ToArray();
        Assert.Equal(
            "This loop only awaits 'SleepAsync' between checks of its condition; wait for the backend's event, or for a TaskCompletionSource through WaitAsync(token), set by the code that makes the condition true",
            messages[0]);
        Assert.StartsWith("This loop only awaits 'Task.Delay' ", messages[1], System.StringComparison.Ordinal);
        Assert.StartsWith("This loop only awaits 'Task.Yield' ", messages[3], System.StringComparison.Ordinal);
    }

    [Fact]
    public Task Other_loops_are_not_flagged() => UsageVerifier.VerifyAsync<BusyWaitLoopAnalyzer>("""
        sealed class C
        {
            private volatile bool _done;

            async Task M(IAsyncBackend backend, Conn conn, Channel channel)
            {
                while (!_done)
                {
                    await backend.SleepAsync(TimeSpan.FromMilliseconds(10));
                    Console.WriteLine("still waiting");
                }

                for (int i = 0; !_done; i++)
                {
                    await backend.YieldAsync();
                }

                while (await channel.WaitToReadAsync(backend.CurrentCancellationToken))
                {
                    await backend.YieldAsync();
                }

                while (!_done) await conn.SendAsync(backend.CurrentCancellationToken);

                while (true) await backend.SleepAsync(TimeSpan.FromSeconds(1));
            }

            async Task NotBackendCode()
            {
                while (!_done) await Task.Delay(10);
            }
        }

        sealed class Channel
        {
            public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => default;
        }
        """, Id);
}
