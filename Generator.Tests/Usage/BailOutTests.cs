using System.Collections.Immutable;
using System.Threading.Tasks;
using EasyNetwork.Generator.Analyzers.Usage;
using EasyNetwork.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace EasyNetwork.Generator.Tests.Usage;

/// <summary>EN0003 to EN0006, EN0010 and EN0011 without Abstractions (local stand-in types): nothing registered, reported or thrown (ANALYZERS §6.5).</summary>
public sealed class BailOutTests
{
    private const string StandIn = """
        global using System;
        global using System.IO;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using EasyNetwork;

        namespace EasyNetwork
        {
            public sealed class CancelScope : IDisposable
            {
                public CancellationToken Token => default;
                public bool Owns(Exception exception) => true;
                public void Dispose() { }
            }

            public interface IAsyncBackend
            {
                CancelScope EnterCancelScope();
            }

            public sealed class Conn
            {
                public ValueTask SendAsync(CancellationToken cancellationToken = default) => default;
            }
        }
        """;

    // Each shape is flagged when Abstractions is referenced.
    private const string Source = """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                backend.EnterCancelScope();
                try { await conn.SendAsync(); }
                catch { }

                try { await conn.SendAsync(); }
                catch (IOException)
                {
                    await conn.SendAsync();
                    throw;
                }
            }

            static ValueTask N(IAsyncBackend backend, Conn conn)
            {
                using var scope = backend.EnterCancelScope();
                return conn.SendAsync(scope.Token);
            }

            static System.Collections.Generic.IEnumerable<int> Items(IAsyncBackend backend)
            {
                using var scope = backend.EnterCancelScope();
                yield return 1;
            }

            static async Task Sleep(IAsyncBackend backend)
            {
                _ = backend.EnterCancelScope();
                await Task.Delay(1);
            }
        }
        """;

    [Fact]
    public Task EN0003() => AssertSilent<SwallowedCancellationAnalyzer>();

    [Fact]
    public Task EN0004() => AssertSilent<ScopeSpansYieldAnalyzer>();

    [Fact]
    public Task EN0005() => AssertSilent<InlineScopeDisposalAnalyzer>();

    [Fact]
    public Task EN0006() => AssertSilent<ScopeOutlivedByTaskAnalyzer>();

    [Fact]
    public Task EN0010() => AssertSilent<RethrowingCatchAwaitAnalyzer>();

    [Fact]
    public Task EN0011() => AssertSilent<TaskDelayAnalyzer>();

    private static async Task AssertSilent<TAnalyzer>()
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        ImmutableArray<Diagnostic> diagnostics = await UsageVerifier.RunAsync<TAnalyzer>(Source, StandIn, TestReferences.Framework);
        Assert.Empty(diagnostics);
    }
}
