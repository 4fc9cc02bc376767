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

/// <summary>EN0005: inline scopes not disposed by a using where they are created, or whose own cancellation is not claimed (ANALYZERS §3.1, §6.6).</summary>
public sealed class InlineScopeDisposalTests
{
    private const string Id = DiagnosticIds.InlineScopeNotDisposed;

    // Sorted by position, so tests can index them.
    private static async Task<ImmutableArray<Diagnostic>> Verify(string markup)
        => [.. (await UsageVerifier.VerifyAsync<InlineScopeDisposalAnalyzer>(markup, Id)).OrderBy(static d => d.Location.SourceSpan.Start)];

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ flagged: not disposed by a using

    private const string Discarded = """
        sealed class C
        {
            static void M(IAsyncBackend backend)
            {
                [|backend.EnterCancelScope()|];
                _ = [|backend.EnterCancelScope()|];
            }
        }
        """;

    [Fact]
    public async Task Discarded_scopes()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify(Discarded);
        Assert.All(diagnostics, static d => Assert.Equal("The inline scope entered by 'EnterCancelScope' is discarded, so nothing disposes it and it stays entered", Message(d)));
        Assert.Equal(DiagnosticSeverity.Warning, diagnostics[0].Severity);
        Assert.Equal(DiagnosticCategories.Scoping, diagnostics[0].Descriptor.Category);
    }

    [Fact]
    public Task Discarded_scopes_auto_variants() => UsageVerifier.VerifyWithVariantsAsync<InlineScopeDisposalAnalyzer>(Discarded, Id);

    [Fact]
    public async Task Local_disposed_by_a_later_using()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify("""
            sealed class C
            {
                static async Task M(IAsyncBackend backend, Conn conn)
                {
                    var scope = [|backend.EnterCancelScope()|];
                    await conn.SendAsync(scope.Token);
                    using (scope)
                    {
                    }
                }
            }
            """);
        Assert.Contains("a using disposes only later", Message(diagnostics.Single()), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_disposed_explicitly_or_never()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify("""
            sealed class C
            {
                static void M(IAsyncBackend backend)
                {
                    CancelScope first = [|backend.EnterCancelScope()|];
                    first.Dispose();
                    CancelScope second = [|backend.EnterCancelScope()|];
                    _ = second.Token;
                }
            }
            """);
        Assert.Contains("explicit Dispose() call", Message(diagnostics[0]), System.StringComparison.Ordinal);
        Assert.Contains("a local that no using disposes", Message(diagnostics[1]), System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Field_return_and_argument()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify("""
            sealed class C
            {
                private CancelScope? _scope;

                void Store(IAsyncBackend backend) => _scope = [|backend.EnterCancelScope()|];

                static CancelScope Unmarked(IAsyncBackend backend) => [|backend.EnterCancelScope()|];

                static void Pass(IAsyncBackend backend) => Keep([|backend.EnterCancelScope()|]);

                static void Keep(IDisposable disposable) => disposable.Dispose();
            }
            """);
        Assert.Contains("field or property", Message(diagnostics[0]), System.StringComparison.Ordinal);
        Assert.Contains("is returned", Message(diagnostics[1]), System.StringComparison.Ordinal);
        Assert.Contains("passed as an argument", Message(diagnostics[2]), System.StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ flagged: own cancellation not claimed

    [Fact]
    public async Task No_owning_catch()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify("""
            sealed class C
            {
                static async Task M(IAsyncBackend backend, Conn conn)
                {
                    using var scope = [|backend.EnterCancelScope(new CancelScopeOptions { RelativeDeadline = TimeSpan.FromSeconds(5) })|];
                    await conn.SendAsync(scope.Token);
                }
            }
            """);
        Assert.Equal(
            "The inline scope entered by 'EnterCancelScope' has a checkpoint that no catch (OperationCanceledException e) when (scope.Owns(e)) covers, so its own cancellation escapes to the caller",
            Message(diagnostics.Single()));
    }

    [Fact]
    public async Task Anonymous_using_is_always_reported()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify("""
            sealed class C
            {
                static async Task M(IAsyncBackend backend, Conn conn)
                {
                    using ([|backend.EnterCancelScope()|])
                    {
                        try { await conn.SendAsync(); }
                        catch (OperationCanceledException) { }
                    }
                }
            }
            """);
        Assert.Contains("is anonymous", Message(diagnostics.Single()), System.StringComparison.Ordinal);
    }

    [Fact]
    public Task Owns_on_another_scope_or_a_checkpoint_outside_the_try() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                using var outer = backend.EnterCancelScope();
                try
                {
                    using (var inner = [|backend.EnterCancelScope()|])
                    {
                        try { await conn.SendAsync(inner.Token); }
                        catch (OperationCanceledException e) when (outer.Owns(e)) { }
                    }

                    using var late = [|backend.EnterCancelScope()|];
                    await conn.FlushAsync();
                    try { await conn.SendAsync(late.Token); }
                    catch (OperationCanceledException e) when (late.Owns(e)) { }
                }
                catch (OperationCanceledException e) when (outer.Owns(e)) { }
            }
        }
        """);

    [Fact]
    public Task Checkpoint_in_the_owning_handler_or_finally_is_not_covered() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                using var scope = [|backend.EnterCancelScope()|];
                try { await conn.SendAsync(scope.Token); }
                catch (OperationCanceledException e) when (scope.Owns(e)) { }
                finally { await conn.FlushAsync(); }
            }
        }
        """);

    [Fact]
    public Task Inline_shield_with_a_deadline() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                using var shield = [|backend.EnterCancelScope(new CancelScopeOptions { Shield = true, RelativeDeadline = TimeSpan.FromSeconds(1) })|];
                await conn.SendAsync(shield.Token);
            }
        }
        """);

    // ------------------------------------------------------------------ not flagged

    [Fact]
    public Task Both_using_shapes_with_an_owning_catch() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                using var scope = backend.EnterCancelScope(new CancelScopeOptions { RelativeDeadline = TimeSpan.FromSeconds(5) });
                try { await conn.SendAsync(scope.Token); }
                catch (OperationCanceledException e) when (scope.Owns(e)) { }
            }

            static async Task N(IAsyncBackend backend, Conn conn)
            {
                using (var second = backend.EnterCancelScope())
                {
                    try
                    {
                        await conn.SendAsync(second.Token);
                        await foreach (int item in conn.ReadAllAsync())
                        {
                        }
                    }
                    catch (Exception e) when (e is OperationCanceledException && second.Owns(e)) { }
                }
            }
        }
        """);

    [Fact]
    public Task Conditional_choice_of_scope_under_a_using() => Verify("""
        sealed class C
        {
            static void M(IAsyncBackend backend, bool shielded)
            {
                using var scope = shielded ? backend.EnterCancelScope(new CancelScopeOptions { Shield = true }) : backend.EnterCancelScope();
                CancelScope other = shielded ? [|backend.EnterCancelScope()|] : backend.OpenCancelScope();
                other.Dispose();
            }
        }
        """);

    [Fact]
    public Task Deadline_less_shield_and_scopes_without_checkpoints() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                using (var shield = backend.EnterCancelScope(new CancelScopeOptions { Shield = true }))
                {
                    await conn.SendAsync(shield.Token);
                }

                using var quiet = backend.EnterCancelScope();
                Func<Task> later = async () => await conn.SendAsync(quiet.Token);
            }
        }
        """);

    [Fact]
    public Task Factory_wrapper_returning_the_scope_and_delegate_forms() => Verify("""
        static class Scopes
        {
            [CancelScopeFactory]
            public static CancelScope EnterShort(this IAsyncBackend backend) => backend.EnterCancelScope(new CancelScopeOptions { RelativeDeadline = TimeSpan.FromSeconds(1) });

            [CancelScopeFactory]
            public static CancelScope EnterLong(this IAsyncBackend backend)
            {
                var scope = backend.EnterCancelScope();
                scope.Deadline = TimeSpan.FromSeconds(60);
                return scope;
            }

            static async Task M(IAsyncBackend backend, Conn conn)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(1), static (s, c) => c.SendAsync(s.Token), conn);
                await backend.OpenCancelScope().RunAsync(static (s, c) => c.SendAsync(s.Token), conn);
                using var scope = backend.EnterShort();
                try { await conn.SendAsync(scope.Token); }
                catch (OperationCanceledException e) when (scope.Owns(e)) { }
            }
        }
        """);

    [Fact]
    public Task A_user_wrapper_is_itself_checked_where_it_is_called() => Verify("""
        static class Scopes
        {
            [CancelScopeFactory]
            public static CancelScope EnterShort(this IAsyncBackend backend) => backend.EnterCancelScope(new CancelScopeOptions { RelativeDeadline = TimeSpan.FromSeconds(1) });

            static void M(IAsyncBackend backend) => [|backend.EnterShort()|];
        }
        """);
}
