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

/// <summary>
/// EN0013: readiness children that never report started (ANALYZERS §3.1, §6.6). The library itself has no readiness
/// start, so the tests declare the marked types as a third-party library would.
/// </summary>
public sealed class StartableSignalTests
{
    private const string Id = DiagnosticIds.StartableNeverReportsStarted;

    // A third-party readiness API: a status whose Started() is the signal, and a group with a waiting and a non-waiting starter.
    private const string ReadinessApi = """

        public sealed class ReadyStatus
        {
            [StartedSignal]
            public void Started() { }
        }

        public interface IReadyStatus
        {
            [StartedSignal]
            void Started();
        }

        public sealed class PortStatus : IReadyStatus
        {
            public void Started() { }
        }

        public class ValueStatus<T>
        {
            [StartedSignal]
            public void Started(T value) { }
        }

        public sealed class ReadinessGroup
        {
            [TaskStarter]
            public void StartSoon(Func<ReadyStatus, ValueTask> child) { }

            [TaskStarter]
            public ValueTask StartAsync(Func<ReadyStatus, ValueTask> child) => default;
        }

        public static class StatusHelpers
        {
            public static void Forward(ReadyStatus status) => status.Started();
        }
        """;

    private static Task<ImmutableArray<Diagnostic>> Verify(string markup)
        => UsageVerifier.VerifyAsync<StartableSignalAnalyzer>(markup + ReadinessApi, Id);

    private static Task VerifyWithVariants(string markup)
        => UsageVerifier.VerifyWithVariantsAsync<StartableSignalAnalyzer>(markup + ReadinessApi, Id);

    private static string Message(Diagnostic diagnostic) => diagnostic.GetMessage(CultureInfo.InvariantCulture);

    // ------------------------------------------------------------------ flagged

    private const string NeverSignals = """
        sealed class C
        {
            static async ValueTask ServeAsync(IAsyncBackend backend, ReadyStatus [|status|])
            {
                await backend.SleepForeverAsync();
            }
        }
        """;

