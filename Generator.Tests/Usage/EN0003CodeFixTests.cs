using System.Linq;
using System.Threading.Tasks;
using EasyNetwork.Generator.Analyzers.Usage;
using EasyNetwork.Generator.CodeFixes;
using EasyNetwork.Generator.Tests.Harness;
using Xunit;

namespace EasyNetwork.Generator.Tests.Usage;

/// <summary>EN0003's three fixes (ANALYZERS §3.1, §6.4, §6.6).</summary>
public sealed class EN0003CodeFixTests
{
    private static Task Fix(string before, string after, string key)
        => CodeFixVerifier<SwallowedCancellationAnalyzer, EN0003RethrowCancellationCodeFix>.VerifyAsync(before, after, key);

    private static string Method(string handler) => """
        sealed class C
        {
            static bool Log(Exception e) => true;

            static async Task M(Conn conn)
            {
                try { await conn.SendAsync(); }
                HANDLER
            }
        }
        """.Replace("HANDLER", handler, System.StringComparison.Ordinal);

    [Theory]
    [InlineData("catch (Exception) { }", "catch (Exception e) when (e is not OperationCanceledException) { }")]
    [InlineData("catch (Exception ex) { }", "catch (Exception ex) when (ex is not OperationCanceledException) { }")]
    [InlineData("catch { }", "catch (Exception e) when (e is not OperationCanceledException)\n        { }")]
    [InlineData("catch (Exception ex) when (Log(ex)) { }", "catch (Exception ex) when (ex is not OperationCanceledException && Log(ex)) { }")]
    [InlineData("catch (Exception ex) when (Log(ex) || ex is IOException) { }", "catch (Exception ex) when (ex is not OperationCanceledException && (Log(ex) || ex is IOException)) { }")]
    [InlineData("catch (SystemException) { return; }", "catch (SystemException e) when (e is not OperationCanceledException) { return; }")]
    public Task Exclude_cancellation(string before, string after) => Fix(Method(before), Method(after), EN0003RethrowCancellationCodeFix.ExcludeKey);

    [Fact]
    public Task Rethrow_cancellation_first() => Fix(
        Method("catch (Exception ex) { _ = Log(ex); }"),
        Method("catch (OperationCanceledException)\n        {\n            throw;\n        }\n        catch (Exception ex) { _ = Log(ex); }"),
        EN0003RethrowCancellationCodeFix.CatchFirstKey);

    [Fact]
    public Task Append_rethrow_to_an_explicit_cancellation_catch() => Fix(
        Method("catch (OperationCanceledException ex)\n        {\n            _ = Log(ex);\n        }"),
        Method("catch (OperationCanceledException ex)\n        {\n            _ = Log(ex);\n            throw;\n        }"),
        EN0003RethrowCancellationCodeFix.AppendRethrowKey);

    [Fact]
    public Task Fix_all_excludes_cancellation_everywhere() => CodeFixVerifier<SwallowedCancellationAnalyzer, EN0003RethrowCancellationCodeFix>.VerifyFixAllAsync(
        Method("catch (Exception) { }\n        try { await conn.SendAsync(); }\n        catch { }"),
        Method("catch (Exception e) when (e is not OperationCanceledException) { }\n        try { await conn.SendAsync(); }\n        catch (Exception e) when (e is not OperationCanceledException)\n        { }"),
        EN0003RethrowCancellationCodeFix.ExcludeKey);

    [Theory]
    [InlineData("catch (OperationCanceledException) { return; }")]
    [InlineData("catch (TaskCanceledException e) { throw new TimeoutException(\"late\", e); }")]
    public async Task No_action_for_a_converting_cancellation_catch(string handler)
        => Assert.Empty(await CodeFixVerifier<SwallowedCancellationAnalyzer, EN0003RethrowCancellationCodeFix>.GetActionsForSingleDiagnosticAsync(Method(handler)));

    [Fact]
    public async Task Catch_alls_get_exactly_the_first_two_actions()
    {
        var actions = await CodeFixVerifier<SwallowedCancellationAnalyzer, EN0003RethrowCancellationCodeFix>.GetActionsForSingleDiagnosticAsync(Method("catch { }"));
        Assert.Equal([EN0003RethrowCancellationCodeFix.ExcludeKey, EN0003RethrowCancellationCodeFix.CatchFirstKey], actions.Select(static a => a.EquivalenceKey));
    }
}
