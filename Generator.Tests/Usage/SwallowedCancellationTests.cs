using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using EasyNetwork.Generator.Analyzers.Usage;
using EasyNetwork.Generator.Diagnostics;
using EasyNetwork.Generator.Tests.Harness;
using Microsoft.CodeAnalysis;
using Xunit;

namespace EasyNetwork.Generator.Tests.Usage;

/// <summary>EN0003: catch clauses that swallow or convert cancellation (ANALYZERS §3.1, §6.6).</summary>
public sealed class SwallowedCancellationTests
{
    private const string Id = DiagnosticIds.CancellationSwallowed;

    private static Task<ImmutableArray<Diagnostic>> Verify(string markup) => UsageVerifier.VerifyAsync<SwallowedCancellationAnalyzer>(markup, Id);

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ flagged

    private const string CatchAll = """
        sealed class C
        {
            static async Task M(Conn conn)
            {
                try { await conn.SendAsync(); }
                [|catch (Exception)|] { }
                try { await conn.SendAsync(); }
                [|catch|] { }
            }
        }
        """;

    [Fact]
    public async Task Catch_all_and_bare_catch_around_an_await()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify(CatchAll);
        Assert.All(diagnostics, static d => Assert.Equal(
            "This catch clause swallows the OperationCanceledException of the checkpoints in its try block, so the cancellation of an enclosing scope is lost",
            Message(d)));
        Assert.Equal(DiagnosticSeverity.Warning, diagnostics[0].Severity);
    }

    [Fact]
    public Task Catch_all_auto_variants() => UsageVerifier.VerifyWithVariantsAsync<SwallowedCancellationAnalyzer>(CatchAll, Id);

    [Fact]
    public async Task Return_break_and_a_wrapping_throw_convert()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify("""
            sealed class C
            {
                static async Task M(Conn conn)
                {
                    try { await conn.SendAsync(); }
                    [|catch (OperationCanceledException)|] { return; }

                    while (true)
                    {
                        try { await conn.SendAsync(); }
                        [|catch (Exception)|] { break; }
                    }

                    try { await conn.SendAsync(); }
                    [|catch (Exception e)|] { throw new InvalidOperationException("send failed", e); }
                }
            }
            """);
        Assert.All(diagnostics, static d => Assert.StartsWith("This catch clause converts ", Message(d), System.StringComparison.Ordinal));
    }

    [Fact]
    public Task Rethrow_under_if_without_else_and_ThrowIfCancellationRequested() => Verify("""
        sealed class C
        {
            static async Task M(Conn conn, CancellationToken token)
            {
                try { await conn.SendAsync(); }
                [|catch (Exception e)|]
                {
                    if (e is IOException)
                    {
                        throw;
                    }
                }

                try { token.ThrowIfCancellationRequested(); }
                [|catch (TaskCanceledException)|] { }
            }
        }
        """);

    [Fact]
    public Task Filter_that_does_not_exclude_cancellation() => Verify("""
        sealed class C
        {
            static bool Log(Exception e) => true;

            static async Task M(Conn conn)
            {
                try { await conn.SendAsync(); }
                [|catch (Exception e)|] when (Log(e)) { }
            }
        }
        """);

    [Fact]
    public async Task Observing_mode_counts_only_awaits_that_observe_the_scope()
    {
        var observing = new System.Collections.Generic.Dictionary<string, string> { ["en_analyzers.checkpoints"] = "observing" };
        const string Source = """
            sealed class C
            {
                static async Task M(IAsyncBackend backend, Conn conn)
                {
                    try { await conn.SendAsync(); }
                    {|#0:catch (Exception)|} { }
                    try { await conn.SendAsync(backend.CurrentCancellationToken); }
                    [|catch (Exception)|] { }
                    try { await backend.YieldAsync(); }
                    [|catch (Exception)|] { }
                }
            }
            """;

        // By default every await is a checkpoint; with 'observing' the untokened SendAsync() cannot be cancelled, so nothing is swallowed.
        Assert.Equal(3, (await UsageVerifier.VerifyAsync<SwallowedCancellationAnalyzer>(Source.Replace("{|#0:catch (Exception)|}", "[|catch (Exception)|]", System.StringComparison.Ordinal), Id)).Length);
        Assert.Equal(2, (await UsageVerifier.VerifyAsync<SwallowedCancellationAnalyzer>(Source.Replace("{|#0:catch (Exception)|}", "catch (Exception)", System.StringComparison.Ordinal), Id, observing)).Length);
    }

    // ------------------------------------------------------------------ not flagged

    [Fact]
    public Task Rethrow_on_every_path() => Verify("""
        sealed class C
        {
            static void Log(Exception e) { }

            static async Task M(Conn conn)
            {
                try { await conn.SendAsync(); }
                catch (Exception e) { Log(e); throw; }

                try { await conn.SendAsync(); }
                catch (Exception e)
                {
                    if (e is IOException)
                    {
                        throw;
                    }
                    else
                    {
                        throw e;
                    }
                }

                System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
                try { await conn.SendAsync(); }
                catch (Exception e) { failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e); }

                failure?.Throw();
                try { await conn.SendAsync(); }
                catch (Exception e)
                {
                    try { Log(e); }
                    finally { Log(e); }
                    throw;
                }
            }
        }
        """);

    [Fact]
    public Task Excluding_owning_and_token_filters() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, CancellationToken token)
            {
                try { await conn.SendAsync(); }
                catch (Exception e) when (e is not OperationCanceledException) { }

                using var scope = backend.EnterCancelScope();
                try { await conn.SendAsync(scope.Token); }
                catch (OperationCanceledException e) when (scope.Owns(e)) { }

                try { await conn.SendAsync(scope.Token); }
                catch (OperationCanceledException e) when (scope.Owns(e)) { throw new TimeoutException("timed out", e); }

                try { await conn.SendAsync(token); }
                catch (OperationCanceledException) when (token.IsCancellationRequested) { return; }

                try { await conn.SendAsync(token); }
                catch (OperationCanceledException e) when (e.CancellationToken == token) { }
            }
        }
        """);

    [Fact]
    public Task No_checkpoint_unrelated_type_or_an_earlier_rethrowing_clause() => Verify("""
        sealed class C
        {
            static int Parse(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

            static async Task<int> M(Conn conn, string text)
            {
                try { return Parse(text); }
                catch (Exception) { }

                try { await conn.SendAsync(); }
                catch (IOException) { }

                try { await conn.SendAsync(); }
                catch (OperationCanceledException) { throw; }
                catch (Exception) { }

                try { await Task.CompletedTask; await Task.Yield(); }
                catch { }

                Func<Task> later = async () =>
                {
                    try { await conn.SendAsync(); }
                    catch (Exception e) when (e is not OperationCanceledException) { }
                };
                return 0;
            }
        }
        """);
}
