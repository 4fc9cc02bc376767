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

/// <summary>EN0004: a yield return inside an inline scope's lifetime (ANALYZERS §3.1, §6.6).</summary>
public sealed class ScopeSpansYieldTests
{
    private const string Id = DiagnosticIds.ScopeSpansYield;

    private static Task<ImmutableArray<Diagnostic>> Verify(string markup) => UsageVerifier.VerifyAsync<ScopeSpansYieldAnalyzer>(markup, Id);

    private const string AsyncIterator = """
        sealed class C
        {
            static async IAsyncEnumerable<int> M(IAsyncBackend backend, Conn conn)
            {
                using var scope = backend.EnterCancelScope(new CancelScopeOptions { RelativeDeadline = TimeSpan.FromSeconds(5) });
                await conn.SendAsync(scope.Token);
                [|yield return 1;|]
            }
        }
        """;

    [Fact]
    public async Task Using_var_then_yield_in_an_async_iterator()
    {
        Diagnostic diagnostic = (await Verify(AsyncIterator)).Single();
        Assert.Equal(
            "This yield return suspends the iterator inside the inline scope entered by 'EnterCancelScope', which stays on the consumer's stack until the iterator resumes",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
    }

    [Fact]
    public Task Using_var_then_yield_auto_variants() => UsageVerifier.VerifyWithVariantsAsync<ScopeSpansYieldAnalyzer>(AsyncIterator, Id);

    [Fact]
    public Task Using_statement_inline_group_sync_iterator_and_nested_block() => Verify("""
        static class Groups
        {
            [TaskGroupFactory]
            public static IAsyncDisposable OpenGroup(this IAsyncBackend backend) => throw new NotSupportedException();
        }

        sealed class C
        {
            static IEnumerable<int> Sync(IAsyncBackend backend, bool flag)
            {
                using (backend.EnterCancelScope())
                {
                    [|yield return 1;|]
                    if (flag)
                    {
                        [|yield return 2;|]
                    }
                }
            }

            static async IAsyncEnumerable<int> Group(IAsyncBackend backend)
            {
                await using var group = backend.OpenGroup();
                for (int i = 0; i < 3; i++)
                {
                    [|yield return i;|]
                }
            }
        }
        """);

    [Fact]
    public Task Not_flagged_closed_scope_delegate_form_and_an_iterator_local_function() => Verify("""
        sealed class C
        {
            static async IAsyncEnumerable<int> Closed(IAsyncBackend backend, Conn conn)
            {
                using (var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true }))
                {
                    await conn.SendAsync(scope.Token);
                }

                yield return 1;
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(1), static (s, c) => c.SendAsync(s.Token), conn);
                yield return 2;
            }

            static IEnumerable<int> Local(IAsyncBackend backend)
            {
                using var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                return Items();

                static IEnumerable<int> Items()
                {
                    yield return 1;
                }
            }
        }
        """);
}
