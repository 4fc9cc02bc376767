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

/// <summary>EN0017: task groups that start a single child that does not use the group, or none (ANALYZERS §3.1, §6.6).</summary>
public sealed class RedundantTaskGroupTests
{
    private const string Id = DiagnosticIds.RedundantTaskGroup;

    private static Task<ImmutableArray<Diagnostic>> Verify(string markup)
        => UsageVerifier.VerifyAsync<RedundantTaskGroupAnalyzer>(markup, Id);

    private static Task VerifyWithVariants(string markup)
        => UsageVerifier.VerifyWithVariantsAsync<RedundantTaskGroupAnalyzer>(markup, Id);

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ flagged

    private const string OneStartSoon = """
        sealed class C
        {
            static async Task M(IAsyncBackend backend)
            {
                await [|backend.RunTaskGroupAsync(static (tg, b) =>
                {
                    tg.StartSoon(static x => x.SleepAsync(TimeSpan.FromSeconds(1)), b);
                    return default;
                }, backend)|];
            }
        }
        """;

    [Fact]
    public async Task One_StartSoon()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify(OneStartSoon);
        Diagnostic diagnostic = diagnostics.Single();
        Assert.Equal("The task group opened by 'RunTaskGroupAsync' starts a single child that does not use the group, so awaiting the child directly is equivalent", Message(diagnostic));
        Assert.Equal(DiagnosticSeverity.Info, diagnostic.Severity);
        Assert.Equal(RedundantTaskGroupAnalyzer.SingleChild, diagnostic.Properties[RedundantTaskGroupAnalyzer.VariantProperty]);
    }

    [Fact]
    public Task One_StartSoon_auto_variants() => VerifyWithVariants(OneStartSoon);

    [Fact]
    public void Descriptor_is_an_unnecessary_concurrency_info()
    {
        Assert.Contains(WellKnownDiagnosticTags.Unnecessary, DiagnosticDescriptors.RedundantTaskGroup.CustomTags);
        Assert.Equal(DiagnosticCategories.Concurrency, DiagnosticDescriptors.RedundantTaskGroup.Category);
        Assert.Equal(DiagnosticSeverity.Info, DiagnosticDescriptors.RedundantTaskGroup.DefaultSeverity);
        Assert.Equal(DiagnosticDescriptors.RedundantTaskGroup, new RedundantTaskGroupAnalyzer().SupportedDiagnostics.Single());
    }

    [Fact]
    public Task One_StartAsync_and_expression_bodies() => VerifyWithVariants("""
        sealed class C
        {
            static ValueTask ChildAsync(IAsyncBackend backend) => backend.YieldAsync();

            static async Task M(IAsyncBackend backend)
            {
                await [|backend.RunTaskGroupAsync(static async (tg, b) => { await tg.StartAsync(static x => x.YieldAsync(), b); }, backend)|];
                await [|backend.RunTaskGroupAsync(static async (tg, b) => tg.StartSoon(ChildAsync, b), backend)|];
                await [|backend.RunTaskGroupAsync(static async (tg, b) =>
                {
                    await tg.StartAsync(ChildAsync, b, "child");
                }, backend)|];
                await [|backend.RunTaskGroupAsync(async (tg, _) => tg.StartSoon(ChildAsync, backend), 0)|];
            }
        }
        """);

    private const string EmptyBodies = """
        sealed class C
        {
            static async Task M(IAsyncBackend backend)
            {
                await [|backend.RunTaskGroupAsync(static (tg, n) => default, 0)|];
                await [|backend.RunTaskGroupAsync(static async (tg, n) => { }, 0)|];
                await [|backend.RunTaskGroupAsync(static (tg, n) => ValueTask.CompletedTask, 0)|];
            }
        }
        """;

    [Fact]
    public async Task Empty_bodies()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify(EmptyBodies);
        Assert.Equal(3, diagnostics.Length);
        Assert.All(diagnostics, static d => Assert.Equal("The task group opened by 'RunTaskGroupAsync' starts no child, so it does nothing", Message(d)));
        Assert.All(diagnostics, static d => Assert.Equal(RedundantTaskGroupAnalyzer.NoChild, d.Properties[RedundantTaskGroupAnalyzer.VariantProperty]));
    }

    [Fact]
    public Task Empty_bodies_auto_variants() => VerifyWithVariants(EmptyBodies);

    [Fact]
    public Task Nested_group_inside_a_scope_body() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(5), static async (scope, b) =>
                {
                    await [|b.RunTaskGroupAsync(static (tg, bb) =>
                    {
                        tg.StartSoon(static x => x.SleepForeverAsync(), bb);
                        return default;
                    }, b)|];
                }, backend);
            }
        }
        """);

    // ------------------------------------------------------------------ not flagged

    [Fact]
    public Task Two_children() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend)
            {
                await backend.RunTaskGroupAsync(static (tg, b) =>
                {
                    tg.StartSoon(static x => x.SleepForeverAsync(), b);
                    tg.StartSoon(static x => x.SleepForeverAsync(), b);
                    return default;
                }, backend);
            }
        }
        """);

    [Fact]
    public Task Group_passed_to_the_child() => Verify("""
        sealed class C
        {
            static ValueTask SpawnMore(ITaskGroup group)
            {
                group.StartSoon(static _ => default, 0);
                return default;
            }

            static ValueTask SpawnFromState((ITaskGroup Group, IAsyncBackend Backend) state) => SpawnMore(state.Group);

            static async Task M(IAsyncBackend backend)
            {
                await backend.RunTaskGroupAsync(static (tg, b) =>
                {
                    tg.StartSoon(SpawnMore, tg);
                    return default;
                }, backend);
                await backend.RunTaskGroupAsync((tg, b) =>
                {
                    tg.StartSoon(x =>
                    {
                        tg.StartSoon(static y => y.SleepForeverAsync(), x);
                        return default;
                    }, b);
                    return default;
                }, backend);
                await backend.RunTaskGroupAsync(static (tg, b) =>
                {
                    tg.StartSoon(SpawnFromState, (Group: tg, Backend: b));
                    return default;
                }, backend);
            }
        }
        """);

    [Fact]
    public Task Other_statements() => Verify("""
        sealed class C
        {
            static int s_count;

            static async Task M(IAsyncBackend backend)
            {
                await backend.RunTaskGroupAsync(static (tg, b) =>
                {
                    s_count++;
                    tg.StartSoon(static x => x.SleepForeverAsync(), b);
                    return default;
                }, backend);
                await backend.RunTaskGroupAsync(static async (tg, b) =>
                {
                    tg.StartSoon(static x => x.SleepForeverAsync(), b);
                    await b.YieldAsync();
                }, backend);
                await backend.RunTaskGroupAsync(static async (tg, b) => await b.SleepAsync(TimeSpan.FromSeconds(1)), backend);
                TaskHandle handle = await backend.RunTaskGroupAsync(static async (tg, b) => await tg.StartAsync(static x => x.YieldAsync(), b), backend);
                int n = await backend.RunTaskGroupAsync(static (tg, b) =>
                {
                    tg.StartSoon(static x => x.SleepForeverAsync(), b);
                    return ValueTask.FromResult(1);
                }, backend);
            }
        }
        """);

    [Fact]
    public Task Method_group_body_and_a_child_of_another_group() => Verify("""
        sealed class C
        {
            static ValueTask Body(ITaskGroup tg, IAsyncBackend backend) => default;

            static async Task M(IAsyncBackend backend, ITaskGroup outer)
            {
                await backend.RunTaskGroupAsync(Body, backend);
                await backend.RunTaskGroupAsync((tg, b) =>
                {
                    outer.StartSoon(static x => x.SleepForeverAsync(), b);
                    return default;
                }, backend);
            }
        }
        """);

    [Fact]
    public async Task Silent_without_Abstractions()
    {
        const string StandIn = """
            global using System;
            global using System.Threading.Tasks;
            global using EasyNetwork.Analysis;

            namespace EasyNetwork.Analysis
            {
                public sealed class TaskGroupFactoryAttribute : Attribute { }
                public sealed class TaskStarterAttribute : Attribute { }
                [AttributeUsage(AttributeTargets.Parameter)]
                public sealed class ScopeBodyAttribute : Attribute { }
            }

            public interface IGroup
            {
                [TaskStarter]
                void StartSoon(Func<ValueTask> child);
            }

            public static class Groups
            {
                [TaskGroupFactory]
                public static ValueTask RunAsync([ScopeBody] Func<IGroup, ValueTask> body) => default;
            }
            """;
        ImmutableArray<Diagnostic> diagnostics = await UsageVerifier.RunAsync<RedundantTaskGroupAnalyzer>(
            """
            sealed class C
            {
                static async Task M()
                {
                    await Groups.RunAsync(static g => { g.StartSoon(static () => default); return default; });
                    await Groups.RunAsync(static g => default);
                }
            }
            """,
            StandIn,
            TestReferences.Framework);
        Assert.Empty(diagnostics);
    }
}
