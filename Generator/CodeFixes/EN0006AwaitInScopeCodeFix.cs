using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
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

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>
/// EN0006 "Await the task inside the scope": makes the function <see langword="async"/> and rewrites each of its returns:
/// <c>return X;</c> becomes <c>return await X;</c> for <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c>, and
/// <c>await X; return;</c> for <c>Task</c>/<c>ValueTask</c> (a completed value becomes <c>return;</c>, a trailing
/// <c>return;</c> is dropped). Not offered for functions with <c>ref</c>, <c>in</c> or <c>out</c> parameters, when a
/// newly awaited call would not observe the ambient scope (EN0002), nor when the awaits would be checkpoints of a scope
/// whose own cancellation no owning catch claims (EN0005).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EN0006AwaitInScopeCodeFix)), Shared]
public sealed class EN0006AwaitInScopeCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "EN0006.AwaitInScope";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ScopeEndsBeforeTask);

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

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            SyntaxNode? function = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true)
                .FirstAncestorOrSelf<SyntaxNode>(static n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax);
            if (function is null
                || diagnostic.Properties.GetValueOrDefault(ScopeOutlivedByTaskAnalyzer.UnclaimedProperty) == "true"
                || (model.GetSymbolInfo(function, context.CancellationToken).Symbol ?? model.GetDeclaredSymbol(function, context.CancellationToken)) is not IMethodSymbol symbol
                || symbol.Parameters.Any(static p => p.RefKind != RefKind.None)
                || Body(function) is not BlockSyntax body
                || !ReturnsObserveTheScope(body, model, known, symbol, context.CancellationToken))
            {
                continue;
            }

            bool generic = symbol.ReturnType is INamedTypeSymbol { IsGenericType: true };
            Document document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create("Await the task inside the scope", ct => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(function, Rewrite(function, body, generic, model, known, ct)))), EquivalenceKey),
                diagnostic);
        }
    }

    private static SyntaxNode? Body(SyntaxNode function) => function switch
    {
        BaseMethodDeclarationSyntax method => method.Body,
        LocalFunctionStatementSyntax local => local.Body,
        AnonymousFunctionExpressionSyntax lambda => lambda.Block,
        _ => null,
    };

    // Awaiting a call that could take a token but is given none would add an EN0002.
    private static bool ReturnsObserveTheScope(BlockSyntax body, SemanticModel model, KnownSymbols known, IMethodSymbol symbol, CancellationToken cancellationToken)
    {
        var backendCode = new BackendCode(known, new ApiRoles(known));
        foreach (ReturnStatementSyntax @return in Returns(body))
        {
            if (@return.Expression is { } expression
                && model.GetOperation(expression, cancellationToken) is { } operation
                && AwaitedOperations.Unwrap(operation, known) is IInvocationOperation invocation
                && TokenSlots.Find(invocation, known, backendCode, model.Compilation, symbol).Kind != TokenSlotKind.None)
            {
                return false;
            }
        }

        return true;
    }

    private static SyntaxNode Rewrite(SyntaxNode function, BlockSyntax body, bool generic, SemanticModel model, KnownSymbols known, CancellationToken cancellationToken)
    {
        List<ReturnStatementSyntax> returns = Returns(body).ToList();
        SyntaxNode rewritten = function.ReplaceNodes(returns, (original, _) => RewriteReturn(original, body, generic, model, known, cancellationToken));
        SyntaxToken async = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        return (rewritten switch
        {
            MethodDeclarationSyntax method => method.AddModifiers(async),
            LocalFunctionStatementSyntax local => local.AddModifiers(async),
            AnonymousFunctionExpressionSyntax lambda => lambda.WithAsyncKeyword(async),
            _ => rewritten,
        }).WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static SyntaxNode RewriteReturn(ReturnStatementSyntax original, BlockSyntax body, bool generic, SemanticModel model, KnownSymbols known, CancellationToken cancellationToken)
    {
        if (original.Expression is not { } expression || expression.IsKind(SyntaxKind.DefaultLiteralExpression) && generic)
        {
            return original;
        }

        bool completed = model.GetOperation(expression, cancellationToken) is { } operation && AwaitedOperations.IsCompletedValue(AwaitedOperations.Unwrap(operation, known), known);
        if (generic)
        {
            return original.WithExpression(SyntaxFactory.AwaitExpression(Operand(expression)).WithTriviaFrom(expression));
        }

        bool last = EndsFunction(original, body);
        var statements = new List<StatementSyntax>();
        if (!completed)
        {
            statements.Add(SyntaxFactory.ExpressionStatement(SyntaxFactory.AwaitExpression(Operand(expression))));
        }

        if (!last)
        {
            statements.Add(SyntaxFactory.ReturnStatement());
        }

        if (statements.Count == 0)
        {
            // A completed value as the last statement: nothing is left to wait for.
            return SyntaxFactory.ReturnStatement().WithTriviaFrom(original);
        }

        return statements.Count == 1
            ? statements[0].WithTriviaFrom(original)
            : SyntaxFactory.Block(statements).WithTriviaFrom(original).WithAdditionalAnnotations(Formatter.Annotation);
    }

    // Whether nothing runs after the statement but the end of the function: it is last in its block, up through blocks,
    // using, lock and if statements, to the body.
    private static bool EndsFunction(StatementSyntax statement, BlockSyntax body)
    {
        SyntaxNode node = statement;
        while (true)
        {
            switch (node.Parent)
            {
                case BlockSyntax block when block.Statements.Last() != node:
                    return false;
                case BlockSyntax block when block == body:
                    return true;
                case BlockSyntax or UsingStatementSyntax or LockStatementSyntax or IfStatementSyntax or ElseClauseSyntax:
                    node = node.Parent;
                    continue;
                default:
                    return false;
            }
        }
    }

    private static ExpressionSyntax Operand(ExpressionSyntax expression)
        => expression.WithoutTrivia() is var bare && bare is InvocationExpressionSyntax or MemberAccessExpressionSyntax or IdentifierNameSyntax or ObjectCreationExpressionSyntax or ParenthesizedExpressionSyntax
            ? bare
            : SyntaxFactory.ParenthesizedExpression(bare);

    // The function's own returns, not those of nested lambdas and local functions.
    private static IEnumerable<ReturnStatementSyntax> Returns(BlockSyntax body)
        => body.DescendantNodes(static n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax).OfType<ReturnStatementSyntax>();
}
