using System.Collections.Immutable;
using EasyNetwork.Generator.Analysis;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analyzers.Usage;

/// <summary>
/// EN0009: reports, in backend code (ANALYZERS §2.6), a call or property read of the EN0009 list (<see cref="BlockingWaits"/>):
/// <c>Thread.Sleep</c>, <c>Task.Wait</c>/<c>WaitAll</c>/<c>WaitAny</c>, <c>.Result</c>, <c>GetAwaiter().GetResult()</c> on the
/// task types, <c>SemaphoreSlim.Wait</c>, and the other synchronisation primitives' waits. A result read of a task known
/// complete (<see cref="CompletedTasks"/>) is not reported. When an <c>await</c> can replace the wait where it stands, the
/// diagnostic carries the fix's shape in <see cref="FixProperty"/>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingWaitAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The <see cref="Diagnostic.Properties"/> key of the fix's shape; absent when no fix applies.</summary>
    public const string FixProperty = "Fix";

    /// <summary><c>Thread.Sleep(x)</c> becomes <c>await backend.SleepAsync(x)</c>.</summary>
    public const string SleepFix = "Sleep";

    /// <summary><c>t.Wait()</c>, <c>t.Result</c> and <c>t.GetAwaiter().GetResult()</c> become <c>await t</c>.</summary>
    public const string AwaitFix = "Await";

    /// <summary><c>sem.Wait()</c> becomes <c>await sem.WaitAsync(token)</c>.</summary>
    public const string WaitAsyncFix = "WaitAsync";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.BlockingWait);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (KnownSymbols.TryCreate(start.Compilation) is not { } known || known.BlockingWaits is not { IsEmpty: false } waits)
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
                    BlockingWaitKind kind = waits.Get(method);
                    switch (kind)
                    {
                        case BlockingWaitKind.None or BlockingWaitKind.GetAwaiter:
                            return;
                        case BlockingWaitKind.GetResult:
                            // Only GetResult of a task's own awaiter: GetAwaiter() called on a task type right there.
                            if (invocation.Instance is not IInvocationOperation { Instance: { } task } getAwaiter
                                || waits.Get(getAwaiter.TargetMethod) != BlockingWaitKind.GetAwaiter
                                || CompletedTasks.IsKnownComplete(task, invocation, known, context.CancellationToken))
                            {
                                return;
                            }

                            Report(context, invocation, kind, getAwaiter.TargetMethod.ContainingType.Name + ".GetAwaiter().GetResult()", invocation.Arguments.IsEmpty);
                            return;
                        default:
                            bool parameterless = invocation.Arguments.IsEmpty || (kind == BlockingWaitKind.Sleep && invocation.Arguments.Length == 1);
                            Report(context, invocation, kind, method.ContainingType.Name + "." + method.Name, parameterless);
                            return;
                    }
                },
                OperationKind.Invocation);
            start.RegisterOperationAction(
                context =>
                {
                    var reference = (IPropertyReferenceOperation)context.Operation;
                    if (waits.Get(reference.Property) is not BlockingWaitKind.Result
                        || reference.Instance is not { } task
                        || CompletedTasks.IsKnownComplete(task, reference, known, context.CancellationToken))
                    {
                        return;
                    }

                    Report(context, reference, BlockingWaitKind.Result, reference.Property.ContainingType.Name + "." + reference.Property.Name, mechanical: true);
                },
                OperationKind.PropertyReference);

            void Report(OperationAnalysisContext context, IOperation wait, BlockingWaitKind kind, string member, bool mechanical)
            {
                UsageOptions treeOptions = options.Get(wait.Syntax.SyntaxTree);
                if (!backendCode.IsBackendCode(wait, context.ContainingSymbol, treeOptions.BackendCode))
                {
                    return;
                }

                string? fix = !mechanical ? null : kind switch
                {
                    BlockingWaitKind.Sleep => SleepFix,
                    BlockingWaitKind.TaskWait or BlockingWaitKind.Result or BlockingWaitKind.GetResult => AwaitFix,
                    BlockingWaitKind.SemaphoreWait => WaitAsyncFix,
                    _ => null,
                };
                ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty;
                if (fix is not null && AwaitFits(wait, context.ContainingSymbol, known))
                {
                    properties = properties.Add(FixProperty, fix);
                }

                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BlockingWait, wait.Syntax.GetLocation(), properties, member, Advice(kind)));
            }
        });
    }

    private static string Advice(BlockingWaitKind kind) => kind switch
    {
        BlockingWaitKind.Sleep => "await the backend's SleepAsync instead",
        BlockingWaitKind.TaskWait or BlockingWaitKind.Result or BlockingWaitKind.GetResult => "await the task instead",
        BlockingWaitKind.SemaphoreWait => "await WaitAsync with the ambient token instead",
        _ => "use an awaitable alternative, such as the backend's events and locks",
    };

    /// <summary>
    /// Gets whether an <c>await</c> in place of <paramref name="wait"/> compiles and adds no other EN diagnostic: the function
    /// is async, and the wait is neither in a <c>lock</c>, a <c>catch</c> or <c>finally</c> block, a <c>DisposeAsync</c> body
    /// (EN0001, EN0010), nor in a <c>try</c> block whose catch clause can catch cancellation (EN0003).
    /// </summary>
    private static bool AwaitFits(IOperation wait, ISymbol containingSymbol, KnownSymbols known)
    {
        IOperation child = wait;
        for (IOperation? parent = wait.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol.IsAsync;
                case ILocalFunctionOperation local:
                    return local.Symbol.IsAsync;
                case ILockOperation or ICatchClauseOperation:
                    return false;
                case ITryOperation @try when child == @try.Finally:
                    return false;
                case ITryOperation @try when child == @try.Body:
                    foreach (ICatchClauseOperation @catch in @try.Catches)
                    {
                        if (CleanupRegions.CanCatchCancellation(@catch, known, catchExceptionIsCleanup: true))
                        {
                            return false;
                        }
                    }

                    break;
            }
        }

        return containingSymbol is IMethodSymbol { IsAsync: true } method && !CleanupRegions.IsDisposeAsyncBody(method, known);
    }
}
