using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Generator.Analysis;
using EasyNetwork.Generator.Analyzers.Usage;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>
/// EN0017: replaces a statement <c>await backend.RunTaskGroupAsync(body, state);</c> whose body starts a single child by
/// an await of that child: a method group <c>F</c> becomes <c>await F(childState);</c>, an expression lambda
/// <c>c =&gt; E</c> becomes <c>await E</c> with <c>c</c> replaced by the child's state, and the body's state parameter is
/// replaced by the group's state argument. The children of the library's groups take no token (their delegate is
/// <c>Func&lt;TState, ValueTask&gt;</c>), so no token needs replacing. Not offered for block lambdas, empty groups, a group
/// that is not awaited as a statement, an argument that would be evaluated a different number of times, or code that
/// does not bind.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EN0017AwaitChildCodeFix)), Shared]
public sealed class EN0017AwaitChildCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "EN0017.AwaitChild";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.RedundantTaskGroup);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || KnownSymbols.TryCreate(model.Compilation) is not { } known)
        {
            return;
        }

        var roles = new ApiRoles(known);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.GetValueOrDefault(RedundantTaskGroupAnalyzer.VariantProperty) != RedundantTaskGroupAnalyzer.SingleChild
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax call
                || call.Parent is not AwaitExpressionSyntax { Parent: ExpressionStatementSyntax statement }
                || BuildReplacement(model, call, statement, known, roles, context.CancellationToken) is not { } replacement)
            {
                continue;
            }

            Document document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create("Await the child directly", _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(statement, replacement))), EquivalenceKey),
                diagnostic);
        }
    }

    // 'await <child call>;' with the original statement's trivia, or null when no compiling, equivalent rewrite exists.
    private static StatementSyntax? BuildReplacement(SemanticModel model, InvocationExpressionSyntax call, ExpressionStatementSyntax statement, KnownSymbols known, ApiRoles roles, CancellationToken cancellationToken)
    {
        if (model.GetOperation(call, cancellationToken) is not IInvocationOperation group
            || !Checkpoints.TryGetBody(group, out IAnonymousFunctionOperation? body)
            || body is null
            || !RedundantTaskGroupAnalyzer.TryGetOnlyStatement(body, known, out IOperation? only)
            || only is null
            || RedundantTaskGroupAnalyzer.GetLoneChildStart(only, body, roles, cancellationToken) is not { } start
            || DelegateArgument(start) is not { } childArgument)
        {
            return null;
        }

        // The body's own parameters (the group's state) map to the group call's arguments.
        var substitutions = new Dictionary<ISymbol, ExpressionSyntax>(SymbolEqualityComparer.Default);
        if (!MapParameters(body.Symbol.Parameters, group, DelegateArgument(group), substitutions, skip: GroupParameter(start)))
        {
            return null;
        }

        // Each group argument was evaluated once: it may be dropped or repeated only when it has no side effects.
        foreach (KeyValuePair<ISymbol, ExpressionSyntax> substitution in substitutions)
        {
            if (!CanEvaluate(substitution.Value, Count(model, start.Syntax, substitution.Key)))
            {
                return null;
            }
        }

        // The child's name and any other argument of the starter are dropped.
        foreach (IArgumentOperation argument in start.Arguments)
        {
            if (argument != childArgument
                && argument.ArgumentKind != ArgumentKind.DefaultValue
                && !argument.Value.ConstantValue.HasValue
                && !IsDuplicable((ExpressionSyntax)argument.Value.Syntax)
                && !IsStateArgument(start, childArgument, argument))
            {
                return null;
            }
        }

        ExpressionSyntax? awaited = childArgument.Value switch
        {
            IDelegateCreationOperation { Target: IMethodReferenceOperation method } => MethodGroupCall(model, method, start, childArgument, substitutions),
            IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } => LambdaExpression(model, lambda, start, childArgument, substitutions),
            _ => null,
        };
        if (awaited is null)
        {
            return null;
        }

        StatementSyntax replacement = SyntaxFactory.ExpressionStatement(SyntaxFactory.AwaitExpression(Parenthesize(awaited)))
            .WithTriviaFrom(statement)
            .WithAdditionalAnnotations(Formatter.Annotation);
        return Binds(model, statement.SpanStart, replacement) ? replacement : null;
    }

    // The child state argument and the parameters of the child delegate: 'F' becomes 'F(state)'.
    private static ExpressionSyntax? MethodGroupCall(SemanticModel model, IMethodReferenceOperation method, IInvocationOperation start, IArgumentOperation childArgument, Dictionary<ISymbol, ExpressionSyntax> substitutions)
    {
        if (method.Method.Parameters.Length > 1
            || method.Syntax is not ExpressionSyntax target
            || StateArguments(start, childArgument) is not { } states
            || states.Length != method.Method.Parameters.Length
            || Substitute(model, target, substitutions) is not { } callee)
        {
            return null;
        }

        var arguments = new List<ArgumentSyntax>();
        foreach (IArgumentOperation state in states)
        {
            if (Substitute(model, (ExpressionSyntax)state.Value.Syntax, substitutions) is not { } value)
            {
                return null;
            }

            arguments.Add(SyntaxFactory.Argument(value.WithoutTrivia()));
        }

        return SyntaxFactory.InvocationExpression(callee.WithoutTrivia(), SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments)));
    }

    // 'c => E' becomes E with c replaced by the child's state; 'async c => await E' becomes E. Block lambdas get no fix.
    private static ExpressionSyntax? LambdaExpression(SemanticModel model, IAnonymousFunctionOperation lambda, IInvocationOperation start, IArgumentOperation childArgument, Dictionary<ISymbol, ExpressionSyntax> substitutions)
    {
        if (lambda.Syntax is not LambdaExpressionSyntax { ExpressionBody: { } expression })
        {
            return null;
        }

        if (lambda.Symbol.IsAsync)
        {
            if (expression is not AwaitExpressionSyntax await)
            {
                return null;
            }

            expression = await.Expression;
        }
        else if (!IsAwaitable(model.GetTypeInfo(expression).Type))
        {
            return null;
        }

        if (StateArguments(start, childArgument) is not { } states || states.Length != lambda.Symbol.Parameters.Length)
        {
            return null;
        }

        var childSubstitutions = new Dictionary<ISymbol, ExpressionSyntax>(substitutions, SymbolEqualityComparer.Default);
        for (int i = 0; i < states.Length; i++)
        {
            if (Substitute(model, (ExpressionSyntax)states[i].Value.Syntax, substitutions) is not { } value
                || !CanEvaluate(value, Count(model, expression, lambda.Symbol.Parameters[i])))
            {
                return null;
            }

            childSubstitutions[lambda.Symbol.Parameters[i]] = value;
        }

        return Substitute(model, expression, childSubstitutions);
    }

    // Maps each parameter of a delegate body (but the group) to the factory argument of the same generic type.
    private static bool MapParameters(ImmutableArray<IParameterSymbol> parameters, IInvocationOperation factory, IArgumentOperation? bodyArgument, Dictionary<ISymbol, ExpressionSyntax> substitutions, IParameterSymbol? skip)
    {
        if (bodyArgument?.Parameter is null || skip is null)
        {
            return false;
        }

        IArgumentOperation[]? states = StateArguments(factory, bodyArgument, skipFirstDelegateParameter: true);
        if (states is null || states.Length != parameters.Length - 1)
        {
            return false;
        }

        int next = 0;
        foreach (IParameterSymbol parameter in parameters)
        {
            if (SymbolEqualityComparer.Default.Equals(parameter, skip))
            {
                continue;
            }

            if (next >= states.Length)
            {
                return false;
            }

            substitutions[parameter] = (ExpressionSyntax)states[next++].Value.Syntax;
        }

        return true;
    }

    // The parameter of the body that the starter is called on.
    private static IParameterSymbol? GroupParameter(IInvocationOperation start)
    {
        IOperation? instance = start.Instance;
        while (instance is IConversionOperation { IsImplicit: true } conversion)
        {
            instance = conversion.Operand;
        }

        return (instance as IParameterReferenceOperation)?.Parameter;
    }

    // The first argument of delegate type (the child, or the body).
    private static IArgumentOperation? DelegateArgument(IInvocationOperation invocation)
    {
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type.TypeKind == TypeKind.Delegate)
            {
                return argument;
            }
        }

        return null;
    }

    // The arguments that feed the delegate's parameters, in order: for each parameter of the delegate (as declared on the
    // generic definition), the argument whose parameter has the same type. Null when one is missing or ambiguous.
    private static IArgumentOperation[]? StateArguments(IInvocationOperation invocation, IArgumentOperation delegateArgument, bool skipFirstDelegateParameter = false)
    {
        IMethodSymbol definition = invocation.TargetMethod.OriginalDefinition;
        if (delegateArgument.Parameter is not { } parameter
            || definition.Parameters[parameter.Ordinal].Type is not INamedTypeSymbol { DelegateInvokeMethod: { } invoke })
        {
            return null;
        }

        int first = skipFirstDelegateParameter ? 1 : 0;
        if (invoke.Parameters.Length < first)
        {
            return null;
        }

        var states = new IArgumentOperation[invoke.Parameters.Length - first];
        for (int i = first; i < invoke.Parameters.Length; i++)
        {
            IArgumentOperation? match = null;
            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                if (argument.Parameter is not { } candidate
                    || candidate.Ordinal == parameter.Ordinal
                    || argument.ArgumentKind == ArgumentKind.DefaultValue
                    || !SymbolEqualityComparer.Default.Equals(definition.Parameters[candidate.Ordinal].Type, invoke.Parameters[i].Type))
                {
                    continue;
                }

                if (match is not null)
                {
                    return null;
                }

                match = argument;
            }

            if (match is null)
            {
                return null;
            }

            states[i - first] = match;
        }

        return states;
    }

    // Replaces the identifiers bound to the mapped parameters; null when a replaced value would be evaluated another number of times.
    private static ExpressionSyntax? Substitute(SemanticModel model, ExpressionSyntax expression, Dictionary<ISymbol, ExpressionSyntax> substitutions)
    {
        var replaced = new Dictionary<SyntaxNode, ExpressionSyntax>();
        var counts = new Dictionary<ISymbol, int>(SymbolEqualityComparer.Default);
        foreach (SyntaxNode node in expression.DescendantNodesAndSelf())
        {
            if (node is IdentifierNameSyntax identifier
                && model.GetSymbolInfo(identifier).Symbol is IParameterSymbol parameter
                && substitutions.TryGetValue(parameter, out ExpressionSyntax? value))
            {
                replaced[identifier] = Parenthesize(value).WithTriviaFrom(identifier);
                counts[parameter] = counts.TryGetValue(parameter, out int count) ? count + 1 : 1;
            }
        }

        foreach (KeyValuePair<ISymbol, int> count in counts)
        {
            if (count.Value > 1 && !IsDuplicable(substitutions[count.Key]))
            {
                return null;
            }
        }

        return replaced.Count == 0 ? expression : expression.ReplaceNodes(replaced.Keys, (original, _) => replaced[original]);
    }

    // How many times the code mentions a parameter; a mention inside a nested function counts twice, because it moves the evaluation.
    private static int Count(SemanticModel model, SyntaxNode code, ISymbol parameter)
    {
        int count = 0;
        foreach (SyntaxNode node in code.DescendantNodesAndSelf())
        {
            if (node is IdentifierNameSyntax identifier && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier).Symbol, parameter))
            {
                count += IsInNestedFunction(identifier, code) ? 2 : 1;
            }
        }

        return count;
    }

    private static bool IsInNestedFunction(SyntaxNode node, SyntaxNode root)
    {
        for (SyntaxNode? parent = node.Parent; parent is not null && parent != root; parent = parent.Parent)
        {
            if (parent is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsStateArgument(IInvocationOperation start, IArgumentOperation childArgument, IArgumentOperation argument)
    {
        foreach (IArgumentOperation state in StateArguments(start, childArgument) ?? [])
        {
            if (state == argument)
            {
                return true;
            }
        }

        return false;
    }

    // A value used exactly once keeps its evaluation; dropping or repeating it is fine only when it has no side effects.
    private static bool CanEvaluate(ExpressionSyntax value, int uses) => uses == 1 || IsDuplicable(value);

    private static bool IsDuplicable(ExpressionSyntax value) => value switch
    {
        IdentifierNameSyntax or ThisExpressionSyntax or LiteralExpressionSyntax or DefaultExpressionSyntax => true,
        ParenthesizedExpressionSyntax parenthesized => IsDuplicable(parenthesized.Expression),
        MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } member => IsDuplicable(member.Expression),
        TupleExpressionSyntax tuple => AllDuplicable(tuple),
        _ => false,
    };

    private static bool AllDuplicable(TupleExpressionSyntax tuple)
    {
        foreach (ArgumentSyntax argument in tuple.Arguments)
        {
            if (!IsDuplicable(argument.Expression))
            {
                return false;
            }
        }

        return true;
    }

    // Keeps precedence: only non-primary expressions get parentheses, which the simplifier drops where they are not needed.
    private static ExpressionSyntax Parenthesize(ExpressionSyntax value) => value switch
    {
        IdentifierNameSyntax or ThisExpressionSyntax or LiteralExpressionSyntax or DefaultExpressionSyntax or ParenthesizedExpressionSyntax
            or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax or TupleExpressionSyntax => value.WithoutTrivia(),
        _ => SyntaxFactory.ParenthesizedExpression(value.WithoutTrivia()).WithAdditionalAnnotations(Simplifier.Annotation),
    };

    private static bool IsAwaitable(ITypeSymbol? type)
        => type is not null && type.TypeKind != TypeKind.Error && type.SpecialType != SpecialType.System_Void && !type.GetMembers("GetAwaiter").IsEmpty;

    // The rewritten statement binds at the group's position without an invalid operation or an error type.
    private static bool Binds(SemanticModel model, int position, StatementSyntax statement)
    {
        if (!model.TryGetSpeculativeSemanticModel(position, statement, out SemanticModel? speculative)
            || speculative.GetOperation(statement) is not { } operation)
        {
            return false;
        }

        var stack = new Stack<IOperation>();
        stack.Push(operation);
        while (stack.Count > 0)
        {
            IOperation current = stack.Pop();
            if (current.Kind == OperationKind.Invalid || current.Type?.TypeKind == TypeKind.Error)
            {
                return false;
            }

            foreach (IOperation child in current.ChildOperations)
            {
                stack.Push(child);
            }
        }

        return true;
    }
}
