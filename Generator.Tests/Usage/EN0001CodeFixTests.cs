using System.Collections.Generic;
using System.Threading.Tasks;
using EasyNetwork.Generator.Analyzers.Usage;
using EasyNetwork.Generator.CodeFixes;
using EasyNetwork.Generator.Tests.Harness;
using Xunit;

namespace EasyNetwork.Generator.Tests.Usage;

/// <summary>EN0001's fixes "Shield with a cleanup deadline" and "Shield without a deadline", and their Fix All (ANALYZERS §3.1, §6.4, §6.6).</summary>
public sealed class EN0001CodeFixTests
{
    [Fact]
    public Task One_statement_becomes_a_static_shield_with_the_variable_as_state() => VerifyFix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(); }
                finally
                {
                    await conn.SayGoodbyeAsync(backend.CurrentCancellationToken);
                }
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(); }
                finally
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), static (scope, state) => state.SayGoodbyeAsync(scope.Token), conn);
                }
            }
        }
        """);

    [Fact]
    public Task Outer_token_is_replaced_and_a_task_is_awaited_in_an_async_body() => VerifyFix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, CancellationToken cancellationToken)
            {
                try { await conn.SendAsync(cancellationToken); }
                catch (Exception e)
                {
                    await Log.WriteAsync(e, cancellationToken);
                    throw;
                }
            }
        }

        static class Log
        {
            public static Task WriteAsync(Exception e, CancellationToken cancellationToken) => Task.CompletedTask;
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, CancellationToken cancellationToken)
            {
                try { await conn.SendAsync(cancellationToken); }
                catch (Exception e)
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(10), static async (scope, state) => { await Log.WriteAsync(state, scope.Token); }, e);
                    throw;
                }
            }
        }

        static class Log
        {
            public static Task WriteAsync(Exception e, CancellationToken cancellationToken) => Task.CompletedTask;
        }
        """,
        cleanupTimeout: 10);

    [Fact]
    public Task Omitted_optional_token_is_given_the_shield_token() => VerifyFix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                finally
                {
                    await conn.SayGoodbyeAsync();
                }
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                finally
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), static (scope, state) => state.SayGoodbyeAsync(scope.Token), conn);
                }
            }
        }
        """);

    [Fact]
    public Task Omitted_token_after_omitted_optional_parameters_is_named() => VerifyFix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                finally
                {
                    await Log.WriteAsync(conn);
                }
            }
        }

        static class Log
        {
            public static Task WriteAsync(Conn conn, int level = 0, CancellationToken cancellationToken = default) => Task.CompletedTask;
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                finally
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), static async (scope, state) => { await Log.WriteAsync(state, cancellationToken: scope.Token); }, conn);
                }
            }
        }

        static class Log
        {
            public static Task WriteAsync(Conn conn, int level = 0, CancellationToken cancellationToken = default) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task Token_overload_is_given_the_shield_token() => VerifyFix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Closer closer)
            {
                try { await closer.CloseAsync(backend.CurrentCancellationToken); }
                finally
                {
                    await closer.CloseAsync();
                }
            }
        }

        sealed class Closer
        {
            public Task CloseAsync() => Task.CompletedTask;
            public Task CloseAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Closer closer)
            {
                try { await closer.CloseAsync(backend.CurrentCancellationToken); }
                finally
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), static async (scope, state) => { await state.CloseAsync(scope.Token); }, closer);
                }
            }
        }

        sealed class Closer
        {
            public Task CloseAsync() => Task.CompletedTask;
            public Task CloseAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        }
        """);

    [Theory]
    [InlineData("CancellationToken.None")]
    [InlineData("default")]
    [InlineData("default(CancellationToken)")]
    public Task Opted_out_token_is_replaced_by_the_shield_token(string token) => VerifyFix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                finally
                {
                    await conn.SayGoodbyeAsync(TOKEN);
                }
            }
        }
        """.Replace("TOKEN", token, System.StringComparison.Ordinal),
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                finally
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), static (scope, state) => state.SayGoodbyeAsync(scope.Token), conn);
                }
            }
        }
        """);

    [Fact]
    public Task Outer_local_token_is_replaced() => VerifyFix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                CancellationToken token = backend.CurrentCancellationToken;
                try { await conn.SendAsync(token); }
                finally
                {
                    await conn.SayGoodbyeAsync(token);
                }
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                CancellationToken token = backend.CurrentCancellationToken;
                try { await conn.SendAsync(token); }
                finally
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), static (scope, state) => state.SayGoodbyeAsync(scope.Token), conn);
                }
            }
        }
        """);

    [Theory]
    [InlineData("static async Task M(Conn conn) { try { await conn.SendAsync(); } finally { await conn.SayGoodbyeAsync(); } }")]
    [InlineData("async Task M(IAsyncBackend backend) { try { await _conn.SendAsync(); } finally { await _conn.SayGoodbyeAsync(); } }")]
    [InlineData("static async Task M(IAsyncBackend backend, Conn conn) { try { await conn.SendAsync(); } finally { var x = Wrap(await conn.FlushAsync2()); } }")]
    [InlineData("static async Task M(IAsyncBackend backend, Conn conn) { try { await conn.SendAsync(); } catch (Exception) { if (await Check(conn)) { return; } throw; } }")]
    [InlineData("static async Task M(IAsyncBackend backend, Conn conn, Conn other) { int n = 0; try { await conn.SendAsync(); } finally { await Count(conn, other, n = 1); } Console.WriteLine(n); }")]
    [InlineData("static async Task M(IAsyncBackend backend, Conn conn, int[] values) { try { await conn.SendAsync(); } finally { ref int first = ref values[0]; await Count(conn, conn, first); } }")]
    [InlineData("static async Task M(IAsyncBackend backend, Conn conn) { try { await conn.SendAsync(); } finally { await Parse(\"1\", out int n); Console.WriteLine(n); } }")]
    public async Task No_action_without_a_receiver_or_when_the_moved_code_cannot_leave_the_method(string method)
    {
        string source = "sealed class C\n{\n    private readonly Conn _conn = new();\n    static int Wrap(int value) => value;\n    static Task<bool> Check(Conn conn) => Task.FromResult(true);\n"
            + "    static ValueTask Count(Conn a, Conn b, int count) => default;\n    static Task Parse(string text, out int value) { value = 1; return Task.CompletedTask; }\n    " + method + "\n}\n";
        source = source.Replace("conn.FlushAsync2()", "Task.Run(() => 1)", System.StringComparison.Ordinal);
        Assert.Empty(await CodeFixVerifier<UnshieldedCleanupAnalyzer, EN0001ShieldCleanupCodeFix>.GetActionsForSingleDiagnosticAsync(source));
    }

    [Fact]
    public Task Two_adjacent_statements_become_one_shield() => VerifyFix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(); }
                finally
                {
                    Console.WriteLine("closing");
                    await conn.SayGoodbyeAsync(backend.CurrentCancellationToken);
                    await conn.FlushAsync();
                    Console.WriteLine("closed");
                }
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(); }
                finally
                {
                    Console.WriteLine("closing");
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), static async (scope, state) =>
                    {
                        await state.SayGoodbyeAsync(scope.Token);
                        await state.FlushAsync();
                    }, conn);
                    Console.WriteLine("closed");
                }
            }
        }
        """);

    [Fact]
    public async Task The_single_fix_moves_the_whole_run_whichever_await_it_is_invoked_on()
    {
        const string Source = "sealed class C\n{\n    static async Task M(IAsyncBackend backend, Conn conn)\n    {\n        try { await conn.SendAsync(); }\n"
            + "        finally\n        {\n            await conn.SayGoodbyeAsync();\n            await conn.FlushAsync();\n            await conn.FlushAsync();\n        }\n    }\n}\n";
        List<string> fixedTexts = await CodeFixVerifier<UnshieldedCleanupAnalyzer, EN0001ShieldCleanupCodeFix>.ApplyToEachDiagnosticAsync(Source, EN0001ShieldCleanupCodeFix.EquivalenceKey);
        Assert.Equal(3, fixedTexts.Count);
        Assert.All(fixedTexts, text => Assert.Equal(fixedTexts[0], text));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(fixedTexts[0], "ShieldAsync"));
    }

    [Fact]
    public async Task A_statement_the_fix_cannot_move_ends_the_run()
    {
        const string Before = """
            sealed class C
            {
                static async Task M(IAsyncBackend backend, Conn conn)
                {
                    try { await conn.SendAsync(); }
                    finally
                    {
                        await conn.SayGoodbyeAsync();
                        await conn.FlushAsync();
                        var sent = Wrap(await Count(conn));
                        await conn.FlushAsync();
                    }
                }

                static int Wrap(int value) => value;

                static Task<int> Count(Conn conn) => Task.FromResult(1);
            }
            """;
        const string FirstRun = """
            sealed class C
            {
                static async Task M(IAsyncBackend backend, Conn conn)
                {
                    try { await conn.SendAsync(); }
                    finally
                    {
                        await backend.ShieldAsync(TimeSpan.FromSeconds(5), static async (scope, state) =>
                        {
                            await state.SayGoodbyeAsync(scope.Token);
                            await state.FlushAsync();
                        }, conn);
                        var sent = Wrap(await Count(conn));
                        await conn.FlushAsync();
                    }
                }

                static int Wrap(int value) => value;

                static Task<int> Count(Conn conn) => Task.FromResult(1);
            }
            """;
        const string LastStatement = """
            sealed class C
            {
                static async Task M(IAsyncBackend backend, Conn conn)
                {
                    try { await conn.SendAsync(); }
                    finally
                    {
                        await conn.SayGoodbyeAsync();
                        await conn.FlushAsync();
                        var sent = Wrap(await Count(conn));
                        await backend.ShieldAsync(TimeSpan.FromSeconds(5), static async (scope, state) => { await state.FlushAsync(); }, conn);
                    }
                }

                static int Wrap(int value) => value;

                static Task<int> Count(Conn conn) => Task.FromResult(1);
            }
            """;

        // Four diagnostics; the await inside 'Wrap(...)' has no action.
        List<string> fixedTexts = await CodeFixVerifier<UnshieldedCleanupAnalyzer, EN0001ShieldCleanupCodeFix>.ApplyToEachDiagnosticAsync(Before, EN0001ShieldCleanupCodeFix.EquivalenceKey);
        Assert.Equal([FirstRun, FirstRun, LastStatement], fixedTexts);
    }

    [Fact]
    public Task Two_outer_variables_become_a_closure() => VerifyFix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, Conn other)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                finally
                {
                    await Both(conn, other);
                }
            }

            static ValueTask Both(Conn a, Conn b) => default;
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, Conn other)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                finally
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), (scope, _) => Both(conn, other), default(object));
                }
            }

            static ValueTask Both(Conn a, Conn b) => default;
        }
        """);

    [Fact]
    public Task A_run_over_two_outer_variables_becomes_one_closure_with_the_outer_token_replaced() => VerifyFix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, CancellationToken cancellationToken)
            {
                var log = new List<string>();
                try { await conn.SendAsync(cancellationToken); }
                catch (Exception)
                {
                    await conn.SayGoodbyeAsync(cancellationToken);
                    await Log.WriteAsync(log, cancellationToken);
                    throw;
                }
            }
        }

        static class Log
        {
            public static Task WriteAsync(List<string> lines, CancellationToken cancellationToken) => Task.CompletedTask;
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, CancellationToken cancellationToken)
            {
                var log = new List<string>();
                try { await conn.SendAsync(cancellationToken); }
                catch (Exception)
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), async (scope, _) =>
                    {
                        await conn.SayGoodbyeAsync(scope.Token);
                        await Log.WriteAsync(log, scope.Token);
                    }, default(object));
                    throw;
                }
            }
        }

        static class Log
        {
            public static Task WriteAsync(List<string> lines, CancellationToken cancellationToken) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task A_write_not_read_later_moves_into_the_closure() => VerifyFix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, Conn other)
            {
                int n = 0;
                Console.WriteLine(n);
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                finally
                {
                    await Count(conn, other, n = 1);
                }
            }

            static ValueTask Count(Conn a, Conn b, int count) => default;
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, Conn other)
            {
                int n = 0;
                Console.WriteLine(n);
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                finally
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), (scope, _) => Count(conn, other, n = 1), default(object));
                }
            }

            static ValueTask Count(Conn a, Conn b, int count) => default;
        }
        """);

    [Fact]
    public Task Scope_parameter_avoids_an_outer_name() => VerifyFix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, Conn scope)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                finally
                {
                    await Both(conn, scope);
                }
            }

            static ValueTask Both(Conn a, Conn b) => default;
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, Conn scope)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                finally
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), (scope2, _) => Both(conn, scope), default(object));
                }
            }

            static ValueTask Both(Conn a, Conn b) => default;
        }
        """);

    [Fact]
    public Task Second_action_shields_without_a_deadline() => CodeFixVerifier<UnshieldedCleanupAnalyzer, EN0001ShieldCleanupCodeFix>.VerifyAsync(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(); }
                finally
                {
                    await conn.SayGoodbyeAsync(backend.CurrentCancellationToken);
                }
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(); }
                finally
                {
                    await backend.ShieldAsync(Timeout.InfiniteTimeSpan, static (scope, state) => state.SayGoodbyeAsync(scope.Token), conn);
                }
            }
        }
        """,
        EN0001ShieldCleanupCodeFix.NoDeadlineEquivalenceKey);

    [Theory]
    [InlineData(null, new[] { EN0001ShieldCleanupCodeFix.EquivalenceKey, EN0001ShieldCleanupCodeFix.NoDeadlineEquivalenceKey })]
    [InlineData("false", new[] { EN0001ShieldCleanupCodeFix.EquivalenceKey, EN0001ShieldCleanupCodeFix.NoDeadlineEquivalenceKey })]
    [InlineData("true", new[] { EN0001ShieldCleanupCodeFix.EquivalenceKey })]
    public async Task Shield_without_a_deadline_is_offered_only_when_a_shield_suffices(string? requireDeadline, string[] keys)
    {
        const string Source = "sealed class C\n{\n    static async Task M(IAsyncBackend backend, Conn conn) { try { await conn.SendAsync(); } finally { await conn.SayGoodbyeAsync(); } }\n}\n";
        List<Microsoft.CodeAnalysis.CodeActions.CodeAction> actions = await CodeFixVerifier<UnshieldedCleanupAnalyzer, EN0001ShieldCleanupCodeFix>.GetActionsForSingleDiagnosticAsync(
            Source,
            requireDeadline is null ? null : new Dictionary<string, string> { ["en_analyzers.en0001.require_deadline"] = requireDeadline });
        Assert.Equal(keys, actions.ConvertAll(static a => a.EquivalenceKey));
    }

    [Fact]
    public Task Fix_all_wraps_each_run_of_adjacent_statements_once_over_three_regions() => CodeFixVerifier<UnshieldedCleanupAnalyzer, EN0001ShieldCleanupCodeFix>.VerifyFixAllAsync(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                catch (Exception)
                {
                    await conn.SayGoodbyeAsync();
                    throw;
                }
                finally
                {
                    await conn.SayGoodbyeAsync();
                    await conn.FlushAsync();
                    Console.WriteLine("closed");
                    await conn.FlushAsync();
                }
            }

            static async Task N(IAsyncBackend backend, Conn conn, Conn other)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                finally
                {
                    await conn.SayGoodbyeAsync();
                    await other.SayGoodbyeAsync();
                }
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                catch (Exception)
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), static (scope, state) => state.SayGoodbyeAsync(scope.Token), conn);
                    throw;
                }
                finally
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), static async (scope, state) =>
                    {
                        await state.SayGoodbyeAsync(scope.Token);
                        await state.FlushAsync();
                    }, conn);
                    Console.WriteLine("closed");
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), static async (scope, state) => { await state.FlushAsync(); }, conn);
                }
            }

            static async Task N(IAsyncBackend backend, Conn conn, Conn other)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                finally
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), async (scope, _) =>
                    {
                        await conn.SayGoodbyeAsync(scope.Token);
                        await other.SayGoodbyeAsync(scope.Token);
                    }, default(object));
                }
            }
        }
        """,
        EN0001ShieldCleanupCodeFix.EquivalenceKey);

    [Fact]
    public Task Fix_all_without_a_deadline_wraps_nested_regions() => CodeFixVerifier<UnshieldedCleanupAnalyzer, EN0001ShieldCleanupCodeFix>.VerifyFixAllAsync(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                finally
                {
                    try { await conn.FlushAsync(); }
                    finally
                    {
                        await conn.SayGoodbyeAsync();
                    }

                    await conn.SayGoodbyeAsync();
                }
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                finally
                {
                    try { await backend.ShieldAsync(Timeout.InfiniteTimeSpan, static async (scope, state) => { await state.FlushAsync(); }, conn); }
                    finally
                    {
                        await backend.ShieldAsync(Timeout.InfiniteTimeSpan, static (scope, state) => state.SayGoodbyeAsync(scope.Token), conn);
                    }

                    await backend.ShieldAsync(Timeout.InfiniteTimeSpan, static (scope, state) => state.SayGoodbyeAsync(scope.Token), conn);
                }
            }
        }
        """,
        EN0001ShieldCleanupCodeFix.NoDeadlineEquivalenceKey);

    [Fact]
    public void Fix_all_covers_document_project_and_solution()
        => Assert.Equal(
            [Microsoft.CodeAnalysis.CodeFixes.FixAllScope.Document, Microsoft.CodeAnalysis.CodeFixes.FixAllScope.Project, Microsoft.CodeAnalysis.CodeFixes.FixAllScope.Solution],
            new EN0001ShieldCleanupCodeFix().GetFixAllProvider().GetSupportedFixAllScopes());

    private static Task VerifyFix(string before, string after, int? cleanupTimeout = null)
        => CodeFixVerifier<UnshieldedCleanupAnalyzer, EN0001ShieldCleanupCodeFix>.VerifyAsync(
            before,
            after,
            EN0001ShieldCleanupCodeFix.EquivalenceKey,
            cleanupTimeout is { } seconds ? new Dictionary<string, string> { ["en_analyzers.cleanup_timeout"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) } : null);
}
