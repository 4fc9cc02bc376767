using System.Collections.Generic;
using System.Threading.Tasks;
using EasyNetwork.Generator.Analyzers.Usage;
using EasyNetwork.Generator.CodeFixes;
using EasyNetwork.Generator.Tests.Harness;
using Microsoft.CodeAnalysis.CodeActions;
using Xunit;

namespace EasyNetwork.Generator.Tests.Usage;

/// <summary>EN0017's fix "Await the child directly" (ANALYZERS §3.1, §6.4, §6.6).</summary>
public sealed class EN0017CodeFixTests
{
    private const string Key = EN0017AwaitChildCodeFix.EquivalenceKey;

    private static Task VerifyFix(string before, string after)
        => CodeFixVerifier<RedundantTaskGroupAnalyzer, EN0017AwaitChildCodeFix>.VerifyAsync(before, after, Key);

    private static Task<List<CodeAction>> Actions(string source)
        => CodeFixVerifier<RedundantTaskGroupAnalyzer, EN0017AwaitChildCodeFix>.GetActionsForSingleDiagnosticAsync(source);

    [Fact]
    public Task Method_group_becomes_a_call() => VerifyFix(
        """
        sealed class C
        {
            static ValueTask ServeAsync(IAsyncBackend backend) => backend.SleepForeverAsync();

            static async Task M(IAsyncBackend backend)
            {
                // Serve until cancelled.
                await backend.RunTaskGroupAsync(static (tg, b) =>
                {
                    tg.StartSoon(ServeAsync, b, "server");
                    return default;
                }, backend);
            }
        }
        """,
        """
        sealed class C
        {
            static ValueTask ServeAsync(IAsyncBackend backend) => backend.SleepForeverAsync();

            static async Task M(IAsyncBackend backend)
            {
                // Serve until cancelled.
                await ServeAsync(backend);
            }
        }
        """);

    [Fact]
    public Task Expression_lambda_becomes_its_expression() => VerifyFix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend)
            {
                await backend.RunTaskGroupAsync(static (tg, b) =>
                {
                    tg.StartSoon(static x => x.SleepAsync(TimeSpan.FromSeconds(1)), b);
                    return default;
                }, backend);
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend)
            {
                await backend.SleepAsync(TimeSpan.FromSeconds(1));
            }
        }
        """);

    [Fact]
    public Task Awaited_StartAsync_of_an_async_lambda() => VerifyFix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend)
            {
                await backend.RunTaskGroupAsync(static async (tg, b) =>
                {
                    await tg.StartAsync(static async x => await x.YieldAsync(), b);
                }, backend);
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend)
            {
                await backend.YieldAsync();
            }
        }
        """);

    [Fact]
    public Task Child_state_that_is_not_the_body_state() => VerifyFix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                await backend.RunTaskGroupAsync(async (tg, _) => tg.StartSoon(static c => c.SendAsync(), conn), 0);
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                await conn.SendAsync();
            }
        }
        """);

    [Fact]
    public Task Fix_all_in_a_document() => CodeFixVerifier<RedundantTaskGroupAnalyzer, EN0017AwaitChildCodeFix>.VerifyFixAllAsync(
        """
        sealed class C
        {
            static ValueTask ServeAsync(IAsyncBackend backend) => backend.SleepForeverAsync();

            static async Task M(IAsyncBackend backend)
            {
                await backend.RunTaskGroupAsync(static (tg, b) =>
                {
                    tg.StartSoon(ServeAsync, b);
                    return default;
                }, backend);
                await backend.RunTaskGroupAsync(static async (tg, b) => { await tg.StartAsync(static x => x.YieldAsync(), b); }, backend);
            }

            static async Task N(IAsyncBackend backend)
            {
                await backend.RunTaskGroupAsync(static async (tg, b) => tg.StartSoon(static x => x.SleepAsync(TimeSpan.FromSeconds(2)), b), backend);
            }
        }
        """,
        """
        sealed class C
        {
            static ValueTask ServeAsync(IAsyncBackend backend) => backend.SleepForeverAsync();

            static async Task M(IAsyncBackend backend)
            {
                await ServeAsync(backend);
                await backend.YieldAsync();
            }

            static async Task N(IAsyncBackend backend)
            {
                await backend.SleepAsync(TimeSpan.FromSeconds(2));
            }
        }
        """,
        Key);

    [Theory]
    [InlineData("await backend.RunTaskGroupAsync(static (tg, b) =>\n        {\n            tg.StartSoon(static x => { return x.YieldAsync(); }, b);\n            return default;\n        }, backend);")]
    [InlineData("await backend.RunTaskGroupAsync(static (tg, n) => default, 0);")]
    [InlineData("await backend.RunTaskGroupAsync(static (tg, s) =>\n        {\n            tg.StartSoon(static t => t.Item1.SleepAsync(t.Item2), s);\n            return default;\n        }, (backend, TimeSpan.FromSeconds(1)));")]
    [InlineData("await backend.RunTaskGroupAsync((tg, b) =>\n        {\n            tg.StartSoon(static x => x.YieldAsync(), backend);\n            return default;\n        }, Create());")]
    [InlineData("_ = backend.RunTaskGroupAsync(static (tg, b) =>\n        {\n            tg.StartSoon(static x => x.YieldAsync(), b);\n            return default;\n        }, backend);")]
    public async Task No_action(string statement)
    {
        // A block lambda child, an empty group, a state used twice that has side effects, a state dropped that has side
        // effects, a group that is not awaited as a statement.
        string source = "sealed class C\n{\n    static IAsyncBackend Create() => throw new NotSupportedException();\n\n    static async Task M(IAsyncBackend backend)\n    {\n        " + statement + "\n        await Task.CompletedTask;\n    }\n}\n";
        Assert.Empty(await Actions(source));
    }
}
