using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using EasyNetwork.Generator.Analyzers.Usage;
using EasyNetwork.Generator.CodeFixes;
using EasyNetwork.Generator.Tests.Harness;
using Xunit;

namespace EasyNetwork.Generator.Tests.Usage;

/// <summary>EN0012's fix "Insert a checkpoint" (ANALYZERS §3.1, §6.4, §6.6).</summary>
public sealed class EN0012InsertCheckpointTests
{
    private static Task Fix(string before, string after)
        => CodeFixVerifier<ScopeCheckpointAnalyzer, EN0012InsertCheckpointCodeFix>.VerifyAsync(before, after, EN0012InsertCheckpointCodeFix.EquivalenceKey);

    [Fact]
    public Task Async_block_body_of_a_delegate_form_uses_the_bodys_backend() => Fix(
        """
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, b) =>
                {
                    s_count++;
                }, backend);
            }
        }
        """,
        """
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, b) =>
                {
                    await b.YieldAsync();
                    s_count++;
                }, backend);
            }
        }
        """);

    [Fact]
    public Task Non_static_body_reads_the_outer_backend() => Fix(
        """
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend)
            {
                await backend.TimeoutAfterAsync(TimeSpan.FromSeconds(5), async (s, n) =>
                {
                    s_count += n;
                }, 1);
            }
        }
        """,
        """
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend)
            {
                await backend.TimeoutAfterAsync(TimeSpan.FromSeconds(5), async (s, n) =>
                {
                    await backend.YieldAsync();
                    s_count += n;
                }, 1);
            }
        }
        """);

    [Fact]
    public Task Inline_scopes_get_the_checkpoint_in_their_owning_try() => Fix(
        """
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend)
            {
                using (var inner = backend.EnterCancelScope())
                {
                    try
                    {
                        s_count++;
                    }
                    catch (OperationCanceledException e) when (inner.Owns(e))
                    {
                    }
                }

                using var scope = backend.EnterCancelScope();
                s_count++;
                try
                {
                    s_count++;
                }
                catch (OperationCanceledException e) when (scope.Owns(e))
                {
                }
            }
        }
        """,
        """
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend)
            {
                using (var inner = backend.EnterCancelScope())
                {
                    try
                    {
                        await backend.YieldAsync();
                        s_count++;
                    }
                    catch (OperationCanceledException e) when (inner.Owns(e))
                    {
                    }
                }

                using var scope = backend.EnterCancelScope();
                s_count++;
                try
                {
                    await backend.YieldAsync();
                    s_count++;
                }
                catch (OperationCanceledException e) when (scope.Owns(e))
                {
                }
            }
        }
        """);

    [Fact]
    public Task Fix_all_inserts_one_checkpoint_per_scope() => CodeFixVerifier<ScopeCheckpointAnalyzer, EN0012InsertCheckpointCodeFix>.VerifyFixAllAsync(
        """
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, b) =>
                {
                    s_count++;
                }, backend);
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(1), async (s, n) =>
                {
                    s_count -= n;
                }, 1);
            }
        }
        """,
        """
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, b) =>
                {
                    await b.YieldAsync();
                    s_count++;
                }, backend);
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(1), async (s, n) =>
                {
                    await backend.YieldAsync();
                    s_count -= n;
                }, 1);
            }
        }
        """,
        EN0012InsertCheckpointCodeFix.EquivalenceKey);

    [Theory]
    [InlineData("static void M(IAsyncBackend backend)\n    {\n        using var scope = backend.EnterCancelScope();\n        s_count++;\n    }")]
    [InlineData("static async Task M(IAsyncBackend backend)\n    {\n        await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(1), static (s, n) => default, 0);\n    }")]
    [InlineData("static async Task M(IAsyncBackend backend)\n    {\n        await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(1), static (s, n) => { s_count += n; return default; }, 0);\n    }")]
    [InlineData("static async Task M(IAsyncBackend backend)\n    {\n        await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(1), static async (s, n) => { s_count += n; }, 0);\n    }")]
    [InlineData("static async Task M(IAsyncBackend backend)\n    {\n        using (backend.EnterCancelScope())\n        {\n            s_count++;\n        }\n    }")]
    [InlineData("static async Task M(IAsyncBackend backend)\n    {\n        using var scope = backend.EnterCancelScope();\n        s_count++;\n    }")]
    [InlineData("static async Task M(IAsyncBackend[] backends)\n    {\n        using var scope = backends[0].EnterCancelScope();\n        s_count++;\n        await Task.CompletedTask;\n    }")]
    public async Task No_action_for_sync_bodies_unclaimed_inline_scopes_or_without_a_receiver(string method)
    {
        string source = "sealed class C\n{\n    static int s_count;\n\n    " + method + "\n}\n";
        Assert.Empty(await CodeFixVerifier<ScopeCheckpointAnalyzer, EN0012InsertCheckpointCodeFix>.GetActionsForSingleDiagnosticAsync(source));
    }

    [Fact]
    public async Task No_action_from_either_fix_for_a_conditional_diagnostic()
    {
        const string Source = """
            sealed class C
            {
                static async Task M(IAsyncBackend backend, Conn conn, bool flag)
                {
                    using var scope = backend.EnterCancelScope();
                    if (flag)
                    {
                        await conn.SendAsync(scope.Token);
                    }
                }
            }
            """;
        var options = new Dictionary<string, string> { ["en_analyzers.en0012.mode"] = "not_all_paths" };
        Assert.Empty(await CodeFixVerifier<ScopeCheckpointAnalyzer, EN0012InsertCheckpointCodeFix>.GetActionsForSingleDiagnosticAsync(Source, options));
        Assert.Empty(await CodeFixVerifier<ScopeCheckpointAnalyzer, EN0012RemoveScopeCodeFix>.GetActionsForSingleDiagnosticAsync(Source, options));
    }
}
