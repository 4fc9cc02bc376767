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

/// <summary>EN0009: blocking waits in backend code, and the fix that awaits instead (ANALYZERS §3.1, §6.6).</summary>
public sealed class BlockingWaitTests
{
    private const string Id = DiagnosticIds.BlockingWait;

    private const string EachMember = """
        sealed class C
        {
            static async Task M(
                IAsyncBackend backend, Task task, Task<int> counted, ValueTask plain, ValueTask<int> valued, SemaphoreSlim semaphore,
                ManualResetEventSlim reset, WaitHandle handle, object gate, System.Collections.Concurrent.BlockingCollection<int> queue,
                Barrier barrier, CountdownEvent countdown)
            {
                await backend.YieldAsync();
                [|Thread.Sleep(10)|];
                [|Thread.Sleep(TimeSpan.FromSeconds(1))|];
                [|task.Wait()|];
                _ = [|task.Wait(100)|];
                [|Task.WaitAll(task, counted)|];
                _ = [|Task.WaitAny(task, counted)|];
                _ = [|counted.Result|];
                _ = [|counted.GetAwaiter().GetResult()|];
                [|task.GetAwaiter().GetResult()|];
                [|plain.GetAwaiter().GetResult()|];
                _ = [|valued.GetAwaiter().GetResult()|];
                _ = [|valued.Result|];
                [|task.ConfigureAwait(false).GetAwaiter().GetResult()|];
                [|semaphore.Wait()|];
                [|reset.Wait()|];
                _ = [|handle.WaitOne()|];
                _ = [|WaitHandle.WaitAll(new[] { handle })|];
                _ = [|WaitHandle.WaitAny(new[] { handle })|];
                _ = [|Monitor.Wait(gate)|];
                _ = [|queue.Take()|];
                [|barrier.SignalAndWait()|];
                [|countdown.Wait()|];
            }
        }
        """;

    private static Task Fix(string before, string after)
        => CodeFixVerifier<BlockingWaitAnalyzer, EN0009AwaitInsteadOfBlockingCodeFix>.VerifyAsync(before, after, EN0009AwaitInsteadOfBlockingCodeFix.EquivalenceKey);

    private static Task<System.Collections.Generic.List<Microsoft.CodeAnalysis.CodeActions.CodeAction>> Actions(string source)
        => CodeFixVerifier<BlockingWaitAnalyzer, EN0009AwaitInsteadOfBlockingCodeFix>.GetActionsForSingleDiagnosticAsync(source);

    [Fact]
    public Task Each_curated_member() => UsageVerifier.VerifyWithVariantsAsync<BlockingWaitAnalyzer>(EachMember, Id);

    [Fact]
    public async Task Messages_name_the_member_and_the_advice()
    {
        string[] messages = (await UsageVerifier.VerifyAsync<BlockingWaitAnalyzer>(EachMember, Id))
            .OrderBy(static d => d.Location.SourceSpan.Start)
            .Select(static d => d.GetMessage(CultureInfo.InvariantCulture))
            .ToArray();
        Assert.Equal(
            "'Thread.Sleep' blocks the thread, so no cancel scope can interrupt the wait and no other task runs on this thread meanwhile; await the backend's SleepAsync instead",
            messages[0]);
        Assert.StartsWith("'Task.Wait' blocks the thread", messages[2], System.StringComparison.Ordinal);
        Assert.EndsWith("; await the task instead", messages[2], System.StringComparison.Ordinal);
        Assert.StartsWith("'Task.Result' ", messages[6], System.StringComparison.Ordinal);
        Assert.StartsWith("'ValueTask.GetAwaiter().GetResult()' ", messages[9], System.StringComparison.Ordinal);
        Assert.StartsWith("'ValueTask.Result' ", messages[11], System.StringComparison.Ordinal);
        Assert.StartsWith("'ConfiguredTaskAwaitable.GetAwaiter().GetResult()' ", messages[12], System.StringComparison.Ordinal);
        Assert.EndsWith("; await WaitAsync with the ambient token instead", messages[13], System.StringComparison.Ordinal);
        Assert.StartsWith("'Monitor.Wait' ", messages[18], System.StringComparison.Ordinal);
        Assert.EndsWith("; use an awaitable alternative, such as the backend's events and locks", messages[18], System.StringComparison.Ordinal);
    }

    [Fact]
    public Task Value_task_GetResult_in_a_sync_scope_body() => UsageVerifier.VerifyWithVariantsAsync<BlockingWaitAnalyzer>("""
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Func<ValueTask<int>> produce)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(1), static (scope, produce) =>
                {
                    _ = [|produce().GetAwaiter().GetResult()|];
                    return ValueTask.CompletedTask;
                }, produce);
            }
        }
        """, Id);

