using System.Collections.Generic;
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

/// <summary>EN0008: work that escapes structure in backend code (ANALYZERS §3.1, §6.6). CS4014 is a compiler warning: the harness only stops on errors.</summary>
public sealed class FireAndForgetTests
{
    private const string Id = DiagnosticIds.FireAndForgetTask;

    private static async Task<string[]> Messages(string markup)
        => [.. (await UsageVerifier.VerifyAsync<FireAndForgetAnalyzer>(markup, Id)).OrderBy(static d => d.Location.SourceSpan.Start).Select(static d => d.GetMessage(CultureInfo.InvariantCulture))];

    private static Task<ImmutableArray<Diagnostic>> Verify(string markup, IReadOnlyDictionary<string, string>? options = null)
        => UsageVerifier.VerifyAsync<FireAndForgetAnalyzer>(markup, Id, options);

    private const string Discarded = """
        sealed class C
        {
            static void Sync(IAsyncBackend backend, Conn conn)
            {
                CancellationToken token = backend.CurrentCancellationToken;
                [|conn.SendAsync(token)|];
                _ = [|conn.FlushAsync()|];
                _ = [|conn.SendAsync(token)|].ConfigureAwait(false);
            }

            static async Task Async(IAsyncBackend backend, Conn conn)
            {
                [|backend.YieldAsync()|];
                await backend.YieldAsync();
            }
        }
        """;

    [Fact]
    public async Task Unawaited_call_in_a_sync_backend_method_and_discards()
    {
        string[] messages = await Messages(Discarded);
        Assert.Equal("The task returned by 'SendAsync' is not awaited, so it escapes the enclosing cancel scope and nothing observes its failure", messages[0]);
        Assert.Equal("The task returned by 'FlushAsync' is not awaited, so it escapes the enclosing cancel scope and nothing observes its failure", messages[1]);
        Assert.Equal("The task returned by 'YieldAsync' is not awaited, so it escapes the enclosing cancel scope and nothing observes its failure", messages[3]);
    }

    [Fact]
    public Task Discarded_auto_variants() => UsageVerifier.VerifyWithVariantsAsync<FireAndForgetAnalyzer>(Discarded, Id);

    private const string ThreadPoolWork = """
        sealed class C
        {
            static async Task M(IAsyncBackend backend)
            {
                await backend.YieldAsync();
                [|Task.Run(() => { })|];
                _ = [|Task.Run(() => 1)|];
                Task never = [|Task.Run(() => { })|];
                [|Task.Factory.StartNew(() => { })|];
                [|ThreadPool.QueueUserWorkItem(_ => { })|];
                Console.WriteLine([|Task.Run(() => { })|]);
            }
        }
        """;

    [Fact]
    public async Task Unawaited_thread_pool_work()
    {
        string[] messages = await Messages(ThreadPoolWork);
        Assert.Equal(6, messages.Length);
        Assert.All(messages[..3], static m => Assert.StartsWith("The work started by 'Task.Run' is not awaited, so it escapes", m, System.StringComparison.Ordinal));
        Assert.StartsWith("The work started by 'Task.Factory.StartNew' is not awaited", messages[3], System.StringComparison.Ordinal);
        Assert.StartsWith("The work queued by 'ThreadPool.QueueUserWorkItem' cannot be awaited", messages[4], System.StringComparison.Ordinal);
    }

    [Fact]
    public Task Thread_pool_work_auto_variants() => UsageVerifier.VerifyWithVariantsAsync<FireAndForgetAnalyzer>(ThreadPoolWork, Id);

    private const string StoredInMembers = """
        sealed class C
        {
            private Task _pending = Task.CompletedTask;
            private readonly TaskCompletionSource _done = new();

            public ValueTask Current { get; set; }

            void M(IAsyncBackend backend, Conn conn)
            {
                _pending = [|conn.FlushAsync()|];
                Current = [|conn.SendAsync(backend.CurrentCancellationToken)|];
                _pending = [|Task.Run(() => { })|];
                _pending = _done.Task;
                _pending = Task.CompletedTask;
            }
        }
        """;

    [Fact]
    public async Task Tasks_stored_in_fields_or_properties()
    {
        string[] messages = await Messages(StoredInMembers);
        Assert.StartsWith("The task returned by 'FlushAsync' is stored in the field '_pending', so it escapes", messages[0], System.StringComparison.Ordinal);
        Assert.StartsWith("The task returned by 'SendAsync' is stored in the property 'Current'", messages[1], System.StringComparison.Ordinal);
        Assert.StartsWith("The work started by 'Task.Run' is stored in the field '_pending'", messages[2], System.StringComparison.Ordinal);
    }

