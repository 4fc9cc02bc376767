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

/// <summary>EN0010: awaits in a rethrowing catch that cannot catch cancellation, and the shield fix it shares with EN0001 (ANALYZERS §3.1, §6.6).</summary>
public sealed class RethrowingCatchAwaitTests
{
    private const string Id = DiagnosticIds.AwaitInRethrowingCatch;

    private static Task<ImmutableArray<Diagnostic>> Verify(string markup) => UsageVerifier.VerifyAsync<RethrowingCatchAwaitAnalyzer>(markup, Id);

    private const string LogThenRethrow = """
        sealed class C
        {
            static async Task M(Conn conn)
            {
                try { await conn.SendAsync(); }
                catch (IOException e)
                {
                    [|await Log.WriteAsync(e)|];
                    throw;
                }
            }
        }

        static class Log
        {
            public static Task WriteAsync(Exception e) => Task.CompletedTask;
        }
        """;

    [Fact]
    public async Task Log_then_rethrow()
    {
        Diagnostic diagnostic = (await Verify(LogThenRethrow)).Single();
        Assert.Equal("If this await is cancelled, OperationCanceledException replaces the IOException being handled", diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(DiagnosticSeverity.Info, diagnostic.Severity);
    }

    [Fact]
    public Task Log_then_rethrow_auto_variants() => UsageVerifier.VerifyWithVariantsAsync<RethrowingCatchAwaitAnalyzer>(LogThenRethrow, Id);

    [Fact]
    public Task Wrapping_throw_conditional_await_and_excluding_filter() => Verify("""
        sealed class C
        {
            static async Task M(Conn conn, bool verbose)
            {
                try { await conn.SendAsync(); }
                catch (IOException e)
                {
                    [|await conn.FlushAsync()|];
                    throw new InvalidOperationException("send failed", e);
                }

                try { await conn.SendAsync(); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    if (verbose)
                    {
                        [|await conn.FlushAsync()|];
                    }

                    throw;
                }
            }
        }
        """);

    [Fact]
    public Task Not_flagged_shielded_other_handler_no_rethrow_or_an_EN0001_site() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(); }
                catch (IOException e)
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), static (scope, c) => c.SendAsync(scope.Token), conn);
                    using (var shield = backend.EnterCancelScope(new CancelScopeOptions { Shield = true }))
                    {
                        await conn.SayGoodbyeAsync(shield.Token);
                    }

                    throw;
                }

                try { await conn.SendAsync(); }
                catch (IOException) { await conn.FlushAsync(); }
                catch (InvalidOperationException) { throw; }

                try { await conn.SendAsync(); }
                catch (Exception)
                {
                    await conn.FlushAsync();
                    throw;
                }

                try { await conn.SendAsync(); }
                catch (IOException)
                {
                    throw;
                    Func<Task> later = async () => await conn.FlushAsync();
                }
            }
        }
        """);

    [Fact]
    public Task Shield_fix() => CodeFixVerifier<RethrowingCatchAwaitAnalyzer, EN0001ShieldCleanupCodeFix>.VerifyAsync(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                catch (IOException)
                {
                    await conn.SayGoodbyeAsync(backend.CurrentCancellationToken);
                    throw;
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
                catch (IOException)
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), static (scope, state) => state.SayGoodbyeAsync(scope.Token), conn);
                    throw;
                }
            }
        }
        """,
        EN0001ShieldCleanupCodeFix.EquivalenceKey);

    [Fact]
    public Task Shield_fix_moves_the_run_of_adjacent_statements_into_one_shield() => CodeFixVerifier<RethrowingCatchAwaitAnalyzer, EN0001ShieldCleanupCodeFix>.VerifyAsync(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                catch (IOException e)
                {
                    await conn.SayGoodbyeAsync();
                    await Log.WriteAsync(e);
                    throw;
                }
            }
        }

        static class Log
        {
            public static Task WriteAsync(Exception e) => Task.CompletedTask;
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                catch (IOException e)
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), async (scope, _) =>
                    {
                        await conn.SayGoodbyeAsync(scope.Token);
                        await Log.WriteAsync(e);
                    }, default(object));
                    throw;
                }
            }
        }

        static class Log
        {
            public static Task WriteAsync(Exception e) => Task.CompletedTask;
        }
        """,
        EN0001ShieldCleanupCodeFix.EquivalenceKey);

    [Fact]
    public Task Shield_fix_all_wraps_each_handler_run_once() => CodeFixVerifier<RethrowingCatchAwaitAnalyzer, EN0001ShieldCleanupCodeFix>.VerifyFixAllAsync(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                catch (IOException)
                {
                    await conn.SayGoodbyeAsync();
                    await conn.FlushAsync();
                    throw;
                }
                catch (InvalidOperationException e)
                {
                    await Log.WriteAsync(e);
                    throw;
                }
            }
        }

        static class Log
        {
            public static Task WriteAsync(Exception e) => Task.CompletedTask;
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                try { await conn.SendAsync(backend.CurrentCancellationToken); }
                catch (IOException)
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), static async (scope, state) =>
                    {
                        await state.SayGoodbyeAsync(scope.Token);
                        await state.FlushAsync();
                    }, conn);
                    throw;
                }
                catch (InvalidOperationException e)
                {
                    await backend.ShieldAsync(TimeSpan.FromSeconds(5), static async (scope, state) => { await Log.WriteAsync(state); }, e);
                    throw;
                }
            }
        }

        static class Log
        {
            public static Task WriteAsync(Exception e) => Task.CompletedTask;
        }
        """,
        EN0001ShieldCleanupCodeFix.EquivalenceKey);
}
