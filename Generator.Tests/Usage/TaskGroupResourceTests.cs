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

/// <summary>EN0007: a using local handed to a task-group child and disposed before the group waits for it (ANALYZERS §3.1, §6.6).</summary>
public sealed class TaskGroupResourceTests
{
    private const string Id = DiagnosticIds.ResourceDisposedBeforeChildren;

    // An inline group (the library has only the delegate form): a user wrapper marked [TaskGroupFactory], whose
    // StartSoon and StartAsync are [TaskStarter] through the ITaskGroup members they implement.
    private const string InlineGroup = """

        sealed class InlineGroup : ITaskGroup, IAsyncDisposable
        {
            public CancelScope CancelScope => throw new NotSupportedException();
            public void StartSoon<TState>(Func<TState, ValueTask> func, TState state, string? name = null) { }
            public ValueTask<TaskHandle> StartAsync<TState>(Func<TState, ValueTask> func, TState state, string? name = null) => throw new NotSupportedException();
            public ValueTask<TaskHandle<TResult>> StartAsync<TState, TResult>(Func<TState, ValueTask<TResult>> func, TState state, string? name = null) => throw new NotSupportedException();
            public ValueTask DisposeAsync() => default;
        }

        static class Groups
        {
            [TaskGroupFactory]
            public static InlineGroup OpenGroup(this IAsyncBackend backend) => new();
        }
        """;

    private static Task<ImmutableArray<Diagnostic>> Verify(string markup) => UsageVerifier.VerifyAsync<TaskGroupResourceAnalyzer>(markup, Id);

    private const string CapturedByChild = """
        sealed class C
        {
            static ValueTask M(IAsyncBackend backend) => backend.RunTaskGroupAsync(static async (tg, backend) =>
            {
                await using var conn = new Conn();
                tg.StartSoon([|async _ => await conn.SendAsync()|], 0);
                await backend.YieldAsync();
            }, backend);
        }
        """;

