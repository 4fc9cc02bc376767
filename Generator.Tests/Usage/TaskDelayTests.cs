using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using EasyNetwork.Generator.Analyzers.Usage;
using EasyNetwork.Generator.CodeFixes;
using EasyNetwork.Generator.Diagnostics;
using EasyNetwork.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace EasyNetwork.Generator.Tests.Usage;

/// <summary>EN0011: Task.Delay and Task.Yield in backend code, and the fix that calls the backend instead (ANALYZERS §3.1, §6.6).</summary>
public sealed class TaskDelayTests
{
    private const string Id = DiagnosticIds.UseBackendSleep;

    private static async Task<ImmutableArray<Diagnostic>> Verify(string markup)
        => [.. (await UsageVerifier.VerifyAsync<TaskDelayAnalyzer>(markup, Id)).OrderBy(static d => d.Location.SourceSpan.Start)];

    private static Task Fix(string before, string after)
        => CodeFixVerifier<TaskDelayAnalyzer, EN0011UseBackendSleepCodeFix>.VerifyAsync(before, after, EN0011UseBackendSleepCodeFix.EquivalenceKey);

    private const string EachCase = """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, TimeSpan delay)
            {
                await backend.YieldAsync();
                await [|Task.Delay(0)|];
                await [|Task.Delay(TimeSpan.Zero)|];
                await [|Task.Delay(0, backend.CurrentCancellationToken)|];
                await [|Task.Yield()|];
                await [|Task.Delay(Timeout.Infinite)|];
                await [|Task.Delay(Timeout.InfiniteTimeSpan)|];
                await [|Task.Delay(TimeSpan.MaxValue)|];
                await [|Task.Delay(TimeSpan.FromHours(25))|];
                await [|Task.Delay(90_000_000)|];
                await [|Task.Delay(delay)|];
                await [|Task.Delay(TimeSpan.FromHours(23))|];
            }
        }
        """;

    [Fact]
    public async Task Each_case_has_its_message()
    {
        string[] messages = (await Verify(EachCase)).Select(static d => d.GetMessage(CultureInfo.InvariantCulture)).ToArray();
        Assert.All(messages[..3], static m => Assert.Contains("zero delay completes at once", m, System.StringComparison.Ordinal));
        Assert.Equal("'Task.Yield' is a schedule point that never observes cancellation; use the backend's YieldAsync(), a checkpoint", messages[3]);
        Assert.All(messages[4..9], static m => Assert.Contains("SleepForeverAsync()", m, System.StringComparison.Ordinal));
        Assert.All(messages[9..], static m => Assert.Contains("SleepAsync(delay)", m, System.StringComparison.Ordinal));
    }

    [Fact]
    public Task Each_case_auto_variants() => UsageVerifier.VerifyWithVariantsAsync<TaskDelayAnalyzer>(EachCase, Id);

    [Fact]
    public Task Not_backend_code() => Verify("""
        sealed class C
        {
            static async Task M()
            {
                await Task.Delay(10);
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Each_replacement() => Fix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, TimeSpan delay)
            {
                await Task.Yield();
                await Task.Delay(0, backend.CurrentCancellationToken);
                await Task.Delay(Timeout.InfiniteTimeSpan);
                await Task.Delay(delay, backend.CurrentCancellationToken);
                await Task.Delay(250);
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, TimeSpan delay)
            {
                await backend.YieldAsync();
                await backend.YieldAsync();
                await backend.SleepForeverAsync();
                await backend.SleepAsync(delay);
                await backend.SleepAsync(TimeSpan.FromMilliseconds(250));
            }
        }
        """);

    [Fact]
    public Task Fix_all() => CodeFixVerifier<TaskDelayAnalyzer, EN0011UseBackendSleepCodeFix>.VerifyFixAllAsync(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend)
            {
                _ = backend.CurrentCancellationToken;
                await Task.Yield();
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend)
            {
                _ = backend.CurrentCancellationToken;
                await backend.YieldAsync();
                await backend.SleepAsync(TimeSpan.FromSeconds(1));
            }
        }
        """,
        EN0011UseBackendSleepCodeFix.EquivalenceKey);

    [Theory]
    [InlineData("await Task.Delay(10, token);")]
    [InlineData("Task pending = Task.Delay(10);\n        await pending;")]
    public async Task No_action_with_an_outer_token_or_when_not_awaited(string statements)
    {
        string source = "sealed class C\n{\n    static async Task M(IAsyncBackend backend, CancellationToken token)\n    {\n        await backend.YieldAsync();\n        " + statements + "\n    }\n}\n";
        Assert.Empty(await CodeFixVerifier<TaskDelayAnalyzer, EN0011UseBackendSleepCodeFix>.GetActionsForSingleDiagnosticAsync(source));
    }
}
