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
/// EN0001 and EN0010 "Shield with a cleanup deadline": wraps the flagged statement <c>await X;</c>, or the longest run of
/// adjacent flagged statements around it (the analyzer attaches the run as additional locations; <see cref="ShieldRuns"/>),
/// in <c>await backend.ShieldAsync(TimeSpan.FromSeconds(cleanup_timeout), static (scope, state) =&gt; X', state);</c>
/// (Fix All, <see cref="EN0001ShieldRunsFixAllProvider"/>, wraps each run once). The body is static when the moved code
/// reads at most one outer variable (which becomes the state), else a non-static closure over them with a discarded state
/// (<c>async (scope, _) =&gt; { ... }, default(object)</c>; the facade has no state-less shield overload). Offered only when
/// a facade-typed parameter, local, field or property is in scope, and not when the code reads <c>this</c>, a ref local or
/// a ref-like value, declares a variable, or writes an outer local read later. Outer token arguments become
/// <c>scope.Token</c>, and a moved call that could take a token but is given none (an omitted optional parameter, a token
/// overload, <c>None</c>/<c>default</c>) is given <c>scope.Token</c> (<see cref="TokenSlots"/>, shared with EN0002), so the
/// fix adds no EN0002. With <c>en_analyzers.en0001.require_deadline = false</c>, a second action "Shield without a
/// deadline" writes the same shield with <c>Timeout.InfiniteTimeSpan</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EN0001ShieldCleanupCodeFix)), Shared]
public sealed class EN0001ShieldCleanupCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "EN0001.ShieldWithDeadline";

    /// <summary>The equivalence key of the second action, offered when a shield without a deadline suffices (<c>require_deadline = false</c>).</summary>
    public const string NoDeadlineEquivalenceKey = "EN0001.ShieldNoDeadline";

    /// <summary>The title of the first action.</summary>
    internal const string DeadlineTitle = "Shield with a cleanup deadline";

    /// <summary>The title of the second action.</summary>
    internal const string NoDeadlineTitle = "Shield without a deadline";

    private const string ShieldMethodName = "ShieldAsync";

    // The preferred name of the shield body's scope parameter; the moved call observes its token (ANALYZERS §6.6: no new EN0002).
    private const string ScopeParameterName = "scope";

    private const string StateParameterName = "state";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnshieldedCleanupAwait, DiagnosticIds.AwaitInRethrowingCatch);

    /// <inheritdoc/>
    /// <remarks>Not the batch fixer: adjacent flagged statements are wrapped together, so their edits would overlap.</remarks>
    public override FixAllProvider GetFixAllProvider() => EN0001ShieldRunsFixAllProvider.Instance;

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
            if (ShieldRuns.Around(root, model, diagnostic, context.CancellationToken) is not { } run)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(DeadlineTitle, cancellationToken => ApplyAsync(document, [run], withDeadline: true, cancellationToken), EquivalenceKey),
                diagnostic);
            if (!ReadOptions(document, root.SyntaxTree).RequireDeadline)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(NoDeadlineTitle, cancellationToken => ApplyAsync(document, [run], withDeadline: false, cancellationToken), NoDeadlineEquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The statement <c>await X;</c> whose await is the diagnostic's location, or null (an await inside a larger expression).</summary>
    /// <param name="root">The document's root.</param>
    /// <param name="diagnostic">An EN0001 or EN0010 diagnostic.</param>
    /// <returns>The statement, or null.</returns>
    internal static ExpressionStatementSyntax? FlaggedStatement(SyntaxNode root, Diagnostic diagnostic)
        => root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is AwaitExpressionSyntax @await
            && @await.Span == diagnostic.Location.SourceSpan
            && @await.Parent is ExpressionStatementSyntax { Parent: BlockSyntax } statement
            ? statement
            : null;

    /// <summary>
    /// Plans the move of one flagged statement <c>await X;</c> of a block into a shield body, or returns null when it is
    /// another statement or the fix cannot produce compiling, equivalent code.
    /// </summary>
    /// <param name="statement">A statement of a block.</param>
    /// <param name="model">The semantic model of its document.</param>
    /// <param name="cancellationToken">Cancels the planning.</param>
    /// <returns>The plan, or null.</returns>
    internal static FixPlan? Plan(StatementSyntax statement, SemanticModel model, CancellationToken cancellationToken)
    {
        if (statement is not ExpressionStatementSyntax { Expression: AwaitExpressionSyntax @await, Parent: BlockSyntax } expressionStatement)
        {
            return null;
        }

        if (KnownSymbols.GetBestTypeByMetadataName(model.Compilation, KnownTypeNames.IAsyncBackend) is not { } facade
            || facade.GetMembers(ShieldMethodName).IsEmpty
            || BackendReceiver.Find(model, statement.SpanStart, facade, cancellationToken)?.Name is not { } backend)
        {
            return null;
        }

        // Moved into a lambda, a variable declared here would vanish for the code after it, and a write read later would
        // be lost on the state's copy (and is not offered with a closure either, ANALYZERS §3.1).
        DataFlowAnalysis? dataFlow = model.AnalyzeDataFlow(statement);
        if (dataFlow is null || !dataFlow.Succeeded || !dataFlow.VariablesDeclared.IsEmpty || !dataFlow.DataFlowsOut.IsEmpty)
        {
            return null;
        }

        KnownSymbols? known = KnownSymbols.TryCreate(model.Compilation);
        ApiRoles? roles = known is null ? null : new ApiRoles(known);
        ExpressionSyntax awaited = @await.Expression;
        var tokenReplacements = new List<ExpressionSyntax>();
        var outerReads = new List<IdentifierNameSyntax>();
        var outerVariables = new List<ISymbol>();
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
                        case ILocalSymbol { IsRef: true } or IParameterSymbol { RefKind: not RefKind.None }:
                            // A lambda can neither capture a reference nor take it as state.
                            return null;
                        case ILocalSymbol or IParameterSymbol when IsRefLike(symbol):
                            return null;
                        case ILocalSymbol or IParameterSymbol:
                            if (!outerVariables.Contains(symbol, SymbolEqualityComparer.Default))
                            {
                                outerVariables.Add(symbol);
                            }

                            outerReads.Add(identifier);
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
                    when TokenSlots.AddToken(invocation, slot, SyntaxFactory.ParseExpression(ScopeParameterName + ".Token")) is null:
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
        INamedTypeSymbol? timeout = model.Compilation.GetTypeByMetadataName("System.Threading.Timeout");
        bool shortTimeout = model.LookupNamespacesAndTypes(statement.SpanStart, name: "Timeout") is { Length: 1 } foundTimeout
            && SymbolEqualityComparer.Default.Equals(foundTimeout[0], timeout);
        return new FixPlan(
            expressionStatement,
            backend,
            FreeNames.Find(model, statement, statement.SpanStart, ScopeParameterName),
            outerVariables,
            tokenReplacements,
            outerReads,
            slot.Kind == TokenSlotKind.None ? null : invocation,
            slot,
            isValueTask,
            shortName ? "TimeSpan" : "global::System.TimeSpan",
            shortTimeout ? "Timeout" : "global::System.Threading.Timeout");
    }

    /// <summary>Gets whether two plans can share one shield body: the same receiver and scope parameter (outer variables beyond one make the body a closure).</summary>
    /// <param name="first">The plan of a statement.</param>
    /// <param name="second">The plan of a statement of the same block after it.</param>
    /// <returns>Whether one body can hold both.</returns>
    internal static bool CanShareShield(FixPlan first, FixPlan second)
        => first.Backend == second.Backend && first.ScopeName == second.ScopeName;

    /// <summary>
    /// Wraps each run of statements in one shield: the first statement of a run becomes the shield, the others are
    /// removed. The runs must not overlap.
    /// </summary>
    /// <param name="document">The document.</param>
    /// <param name="runs">Runs of adjacent statements of one block, each statement planned, every pair able to share a shield.</param>
    /// <param name="withDeadline">Whether the shield gets the <c>cleanup_timeout</c> deadline, or none.</param>
    /// <param name="cancellationToken">Cancels the edit.</param>
    /// <returns>The edited document.</returns>
    internal static async Task<Document> ApplyAsync(Document document, IReadOnlyList<IReadOnlyList<FixPlan>> runs, bool withDeadline, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        int timeout = ReadOptions(document, root.SyntaxTree).CleanupTimeoutSeconds;
        var replacements = new Dictionary<SyntaxNode, StatementSyntax?>();
        foreach (IReadOnlyList<FixPlan> run in runs)
        {
            replacements.Add(run[0].Statement, Shield(run, withDeadline, timeout));
            for (int i = 1; i < run.Count; i++)
            {
                replacements.Add(run[i].Statement, null);
            }
        }

        // A removed statement is replaced by nothing; the block keeps the statements around it.
        SyntaxNode edited = root.ReplaceNodes(
            replacements.Keys.Select(static s => s.Parent!).Distinct(),
            (original, rewritten) => RewriteBlock((BlockSyntax)original, (BlockSyntax)rewritten, replacements));
        return document.WithSyntaxRoot(edited);
    }

    // Statements are matched by position: a block nested in a kept statement may already be rewritten.
    private static BlockSyntax RewriteBlock(BlockSyntax original, BlockSyntax rewritten, Dictionary<SyntaxNode, StatementSyntax?> replacements)
    {
        var statements = new List<StatementSyntax>(original.Statements.Count);
        for (int i = 0; i < original.Statements.Count; i++)
        {
            if (!replacements.TryGetValue(original.Statements[i], out StatementSyntax? replacement))
            {
                statements.Add(rewritten.Statements[i]);
            }
            else if (replacement is not null)
            {
                statements.Add(replacement);
            }
        }

        return rewritten.WithStatements(SyntaxFactory.List(statements));
    }

    // One shield for a run: the expression lambda of the one-statement ValueTask form, else an async block body; static
    // with the one outer variable as state, else a closure (a cold path) with a discarded state.
    private static StatementSyntax Shield(IReadOnlyList<FixPlan> run, bool withDeadline, int timeout)
    {
        FixPlan first = run[0];
        var outerVariables = new List<ISymbol>();
        foreach (FixPlan plan in run)
        {
            foreach (ISymbol variable in plan.OuterVariables)
            {
                if (!outerVariables.Contains(variable, SymbolEqualityComparer.Default))
                {
                    outerVariables.Add(variable);
                }
            }
        }

        bool closure = outerVariables.Count > 1;
        ISymbol? stateVariable = outerVariables.Count == 1 ? outerVariables[0] : null;
        var bodies = new List<string>(run.Count);
        foreach (FixPlan plan in run)
        {
            bodies.Add(MovedExpression(plan, readsBecomeState: stateVariable is not null));
        }

        string parameters = string.Format(CultureInfo.InvariantCulture, "({0}, {1})", first.ScopeName, stateVariable is null ? "_" : StateParameterName);
        string modifier = closure ? string.Empty : "static ";
        string lambda = run.Count == 1 && first.IsValueTask
            ? $"{modifier}{parameters} => {bodies[0]}"
            : $"{modifier}async {parameters} => {{ " + string.Concat(bodies.Select(static b => "await " + b + "; ")) + "}";

        string state = stateVariable is null ? "default(object)" : stateVariable.Name;
        string deadline = withDeadline
            ? string.Format(CultureInfo.InvariantCulture, "{0}.FromSeconds({1})", first.TimeSpanName, timeout)
            : first.TimeoutName + ".InfiniteTimeSpan";
        string text = string.Format(CultureInfo.InvariantCulture, "await {0}.{1}({2}, {3}, {4});", first.Backend, ShieldMethodName, deadline, lambda, state);
        StatementSyntax shield = SyntaxFactory.ParseStatement(text);
        if (run.Count > 1 && shield.DescendantNodes().OfType<ParenthesizedLambdaExpressionSyntax>().FirstOrDefault() is { Block: { } block } body)
        {
            // Elastic line breaks, so the formatter lays the body out one statement a line (it keeps a parsed one-line block as is).
            BlockSyntax laidOut = SyntaxFactory.Block(block.Statements.Select(static s => s.WithoutTrivia().WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed)))
                .WithOpenBraceToken(SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed).WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed));
            shield = shield.ReplaceNode(body, body.WithArrowToken(body.ArrowToken.WithTrailingTrivia(SyntaxFactory.ElasticMarker)).WithBlock(laidOut));
        }

        return shield
            .WithLeadingTrivia(first.Statement.GetLeadingTrivia())
            .WithTrailingTrivia(run[run.Count - 1].Statement.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);
    }

    // The awaited expression of one statement, with the shield's token and, in the static form, the state substituted.
    private static string MovedExpression(FixPlan plan, bool readsBecomeState)
    {
        var awaitExpression = (AwaitExpressionSyntax)plan.Statement.Expression;
        IEnumerable<SyntaxNode> edited = readsBecomeState ? plan.TokenReplacements.Cast<SyntaxNode>().Concat(plan.OuterReads) : plan.TokenReplacements;
        if (plan.TokenInvocation is { } tokenInvocation)
        {
            edited = edited.Append(tokenInvocation);
        }

        string scopeToken = plan.ScopeName + ".Token";
        ExpressionSyntax body = awaitExpression.Expression.ReplaceNodes(
            edited,
            (original, rewritten) => original == plan.TokenInvocation
                ? TokenSlots.AddToken((InvocationExpressionSyntax)rewritten, plan.TokenSlot, SyntaxFactory.ParseExpression(scopeToken)) ?? rewritten
                : (plan.TokenReplacements.Contains(original) ? SyntaxFactory.ParseExpression(scopeToken) : SyntaxFactory.IdentifierName(StateParameterName)).WithTriviaFrom(original));
        return body.WithoutTrivia().ToFullString();
    }

    private static UsageOptions ReadOptions(Document document, SyntaxTree tree)
        => UsageOptions.Read(document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(tree));

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

    private static bool IsRefLike(ISymbol symbol)
        => (symbol switch { ILocalSymbol local => local.Type, IParameterSymbol parameter => parameter.Type, _ => null }) is { IsRefLikeType: true };

    private static bool IsCancellationToken(ISymbol symbol)
        => (symbol switch { ILocalSymbol local => local.Type, IParameterSymbol parameter => parameter.Type, _ => null })
            is INamedTypeSymbol { Name: "CancellationToken", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } };

    /// <summary>How one flagged statement moves into a shield body.</summary>
    internal sealed record FixPlan(
        ExpressionStatementSyntax Statement,
        string Backend,
        string ScopeName,
        List<ISymbol> OuterVariables,
        List<ExpressionSyntax> TokenReplacements,
        List<IdentifierNameSyntax> OuterReads,
        InvocationExpressionSyntax? TokenInvocation,
        TokenSlot TokenSlot,
        bool IsValueTask,
        string TimeSpanName,
        string TimeoutName);
}
