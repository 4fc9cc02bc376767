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

/// <summary>EN0012: cancel scopes that contain no checkpoint (ANALYZERS §2.5, §3.1, §6.6).</summary>
public sealed class ScopeCheckpointTests
{
    private const string Id = DiagnosticIds.ScopeWithoutCheckpoint;

    private static Task<ImmutableArray<Diagnostic>> Verify(string markup, IReadOnlyDictionary<string, string>? options = null)
        => UsageVerifier.VerifyAsync<ScopeCheckpointAnalyzer>(markup, Id, options);

    private static Task VerifyWithVariants(string markup)
        => UsageVerifier.VerifyWithVariantsAsync<ScopeCheckpointAnalyzer>(markup, Id);

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ flagged

    private const string DefaultBody = """
        sealed class C
        {
            static async Task M(IAsyncBackend backend)
            {
                await [|backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static (s, ct) => default, 0)|];
            }
        }
        """;

    [Fact]
    public async Task Body_returning_default()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify(DefaultBody);
        Assert.Equal("The cancel scope 'MoveOnAfterAsync' contains no checkpoint, so the work inside it cannot be cancelled", Message(diagnostics.Single()));
        Assert.Equal(DiagnosticSeverity.Warning, diagnostics.Single().Severity);
        Assert.Contains(WellKnownDiagnosticTags.Unnecessary, diagnostics.Single().Descriptor.CustomTags);
    }

    [Fact]
    public Task Body_returning_default_auto_variants() => VerifyWithVariants(DefaultBody);

    [Fact]
    public void Descriptor_carries_the_Unnecessary_tag()
    {
        Assert.Contains(WellKnownDiagnosticTags.Unnecessary, DiagnosticDescriptors.ScopeWithoutCheckpoint.CustomTags);
        Assert.Equal(DiagnosticCategories.Cancellation, DiagnosticDescriptors.ScopeWithoutCheckpoint.Category);
        Assert.Equal(DiagnosticSeverity.Warning, DiagnosticDescriptors.ScopeWithoutCheckpoint.DefaultSeverity);
        Assert.Equal(DiagnosticDescriptors.ScopeWithoutCheckpoint, new ScopeCheckpointAnalyzer().SupportedDiagnostics.Single());
    }

    [Fact]
    public Task Sync_only_and_completed_value_bodies() => Verify("""
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend)
            {
                await [|backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static (s, n) =>
                {
                    s_count += n;
                    return ValueTask.CompletedTask;
                }, 1)|];
                await [|backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, b) =>
                {
                    s_count++;
                    await Task.CompletedTask;
                    await Task.Yield();
                    await Task.Delay(0);
                    await Task.Delay(TimeSpan.Zero);
                    await b.CancelShieldedYieldAsync();
                }, backend)|];
                await [|backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static (s, n) => ValueTask.FromResult(n), 1)|];
            }
        }
        """);

    [Fact]
    public Task Awaits_only_in_a_nested_lambda_or_local_function() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                await [|backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static (s, c) =>
                {
                    Func<Task> later = async () => await c.SendAsync();
                    async Task LaterAsync() => await c.SendAsync();
                    return default;
                }, conn)|];
            }
        }
        """);

    [Fact]
    public Task Inline_scope_followed_by_sync_code_only() => Verify("""
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend, Conn conn)
            {
                await conn.SendAsync();
                [|using var scope = backend.EnterCancelScope();|]
                s_count++;
            }

            static void Sync(IAsyncBackend backend)
            {
                using ([|backend.EnterCancelScope()|])
                {
                    s_count++;
                }
            }
        }
        """);

    [Fact]
    public Task Only_a_childless_task_group() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend)
            {
                await [|backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, b) =>
                {
                    await b.RunTaskGroupAsync(static (tg, n) => default, 0);
                }, backend)|];
            }
        }
        """);

    [Fact]
    public Task A_shield_never_counts_for_the_enclosing_scope() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                await [|backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, c) =>
                {
                    await c.backend.ShieldAsync(TimeSpan.FromSeconds(1), static (scope, conn) => conn.SendAsync(scope.Token), c.conn);
                }, (backend, conn))|];
            }
        }
        """);

    [Fact]
    public async Task Empty_inner_and_outer_scopes_are_both_reported()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify("""
            sealed class C
            {
                static async Task M(IAsyncBackend backend)
                {
                    await [|backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, b) =>
                    {
                        await [|b.MoveOnAfterAsync(TimeSpan.FromSeconds(1), static (inner, n) => default, 0)|];
                    }, backend)|];
                    [|using var outer = backend.EnterCancelScope();|]
                    using ([|backend.EnterCancelScope()|])
                    {
                    }
                }
            }
            """);
        Assert.Equal(4, diagnostics.Length);
    }

    [Fact]
    public async Task Fail_after_scope_can_never_time_out()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify("""
            sealed class C
            {
                static async Task M(IAsyncBackend backend)
                {
                    await [|backend.TimeoutAfterAsync(TimeSpan.FromSeconds(5), static (s, n) => default, 0)|];
                }
            }
            """);
        Assert.Equal("The cancel scope 'TimeoutAfterAsync' contains no checkpoint, so the work inside it can never time out", Message(diagnostics.Single()));
    }

    // ------------------------------------------------------------------ not flagged

    [Fact]
    public Task Bodies_with_a_checkpoint() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, c) => await c.SendAsync(s.Token), conn);
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, b) =>
                {
                    if (b is null) return;
                    await b.YieldAsync();
                }, backend);
                await backend.TimeoutAfterAsync(TimeSpan.FromSeconds(5), static async (s, b) => await b.SleepAsync(TimeSpan.FromSeconds(1)), backend);
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, c) =>
                {
                    await using (c)
                    {
                    }
                }, conn);
            }
        }
        """);

    [Fact]
    public Task Non_async_body_returning_a_calls_awaitable() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static (s, c) => c.SendAsync(s.Token), conn);
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static (s, c) =>
                {
                    if (c is null) return default;
                    return c.SendAsync(s.Token);
                }, conn);
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static (s, f) => f(), (Func<ValueTask>)(() => default));
            }
        }
        """);

    [Fact]
    public Task Await_foreach_in_the_body() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, c) =>
                {
                    await foreach (int item in c.ReadAllAsync())
                    {
                    }
                }, conn);
            }
        }
        """);

    [Fact]
    public Task Yield_return_in_an_inline_scope() => Verify("""
        sealed class C
        {
            static async IAsyncEnumerable<int> M(IAsyncBackend backend)
            {
                using var scope = backend.EnterCancelScope();
                yield return 1;
            }

            static IEnumerable<int> Sync(IAsyncBackend backend)
            {
                using (backend.EnterCancelScope())
                {
                    yield return 1;
                }
            }
        }
        """);

    [Fact]
    public Task Inline_scopes_with_a_checkpoint_and_inline_shields() => Verify("""
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend, Conn conn)
            {
                using (backend.EnterCancelScope())
                {
                    await conn.SendAsync();
                }

                using (var shield = backend.EnterCancelScope(new CancelScopeOptions { Shield = true }))
                {
                    s_count++;
                }

                using var scope = backend.EnterCancelScope();
                await conn.SendAsync(scope.Token);
            }
        }
        """);

    [Fact]
    public Task Nested_scope_or_task_group_with_a_checkpoint() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, b) =>
                {
                    await b.MoveOnAfterAsync(TimeSpan.FromSeconds(1), static async (inner, bb) => await bb.YieldAsync(), b);
                }, backend);
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static (s, b) =>
                    b.MoveOnAfterAsync(TimeSpan.FromSeconds(1), static (inner, bb) => bb.YieldAsync(), b), backend);
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, b) =>
                {
                    await b.RunTaskGroupAsync(static (tg, bb) =>
                    {
                        tg.StartSoon(static x => x.YieldAsync(), bb);
                        return default;
                    }, b);
                }, backend);
            }
        }
        """);

    [Fact]
    public Task Method_group_and_delegate_variable_bodies_are_opaque() => Verify("""
        sealed class C
        {
            static ValueTask Body(CancelScope scope, int n) => default;

            static async Task M(IAsyncBackend backend, Func<CancelScope, int, ValueTask> body)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), Body, 0);
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), body, 0);
            }
        }
        """);

    // ------------------------------------------------------------------ modes

    private static readonly Dictionary<string, string> NotAllPaths = new() { ["en_analyzers.en0012.mode"] = "not_all_paths" };

    private static readonly Dictionary<string, string> Observing = new() { ["en_analyzers.checkpoints"] = "observing" };

    private const string ConditionalCheckpoints = """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, bool flag)
            {
                await MARK0backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, c) =>
                {
                    if (c.Flag)
                    {
                        await c.Conn.SendAsync(s.Token);
                    }
                }, (Conn: conn, Flag: flag))END;
                await MARK0backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, c) =>
                {
                    if (c is null) return;
                    await c.SendAsync(s.Token);
                }, conn)END;
                await MARK0backend.TimeoutAfterAsync(TimeSpan.FromSeconds(5), static async (s, c) =>
                {
                    while (c.Flag)
                    {
                        await c.Conn.SendAsync(s.Token);
                    }
                }, (Conn: conn, Flag: flag))END;
                using (MARK0backend.EnterCancelScope()END)
                {
                    while (flag)
                    {
                        await conn.SendAsync();
                    }
                }

                MARK0using var scope = backend.EnterCancelScope();END
                if (flag)
                {
                    await conn.SendAsync(scope.Token);
                }
            }
        }
        """;

    [Fact]
    public async Task Conditional_only_checkpoints_are_flagged_under_not_all_paths()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify(ConditionalCheckpoints.Replace("MARK0", "[|", System.StringComparison.Ordinal).Replace("END", "|]", System.StringComparison.Ordinal), NotAllPaths);
        diagnostics = diagnostics.Sort(static (a, b) => a.Location.SourceSpan.Start.CompareTo(b.Location.SourceSpan.Start));
        Assert.Equal(5, diagnostics.Length);
        Assert.All(diagnostics, static d => Assert.Equal("true", d.Properties[ScopeCheckpointAnalyzer.ConditionalProperty]));
        Assert.Equal("The cancel scope 'MoveOnAfterAsync' has a path without a checkpoint, so the work inside it cannot always be cancelled", Message(diagnostics[0]));
        Assert.Equal("The cancel scope 'TimeoutAfterAsync' has a path without a checkpoint, so the work inside it may never time out", Message(diagnostics[2]));
    }

    [Fact]
    public Task Conditional_only_checkpoints_auto_variants()
        => UsageVerifier.VerifyWithVariantsAsync<ScopeCheckpointAnalyzer>(ConditionalCheckpoints.Replace("MARK0", "[|", System.StringComparison.Ordinal).Replace("END", "|]", System.StringComparison.Ordinal), Id, NotAllPaths);

    [Fact]
    public Task Conditional_only_checkpoints_are_not_flagged_by_default()
        => Verify(ConditionalCheckpoints.Replace("MARK0", string.Empty, System.StringComparison.Ordinal).Replace("END", string.Empty, System.StringComparison.Ordinal));

    [Fact]
    public Task Not_all_paths_finds_inline_scopes_in_lambdas_and_local_functions() => Verify("""
        sealed class C
        {
            static void M(IAsyncBackend backend, Conn conn, bool flag)
            {
                Func<Task> later = async () =>
                {
                    [|using var scope = backend.EnterCancelScope();|]
                    if (flag)
                    {
                        await conn.SendAsync(scope.Token);
                    }
                };

                async Task LocalAsync()
                {
                    using ([|backend.EnterCancelScope()|])
                    {
                        if (flag) return;
                        await conn.SendAsync();
                    }
                }
            }
        }
        """, NotAllPaths);

    [Fact]
    public async Task Not_all_paths_keeps_the_no_checkpoint_diagnostics_and_their_message()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify(DefaultBody, NotAllPaths);
        Assert.Equal("The cancel scope 'MoveOnAfterAsync' contains no checkpoint, so the work inside it cannot be cancelled", Message(diagnostics.Single()));
        Assert.False(diagnostics.Single().Properties.ContainsKey(ScopeCheckpointAnalyzer.ConditionalProperty));
    }

    [Fact]
    public Task Not_all_paths_accepts_a_checkpoint_on_every_path() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, bool flag)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, c) =>
                {
                    if (c.Flag)
                    {
                        await c.Conn.SendAsync(s.Token);
                    }
                    else
                    {
                        await c.Conn.SayGoodbyeAsync(s.Token);
                    }
                }, (Conn: conn, Flag: flag));
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, c) =>
                {
                    if (c is null) throw new ArgumentNullException(nameof(c));
                    await c.SendAsync(s.Token);
                }, conn);
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static (s, c) => c.SendAsync(s.Token), conn);
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, c) =>
                {
                    try
                    {
                        if (c is null) return;
                    }
                    finally
                    {
                        await c!.SayGoodbyeAsync(s.Token);
                    }
                }, conn);
                using (backend.EnterCancelScope())
                {
                    await conn.SendAsync();
                    if (flag) return;
                }

                using var scope = backend.EnterCancelScope();
                do
                {
                    await conn.SendAsync(scope.Token);
                }
                while (flag);
            }
        }
        """, NotAllPaths);

    [Fact]
    public Task Observing_mode_counts_only_awaits_that_observe_the_scope() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                await [|backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, c) => await c.SendAsync(), conn)|];
                await [|backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, c) =>
                {
                    await c.FlushAsync();
                    await using (c)
                    {
                    }

                    await foreach (int item in c.ReadAllAsync())
                    {
                    }
                }, conn)|];
                await [|backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static (s, c) => c.SendAsync(), conn)|];
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, c) => await c.SendAsync(s.Token), conn);
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static (s, c) => c.SendAsync(s.Token), conn);
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, b) => await b.YieldAsync(), backend);
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, b) => await b.SleepAsync(TimeSpan.FromSeconds(1)), backend);
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, x) => await x.Conn.SendAsync(x.Backend.CurrentCancellationToken), (Conn: conn, Backend: backend));
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, c) =>
                {
                    await foreach (int item in c.ReadAllAsync().WithCancellation(s.Token))
                    {
                    }
                }, conn);
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (s, c) =>
                {
                    await c.FlushAsync().WaitAsync(s.Token);
                }, conn);

                using (backend.EnterCancelScope())
                {
                    await conn.SendAsync(backend.CurrentCancellationToken);
                }

                [|using var scope = backend.EnterCancelScope();|]
                await conn.SendAsync();
            }
        }
        """, Observing);

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
                public sealed class CancelScope
                {
                }

                public interface IAsyncBackend
                {
                    ValueTask<CancelScope> MoveOnAfterAsync<TState>(TimeSpan delay, Func<CancelScope, TState, ValueTask> body, TState state, CancellationToken cancellationToken = default);
                }
            }
            """;
        (string source, _) = Markup.Parse(DefaultBody, Id);
        ImmutableArray<Diagnostic> diagnostics = await UsageVerifier.RunAsync<ScopeCheckpointAnalyzer>(source, StandIn, TestReferences.Framework);
        Assert.Empty(diagnostics);
    }
}
