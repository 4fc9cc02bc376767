using System.Collections.Immutable;
using EasyNetwork.Generator.Analysis;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analyzers.Usage;

/// <summary>
/// EN0004: reports a <c>yield return</c>, in an async or sync iterator, within the lifetime of an inline scope, shield or
/// task group of the same function (<c>using (X) { ... }</c>, or <c>using var s = X;</c> to the end of its block).
/// Lambdas and local functions are boundaries; delegate forms cannot contain <c>yield</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ScopeSpansYieldAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ScopeSpansYield);

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

            var roles = new ApiRoles(known);
            start.RegisterOperationAction(
                context =>
                {
                    if (ScopeShapes.FindEnclosingInlineScope(context.Operation, roles) is { } scope)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ScopeSpansYield, context.Operation.Syntax.GetLocation(), scope.TargetMethod.Name));
                    }
                },
                OperationKind.YieldReturn);
        });
    }
}
