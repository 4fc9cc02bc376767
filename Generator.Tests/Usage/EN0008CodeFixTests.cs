using System.Threading.Tasks;
using EasyNetwork.Generator.Analyzers.Usage;
using EasyNetwork.Generator.CodeFixes;
using EasyNetwork.Generator.Tests.Harness;
using Xunit;

namespace EasyNetwork.Generator.Tests.Usage;

/// <summary>EN0008's fix "Add await", offered in async functions only and where the await adds no other diagnostic (ANALYZERS §3.1, §6.4).</summary>
public sealed class EN0008CodeFixTests
{
    private static Task Fix(string before, string after)
        => CodeFixVerifier<FireAndForgetAnalyzer, EN0008AddAwaitCodeFix>.VerifyAsync(before, after, EN0008AddAwaitCodeFix.EquivalenceKey);

    private static async Task NoAction(string source)
        => Assert.Empty(await CodeFixVerifier<FireAndForgetAnalyzer, EN0008AddAwaitCodeFix>.GetActionsForAllDiagnosticsAsync(source));

    [Fact]
    public Task Expression_statement_is_awaited() => Fix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                backend.YieldAsync(); // keep going
                await conn.SendAsync(backend.CurrentCancellationToken);
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                await backend.YieldAsync(); // keep going
                await conn.SendAsync(backend.CurrentCancellationToken);
            }
        }
        """);

    [Fact]
    public Task Discard_becomes_an_await_in_an_async_lambda() => Fix(
        """
        sealed class C
        {
            static ValueTask M(IAsyncBackend backend, Conn conn) => backend.RunTaskGroupAsync(async (tg, state) =>
            {
                _ = conn.FlushAsync().ConfigureAwait(false);
                _ = Task.Run(() => { }, backend.CurrentCancellationToken);
            }, 0);
        }
        """,
        """
        sealed class C
        {
            static ValueTask M(IAsyncBackend backend, Conn conn) => backend.RunTaskGroupAsync(async (tg, state) =>
            {
                await conn.FlushAsync().ConfigureAwait(false);
                await Task.Run(() => { }, backend.CurrentCancellationToken);
            }, 0);
        }
        """);

    [Fact]
    public Task Fix_all_in_a_document() => CodeFixVerifier<FireAndForgetAnalyzer, EN0008AddAwaitCodeFix>.VerifyFixAllAsync(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                backend.YieldAsync();
                _ = conn.FlushAsync();
                conn.SendAsync(backend.CurrentCancellationToken);
            }

            static async ValueTask N(IAsyncBackend backend) => backend.YieldAsync();
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                await backend.YieldAsync();
                await conn.FlushAsync();
                await conn.SendAsync(backend.CurrentCancellationToken);
            }

            static async ValueTask N(IAsyncBackend backend) => await backend.YieldAsync();
        }
        """,
        EN0008AddAwaitCodeFix.EquivalenceKey);

    [Fact]
    public Task No_action_in_a_sync_method() => NoAction("""
        sealed class C
        {
            static void M(IAsyncBackend backend) => backend.YieldAsync();
        }
        """);

    [Fact]
    public Task No_action_where_the_await_would_add_another_diagnostic() => NoAction("""
        sealed class C
        {
            private Task _pending = Task.CompletedTask;

            async Task M(IAsyncBackend backend, Conn conn)
            {
                conn.SendAsync();
                Task.Run(() => { });
                _pending = conn.FlushAsync();
                try
                {
                    await backend.YieldAsync();
                }
                catch (Exception)
                {
                    conn.FlushAsync();
                    throw;
                }
                finally
                {
                    conn.FlushAsync();
                }

                try
                {
                    conn.FlushAsync();
                }
                catch (OperationCanceledException)
                {
                }

                lock (this)
                {
                    conn.FlushAsync();
                }

                using (backend.EnterCancelScope(new CancelScopeOptions { RelativeDeadline = TimeSpan.FromSeconds(1) }))
                {
                    conn.FlushAsync();
                }
            }
        }
        """);

    [Fact]
    public Task No_action_for_a_token_from_outside_the_scope() => NoAction("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, CancellationToken token)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(1), async (scope, state) =>
                {
                    conn.SendAsync(token);
                    await backend.YieldAsync();
                }, 0);
            }
        }
        """);
}
