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

/// <summary>EN0006: a non-async function returns a task created inside an inline scope, and its fix (ANALYZERS §3.1, §6.6).</summary>
public sealed class ScopeOutlivedByTaskTests
{
    private const string Id = DiagnosticIds.ScopeEndsBeforeTask;

    private static Task<ImmutableArray<Diagnostic>> Verify(string markup) => UsageVerifier.VerifyAsync<ScopeOutlivedByTaskAnalyzer>(markup, Id);

    private static Task Fix(string before, string after)
        => CodeFixVerifier<ScopeOutlivedByTaskAnalyzer, EN0006AwaitInScopeCodeFix>.VerifyAsync(before, after, EN0006AwaitInScopeCodeFix.EquivalenceKey);

    private const string BlockBodied = """
        sealed class C
        {
            static ValueTask M(IAsyncBackend backend, Conn conn)
            {
                using var scope = backend.EnterCancelScope();
                return [|conn.SendAsync(scope.Token)|];
            }
        }
        """;

    [Fact]
    public async Task Block_bodied_return()
    {
        Diagnostic diagnostic = (await Verify(BlockBodied)).Single();
        Assert.Equal(
            "This task is created inside the inline scope entered by 'EnterCancelScope', which exits when the function returns, before the task completes",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(DiagnosticCategories.Scoping, diagnostic.Descriptor.Category);
    }

    [Fact]
    public Task Block_bodied_return_auto_variants() => UsageVerifier.VerifyWithVariantsAsync<ScopeOutlivedByTaskAnalyzer>(BlockBodied, Id);

    [Fact]
    public Task Lambda_local_function_using_statement_and_a_local_created_inside() => Verify("""
        sealed class C
        {
            static void M(IAsyncBackend backend, Conn conn, bool flush)
            {
                Func<Task> lambda = () =>
                {
                    using (backend.EnterCancelScope())
                    {
                        return [|conn.FlushAsync()|];
                    }
                };

                ValueTask Local()
                {
                    using var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                    ValueTask sending = conn.SendAsync(scope.Token);
                    return [|sending|];
                }

                Task Conditional()
                {
                    using var scope = backend.EnterCancelScope();
                    return [|flush ? conn.FlushAsync() : Task.Delay(1, scope.Token)|];
                }
            }
        }
        """);

    [Fact]
    public Task Not_flagged_async_delegate_form_created_before_completed_or_outside() => Verify("""
        sealed class C
        {
            static async ValueTask Async(IAsyncBackend backend, Conn conn)
            {
                using var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                await conn.SendAsync(scope.Token);
            }

            static ValueTask<CancelScope> Delegate(IAsyncBackend backend, Conn conn)
                => backend.MoveOnAfterAsync(TimeSpan.FromSeconds(1), static (scope, c) => c.SendAsync(scope.Token), conn);

            static ValueTask Before(IAsyncBackend backend, Conn conn)
            {
                ValueTask sending = conn.SendAsync(backend.CurrentCancellationToken);
                using var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                return sending;
            }

            static Task Completed(IAsyncBackend backend, bool done)
            {
                using (backend.EnterCancelScope(new CancelScopeOptions { Shield = true }))
                {
                    if (done)
                    {
                        return Task.CompletedTask;
                    }
                }

                return Task.Delay(1);
            }

            static Task<int> Later(IAsyncBackend backend)
            {
                using var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                Func<Task<int>> later = () => Task.FromResult(1);
                return Task.FromResult(2);
            }
        }
        """);

    [Fact]
    public Task Fix_ValueTask_and_Task() => Fix(
        """
        sealed class C
        {
            static ValueTask M(IAsyncBackend backend, Conn conn, bool skip)
            {
                using var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                if (skip)
                    return default;
                return conn.SendAsync(scope.Token);
            }

            static Task N(IAsyncBackend backend, Conn conn, bool skip)
            {
                using var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                if (skip)
                    return conn.FlushAsync();
                return Task.CompletedTask;
            }
        }
        """,
        """
        sealed class C
        {
            static async ValueTask M(IAsyncBackend backend, Conn conn, bool skip)
            {
                using var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                if (skip)
                    return;
                await conn.SendAsync(scope.Token);
            }

            static async Task N(IAsyncBackend backend, Conn conn, bool skip)
            {
                using var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                if (skip)
                {
                    await conn.FlushAsync();
                    return;
                }
                return;
            }
        }
        """);

    [Fact]
    public Task Fix_generic_tasks_with_an_owning_catch() => Fix(
        """
        sealed class C
        {
            static Task<int> CountAsync(CancellationToken cancellationToken) => Task.FromResult(1);

            static ValueTask<int> ReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(1);

            static Task<int> M(IAsyncBackend backend)
            {
                using var scope = backend.EnterCancelScope();
                try
                {
                    return CountAsync(scope.Token);
                }
                catch (OperationCanceledException e) when (scope.Owns(e))
                {
                    return Task.FromResult(0);
                }
            }

            static ValueTask<int> N(IAsyncBackend backend, bool empty)
            {
                using var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                return empty ? default : ReadAsync(scope.Token);
            }
        }
        """,
        """
        sealed class C
        {
            static Task<int> CountAsync(CancellationToken cancellationToken) => Task.FromResult(1);

            static ValueTask<int> ReadAsync(CancellationToken cancellationToken) => ValueTask.FromResult(1);

            static async Task<int> M(IAsyncBackend backend)
            {
                using var scope = backend.EnterCancelScope();
                try
                {
                    return await CountAsync(scope.Token);
                }
                catch (OperationCanceledException e) when (scope.Owns(e))
                {
                    return await Task.FromResult(0);
                }
            }

            static async ValueTask<int> N(IAsyncBackend backend, bool empty)
            {
                using var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                return await (empty ? default : ReadAsync(scope.Token));
            }
        }
        """);

    [Fact]
    public Task Fix_all_over_a_method_and_a_lambda() => CodeFixVerifier<ScopeOutlivedByTaskAnalyzer, EN0006AwaitInScopeCodeFix>.VerifyFixAllAsync(
        """
        sealed class C
        {
            static ValueTask M(IAsyncBackend backend, Conn conn)
            {
                using var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                return conn.SendAsync(scope.Token);
            }

            static Func<Task> N(IAsyncBackend backend, Conn conn) => () =>
            {
                using (backend.EnterCancelScope(new CancelScopeOptions { Shield = true }))
                {
                    return conn.FlushAsync();
                }
            };
        }
        """,
        """
        sealed class C
        {
            static async ValueTask M(IAsyncBackend backend, Conn conn)
            {
                using var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                await conn.SendAsync(scope.Token);
            }

            static Func<Task> N(IAsyncBackend backend, Conn conn) => async () =>
            {
                using (backend.EnterCancelScope(new CancelScopeOptions { Shield = true }))
                {
                    await conn.FlushAsync();
                }
            };
        }
        """,
        EN0006AwaitInScopeCodeFix.EquivalenceKey);

    [Fact]
    public async Task No_fix_when_the_scope_cancellation_would_be_unclaimed() => Assert.Empty(
        await CodeFixVerifier<ScopeOutlivedByTaskAnalyzer, EN0006AwaitInScopeCodeFix>.GetActionsForSingleDiagnosticAsync(Markup.Parse(BlockBodied, Id).Source));
}
