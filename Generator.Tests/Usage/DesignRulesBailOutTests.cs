using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading.Tasks;
using EasyNetwork.Generator.Analyzers.Usage;
using EasyNetwork.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace EasyNetwork.Generator.Tests.Usage;

/// <summary>EN0009, EN0015 and EN0016 without Abstractions (local stand-in types): nothing registered, reported or thrown (ANALYZERS §6.5).</summary>
public sealed class DesignRulesBailOutTests
{
    private const string StandIn = """
        global using System;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using EasyNetwork;

        namespace EasyNetwork
        {
            public interface IAsyncBackend
            {
                ValueTask SleepAsync(TimeSpan delay);
            }
        }
        """;

    // Each shape is flagged when Abstractions is referenced: under backend_code = all, every method is backend code.
    private const string Source = """
        sealed class C
        {
            private bool _done;

            async Task M(IAsyncBackend backend, Task<int> task, TimeSpan timeout)
            {
                Thread.Sleep(10);
                _ = task.Result;
                while (!_done) await backend.SleepAsync(timeout);
            }
        }
        """;

    private static readonly Dictionary<string, string> All = new() { ["en_analyzers.backend_code"] = "all" };

    [Fact]
    public Task EN0009() => AssertSilent<BlockingWaitAnalyzer>();

    [Fact]
    public Task EN0015() => AssertSilent<TimeoutParameterAnalyzer>();

    [Fact]
    public Task EN0016() => AssertSilent<BusyWaitLoopAnalyzer>();

    private static async Task AssertSilent<TAnalyzer>()
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        ImmutableArray<Diagnostic> diagnostics = await UsageVerifier.RunAsync<TAnalyzer>(Source, StandIn, TestReferences.Framework, All);
        Assert.Empty(diagnostics);

        // The control: with Abstractions the same source is flagged, so the silence above comes from the bail-out.
        ImmutableArray<Diagnostic> flagged = await UsageVerifier.RunAsync<TAnalyzer>(Source, UsageVerifier.Prelude, TestReferences.Framework.Add(TestReferences.Abstractions), All);
        Assert.NotEmpty(flagged);
    }
}
