using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
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
/// EN0003: for a catch-all clause (a base type of <c>OperationCanceledException</c>, or a bare <c>catch</c>),
/// (1) "Exclude cancellation from the catch" adds <c>when (e is not OperationCanceledException)</c>, joined to an existing
/// filter by <c>&amp;&amp;</c> and naming the variable when needed, and (2) "Rethrow cancellation first" inserts
/// <c>catch (OperationCanceledException) { throw; }</c> before it; for an explicit cancellation catch that swallows,
/// (3) "Rethrow the cancellation" appends <c>throw;</c> to the handler.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EN0003RethrowCancellationCodeFix)), Shared]
public sealed class EN0003RethrowCancellationCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of "Exclude cancellation from the catch".</summary>
    public const string ExcludeKey = "EN0003.ExcludeCancellation";

    /// <summary>The equivalence key of "Rethrow cancellation first".</summary>
    public const string CatchFirstKey = "EN0003.RethrowCancellationFirst";

    /// <summary>The equivalence key of "Rethrow the cancellation".</summary>
    public const string AppendRethrowKey = "EN0003.AppendRethrow";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.CancellationSwallowed);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null
            || model.Compilation.GetTypeByMetadataName("System.OperationCanceledException") is not { } oce)
        {
            return;
        }

        Document document = context.Document;
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<CatchClauseSyntax>() is not { Parent: TryStatementSyntax } @catch)
            {
                continue;
            }

            ITypeSymbol? type = @catch.Declaration is { } declaration ? model.GetTypeInfo(declaration.Type, context.CancellationToken).Type : null;
            bool catchAll = type is null || (!SymbolEqualityComparer.Default.Equals(type, oce) && oce.BaseType is { } && IsBaseOf(type, oce));
            if (catchAll)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Exclude cancellation from the catch", ct => Replace(document, root, @catch, ExcludeCancellation(@catch, model)), ExcludeKey),
                    diagnostic);
                context.RegisterCodeFix(
                    CodeAction.Create("Rethrow cancellation first", ct => Replace(document, root, @catch.Parent!, CatchFirst((TryStatementSyntax)@catch.Parent!, @catch, model)), CatchFirstKey),
                    diagnostic);
            }
            else if (diagnostic.Properties.GetValueOrDefault(SwallowedCancellationAnalyzer.VariantProperty) == SwallowedCancellationAnalyzer.Swallowed)
            {
                CatchClauseSyntax rethrowing = @catch.WithBlock(@catch.Block.AddStatements(SyntaxFactory.ThrowStatement())).WithAdditionalAnnotations(Formatter.Annotation);
                context.RegisterCodeFix(CodeAction.Create("Rethrow the cancellation", ct => Replace(document, root, @catch, rethrowing), AppendRethrowKey), diagnostic);
            }
        }
    }

    private static Task<Document> Replace(Document document, SyntaxNode root, SyntaxNode original, SyntaxNode replacement)
        => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(original, replacement)));

    // catch (Exception e) when (e is not OperationCanceledException [&& (existing)])
    private static CatchClauseSyntax ExcludeCancellation(CatchClauseSyntax @catch, SemanticModel model)
    {
        string name = @catch.Declaration?.Identifier.ValueText is { Length: > 0 } existing ? existing : FreeNames.Find(model, @catch, @catch.Block.SpanStart, "e");
        CatchDeclarationSyntax declaration = @catch.Declaration is { } present
            ? present.WithType(present.Type.WithoutTrailingTrivia()).WithIdentifier(SyntaxFactory.Identifier(name))
            : SyntaxFactory.CatchDeclaration(SyntaxFactory.ParseTypeName(TypeSpelling.SystemType(model, @catch.SpanStart, "Exception")), SyntaxFactory.Identifier(name));
        ExpressionSyntax exclusion = SyntaxFactory.ParseExpression(name + " is not " + TypeSpelling.SystemType(model, @catch.SpanStart, "OperationCanceledException"));
        ExpressionSyntax condition = @catch.Filter is { } filter
            ? SyntaxFactory.BinaryExpression(
                SyntaxKind.LogicalAndExpression,
                exclusion,
                Parenthesize(filter.FilterExpression.WithoutTrivia()))
            : exclusion;
        return @catch
            .WithDeclaration(declaration.WithTrailingTrivia(SyntaxFactory.Space))
            .WithFilter(SyntaxFactory.CatchFilterClause(condition).WithTrailingTrivia(@catch.Filter?.GetTrailingTrivia() ?? @catch.Declaration?.GetTrailingTrivia() ?? @catch.CatchKeyword.TrailingTrivia))
            .WithCatchKeyword(@catch.CatchKeyword.WithTrailingTrivia(SyntaxFactory.Space))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    // Operands that bind at least as tightly as && stay bare; anything else (||, ?:, ??, assignments, lambdas) gets parentheses.
    private static ExpressionSyntax Parenthesize(ExpressionSyntax expression)
        => expression is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalOrExpression or (int)SyntaxKind.CoalesceExpression }
            or ConditionalExpressionSyntax or AssignmentExpressionSyntax or LambdaExpressionSyntax
            ? SyntaxFactory.ParenthesizedExpression(expression)
            : expression;

    // catch (OperationCanceledException) { throw; } just before the catch-all.
    private static TryStatementSyntax CatchFirst(TryStatementSyntax @try, CatchClauseSyntax @catch, SemanticModel model)
    {
        CatchClauseSyntax rethrow = SyntaxFactory.CatchClause(
                SyntaxFactory.CatchDeclaration(SyntaxFactory.ParseTypeName(TypeSpelling.SystemType(model, @catch.SpanStart, "OperationCanceledException"))),
                filter: null,
                SyntaxFactory.Block(SyntaxFactory.ThrowStatement()))
            .WithAdditionalAnnotations(Formatter.Annotation);
        return @try.WithCatches(@try.Catches.Insert(@try.Catches.IndexOf(@catch), rethrow)).WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static bool IsBaseOf(ITypeSymbol candidate, ITypeSymbol type)
    {
        for (ITypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, candidate))
            {
                return true;
            }
        }

        return false;
    }
}
