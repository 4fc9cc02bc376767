using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using EasyNetwork.Generator.Analyzers.Usage;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>
/// EN0008 "Add await": <c>FooAsync();</c> and <c>_ = FooAsync();</c> become <c>await FooAsync();</c>. Offered only where
/// the analyzer found the await safe (<see cref="FireAndForgetAnalyzer.AddAwaitProperty"/>): in an async function, outside
/// locks and cleanup code, for a call that observes the ambient scope. Moving the work into a task group is the user's call.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EN0008AddAwaitCodeFix)), Shared]
public sealed class EN0008AddAwaitCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "EN0008.AddAwait";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.FireAndForgetTask);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.GetValueOrDefault(FireAndForgetAnalyzer.AddAwaitProperty) != "true"
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax call
                || StatementExpression(call) is not { } expression)
            {
                continue;
            }

            // '_ = X;' keeps only X; the discard has nothing left to discard once X is awaited.
            ExpressionSyntax awaited = expression is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" }, Right: var right } ? right : expression;
            ExpressionSyntax replacement = SyntaxFactory.AwaitExpression(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithTrailingTrivia(SyntaxFactory.Space), awaited.WithoutTrivia())
                .WithTriviaFrom(expression)
                .WithAdditionalAnnotations(Formatter.Annotation);
            Document document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create("Add await", _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(expression, replacement))), EquivalenceKey),
                diagnostic);
        }
    }

    // The whole expression of the statement that discards the call: an expression statement's, or an expression body's.
    private static ExpressionSyntax? StatementExpression(ExpressionSyntax call)
    {
        for (SyntaxNode? node = call; node is not null; node = node.Parent)
        {
            switch (node.Parent)
            {
                case ExpressionStatementSyntax statement:
                    return statement.Expression;
                case ArrowExpressionClauseSyntax arrow:
                    return arrow.Expression;
                case AnonymousFunctionExpressionSyntax { ExpressionBody: { } body } when body == node:
                    return body;
                case StatementSyntax or AnonymousFunctionExpressionSyntax or MemberDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }
}
