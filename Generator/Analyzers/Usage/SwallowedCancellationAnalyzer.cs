using System.Collections.Immutable;
using EasyNetwork.Generator.Analysis;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace EasyNetwork.Generator.Analyzers.Usage;

/// <summary>
/// EN0003: reports a catch clause that can catch <c>OperationCanceledException</c> (ANALYZERS §2.3) whose try block has a
/// checkpoint (§2.5, in the mode of <c>en_analyzers.checkpoints</c>) or a <c>ThrowIfCancellationRequested</c> call, when the handler does not rethrow the caught exception
/// on every path: it swallows it (its end is reachable) or converts it (it throws something else, or leaves by
/// <c>return</c>, <c>break</c>, <c>continue</c> or <c>goto</c>). Owning catches (<c>scope.Owns(e)</c>), filters that
/// exclude cancellation and filters that test a specific token are the sanctioned shapes.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SwallowedCancellationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The <see cref="Diagnostic.Properties"/> key of the variant, read by the code fix.</summary>
    public const string VariantProperty = "Variant";

    /// <summary>The variant of a handler whose end is reachable and that never converts.</summary>
    public const string Swallowed = "swallows";

    /// <summary>The variant of a handler that throws something else or jumps out.</summary>
    public const string Converted = "converts";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.CancellationSwallowed);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (KnownSymbols.TryCreate(start.Compilation) is not { } known || known.OperationCanceledException is null)
            {
                return;
            }

            var roles = new ApiRoles(known);
            var state = new State(known, roles, new Checkpoints(known, roles), new AnalyzerOptionsReader(start.Options.AnalyzerConfigOptionsProvider));
            start.RegisterOperationAction(state.AnalyzeTry, OperationKind.Try);
        });
    }

    private sealed class State(KnownSymbols known, ApiRoles roles, Checkpoints checkpoints, AnalyzerOptionsReader options)
    {
        public void AnalyzeTry(OperationAnalysisContext context)
        {
            var @try = (ITryOperation)context.Operation;
            bool? cancellable = null;
            foreach (ICatchClauseOperation @catch in @try.Catches)
            {
                if (!CleanupRegions.CanCatchCancellation(@catch, known, catchExceptionIsCleanup: true))
                {
                    continue;
                }

                if (@catch.Filter is null && CatchesEveryCancellation(@catch.ExceptionType))
                {
                    // Later clauses never see cancellation.
                    Check(context, @try, @catch, ref cancellable);
                    return;
                }

                Check(context, @try, @catch, ref cancellable);
            }
        }

        private void Check(OperationAnalysisContext context, ITryOperation @try, ICatchClauseOperation @catch, ref bool? cancellable)
        {
            if (@catch.Filter is { } filter && IsSanctionedFilter(filter, @try))
            {
                return;
            }

            cancellable ??= checkpoints.ContainsCheckpoint([@try.Body], returnsAreAwaited: false, options.Get(@try.Syntax.SyntaxTree).Checkpoints, context.CancellationToken)
                || ThrowsIfCancellationRequested(@try.Body, context);
            if (cancellable != true
                || @catch.Syntax is not CatchClauseSyntax syntax
                || @catch.SemanticModel is not { } model
                || Variant(@catch, syntax, model, context) is not { } variant)
            {
                return;
            }

            // On 'catch (Type)', or the 'catch' keyword of a bare catch.
            int end = syntax.Declaration?.CloseParenToken.Span.End ?? syntax.CatchKeyword.Span.End;
            Location location = Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(syntax.CatchKeyword.SpanStart, end));
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.CancellationSwallowed,
                location,
                ImmutableDictionary<string, string?>.Empty.Add(VariantProperty, variant),
                variant));
        }

        // OperationCanceledException or a base type of it: the clause catches every cancellation.
        private bool CatchesEveryCancellation(ITypeSymbol type)
        {
            for (ITypeSymbol? current = known.OperationCanceledException; current is not null; current = current.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(current, type))
                {
                    return true;
                }
            }

            return SymbolEqualityComparer.Default.Equals(type, known.Object);
        }

        // Null when every path rethrows the caught exception.
        private string? Variant(ICatchClauseOperation @catch, CatchClauseSyntax syntax, SemanticModel model, OperationAnalysisContext context)
        {
            ILocalSymbol? caught = (@catch.ExceptionDeclarationOrExpression as IVariableDeclaratorOperation)?.Symbol;
            foreach (IOperation operation in @catch.Handler.Descendants())
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                if (caught is not null && IsCapturedForRethrow(operation, caught))
                {
                    // ExceptionDispatchInfo.Capture(e): the handler keeps the exception to rethrow it later, unchanged.
                    return null;
                }

                if (operation is IThrowOperation { Exception: { } thrown } && !FunctionBoundaries.IsInNestedFunction(operation, @catch.Handler)
                    && !(caught is not null && Unwrap(thrown) is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, caught)))
                {
                    return Converted;
                }
            }

            ControlFlowAnalysis? flow = model.AnalyzeControlFlow(syntax.Block);
            if (flow is null || !flow.Succeeded)
            {
                return null;
            }

            if (!flow.ExitPoints.IsEmpty)
            {
                return Converted;
            }

            return flow.EndPointIsReachable ? Swallowed : null;
        }

        // scope.Owns(e) on a scope declared before the try; a filter excluding cancellation is handled by CanCatchCancellation;
        // a filter that reads a specific token (token.IsCancellationRequested, e.CancellationToken == token).
        private bool IsSanctionedFilter(IOperation filter, ITryOperation @try)
        {
            foreach (IOperation operation in filter.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IInvocationOperation { Instance: ILocalReferenceOperation scope } call
                        when roles.Has(call.TargetMethod, ApiRole.OwnershipFilter)
                            && scope.Local.DeclaringSyntaxReferences is { Length: > 0 } references
                            && references[0].Span.Start < @try.Syntax.SpanStart:
                        return true;
                    case IPropertyReferenceOperation { Property: var property }
                        when SymbolEqualityComparer.Default.Equals(property.Type, known.CancellationToken)
                            || SymbolEqualityComparer.Default.Equals(property.ContainingType, known.CancellationToken):
                        return true;
                }
            }

            return false;
        }

        private bool ThrowsIfCancellationRequested(IOperation body, OperationAnalysisContext context)
        {
            foreach (IOperation operation in body.Descendants())
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                if (operation is IInvocationOperation { TargetMethod: { Name: "ThrowIfCancellationRequested" } method }
                    && SymbolEqualityComparer.Default.Equals(method.ContainingType, known.CancellationToken)
                    && !FunctionBoundaries.IsInNestedFunction(operation, body))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsCapturedForRethrow(IOperation operation, ILocalSymbol caught)
            => operation is IInvocationOperation { TargetMethod: { Name: "Capture", IsStatic: true, ContainingType: { Name: "ExceptionDispatchInfo", ContainingNamespace.Name: "ExceptionServices" } }, Arguments.Length: 1 } capture
                && Unwrap(capture.Arguments[0].Value) is ILocalReferenceOperation local
                && SymbolEqualityComparer.Default.Equals(local.Local, caught);

        private static IOperation Unwrap(IOperation operation)
        {
            while (operation is IConversionOperation { IsImplicit: true } conversion)
            {
                operation = conversion.Operand;
            }

            return operation;
        }
    }
}
