using System.Collections.Generic;
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

/// <summary>EN0014: indefinite loops without a cancel point, and the fix that inserts one (ANALYZERS §3.1, §6.6).</summary>
public sealed class IndefiniteLoopTests
{
    private const string Id = DiagnosticIds.IndefiniteLoopWithoutCheckpoint;

    private static readonly Dictionary<string, string> NotAllPaths = new() { ["en_analyzers.en0014.mode"] = "not_all_paths" };

    private static Task<ImmutableArray<Diagnostic>> Verify(string markup, IReadOnlyDictionary<string, string>? options = null)
        => UsageVerifier.VerifyAsync<IndefiniteLoopAnalyzer>(markup, Id, options);

    private static Task Fix(string before, string after)
        => CodeFixVerifier<IndefiniteLoopAnalyzer, EN0014InsertCheckpointCodeFix>.VerifyAsync(before, after, EN0014InsertCheckpointCodeFix.EquivalenceKey);

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ flagged

    private const string Loops = """
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend, Conn conn)
            {
                [|while|] (true)
                {
                    s_count++;
                    await Task.Yield();
                }
            }

            static async Task F(Conn conn)
            {
                [|for|] (;;)
                {
                    if (s_count > 10) throw new InvalidOperationException();
                    switch (s_count)
                    {
                        case 1:
                            break;
                    }

                    Func<Task> later = async () => await conn.SendAsync();
                }
            }

            static async ValueTask D()
            {
                [|do|]
                {
                    s_count++;
                }
                while (true);
            }
        }
        """;

    [Fact]
    public async Task While_for_and_do_loops_without_a_checkpoint()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify(Loops);
        diagnostics = diagnostics.Sort(static (a, b) => a.Location.SourceSpan.Start.CompareTo(b.Location.SourceSpan.Start));
        Assert.Equal("This indefinite 'while' loop has no checkpoint in its body, so cancelling the enclosing scope cannot stop it", Message(diagnostics[0]));
        Assert.Equal("This indefinite 'do' loop has no checkpoint in its body, so cancelling the enclosing scope cannot stop it", Message(diagnostics[2]));
        Assert.All(diagnostics, static d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
    }

    [Fact]
    public Task While_for_and_do_loops_auto_variants() => UsageVerifier.VerifyWithVariantsAsync<IndefiniteLoopAnalyzer>(Loops, Id);

    [Fact]
    public void Descriptor()
    {
        Assert.Equal(DiagnosticCategories.Cancellation, DiagnosticDescriptors.IndefiniteLoopWithoutCheckpoint.Category);
        Assert.Equal(DiagnosticSeverity.Warning, DiagnosticDescriptors.IndefiniteLoopWithoutCheckpoint.DefaultSeverity);
        Assert.Equal(DiagnosticDescriptors.IndefiniteLoopWithoutCheckpoint, new IndefiniteLoopAnalyzer().SupportedDiagnostics.Single());
    }

    private const string ConditionalLoops = """
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend)
            {
                MARK0forEND (;;)
                {
                    if (s_count++ % 100 == 0)
                    {
                        await backend.YieldAsync();
                    }
                }
            }

            static async Task W(IAsyncBackend backend)
            {
                MARK0whileEND (true)
                {
                    if (s_count++ > 3) continue;
                    await backend.YieldAsync();
                }
            }
        }
        """;

