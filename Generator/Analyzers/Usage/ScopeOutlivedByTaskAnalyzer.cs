using System.Collections.Immutable;
using EasyNetwork.Generator.Analysis;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analyzers.Usage;

/// <summary>
/// EN0006: reports, in a method, lambda or local function that is not async and returns a task type, a returned task
/// created within the lifetime of an inline scope, shield or group of the same function (a call, or a local declared
/// after the scope was entered). The scope exits when the function returns, before the task completes.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ScopeOutlivedByTaskAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The <see cref="Diagnostic.Properties"/> key set to <c>true</c> when awaiting the task would expose the scope's own cancellation unclaimed (EN0005), so the fix is not offered.</summary>
    public const string UnclaimedProperty = "Unclaimed";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ScopeEndsBeforeTask);

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
            start.RegisterOperationAction(state.AnalyzeReturn, OperationKind.Return);
        });
    }

    private sealed class State(KnownSymbols known, ApiRoles roles)
    {
        public void AnalyzeReturn(OperationAnalysisContext context)
        {
            var @return = (IReturnOperation)context.Operation;
            if (@return.ReturnedValue is not { } value
                || Function(@return, context.ContainingSymbol) is not { IsAsync: false } function
                || !AwaitedOperations.IsTaskType(function.ReturnType, known)
                || ScopeShapes.FindEnclosingInlineScope(@return, roles) is not { } scope
                || !CreatedInScope(AwaitedOperations.Unwrap(value, known), scope))
            {
                return;
            }

            bool unclaimed = ScopeShapes.CanRaiseOwnCancellation(scope, roles)
                && !(scope.Parent?.Parent is IVariableDeclaratorOperation declarator && OwningCatches.Covers(@return, scope, declarator.Symbol, roles, known));
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.ScopeEndsBeforeTask,
                value.Syntax.GetLocation(),
                ImmutableDictionary<string, string?>.Empty.Add(UnclaimedProperty, unclaimed ? "true" : "false"),
                scope.TargetMethod.Name));
        }

        // A call or creation in the return itself, or a local declared after the scope was entered; completed values never run late.
        private bool CreatedInScope(IOperation returned, IInvocationOperation scope) => returned switch
        {
            _ when AwaitedOperations.IsCompletedValue(returned, known) => false,
            IInvocationOperation or IObjectCreationOperation or IConditionalOperation or ISwitchExpressionOperation => true,
            ILocalReferenceOperation local => local.Local.DeclaringSyntaxReferences is { Length: > 0 } references && references[0].Span.Start > scope.Syntax.SpanStart,
            _ => false,
        };

        // The method, lambda or local function the return belongs to.
        private static IMethodSymbol? Function(IOperation operation, ISymbol containingSymbol)
        {
            for (IOperation? parent = operation.Parent; parent is not null; parent = parent.Parent)
            {
                switch (parent)
                {
                    case IAnonymousFunctionOperation lambda:
                        return lambda.Symbol;
                    case ILocalFunctionOperation local:
                        return local.Symbol;
                }
            }

            return containingSymbol as IMethodSymbol;
        }
    }
}
