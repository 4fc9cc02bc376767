using System.Collections.Immutable;
using EasyNetwork.Generator.Analysis;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analyzers.Usage;

/// <summary>
/// EN0010: reports an unshielded await in a catch clause that is not a cleanup region (it cannot catch cancellation, or
/// its filter excludes it) when the handler runs <c>throw;</c>, <c>throw e;</c> or <c>throw new X(..., e)</c> after the
/// await. Conditional structure is ignored. Awaits in cleanup regions are EN0001's. Each diagnostic carries the run of
/// adjacent flagged statements of its block as additional locations (<see cref="FlaggedStatementRuns"/>), for the fix.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RethrowingCatchAwaitAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.AwaitInRethrowingCatch);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (KnownSymbols.TryCreate(start.Compilation) is not { } known)
            {
                return;
            }

            var state = new State(known, new ApiRoles(known));
            start.RegisterOperationBlockStartAction(state.StartBody);
        });
    }

    private sealed class State(KnownSymbols known, ApiRoles roles)
    {
        // Per body: the diagnostics are reported at its end, with the run of adjacent flagged statements the fix moves.
        public void StartBody(OperationBlockStartAnalysisContext body)
        {
            var runs = new FlaggedStatementRuns();
            body.RegisterOperationAction(context => AnalyzeAwait(context, runs), OperationKind.Await);
            body.RegisterOperationBlockEndAction(runs.Report);
        }

        private void AnalyzeAwait(OperationAnalysisContext context, FlaggedStatementRuns runs)
        {
            var @await = (IAwaitOperation)context.Operation;
            ICatchClauseOperation? @catch = EnclosingHandler(@await);
            if (@catch is null
                || CleanupRegions.Find(@await, context.ContainingSymbol, known, catchExceptionIsCleanup: true).Kind != CleanupRegionKind.None
                || CleanupRegions.CanCatchCancellation(@catch, known, catchExceptionIsCleanup: true))
            {
                return;
            }

            IOperation awaited = AwaitedOperations.Unwrap(@await.Operation, known);
            if (CleanupRegions.IsSafeInCleanup(awaited, CleanupRegionKind.Catch, roles, known)
                || !RethrowsAfter(@catch, @await.Syntax.Span.End, context)
                || Shields.GetState(@await, awaited, @catch.Handler, roles, known) == ShieldState.Shielded)
            {
                return;
            }

            runs.Add(
                DiagnosticDescriptors.AwaitInRethrowingCatch,
                @await.Syntax,
                @await.Syntax.GetLocation(),
                @catch.ExceptionType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
        }

        // The catch clause whose handler holds the await, without crossing a function boundary.
        private static ICatchClauseOperation? EnclosingHandler(IOperation operation)
        {
            IOperation child = operation;
            for (IOperation? parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
            {
                switch (parent)
                {
                    case IAnonymousFunctionOperation or ILocalFunctionOperation:
                        return null;
                    case ICatchClauseOperation @catch when child == @catch.Handler:
                        return @catch;
                }
            }

            return null;
        }

        // throw; throw e; throw new X(..., e): after 'position', outside nested functions.
        private static bool RethrowsAfter(ICatchClauseOperation @catch, int position, OperationAnalysisContext context)
        {
            ILocalSymbol? caught = (@catch.ExceptionDeclarationOrExpression as IVariableDeclaratorOperation)?.Symbol;
            foreach (IOperation operation in @catch.Handler.Descendants())
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                if (operation is not IThrowOperation @throw || @throw.Syntax.SpanStart < position || FunctionBoundaries.IsInNestedFunction(@throw, @catch.Handler))
                {
                    continue;
                }

                if (@throw.Exception is null || (caught is not null && Mentions(@throw.Exception, caught)))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Mentions(IOperation thrown, ILocalSymbol caught)
        {
            foreach (IOperation operation in thrown.DescendantsAndSelf())
            {
                if (operation is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, caught))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