    [Fact]
    public async Task Status_parameter_never_signalled()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify(NeverSignals);
        Diagnostic diagnostic = diagnostics.Single();
        Assert.Equal("'ServeAsync' never calls a [StartedSignal] method on 'status', so whoever starts it is never told that it is ready", Message(diagnostic));
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
    }

    [Fact]
    public Task Status_parameter_never_signalled_auto_variants() => VerifyWithVariants(NeverSignals);

    [Fact]
    public void Descriptor_is_a_concurrency_warning()
    {
        Assert.Equal(DiagnosticCategories.Concurrency, DiagnosticDescriptors.StartableNeverReportsStarted.Category);
        Assert.Equal(DiagnosticSeverity.Warning, DiagnosticDescriptors.StartableNeverReportsStarted.DefaultSeverity);
        Assert.Equal(DiagnosticDescriptors.StartableNeverReportsStarted, new StartableSignalAnalyzer().SupportedDiagnostics.Single());
    }

    [Fact]
    public Task Status_only_passed_to_a_helper() => VerifyWithVariants("""
        sealed class C
        {
            static async ValueTask ServeAsync(IAsyncBackend backend, ReadyStatus [|status|])
            {
                StatusHelpers.Forward(status);
                await backend.SleepForeverAsync();
            }
        }
        """);

    [Fact]
    public Task Signal_on_a_shadowing_lambda_parameter_does_not_count() => Verify("""
        sealed class C
        {
            static async ValueTask ServeAsync(IAsyncBackend backend, ReadyStatus [|status|])
            {
                Action<ReadyStatus> other = status => status.Started();
                other(new ReadyStatus());
                await backend.SleepForeverAsync();
            }
        }
        """);

    [Fact]
    public Task Signal_on_another_status_does_not_count() => Verify("""
        sealed class C
        {
            static async ValueTask ServeAsync(IAsyncBackend backend, ReadyStatus [|first|], ReadyStatus second)
            {
                second.Started();
                await backend.SleepForeverAsync();
            }
        }
        """);

    [Fact]
    public Task Status_types_through_an_interface_and_a_generic_class() => Verify("""
        sealed class C
        {
            static async ValueTask ListenAsync(IAsyncBackend backend, PortStatus [|status|])
            {
                await backend.SleepForeverAsync();
            }

            static async ValueTask BindAsync(IAsyncBackend backend, IReadyStatus [|status|])
            {
                await backend.SleepForeverAsync();
            }

            static async ValueTask CountAsync(IAsyncBackend backend, ValueStatus<int> [|status|])
            {
                await backend.SleepForeverAsync();
            }
        }
        """);

    [Fact]
    public async Task Startable_method_without_status_that_signals_nothing()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify("""
            sealed class C
            {
                [Startable]
                static async ValueTask [|ServeAsync|](IAsyncBackend backend)
                {
                    await backend.SleepForeverAsync();
                }
            }
            """);
        Assert.Equal("'ServeAsync' is marked [Startable] but calls no [StartedSignal] method, so whoever starts it is never told that it is ready", Message(diagnostics.Single()));
    }

    private const string StartSoonInsteadOfStartAsync = """
        sealed class C
        {
            [Startable]
            static async ValueTask ServeAsync(ReadyStatus status)
            {
                status.Started();
                await Task.CompletedTask;
            }

            static void Run(ReadinessGroup group)
            {
                [|group.StartSoon(ServeAsync)|];
                [|group.StartSoon(status => ServeAsync(status))|];
            }
        }
        """;

    [Fact]
    public async Task StartSoon_where_StartAsync_is_needed()
    {
        ImmutableArray<Diagnostic> diagnostics = await Verify(StartSoonInsteadOfStartAsync);
        Assert.Equal(2, diagnostics.Length);
        Assert.All(diagnostics, static d => Assert.Equal(
            "'ServeAsync' is started by 'StartSoon', which does not wait for it to report that it is ready; use a starter that waits, such as 'StartAsync'",
            Message(d)));
    }

    [Fact]
    public Task StartSoon_where_StartAsync_is_needed_auto_variants() => VerifyWithVariants(StartSoonInsteadOfStartAsync);

    [Fact]
    public Task Library_StartSoon_given_a_startable_method() => Verify("""
        sealed class C
        {
            [Startable]
            static async ValueTask ServeAsync(IAsyncBackend backend)
            {
                await backend.SleepForeverAsync();
                new ReadyStatus().Started();
            }

            static ValueTask Run(IAsyncBackend backend) => backend.RunTaskGroupAsync(static (tg, b) =>
            {
                [|tg.StartSoon(ServeAsync, b)|];
                return default;
            }, backend);
        }
        """);

    // ------------------------------------------------------------------ not flagged

    [Fact]
    public Task Signal_directly_conditionally_and_in_nested_functions() => Verify("""
        sealed class C
        {
            static async ValueTask DirectAsync(IAsyncBackend backend, ReadyStatus status)
            {
                status.Started();
                await backend.SleepForeverAsync();
            }

            static async ValueTask ConditionalAsync(IAsyncBackend backend, ReadyStatus? status)
            {
                status?.Started();
                await backend.SleepForeverAsync();
            }

            static async ValueTask LambdaAsync(IAsyncBackend backend, ReadyStatus status)
            {
                Action ready = () => status.Started();
                ready();
                await backend.SleepForeverAsync();
            }

            static async ValueTask LocalFunctionAsync(IAsyncBackend backend, PortStatus status, ValueStatus<int> value)
            {
                Ready();
                await backend.SleepForeverAsync();

                void Ready()
                {
                    status.Started();
                    value.Started(42);
                }
            }

            [Startable]
            static async ValueTask StartableAsync(IAsyncBackend backend, IReadyStatus status)
            {
                await backend.YieldAsync();
                status.Started();
                await backend.SleepForeverAsync();
            }
        }
        """);

    [Fact]
    public Task Stub_bodies() => Verify("""
        sealed class C
        {
            static ValueTask ThrowsAsync(ReadyStatus status) => throw new NotSupportedException();

            static ValueTask ThrowStatementAsync(ReadyStatus status)
            {
                throw new NotSupportedException();
            }

            static void Empty(ReadyStatus status)
            {
            }

            [Startable]
            static async ValueTask EmptyStartableAsync()
            {
            }
        }
        """);

    [Fact]
    public Task Abstract_interface_and_extern_members() => Verify("""
        abstract class Server
        {
            public abstract ValueTask ServeAsync(ReadyStatus status);

            [Startable]
            public abstract ValueTask ListenAsync();

            [System.Runtime.InteropServices.DllImport("native")]
            public static extern void Native(ReadyStatus status);
        }

        interface IServer
        {
            ValueTask ServeAsync(ReadyStatus status);
        }
        """);

    [Fact]
    public Task Dormant_without_readiness_types() => Verify("""
        sealed class C
        {
            static async ValueTask ChildAsync(IAsyncBackend backend)
            {
                await backend.SleepForeverAsync();
            }

            static async ValueTask RunAsync(IAsyncBackend backend, ITaskGroup group, TaskHandle handle, CancelScope scope)
            {
                group.StartSoon(ChildAsync, backend);
                await group.StartAsync(ChildAsync, backend);
                await backend.SleepForeverAsync();
            }
        }
        """);

    [Fact]
    public Task Waiting_starter_and_non_startable_children() => Verify("""
        sealed class C
        {
            [Startable]
            static async ValueTask ServeAsync(ReadyStatus status)
            {
                status.Started();
                await Task.CompletedTask;
            }

            static ValueTask PlainAsync(ReadyStatus status)
            {
                status.Started();
                return default;
            }

            static async ValueTask Run(ReadinessGroup group)
            {
                await group.StartAsync(ServeAsync);
                group.StartSoon(PlainAsync);
                group.StartSoon(static status => { status.Started(); return default; });
            }
        }
        """);

    [Fact]
    public async Task Silent_without_Abstractions()
    {
        const string StandIn = """
            global using System;
            global using System.Threading.Tasks;

            namespace EasyNetwork.Analysis
            {
                public sealed class StartableAttribute : Attribute { }
                public sealed class StartedSignalAttribute : Attribute { }
                public sealed class TaskStarterAttribute : Attribute { }
            }
            """;
        ImmutableArray<Diagnostic> diagnostics = await UsageVerifier.RunAsync<StartableSignalAnalyzer>(
            """
            using EasyNetwork.Analysis;

            public sealed class ReadyStatus
            {
                [StartedSignal]
                public void Started() { }
            }

            sealed class C
            {
                [Startable]
                static async ValueTask ServeAsync(ReadyStatus status) => await Task.Yield();
            }
            """,
            StandIn,
            TestReferences.Framework);
        Assert.Empty(diagnostics);
    }
}
