using System.Collections.Immutable;
using EasyNetwork.Generator.Analysis;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analyzers.Usage;

/// <summary>
/// EN0007: reports an argument of a <c>[TaskStarter]</c> call (the child delegate, its state, any other argument) that
/// references a <c>using</c> or <c>await using</c> local disposed before the group waits for its children. Delegate form:
/// the local is declared inside the <c>[ScopeBody]</c> of the <c>[TaskGroupFactory]</c> call whose group starts the child,
/// so the body's return disposes it. Inline form: the local is declared after the <c>using</c> of the inline group, so C#
/// disposes it first. Locals the child declares itself are not reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TaskGroupResourceAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ResourceDisposedBeforeChildren);

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
            var state = new State(roles, new BackendCode(known, roles));
            start.RegisterOperationAction(state.AnalyzeInvocation, OperationKind.Invocation);
        });
    }

    private sealed class State(ApiRoles roles, BackendCode backendCode)
    {
        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (invocation.Instance is not { } receiver
                || !roles.Has(invocation.TargetMethod, ApiRole.TaskStarter)
                || GroupLifetimeStart(Unwrap(receiver)) is not { } group)
            {
                return;
            }

            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                if (argument.ArgumentKind == ArgumentKind.DefaultValue || EarlyDisposedLocal(argument, group.Start) is not { } local)
                {
                    continue;
                }

                string variant = group.InlineGroup is { } inline
                    ? "is declared after the inline task group '" + inline.Name + "', so it is disposed first, before the group waits for its children"
                    : "is disposed when the task group's body returns, before the group waits for its children";
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ResourceDisposedBeforeChildren, argument.Syntax.GetLocation(), local.Name, variant));
            }
        }

        // Where the lifetime of the group that 'receiver' designates starts: the body lambda of a delegate-form group whose
        // group parameter it is, or the declaration of an inline group's 'using' local. Null for any other receiver.
        private (int Start, ILocalSymbol? InlineGroup)? GroupLifetimeStart(IOperation receiver)
        {
            switch (receiver)
            {
                case IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambdaSymbol }:
                    for (IOperation? parent = receiver.Parent; parent is not null; parent = parent.Parent)
                    {
                        if (parent is IAnonymousFunctionOperation lambda
                            && SymbolEqualityComparer.Default.Equals(lambda.Symbol, lambdaSymbol)
                            && backendCode.IsScopeOrTaskBody(lambda, out IInvocationOperation? factory)
                            && factory is not null
                            && roles.Has(factory.TargetMethod, ApiRole.TaskGroupFactory))
                        {
                            return (lambda.Syntax.SpanStart, null);
                        }
                    }

                    return null;
                case ILocalReferenceOperation { Local: { IsUsing: true } local }
                    when local.DeclaringSyntaxReferences is { Length: > 0 } references
                        && receiver.SemanticModel?.GetOperation(references[0].GetSyntax()) is IVariableDeclaratorOperation declarator
                        && IsInlineGroup(declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value):
                    return (references[0].Span.Start, local);
                default:
                    return null;
            }
        }

        private bool IsInlineGroup(IOperation? initializer)
            => ScopeShapes.IsInlineScopeFactoryCall(initializer, roles) && Unwrap(initializer!) is IInvocationOperation call && roles.Has(call.TargetMethod, ApiRole.TaskGroupFactory);

        // The first 'using' local the argument references (in a captured lambda too) that is declared after the group's
        // lifetime started and outside the argument itself (a child's own resource is its business).
        private static ILocalSymbol? EarlyDisposedLocal(IArgumentOperation argument, int groupStart)
        {
            Microsoft.CodeAnalysis.Text.TextSpan span = argument.Syntax.Span;
            foreach (IOperation operation in argument.Value.DescendantsAndSelf())
            {
                if (operation is ILocalReferenceOperation { Local: { IsUsing: true } local }
                    && local.DeclaringSyntaxReferences is { Length: > 0 } references
                    && references[0].Span.Start > groupStart
                    && !span.Contains(references[0].Span))
                {
                    return local;
                }
            }

            return null;
        }

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