    [Fact]
    public async Task Using_in_a_delegate_body_captured_by_a_child_lambda()
    {
        Diagnostic diagnostic = Assert.Single(await Verify(CapturedByChild));
        Assert.Equal(
            "'conn' is disposed when the task group's body returns, before the group waits for its children, so this child may still use it after it is disposed",
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("EasyNetwork.Concurrency", diagnostic.Descriptor.Category);
    }

    [Fact]
    public Task Captured_by_child_auto_variants() => UsageVerifier.VerifyWithVariantsAsync<TaskGroupResourceAnalyzer>(CapturedByChild, Id);

    private const string PassedAsState = """
        sealed class C
        {
            static async ValueTask M(IAsyncBackend backend)
            {
                await backend.RunTaskGroupAsync(static async (tg, backend) =>
                {
                    using (var stream = new MemoryStream())
                    {
                        await tg.StartAsync(static s => s.FlushAsync(default).AsValueTask(), [|stream|]);
                    }

                    await using var conn = new Conn();
                    tg.StartSoon(static c => c.SendAsync(), [|conn|], name: "sender");
                    tg.StartSoon(static pair => pair.Item1.SendAsync(), [|(conn, 1)|]);
                }, backend);
            }
        }

        static class TaskExtensions
        {
            public static ValueTask AsValueTask(this Task task) => new(task);
        }
        """;

    [Fact]
    public Task Passed_as_state_using_statement_and_tuple() => Verify(PassedAsState);

    [Fact]
    public Task Passed_as_state_auto_variants() => UsageVerifier.VerifyWithVariantsAsync<TaskGroupResourceAnalyzer>(PassedAsState, Id);

    private const string InlineReverseOrder = """
        sealed class C
        {
            static async ValueTask M(IAsyncBackend backend)
            {
                await using var tg = backend.OpenGroup();
                await using var conn = new Conn();
                tg.StartSoon(static _ => default, 0);
                tg.StartSoon(static c => c.SendAsync(), [|conn|]);
                tg.StartSoon([|async _ => await conn.SendAsync()|], 0);
                await backend.YieldAsync();
            }
        }
        """ + InlineGroup;

    [Fact]
    public async Task Inline_reverse_order_declarations()
    {
        // The first child references nothing; the second gets the resource as state, the third captures it.
        ImmutableArray<Diagnostic> diagnostics = await Verify(InlineReverseOrder);
        Assert.Equal(2, diagnostics.Length);
        Assert.All(diagnostics, static d => Assert.Equal(
            "'conn' is declared after the inline task group 'tg', so it is disposed first, before the group waits for its children, so this child may still use it after it is disposed",
            d.GetMessage(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public Task Inline_group_in_a_using_statement_and_a_nested_block() => Verify("""
        sealed class C
        {
            static async ValueTask M(IAsyncBackend backend, bool flag)
            {
                using var before = new MemoryStream();
                await using (var tg = backend.OpenGroup())
                {
                    tg.StartSoon(static s => s.FlushAsync(default).AsValueTask(), before);
                    if (flag)
                    {
                        using var inner = new MemoryStream();
                        tg.StartSoon(static s => s.FlushAsync(default).AsValueTask(), [|inner|]);
                    }

                    await backend.YieldAsync();
                }
            }
        }

        static class TaskExtensions
        {
            public static ValueTask AsValueTask(this Task task) => new(task);
        }
        """ + InlineGroup);

    [Fact]
    public Task Inline_auto_variants() => UsageVerifier.VerifyWithVariantsAsync<TaskGroupResourceAnalyzer>(InlineReverseOrder, Id);

    [Fact]
    public Task Resource_opened_before_the_group_or_declared_before_tg() => Verify("""
        sealed class C
        {
            static async ValueTask Delegate(IAsyncBackend backend)
            {
                await using var conn = new Conn();
                await backend.RunTaskGroupAsync(static async (tg, conn) =>
                {
                    tg.StartSoon(static c => c.SendAsync(), conn);
                    await tg.StartAsync(static c => c.SendAsync(), conn);
                }, conn);
                await backend.RunTaskGroupAsync(async (tg, state) =>
                {
                    tg.StartSoon(async _ => await conn.SendAsync(), state);
                    await Task.CompletedTask;
                }, 0);
            }

            static async ValueTask Inline(IAsyncBackend backend)
            {
                await using var conn = new Conn();
                await using var tg = backend.OpenGroup();
                tg.StartSoon(static c => c.SendAsync(), conn);
                tg.StartSoon(async _ => await conn.SendAsync(), 0);
                await backend.YieldAsync();
            }
        }
        """ + InlineGroup);

    [Fact]
    public Task Child_not_referencing_the_resource_or_owning_its_own() => Verify("""
        sealed class C
        {
            static ValueTask M(IAsyncBackend backend) => backend.RunTaskGroupAsync(static async (tg, backend) =>
            {
                await using var conn = new Conn();
                var plain = new Conn();
                await conn.SendAsync();
                tg.StartSoon(static b => b.YieldAsync(), backend);
                tg.StartSoon(async _ =>
                {
                    await using var own = new Conn();
                    await own.SendAsync();
                }, 0);
                tg.StartSoon(static c => c.SendAsync(), plain);
            }, backend);
        }
        """);

    [Fact]
    public Task Starter_on_a_group_that_is_not_the_body_parameter_or_an_inline_group() => Verify("""
        sealed class C
        {
            static async ValueTask M(ITaskGroup group)
            {
                await using var conn = new Conn();
                group.StartSoon(static c => c.SendAsync(), conn);
                await conn.SendAsync();
            }
        }
        """);

    [Fact]
    public Task Outer_group_started_from_an_inner_group_body() => Verify("""
        sealed class C
        {
            static ValueTask M(IAsyncBackend backend) => backend.RunTaskGroupAsync(static async (outer, backend) =>
            {
                await backend.RunTaskGroupAsync(static async (inner, outer) =>
                {
                    await using var conn = new Conn();
                    outer.StartSoon(static c => c.SendAsync(), [|conn|]);
                    inner.StartSoon(static c => c.SendAsync(), [|conn|]);
                    await Task.CompletedTask;
                }, outer);
            }, backend);
        }
        """);

    [Fact]
    public async Task Bail_out_without_the_library()
    {
        ImmutableArray<Diagnostic> diagnostics = await UsageVerifier.RunAsync<TaskGroupResourceAnalyzer>(
            """
            sealed class C
            {
                static void M(Group tg)
                {
                    using var stream = new System.IO.MemoryStream();
                    tg.StartSoon(s => s.Flush(), stream);
                }
            }

            sealed class Group
            {
                public void StartSoon<T>(System.Action<T> func, T state) { }
            }
            """,
            "global using System;",
            TestReferences.Framework);
        Assert.Empty(diagnostics.Where(static d => d.Id == Id));
    }
}