    [Fact]
    public Task Stored_in_members_auto_variants() => UsageVerifier.VerifyWithVariantsAsync<FireAndForgetAnalyzer>(StoredInMembers, Id);

    private const string AsyncVoid = """
        sealed class C
        {
            static async void [|Fire|](IAsyncBackend backend) => await backend.YieldAsync();

            static void M(IAsyncBackend backend, List<int> items)
            {
                Action action = [|async|] () => await backend.YieldAsync();
                items.ForEach([|async|] item => await backend.SleepAsync(TimeSpan.FromMilliseconds(item)));
                Local();

                async void [|Local|]() => await backend.YieldAsync();
            }
        }
        """;

    [Fact]
    public async Task Async_void_method_local_function_and_lambdas()
    {
        string[] messages = await Messages(AsyncVoid);
        Assert.StartsWith("The async void method 'Fire' cannot be awaited, so it escapes", messages[0], System.StringComparison.Ordinal);
        Assert.StartsWith("This async lambda is converted to the void-returning delegate 'Action' and cannot be awaited", messages[1], System.StringComparison.Ordinal);
        Assert.StartsWith("This async lambda is converted to the void-returning delegate 'Action<int>' and cannot be awaited", messages[2], System.StringComparison.Ordinal);
        Assert.StartsWith("The async void local function 'Local' cannot be awaited", messages[3], System.StringComparison.Ordinal);
    }

    [Fact]
    public Task Async_void_auto_variants() => UsageVerifier.VerifyWithVariantsAsync<FireAndForgetAnalyzer>(AsyncVoid, Id);

    [Fact]
    public Task Awaited_later_returned_or_in_an_awaited_WhenAll() => Verify("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Conn conn)
            {
                ValueTask send = conn.SendAsync(backend.CurrentCancellationToken);
                Task first = Task.Run(() => { });
                Task second = Task.Factory.StartNew(() => { });
                await backend.YieldAsync();
                await send;
                await first.ConfigureAwait(false);
                await Task.WhenAll(second, Task.Run(() => { }));
                await Task.WhenAny(Task.Run(() => { }), Task.Run(() => { }));

                var tasks = new List<Task>();
                tasks.Add(Task.Run(() => { }));
                var array = new Task[2];
                array[0] = Task.Run(() => { });
                await Task.WhenAll(tasks);
                await Task.WhenAll(array);
            }

            static Task Handed(IAsyncBackend backend) => backend.YieldAsync().AsTask().ContinueWith(static _ => Task.Run(() => { }));

            static Task Returned(IAsyncBackend backend)
            {
                _ = backend.CurrentCancellationToken;
                return Task.Run(() => { });
            }
        }
        """);

    [Fact]
    public Task Task_starters_and_event_handlers() => Verify("""
        sealed class C
        {
            public event EventHandler? Ticked;

            static ValueTask M(IAsyncBackend backend) => backend.RunTaskGroupAsync(static async (tg, backend) =>
            {
                tg.StartSoon(static b => b.YieldAsync(), backend);
                _ = tg.StartAsync(static b => b.YieldAsync(), backend);
                await backend.YieldAsync();
            }, backend);

            async void OnTicked(object? sender, EventArgs e) => await Task.CompletedTask;

            void Subscribe(IAsyncBackend backend)
            {
                Ticked += async (sender, e) => await backend.YieldAsync();
                Ticked += OnTicked;
            }
        }
        """);

    private const string NotBackendCode = """
        sealed class C
        {
            private Task _pending = Task.CompletedTask;

            async void Fire() => await Task.Yield();

            void M(Conn conn)
            {
                conn.SendAsync();
                _ = conn.FlushAsync();
                Task.Run(() => { });
                _pending = conn.FlushAsync();
                Action action = async () => await conn.SendAsync();
            }
        }
        """;

    [Fact]
    public Task Not_backend_code() => Verify(NotBackendCode);

    [Fact]
    public Task Every_method_is_backend_code_with_the_option_all() => Verify(
        """
        sealed class C
        {
            async void [|Fire|]() => await Task.Yield();

            void M(Conn conn) => [|conn.FlushAsync()|];
        }
        """,
        new Dictionary<string, string> { ["en_analyzers.backend_code"] = "all" });

    [Fact]
    public async Task Bail_out_without_the_library()
    {
        ImmutableArray<Diagnostic> diagnostics = await UsageVerifier.RunAsync<FireAndForgetAnalyzer>(
            """
            sealed class C
            {
                async void Fire() => await System.Threading.Tasks.Task.Yield();

                void M() => System.Threading.Tasks.Task.Run(() => { });
            }
            """,
            "global using System;",
            TestReferences.Framework,
            new Dictionary<string, string> { ["en_analyzers.backend_code"] = "all" });
        Assert.Empty(diagnostics);
    }
}
