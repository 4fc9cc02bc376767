using System.Collections.Generic;
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

/// <summary>EN0001: unshielded awaits in cleanup code (ANALYZERS §3.1, §6.6).</summary>
public sealed class UnshieldedCleanupTests
{
    private const string Id = DiagnosticIds.UnshieldedCleanupAwait;

    private static Task<ImmutableArray<Diagnostic>> Verify(string markup, IReadOnlyDictionary<string, string>? options = null)
        => UsageVerifier.VerifyAsync<UnshieldedCleanupAnalyzer>(markup, Id, options);

    private static Task VerifyWithVariants(string markup, IReadOnlyDictionary<string, string>? options = null)
        => UsageVerifier.VerifyWithVariantsAsync<UnshieldedCleanupAnalyzer>(markup, Id, options);

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ flagged

    private const string AwaitInFinally = """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                finally { [|await conn.SayGoodbyeAsync(backend.CurrentCancellationToken)|]; }
            }
        }
        """;

    [Fact]
    public async Task Await_in_finally()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify(AwaitInFinally);
        Assert.Equal("This await runs in cleanup code (finally block) and is not shielded from cancellation", Message(diagnostics.Single()));
        Assert.Equal(DiagnosticSeverity.Warning, diagnostics.Single().Severity);
    }

    [Fact]
    public Task Await_in_finally_auto_variants() => VerifyWithVariants(AwaitInFinally);

    [Theory]
    [InlineData("catch (Exception)")]
    [InlineData("catch")]
    [InlineData("catch (SystemException)")]
    [InlineData("catch (OperationCanceledException)")]
    [InlineData("catch (TaskCanceledException)")]
    [InlineData("catch (CancelledException)")]
    public async Task Await_in_a_catch_that_can_catch_cancellation(string clause)
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify($$"""
            sealed class C
            {
                static async Task M(Conn conn)
                {
                    try { await conn.SendAsync(); }
                    {{clause}} { [|await conn.SayGoodbyeAsync()|]; throw; }
                }
            }
            """);
        Assert.Equal("This await runs in cleanup code (catch clause that can catch OperationCanceledException) and is not shielded from cancellation", Message(diagnostics.Single()));
    }

    [Fact]
    public Task Await_in_catch_exception_auto_variants() => VerifyWithVariants("""
        sealed class C
        {
            static async Task M(Conn conn)
            {
                try { await conn.SendAsync(); }
                catch (Exception) { [|await conn.SayGoodbyeAsync()|]; throw; }
            }
        }
        """);

    [Fact]
    public Task Await_in_a_catch_whose_filter_does_not_exclude_cancellation() => Verify("""
        sealed class C
        {
            static bool Log(Exception e) => e is not null;

            static async Task M(Conn conn)
            {
                try { await conn.SendAsync(); }
                catch (Exception e) when (Log(e)) { [|await conn.SayGoodbyeAsync()|]; }
            }
        }
        """);

    [Fact]
    public Task Await_in_an_owning_catch() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                using var scope = backend.EnterCancelScope();
                try { await conn.SendAsync(scope.Token); }
                catch (OperationCanceledException e) when (scope.Owns(e)) { [|await conn.SayGoodbyeAsync()|]; }
            }
        }
        """);

    [Fact]
    public Task Nested_catch_in_a_cleanup_catch_stays_a_region() => Verify("""
        sealed class C
        {
            static async Task M(Conn conn)
            {
                try { await conn.SendAsync(); }
                catch (OperationCanceledException)
                {
                    try { [|await conn.SayGoodbyeAsync()|]; }
                    catch (IOException) { [|await conn.FlushAsync()|]; }
                    throw;
                }
            }
        }
        """);

    [Fact]
    public async Task Await_in_DisposeAsync_and_DisposeAsyncCore()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify("""
            class C : IAsyncDisposable
            {
                private readonly Conn _conn = new();

                public async ValueTask DisposeAsync()
                {
                    await DisposeAsyncCore();
                    [|await _conn.SayGoodbyeAsync()|];
                    await _conn.DisposeAsync();
                    GC.SuppressFinalize(this);
                }

                protected virtual async ValueTask DisposeAsyncCore()
                {
                    [|await _conn.FlushAsync()|];
                }
            }
            """);
        Assert.All(diagnostics, static d => Assert.Equal("This await runs in cleanup code (DisposeAsync) and is not shielded from cancellation", Message(d)));
    }

    [Fact]
    public Task Await_in_an_override_of_DisposeAsync() => Verify("""
        class Base : IAsyncDisposable
        {
            public virtual ValueTask DisposeAsync() => default;
        }

        sealed class Derived : Base
        {
            private readonly Conn _conn = new();

            public override async ValueTask DisposeAsync()
            {
                [|await _conn.SayGoodbyeAsync()|];
                await base.DisposeAsync();
            }
        }
        """);

    [Fact]
    public Task Two_awaits_on_one_line_give_two_diagnostics() => Verify("""
        sealed class C
        {
            static async Task M(Conn conn)
            {
                try { await conn.SendAsync(); }
                finally { [|await conn.SayGoodbyeAsync()|]; [|await conn.FlushAsync()|]; }
            }
        }
        """);

    [Fact]
    public Task Await_foreach_in_finally_is_reported_on_its_header() => Verify("""
        sealed class C
        {
            static async Task M(Conn conn)
            {
                try { await conn.SendAsync(); }
                finally
                {
                    [|await foreach (int item in conn.ReadAllAsync())|]
                    {
                        _ = item;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Awaited_cancel_scope_in_finally() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(); }
                finally
                {
                    [|await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(1), static (scope, c) => c.SayGoodbyeAsync(scope.Token), conn)|];
                }
            }
        }
        """);

    [Fact]
    public Task Shield_opened_outside_the_try_does_not_count() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                using var shield = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                try { await conn.SendAsync(); }
                finally { [|await conn.SayGoodbyeAsync()|]; }
            }
        }
        """);

    [Fact]
    public Task Shield_flag_reset_to_false_or_not_constant() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, bool flag)
            {
                try { await conn.SendAsync(); }
                finally
                {
                    using (var scope = backend.EnterCancelScope())
                    {
                        scope.Shield = true;
                        scope.Shield = false;
                        [|await conn.SayGoodbyeAsync()|];
                    }

                    using (var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = flag }))
                    {
                        [|await conn.FlushAsync()|];
                    }
                }
            }
        }
        """);

    [Fact]
    public async Task Token_from_outside_the_shield_defeats_it()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify("""
            sealed class C
            {
                static async Task M(IAsyncBackend backend, Conn conn, CancellationToken cancellationToken)
                {
                    try { await conn.SendAsync(cancellationToken); }
                    finally
                    {
                        using var shield = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                        [|await conn.SayGoodbyeAsync(cancellationToken)|];
                        await conn.SayGoodbyeAsync(shield.Token);
                        await conn.SayGoodbyeAsync(backend.CurrentCancellationToken);
                    }
                }
            }
            """);
        Assert.Equal("This await runs in cleanup code (finally block) and passes a token from outside the shield", Message(diagnostics.Single()));
    }

    [Fact]
    public async Task Each_diagnostic_carries_the_run_of_adjacent_flagged_statements_of_its_block()
    {
        const string First = "await conn.SayGoodbyeAsync();";
        const string Second = "await conn.FlushAsync();";
        const string Third = "await conn.SendAsync();";
        ImmutableArray<Diagnostic> diagnostics = await Verify("""
            sealed class C
            {
                static async Task M(IAsyncBackend backend, Conn conn)
                {
                    try { await conn.SendAsync(backend.CurrentCancellationToken); }
                    finally
                    {
                        [|await conn.SayGoodbyeAsync()|];
                        [|await conn.FlushAsync()|]; [|await conn.SendAsync()|];
                        if (conn is not null) { [|await conn.FlushAsync()|]; }
                        Console.WriteLine("closed");
                        [|await conn.SayGoodbyeAsync()|];
                    }
                }
            }
            """);

        // The first three share the run of three statements (two on one line); the one in the 'if' block and the last are alone in theirs.
        List<Diagnostic> ordered = diagnostics.OrderBy(static d => d.Location.SourceSpan.Start).ToList();
        Assert.Equal(5, ordered.Count);
        string text = ordered[0].Location.SourceTree!.ToString();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(
                [First, Second, Third],
                ordered[i].AdditionalLocations.Select(l => text.Substring(l.SourceSpan.Start, l.SourceSpan.Length)).ToArray());
        }

        Assert.Empty(ordered[3].AdditionalLocations);
        Assert.Empty(ordered[4].AdditionalLocations);
    }

    // ------------------------------------------------------------------ not flagged

    [Fact]
    public Task Await_using_disposal_and_argument_less_DisposeAsync() => Verify("""
        sealed class C
        {
            static async Task M(Conn conn)
            {
                try { await conn.SendAsync(); }
                finally
                {
                    await using (var other = new Conn())
                    {
                    }

                    await using var last = new Conn();
                    await conn.DisposeAsync();
                }
            }
        }
        """);

    [Fact]
    public Task Cleanup_safe_members_including_user_wrappers_and_inherited_roles() => Verify("""
        static class ConnExtensions
        {
            [CleanupSafe]
            public static ValueTask AbortAsync(this Conn conn) => default;
        }

        interface IClosable
        {
            [CleanupSafe]
            ValueTask CloseNowAsync();
        }

        class Closable : IClosable
        {
            public virtual ValueTask CloseNowAsync() => default;
        }

        sealed class DerivedClosable : Closable
        {
            public override ValueTask CloseNowAsync() => default;
        }

        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, DerivedClosable closable)
            {
                try { await conn.SendAsync(); }
                finally
                {
                    await backend.CancelShieldedYieldAsync();
                    await conn.AbortAsync();
                    await closable.CloseNowAsync();
                    await ((IClosable)closable).CloseNowAsync();
                }
            }
        }
        """);

    [Fact]
    public Task ShieldAsync_call_and_its_body() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(); }
                finally
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), static (scope, c) => c.SayGoodbyeAsync(scope.Token), conn);
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), static async (scope, c) =>
                    {
                        await c.SayGoodbyeAsync(scope.Token);
                        await c.FlushAsync();
                    }, conn);
                    await backend.IgnoreCancellationAsync(conn.FlushAsync());
                }
            }
        }
        """);

    [Fact]
    public Task Inline_shield_in_finally_with_a_nested_unshielded_scope() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(); }
                finally
                {
                    using var shield = backend.EnterCancelScope(new CancelScopeOptions { Shield = true, RelativeDeadline = TimeSpan.FromSeconds(5) });
                    await conn.SayGoodbyeAsync();
                    using (backend.EnterCancelScope())
                    {
                        await conn.FlushAsync();
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Inline_shield_set_by_its_flag_property() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(); }
                finally
                {
                    using var scope = backend.EnterCancelScope();
                    scope.Shield = true;
                    await conn.SayGoodbyeAsync(scope.Token);
                }
            }
        }
        """);

    [Fact]
    public Task Lambda_and_local_function_declared_in_finally() => Verify("""
        sealed class C
        {
            static async Task M(Conn conn)
            {
                try { await conn.SendAsync(); }
                finally
                {
                    Func<Task> later = async () => await conn.SayGoodbyeAsync();
                    async Task LocalAsync() => await conn.FlushAsync();
                    _ = later;
                    _ = LocalAsync();
                }
            }
        }
        """);

    [Theory]
    [InlineData("catch (IOException)")]
    [InlineData("catch (InvalidOperationException)")]
    [InlineData("catch (Exception e) when (e is not OperationCanceledException)")]
    [InlineData("catch (Exception e) when (!(e is OperationCanceledException))")]
    [InlineData("catch (Exception e) when (e is not OperationCanceledException && e.Message.Length > 0)")]
    [InlineData("catch (Exception e) when (e.Message.Length > 0 && !(e is OperationCanceledException))")]
    public Task Catch_that_cannot_catch_cancellation(string clause) => Verify($$"""
        sealed class C
        {
            static async Task M(Conn conn)
            {
                try { await conn.SendAsync(); }
                {{clause}} { await conn.SayGoodbyeAsync(); }
            }
        }
        """);

    [Fact]
    public Task Completed_values() => Verify("""
        sealed class C
        {
            static async Task M(Conn conn)
            {
                try { await conn.SendAsync(); }
                finally
                {
                    await Task.CompletedTask;
                    await ValueTask.CompletedTask;
                    await default(ValueTask);
                    await Task.FromResult(1);
                    await ValueTask.FromResult(1);
                    await Task.CompletedTask.ConfigureAwait(false);
                }
            }
        }
        """);

    [Fact]
    public Task Awaits_outside_cleanup_regions() => Verify("""
        sealed class C : IAsyncDisposable
        {
            private readonly Conn _conn = new();

            static async Task M(Conn conn)
            {
                await conn.SendAsync();
                try { await conn.SendAsync(); }
                catch (IOException) { }
                await conn.SayGoodbyeAsync();
            }

            public ValueTask DisposeAsync()
            {
                Func<Task> later = async () => await _conn.SayGoodbyeAsync();
                _ = later;
                return default;
            }
        }
        """);

    [Fact]
    public Task Option_catch_exception_is_cleanup_false_exempts_catch_all_forms_only() => Verify(
        """
        sealed class C
        {
            static async Task M(Conn conn)
            {
                try { await conn.SendAsync(); }
                catch (Exception) { await conn.SayGoodbyeAsync(); }

                try { await conn.SendAsync(); }
                catch { await conn.SayGoodbyeAsync(); }

                try { await conn.SendAsync(); }
                catch (OperationCanceledException) { [|await conn.SayGoodbyeAsync()|]; }

                try { await conn.SendAsync(); }
                finally { [|await conn.FlushAsync()|]; }
            }
        }
        """,
        new Dictionary<string, string> { ["en_analyzers.en0001.catch_exception_is_cleanup"] = "false" });

    [Fact]
    public Task Option_catch_exception_is_cleanup_true_is_the_default() => Verify(
        """
        sealed class C
        {
            static async Task M(Conn conn)
            {
                try { await conn.SendAsync(); }
                catch (Exception) { [|await conn.SayGoodbyeAsync()|]; }
            }
        }
        """,
        new Dictionary<string, string> { ["EN_ANALYZERS.EN0001.CATCH_EXCEPTION_IS_CLEANUP"] = "true" });

    [Fact]
    public async Task Option_require_deadline_reports_deadline_less_shields_on_the_shield_call()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify(
            """
            sealed class C
            {
                static async Task M(IAsyncBackend backend, Conn conn)
                {
                    try { await conn.SendAsync(); }
                    finally
                    {
                        await backend.ShieldAsync(TimeSpan.FromSeconds(5), static (scope, c) => c.SayGoodbyeAsync(scope.Token), conn);
                        await [|backend.ShieldAsync(Timeout.InfiniteTimeSpan, static (scope, c) => c.SayGoodbyeAsync(scope.Token), conn)|];
                        await [|backend.IgnoreCancellationAsync(conn.FlushAsync())|];
                    }
                }
            }
            """,
            new Dictionary<string, string> { ["en_analyzers.en0001.require_deadline"] = "true" });
        Assert.Equal(2, diagnostics.Length);
        Assert.All(diagnostics, static d => Assert.Equal("This await runs in cleanup code (finally block) and uses a shield without a deadline", Message(d)));
    }

    // ------------------------------------------------------------------ bail-out

    [Fact]
    public async Task Without_Abstractions_nothing_is_registered_or_reported()
    {
        const string StandIn = """
            global using System;
            global using System.Threading;
            global using System.Threading.Tasks;
            global using EasyNetwork;

            namespace EasyNetwork
            {
                public interface IAsyncBackend
                {
                    CancellationToken CurrentCancellationToken { get; }
                }
            }

            public sealed class Conn
            {
                public ValueTask SendAsync(CancellationToken cancellationToken = default) => default;
                public ValueTask SayGoodbyeAsync(CancellationToken cancellationToken = default) => default;
            }
            """;
        (string source, _) = Markup.Parse(AwaitInFinally, Id);
        ImmutableArray<Diagnostic> diagnostics = await UsageVerifier.RunAsync<UnshieldedCleanupAnalyzer>(source, StandIn, TestReferences.Framework);
        Assert.Empty(diagnostics);
    }
}
