using System.Collections.Immutable;
using EasyNetwork.Generator.Analysis;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analyzers.Usage;

/// <summary>
/// EN0011: reports, in backend code (ANALYZERS §2.6), <c>Task.Delay(0)</c> and <c>Task.Delay(TimeSpan.Zero)</c> (not a
/// checkpoint at all), <c>Task.Yield()</c> (a schedule point only), an infinite or over-24-hour constant <c>Task.Delay</c>
/// (the forever sleep), and any other <c>Task.Delay</c> (wall time, outside the backend's clock), one message each.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TaskDelayAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The <see cref="Diagnostic.Properties"/> key of the backend member the fix calls.</summary>
    public const string ReplacementProperty = "Replacement";

    /// <summary>The backend's checkpoint.</summary>
    public const string YieldAsync = "YieldAsync";

    /// <summary>The backend's sleep.</summary>
    public const string SleepAsync = "SleepAsync";

    /// <summary>The backend's sleep until cancelled.</summary>
    public const string SleepForeverAsync = "SleepForeverAsync";

    private const long Day = 24L * 60 * 60 * 1000;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.UseBackendSleep);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (KnownSymbols.TryCreate(start.Compilation) is not { Task: { } task } known)
            {
                return;
            }

            var roles = new ApiRoles(known);
            var backendCode = new BackendCode(known, roles);
            var options = new AnalyzerOptionsReader(start.Options.AnalyzerConfigOptionsProvider);
            start.RegisterOperationAction(
                context =>
                {
                    var invocation = (IInvocationOperation)context.Operation;
                    IMethodSymbol method = invocation.TargetMethod;
                    if (!method.IsStatic
                        || !SymbolEqualityComparer.Default.Equals(method.ContainingType, task)
                        || Classify(invocation) is not { } found
                        || !backendCode.IsBackendCode(invocation, context.ContainingSymbol, options.Get(invocation.Syntax.SyntaxTree).BackendCode))
                    {
                        return;
                    }

                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.UseBackendSleep,
                        invocation.Syntax.GetLocation(),
                        ImmutableDictionary<string, string?>.Empty.Add(ReplacementProperty, found.Replacement),
                        "Task." + method.Name,
                        found.Message));
                },
                OperationKind.Invocation);
        });
    }

    private static (string Replacement, string Message)? Classify(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.Name == "Yield")
        {
            return (YieldAsync, "is a schedule point that never observes cancellation; use the backend's YieldAsync(), a checkpoint");
        }

        if (invocation.TargetMethod.Name != "Delay" || invocation.Arguments.IsEmpty)
        {
            return null;
        }

        return Milliseconds(invocation.Arguments[0].Value) switch
        {
            0 => (YieldAsync, "with a zero delay completes at once, so it is neither a schedule point nor a cancel point; use the backend's YieldAsync()"),
            -1 or > Day => (SleepForeverAsync, "with an infinite or over-24-hour delay waits on wall time; use the backend's SleepForeverAsync(), which ends with the cancel scope"),
            _ => (SleepAsync, "runs on wall time and ignores the backend's clock; use the backend's SleepAsync(delay), a checkpoint of the ambient cancel scope"),
        };
    }

    // The constant delay in milliseconds (-1 for infinite), or null when not constant.
    private static long? Milliseconds(IOperation delay)
    {
        while (delay is IConversionOperation { IsImplicit: true } conversion)
        {
            delay = conversion.Operand;
        }

        if (delay.ConstantValue is { HasValue: true, Value: int milliseconds })
        {
            return milliseconds;
        }

        switch (delay)
        {
            case IFieldReferenceOperation { Field: { IsStatic: true } field }:
                return (field.ContainingType.Name, field.Name) switch
                {
                    ("TimeSpan", "Zero") => 0,
                    ("TimeSpan", "MaxValue") or ("Timeout", "InfiniteTimeSpan") => -1,
                    _ => null,
                };
            case IInvocationOperation { TargetMethod: { IsStatic: true, ContainingType.Name: "TimeSpan" } from, Arguments.Length: 1 } call
                when call.Arguments[0].Value.ConstantValue is { HasValue: true, Value: { } value } && value is int or long or double:
                double amount = System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                double? scale = from.Name switch
                {
                    "FromMilliseconds" => 1,
                    "FromSeconds" => 1000,
                    "FromMinutes" => 60_000,
                    "FromHours" => 3_600_000,
                    "FromDays" => Day,
                    _ => null,
                };
                return scale is { } factor ? (long)System.Math.Min(amount * factor, long.MaxValue) : null;
            default:
                return null;
        }
    }
}