    [Fact]
    public async Task Only_conditional_checkpoints_are_flagged_under_not_all_paths()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify(ConditionalLoops.Replace("MARK0", "[|", System.StringComparison.Ordinal).Replace("END", "|]", System.StringComparison.Ordinal), NotAllPaths);
        diagnostics = diagnostics.Sort(static (a, b) => a.Location.SourceSpan.Start.CompareTo(b.Location.SourceSpan.Start));
        Assert.Equal("This indefinite 'for' loop has an iteration without a checkpoint, so cancelling the enclosing scope cannot stop it", Message(diagnostics[0]));
    }

    [Fact]
    public Task Only_conditional_checkpoints_are_not_flagged_by_default()
        => Verify(ConditionalLoops.Replace("MARK0", string.Empty, System.StringComparison.Ordinal).Replace("END", string.Empty, System.StringComparison.Ordinal));

    [Fact]
    public Task Observing_mode_ignores_awaits_that_do_not_observe_the_scope() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                [|while|] (true)
                {
                    await conn.SendAsync();
                }
            }

            static async Task N(IAsyncBackend backend, Conn conn)
            {
                while (true)
                {
                    await conn.SendAsync(backend.CurrentCancellationToken);
                }
            }
        }
        """, new Dictionary<string, string> { ["en_analyzers.checkpoints"] = "observing" });

    // ------------------------------------------------------------------ not flagged

    [Fact]
    public Task Exits_checkpoints_sync_methods_and_other_loops() => Verify("""
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend, Conn conn, bool flag)
            {
                while (true)
                {
                    if (s_count++ > 10) break;
                }

                for (;;)
                {
                    if (s_count++ > 10) return;
                }

                while (true)
                {
                    for (int i = 0; i < 3; i++)
                    {
                    }

                    if (s_count++ > 10) goto done;
                }

                done:
                while (true)
                {
                    await conn.SendAsync();
                    for (int i = 0; i < 3; i++)
                    {
                    }
                }
            }

            static async Task U(IAsyncBackend backend)
            {
                do
                {
                    await backend.YieldAsync();
                    if (s_count++ > 3) continue;
                }
                while (true);
            }

            static async IAsyncEnumerable<int> Iterate()
            {
                while (true)
                {
                    yield return s_count++;
                }
            }

            static void Sync()
            {
                while (true)
                {
                    s_count++;
                }
            }

            static async Task Conditions(bool flag)
            {
                while (flag)
                {
                    s_count++;
                }

                await Task.CompletedTask;
            }
        }
        """, NotAllPaths);

    [Fact]
    public Task Only_the_inner_indefinite_loop_is_reported() => Verify("""
        sealed class C
        {
            static int s_count;

            static async Task M()
            {
                while (true)
                {
                    s_count++;
                    [|while|] (true)
                    {
                        s_count--;
                    }
                }
            }

            static async Task N()
            {
                [|while|] (true)
                {
                    while (true)
                    {
                        if (s_count++ > 3) break;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Loops_in_async_lambdas_and_local_functions() => Verify("""
        sealed class C
        {
            static int s_count;

            static void M()
            {
                Func<Task> f = async () =>
                {
                    [|while|] (true)
                    {
                        s_count++;
                    }
                };

                async Task LocalAsync()
                {
                    [|for|] (;;)
                    {
                        if (s_count++ > 3)
                        {
                            await Task.Delay(1);
                        }
                    }
                }
            }
        }
        """, NotAllPaths);

    // ------------------------------------------------------------------ fix

    [Fact]
    public Task Fix_inserts_a_checkpoint_at_the_top_of_each_loop_shape() => Fix(
        """
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend)
            {
                while (true)
                {
                    s_count++;
                }
            }

            static async Task F(IAsyncBackend backend)
            {
                for (;;)
                    s_count++;
            }
        }
        """,
        """
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend)
            {
                while (true)
                {
                    await backend.YieldAsync();
                    s_count++;
                }
            }

            static async Task F(IAsyncBackend backend)
            {
                for (;;)
                {
                    await backend.YieldAsync();
                    s_count++;
                }
            }
        }
        """);

    [Fact]
    public Task Fix_all_in_a_document() => CodeFixVerifier<IndefiniteLoopAnalyzer, EN0014InsertCheckpointCodeFix>.VerifyFixAllAsync(
        """
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend)
            {
                do
                {
                    s_count++;
                }
                while (true);
            }

            static async Task N(IAsyncBackend backend)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(1), static async (s, b) =>
                {
                    while (true)
                    {
                        s_count++;
                    }
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
                do
                {
                    await backend.YieldAsync();
                    s_count++;
                }
                while (true);
            }

            static async Task N(IAsyncBackend backend)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(1), static async (s, b) =>
                {
                    while (true)
                    {
                        await b.YieldAsync();
                        s_count++;
                    }
                }, backend);
            }
        }
        """,
        EN0014InsertCheckpointCodeFix.EquivalenceKey);

    [Theory]
    [InlineData("static async Task M()\n    {\n        while (true)\n        {\n        }\n    }")]
    [InlineData("static async Task M(IAsyncBackend backend)\n    {\n        try\n        {\n        }\n        finally\n        {\n            while (true)\n            {\n            }\n        }\n    }")]
    public async Task No_action_without_a_receiver_or_in_cleanup_code(string method)
    {
        string source = "sealed class C\n{\n    " + method + "\n}\n";
        Assert.Empty(await CodeFixVerifier<IndefiniteLoopAnalyzer, EN0014InsertCheckpointCodeFix>.GetActionsForSingleDiagnosticAsync(source));
    }

    [Fact]
    public async Task Without_Abstractions_nothing_is_registered_or_reported()
    {
        (string source, _) = Markup.Parse(Loops.Replace("IAsyncBackend backend, Conn conn", "Conn conn", System.StringComparison.Ordinal), Id);
        ImmutableArray<Diagnostic> diagnostics = await UsageVerifier.RunAsync<IndefiniteLoopAnalyzer>(source, "global using System;\nglobal using System.Threading.Tasks;\npublic sealed class Conn { public ValueTask SendAsync() => default; }\n", TestReferences.Framework);
        Assert.Empty(diagnostics);
    }
}
