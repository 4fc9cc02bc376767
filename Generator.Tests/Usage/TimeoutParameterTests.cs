using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using EasyNetwork.Generator.Analyzers.Usage;
using EasyNetwork.Generator.Diagnostics;
using EasyNetwork.Generator.Tests.Harness;
using Xunit;

namespace EasyNetwork.Generator.Tests.Usage;

/// <summary>EN0015: awaitable-returning methods in backend code that take a timeout parameter (ANALYZERS §3.1, §6.6).</summary>
public sealed class TimeoutParameterTests
{
    private const string Id = DiagnosticIds.TimeoutParameter;

    private const string Flagged = """
        sealed class C
        {
            static async Task ConnectAsync(IAsyncBackend backend, TimeSpan [|timeout|]) => await backend.YieldAsync();

            static async ValueTask<int> ReadAsync(IAsyncBackend backend, int [|timeoutMs|], TimeSpan? [|readTimeout|])
            {
                await backend.YieldAsync();
                return 0;
            }

            static ValueTask SendAsync(IAsyncBackend backend, long [|millisecondsTimeout|], double [|TIMEOUT|], TimeSpan delay)
                => backend.SleepAsync(delay);
        }

        [StructuredConcurrency]
        abstract class Connector
        {
            public abstract Task ConnectAsync(TimeSpan [|timeout|]);
        }
        """;

    [Fact]
    public Task Timeout_parameters_are_flagged() => UsageVerifier.VerifyWithVariantsAsync<TimeoutParameterAnalyzer>(Flagged, Id);

    [Fact]
    public async Task Message_names_the_method_and_the_parameter()
    {
        Microsoft.CodeAnalysis.Diagnostic first = (await UsageVerifier.VerifyAsync<TimeoutParameterAnalyzer>(Flagged, Id)).OrderBy(static d => d.Location.SourceSpan.Start).First();
        Assert.Equal(
            "'ConnectAsync' takes the timeout parameter 'timeout'; let callers bound the call with MoveOnAfterAsync or TimeoutAfterAsync, which compose with the cancel scopes around it",
            first.GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public Task Custom_names_replace_the_defaults() => UsageVerifier.VerifyWithVariantsAsync<TimeoutParameterAnalyzer>(
        """
        sealed class C
        {
            static async Task ConnectAsync(IAsyncBackend backend, TimeSpan timeout, TimeSpan [|deadlineIn|], int [|waitLimitMs|], string limitText)
                => await backend.YieldAsync();
        }
        """,
        Id,
        new Dictionary<string, string> { ["en_analyzers.en0015.parameter_names"] = " deadlineIn , wait*MS ,, " });

    [Fact]
    public Task Exempt_methods_and_parameters() => UsageVerifier.VerifyAsync<TimeoutParameterAnalyzer>("""
        abstract class Base
        {
            public abstract Task ConnectAsync(IAsyncBackend backend, TimeSpan timeout);
        }

        interface IConnector
        {
            Task ConnectAsync(IAsyncBackend backend, TimeSpan timeout);

            Task OpenAsync(TimeSpan timeout);
        }

        sealed class Derived : Base, IConnector
        {
            public override async Task ConnectAsync(IAsyncBackend backend, TimeSpan timeout) => await backend.YieldAsync();

            async Task IConnector.OpenAsync(TimeSpan timeout) => await AsyncBackend.Current!.YieldAsync();
        }

        sealed class Implicit : IConnector
        {
            public async Task ConnectAsync(IAsyncBackend backend, TimeSpan timeout) => await backend.YieldAsync();

            public async Task OpenAsync(TimeSpan timeout) => await AsyncBackend.Current!.YieldAsync();
        }

        static class Wrappers
        {
            [CancelScopeFactory]
            public static async ValueTask<CancelScope> MoveOnAsync(this IAsyncBackend backend, TimeSpan timeout)
                => await backend.MoveOnAfterAsync(timeout, static (scope, state) => default, 0);

            [Obsolete("Use a scope")]
            public static async Task OldAsync(IAsyncBackend backend, TimeSpan timeout) => await backend.YieldAsync();

            public static int Sync(IAsyncBackend backend, TimeSpan timeout) => backend.CurrentTime().Milliseconds;

            public static async Task ParamsAsync(IAsyncBackend backend, params int[] timeout) => await backend.YieldAsync();

            public static async Task OtherTypeAsync(IAsyncBackend backend, string timeout) => await backend.YieldAsync();

            public static async Task NotBackendCodeAsync(TimeSpan timeout) => await Task.Delay(timeout);
        }

        [AsyncBackend("mine")]
        partial class MyBackend
        {
            public ValueTask<CancelScope> ShieldAsync<TState>(TimeSpan timeout, Func<CancelScope, TState, ValueTask> body, TState state)
                => AsyncBackend.Current!.ShieldAsync(timeout, body, state);
        }
        """, Id);

    [Fact]
    public Task Abstract_members_count_only_when_annotated_or_under_all() => UsageVerifier.VerifyAsync<TimeoutParameterAnalyzer>(
        """
        interface IConnector
        {
            Task ConnectAsync(TimeSpan [|timeout|]);
        }

        sealed class C
        {
            static async Task PlainAsync(TimeSpan [|timeout|]) => await Task.Delay(timeout);
        }
        """,
        Id,
        new Dictionary<string, string> { ["en_analyzers.backend_code"] = "all" });
}
