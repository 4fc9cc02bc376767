using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Generator.Analysis;
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
/// EN0001 and EN0010 "Shield with a cleanup deadline", first version: wraps one flagged statement <c>await X;</c> in
/// <c>await backend.ShieldAsync(TimeSpan.FromSeconds(cleanup_timeout), static (scope, state) =&gt; X', state);</c>.
/// Offered only when a facade-typed parameter, local, field or property is in scope and X reads at most one outer
/// variable (which becomes the state); outer token arguments become <c>scope.Token</c>, and a moved call that could take a
/// token but is given none (an omitted optional parameter, a token overload, <c>None</c>/<c>default</c>) is given
/// <c>scope.Token</c> (<see cref="TokenSlots"/>, shared with EN0002), so the fix adds no EN0002. Otherwise nothing is offered.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EN0001ShieldCleanupCodeFix)), Shared]
public sealed class EN0001ShieldCleanupCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "EN0001.ShieldWithDeadline";

    private const string ShieldMethodName = "ShieldAsync";

    // The shield body's scope parameter; the moved call observes its token (ANALYZERS §6.6: no new EN0002).
    private const string ScopeParameterName = "scope";

    private const string ScopeToken = ScopeParameterName + ".Token";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnshieldedCleanupAwait, DiagnosticIds.AwaitInRethrowingCatch);

    /// <inheritdoc/>
    /// <remarks>No Fix All yet: several awaits of one statement would overlap (ANALYZERS §5.5 asks for a region-grouping provider).</remarks>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        Document document = context.Document;
        SyntaxNode? root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not AwaitExpressionSyntax @await
                || @await.Span != diagnostic.Location.SourceSpan
                || Plan(@await, model, context.CancellationToken) is not { } plan)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Shield with a cleanup deadline", cancellationToken => ApplyAsync(document, plan, cancellationToken), EquivalenceKey),
                diagnostic);
        }
    }

    private static FixPlan? Plan(AwaitExpressionSyntax @await, SemanticModel model, CancellationToken cancellationToken)
    {
        if (@await.Parent is not ExpressionStatementSyntax { Parent: BlockSyntax } statement
            || KnownSymbols.GetBestTypeByMetadataName(model.Compilation, KnownTypeNames.IAsyncBackend) is not { } facade
            || facade.GetMembers(ShieldMethodName).IsEmpty
            || BackendReceiver.Find(model, statement.SpanStart, facade, cancellationToken)?.Name is not { } backend)
        {
            return null;
        }

        KnownSymbols? known = KnownSymbols.TryCreate(model.Compilation);
        ApiRoles? roles = known is null ? null : new ApiRoles(known);
        ExpressionSyntax awaited = @await.Expression;
        var tokenReplacements = new List<ExpressionSyntax>();
        var stateReads = new List<IdentifierNameSyntax>();
        ISymbol? stateVariable = null;
        foreach (SyntaxNode node in awaited.DescendantNodesAndSelf())
        {
            if (tokenReplacements.Any(r => r.Span.Contains(node.Span)))
            {
                continue;
            }

            switch (node)
            {
                case AnonymousFunctionExpressionSyntax or ThisExpressionSyntax or BaseExpressionSyntax:
                    // A nested lambda, or an explicit instance access: a static lambda cannot take it as is.
                    return null;
                case MemberAccessExpressionSyntax memberAccess
                    when model.GetSymbolInfo(memberAccess, cancellationToken).Symbol is IPropertySymbol property && roles?.Has(property, ApiRole.AmbientToken) == true:
                    tokenReplacements.Add(memberAccess);
                    continue;
                case IdentifierNameSyntax identifier:
                    ISymbol? symbol = model.GetSymbolInfo(identifier, cancellationToken).Symbol;
                    switch (symbol)
                    {
                        case ILocalSymbol or IParameterSymbol when IsCancellationToken(symbol):
                            tokenReplacements.Add(identifier);
                            break;
                        case ILocalSymbol or IParameterSymbol:
                            if (stateVariable is not null && !SymbolEqualityComparer.Default.Equals(stateVariable, symbol))
                            {
                                // Two outer variables would need a closure: not offered in this version.
                                return null;
                            }

                            stateVariable = symbol;
                            stateReads.Add(identifier);
                            break;
                        case IFieldSymbol { IsStatic: false } or IPropertySymbol { IsStatic: false } or IMethodSymbol { IsStatic: false, MethodKind: not MethodKind.LocalFunction }
                            when identifier.Parent is not MemberAccessExpressionSyntax { Name: var name } || name != identifier:
                            // An implicit 'this' member access.
                            return null;
                        case IMethodSymbol { MethodKind: MethodKind.LocalFunction, IsStatic: false }:
                            return null;
                    }

                    break;
            }
        }

        // The moved call takes the shield's token where it could take one but is given none (EN0002 a to c); an outer
        // token (d) is already among the replacements.
        TokenSlot slot = new(TokenSlotKind.None);
        InvocationExpressionSyntax? invocation = AwaitedInvocation(awaited);
        if (known is not null && roles is not null && invocation is not null
            && model.GetOperation(invocation, cancellationToken) is IInvocationOperation operation
            && model.GetEnclosingSymbol(statement.SpanStart, cancellationToken) is { } containingSymbol)
        {
            slot = TokenSlots.Find(operation, known, new BackendCode(known, roles), model.Compilation, containingSymbol);
            switch (slot.Kind)
            {
                case TokenSlotKind.OptOut when slot.Value is { } value:
                    if (!tokenReplacements.Any(r => r.Span.Contains(value.Span)))
                    {
                        tokenReplacements.RemoveAll(r => value.Span.Contains(r.Span));
                        tokenReplacements.Add(value);
                    }

                    slot = new TokenSlot(TokenSlotKind.None);
                    break;
                case TokenSlotKind.Omitted or TokenSlotKind.Overload
                    when TokenSlots.AddToken(invocation, slot, SyntaxFactory.ParseExpression(ScopeToken)) is null:
                    // The token cannot be added (an overload call with named arguments): the fix would add an EN0002.
                    return null;
            }
        }

        ITypeSymbol? awaitedType = model.GetTypeInfo(awaited, cancellationToken).Type;
        // An overload may return another awaitable type: the async body form awaits any of them.
        bool isValueTask = slot.Kind != TokenSlotKind.Overload
            && awaitedType is INamedTypeSymbol { Name: "ValueTask", Arity: 0, ContainingNamespace: { Name: "Tasks" } };
        // TimeSpan when that name binds to System.TimeSpan at the statement, else fully qualified.
        INamedTypeSymbol? timeSpan = model.Compilation.GetTypeByMetadataName("System.TimeSpan");
        bool shortName = model.LookupNamespacesAndTypes(statement.SpanStart, name: "TimeSpan") is { Length: 1 } found
            && SymbolEqualityComparer.Default.Equals(found[0], timeSpan);
        return new FixPlan(
            statement,
            backend,
            stateVariable,
            tokenReplacements,
            stateReads,
            slot.Kind == TokenSlotKind.None ? null : invocation,
            slot,
            isValueTask,
            shortName ? "TimeSpan" : "global::System.TimeSpan");
    }

    private static async Task<Document> ApplyAsync(Document document, FixPlan plan, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        SyntaxTree? tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || tree is null)
        {
            return document;
        }

        int timeout = UsageOptions.Read(document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(tree)).CleanupTimeoutSeconds;
        var awaitExpression = (AwaitExpressionSyntax)plan.Statement.Expression;
        IEnumerable<SyntaxNode> edited = plan.TokenReplacements.Cast<SyntaxNode>().Concat(plan.StateReads);
        if (plan.TokenInvocation is { } tokenInvocation)
        {
            edited = edited.Append(tokenInvocation);
        }

        ExpressionSyntax body = awaitExpression.Expression.ReplaceNodes(
            edited,
            (original, rewritten) => original == plan.TokenInvocation
                ? TokenSlots.AddToken((InvocationExpressionSyntax)rewritten, plan.TokenSlot, SyntaxFactory.ParseExpression(ScopeToken)) ?? rewritten
                : (plan.TokenReplacements.Contains(original) ? SyntaxFactory.ParseExpression(ScopeToken) : SyntaxFactory.IdentifierName("state")).WithTriviaFrom(original));

        string bodyText = body.WithoutTrivia().ToFullString();
        string stateParameter = plan.StateVariable is null ? "_" : "state";
        string lambda = plan.IsValueTask
            ? $"static ({ScopeParameterName}, {stateParameter}) => {bodyText}"
            : $"static async ({ScopeParameterName}, {stateParameter}) => {{ await {bodyText}; }}";
        string state = plan.StateVariable is null ? "default(object)" : plan.StateVariable.Name;
        string text = string.Format(CultureInfo.InvariantCulture, "await {0}.{1}({5}.FromSeconds({2}), {3}, {4});", plan.Backend, ShieldMethodName, timeout, lambda, state, plan.TimeSpanName);
        StatementSyntax replacement = SyntaxFactory.ParseStatement(text)
            .WithTriviaFrom(plan.Statement)
            .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);
        return document.WithSyntaxRoot(root.ReplaceNode(plan.Statement, replacement));
    }

    // The call whose awaitable is awaited, through parentheses and ConfigureAwait(...).
    private static InvocationExpressionSyntax? AwaitedInvocation(ExpressionSyntax awaited)
    {
        while (true)
        {
            switch (awaited)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    awaited = parenthesized.Expression;
                    continue;
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } member }:
                    awaited = member.Expression;
                    continue;
                case InvocationExpressionSyntax invocation:
                    return invocation;
                default:
                    return null;
            }
        }
    }

    private static bool IsCancellationToken(ISymbol symbol)
        => (symbol switch { ILocalSymbol local => local.Type, IParameterSymbol parameter => parameter.Type, _ => null })
            is INamedTypeSymbol { Name: "CancellationToken", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } };

    private sealed record FixPlan(
        ExpressionStatementSyntax Statement,
        string Backend,
        ISymbol? StateVariable,
        List<ExpressionSyntax> TokenReplacements,
        List<IdentifierNameSyntax> StateReads,
        InvocationExpressionSyntax? TokenInvocation,
        TokenSlot TokenSlot,
        bool IsValueTask,
        string TimeSpanName);
}
