using System.Threading.Tasks;
using EasyNetwork.Generator.Analyzers.Usage;
using EasyNetwork.Generator.CodeFixes;
using EasyNetwork.Generator.Tests.Harness;
using Xunit;

namespace EasyNetwork.Generator.Tests.Usage;

/// <summary>EN0005's fixes "Declare the scope with using" and "Claim the scope's own cancellation" (ANALYZERS §3.1, §6.4, §6.6).</summary>
public sealed class EN0005CodeFixTests
{
    private static Task UseUsing(string before, string after)
        => CodeFixVerifier<InlineScopeDisposalAnalyzer, EN0005UseUsingCodeFix>.VerifyAsync(before, after, EN0005UseUsingCodeFix.UseUsingKey);

    private static Task Claim(string before, string after)
        => CodeFixVerifier<InlineScopeDisposalAnalyzer, EN0005UseUsingCodeFix>.VerifyAsync(before, after, EN0005UseUsingCodeFix.ClaimKey);

    [Fact]
    public Task Local_becomes_using_var_and_the_later_using_is_removed() => UseUsing(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                await conn.SendAsync(scope.Token);
                using (scope)
                {
                    await conn.FlushAsync();
                }
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                using var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                await conn.SendAsync(scope.Token);
                await conn.FlushAsync();
            }
        }
        """);

    [Fact]
    public Task Explicit_dispose_is_removed_and_the_rest_is_claimed() => UseUsing(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                CancelScope scope = backend.EnterCancelScope();
                await conn.SendAsync(scope.Token);
                scope.Dispose();
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                using CancelScope scope = backend.EnterCancelScope();
                try
                {
                    await conn.SendAsync(scope.Token);
                }
                catch (OperationCanceledException e) when (scope.Owns(e))
                {
                }
            }
        }
        """);

    [Fact]
    public Task Discarded_scope_is_named_and_the_rest_of_the_block_wrapped() => UseUsing(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, Exception e)
            {
                backend.EnterCancelScope(new CancelScopeOptions { RelativeDeadline = TimeSpan.FromSeconds(1) });
                await conn.SendAsync(backend.CurrentCancellationToken);
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn, Exception e)
            {
                using var scope = backend.EnterCancelScope(new CancelScopeOptions { RelativeDeadline = TimeSpan.FromSeconds(1) });
                try
                {
                    await conn.SendAsync(backend.CurrentCancellationToken);
                }
                catch (OperationCanceledException e2) when (scope.Owns(e2))
                {
                }
            }
        }
        """);

    [Fact]
    public Task Using_var_lifetime_is_wrapped_in_an_owning_catch() => Claim(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                await conn.FlushAsync();
                using var scope = backend.EnterCancelScope();
                await conn.SendAsync(scope.Token);
                await conn.SayGoodbyeAsync(scope.Token);
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                await conn.FlushAsync();
                using var scope = backend.EnterCancelScope();
                try
                {
                    await conn.SendAsync(scope.Token);
                    await conn.SayGoodbyeAsync(scope.Token);
                }
                catch (OperationCanceledException e) when (scope.Owns(e))
                {
                }
            }
        }
        """);

    [Fact]
    public Task Anonymous_using_is_named_and_its_body_wrapped() => Claim(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                using (backend.EnterCancelScope())
                {
                    await conn.SendAsync(backend.CurrentCancellationToken);
                }
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                using (var scope = backend.EnterCancelScope())
                {
                    try
                    {
                        await conn.SendAsync(backend.CurrentCancellationToken);
                    }
                    catch (OperationCanceledException e) when (scope.Owns(e))
                    {
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Fix_all_over_two_methods() => CodeFixVerifier<InlineScopeDisposalAnalyzer, EN0005UseUsingCodeFix>.VerifyFixAllAsync(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                await conn.SendAsync(scope.Token);
                scope.Dispose();
            }

            static async Task N(IAsyncBackend backend, Conn conn)
            {
                var other = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                await conn.FlushAsync();
                using (other)
                {
                }
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                using var scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                await conn.SendAsync(scope.Token);
            }

            static async Task N(IAsyncBackend backend, Conn conn)
            {
                using var other = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });
                await conn.FlushAsync();
            }
        }
        """,
        EN0005UseUsingCodeFix.UseUsingKey);

    [Theory]
    [InlineData("using var scope = backend.EnterFailing();\n        await conn.SendAsync(scope.Token);")]
    [InlineData("backend.EnterCancelScope();\n        Counter++;")]
    [InlineData("_scope = backend.EnterCancelScope();")]
    [InlineData("var scope = backend.EnterCancelScope();\n        await conn.SendAsync(scope.Token);\n        scope.Dispose();\n        scope = backend.EnterCancelScope(new CancelScopeOptions { Shield = true });\n        using (scope) { }")]
    public async Task No_action_for_a_fail_after_scope_a_scope_without_checkpoint_a_field_or_a_reassigned_local(string statements)
    {
        string source = "static class Scopes\n{\n    [CancelScopeFactory(Fails = true)]\n    public static CancelScope EnterFailing(this IAsyncBackend backend) => backend.EnterCancelScope();\n}\n\n"
            + "sealed class C\n{\n    static int Counter;\n    CancelScope? _scope;\n\n    async Task M(IAsyncBackend backend, Conn conn)\n    {\n        " + statements + "\n    }\n}\n";
        foreach (Microsoft.CodeAnalysis.CodeActions.CodeAction action in await CodeFixVerifier<InlineScopeDisposalAnalyzer, EN0005UseUsingCodeFix>.GetActionsForAllDiagnosticsAsync(source))
        {
            Assert.Fail("Unexpected action: " + action.Title);
        }
    }
}