    [Fact]
    public Task Results_of_tasks_known_complete_are_not_flagged() => UsageVerifier.VerifyAsync<BlockingWaitAnalyzer>("""
        sealed class C
        {
            static async Task<int> M(IAsyncBackend backend, Task<int> first, Task<int> second, ValueTask<int> fast, Task<int> other)
            {
                await backend.YieldAsync();
                int early = [|first.Result|];
                await Task.WhenAll(first, second).ConfigureAwait(false);
                int sum = early + first.Result + second.GetAwaiter().GetResult();
                if (fast.IsCompletedSuccessfully)
                {
                    sum += fast.Result;
                }

                sum += other.IsCompleted && other.Result > 0 ? 1 : 0;
                if (fast.IsCompleted)
                {
                    sum += [|other.Result|];
                }

                Task<int> third = Task.FromResult(1);
                await third;
                return sum + third.Result;
            }
        }
        """, Id);

    [Fact]
    public Task Not_backend_code_and_sync_io_with_an_async_twin() => UsageVerifier.VerifyAsync<BlockingWaitAnalyzer>("""
        sealed class C
        {
            static int M(Task<int> task)
            {
                Thread.Sleep(10);
                task.Wait();
                return task.Result;
            }

            static async Task<string> N(IAsyncBackend backend)
            {
                await backend.YieldAsync();
                return File.ReadAllText("settings.json");
            }
        }
        """, Id);

    [Fact]
    public Task Each_known_pair() => Fix(
        """
        sealed class C
        {
            static async Task<int> M(IAsyncBackend backend, Task task, Task<string> text, ValueTask<int> valued, SemaphoreSlim semaphore)
            {
                await backend.YieldAsync();
                Thread.Sleep(250);
                Thread.Sleep(TimeSpan.FromSeconds(1));
                task.Wait();
                int length = text.Result.Length;
                int value = valued.GetAwaiter().GetResult();
                semaphore.Wait();
                return length + value;
            }
        }
        """,
        """
        sealed class C
        {
            static async Task<int> M(IAsyncBackend backend, Task task, Task<string> text, ValueTask<int> valued, SemaphoreSlim semaphore)
            {
                await backend.YieldAsync();
                await backend.SleepAsync(TimeSpan.FromMilliseconds(250));
                await backend.SleepAsync(TimeSpan.FromSeconds(1));
                await task;
                int length = (await text).Length;
                int value = await valued;
                await semaphore.WaitAsync(backend.CurrentCancellationToken);
                return length + value;
            }
        }
        """);

    [Fact]
    public Task Semaphore_in_a_scope_body_takes_the_scope_token() => Fix(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, SemaphoreSlim semaphore)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(1), static async (scope, semaphore) =>
                {
                    await Task.CompletedTask;
                    semaphore.Wait();
                }, semaphore);
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, SemaphoreSlim semaphore)
            {
                await backend.MoveOnAfterAsync(TimeSpan.FromSeconds(1), static async (scope, semaphore) =>
                {
                    await Task.CompletedTask;
                    await semaphore.WaitAsync(scope.Token);
                }, semaphore);
            }
        }
        """);

    [Fact]
    public Task Fix_all() => CodeFixVerifier<BlockingWaitAnalyzer, EN0009AwaitInsteadOfBlockingCodeFix>.VerifyFixAllAsync(
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Task first, Task second)
            {
                await backend.YieldAsync();
                first.Wait();
                Thread.Sleep(5);
                second.GetAwaiter().GetResult();
            }
        }
        """,
        """
        sealed class C
        {
            static async Task M(IAsyncBackend backend, Task first, Task second)
            {
                await backend.YieldAsync();
                await first;
                await backend.SleepAsync(TimeSpan.FromMilliseconds(5));
                await second;
            }
        }
        """,
        EN0009AwaitInsteadOfBlockingCodeFix.EquivalenceKey);

    [Fact]
    public async Task No_action_in_a_sync_method()
    {
        const string Source = """
            sealed class C
            {
                static void M(IAsyncBackend backend, Task task)
                {
                    _ = backend.CurrentCancellationToken;
                    task.Wait();
                }
            }
            """;
        Assert.Empty(await Actions(Source));
    }

    [Theory]
    [InlineData("lock (gate) { task.Wait(); }")]
    [InlineData("try { } finally { task.Wait(); }")]
    [InlineData("try { task.Wait(); } catch (Exception) { }")]
    [InlineData("try { } catch (IOException) { task.Wait(); }")]
    [InlineData("Monitor.Wait(gate);")]
    [InlineData("task.Wait(100);")]
    [InlineData("Task.WaitAll(task);")]
    [InlineData("Func<long> f = () => { task.Wait(); return backend.CurrentTime().Ticks; };")]
    public async Task No_action_where_an_await_does_not_fit_or_no_pair_is_known(string statement)
    {
        string source = "sealed class C\n{\n    static async Task M(IAsyncBackend backend, Task task, object gate)\n    {\n        await backend.YieldAsync();\n        " + statement + "\n    }\n}\n";
        Assert.Empty(await Actions(source));
    }

    [Fact]
    public async Task No_sleep_action_without_a_backend_receiver()
    {
        const string Source = """
            sealed class C
            {
                static async Task M()
                {
                    await AsyncBackend.Current!.YieldAsync();
                    Thread.Sleep(5);
                }
            }
            """;
        Assert.Empty(await Actions(Source));
    }
}
