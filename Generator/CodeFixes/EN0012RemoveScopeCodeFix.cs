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
/// EN0012: removes an inline cancel scope that contains no checkpoint. A <c>using var</c> declaration whose variable is
/// never read is deleted; a single-resource <c>using (...) { ... }</c> statement in a block is replaced by its body's
/// statements. Not offered for delegate forms, multi-resource <c>using</c> statements, a scope variable in use, or the
/// conditional diagnostics of mode <c>not_all_paths</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EN0012RemoveScopeCodeFix)), Shared]
public sealed class EN0012RemoveScopeCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "EN0012.RemoveScope";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ScopeWithoutCheckpoint);

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
            if (diagnostic.Properties.ContainsKey(ScopeCheckpointAnalyzer.ConditionalProperty))
            {
                // The scope has checkpoints on some paths: removing it would change what it cancels.
                continue;
            }

            SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            StatementSyntax? target = node switch
            {
                LocalDeclarationStatementSyntax declaration when IsRemovableUsingVar(declaration) => declaration,
                _ => RemovableUsingStatement(node),
            };
            if (target is null)
            {
                continue;
            }

            Document document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create("Remove the cancel scope", cancellationToken => RemoveAsync(document, target, cancellationToken), EquivalenceKey),
                diagnostic);
        }
    }

    // 'using var s = X;' with one variable that nothing in the enclosing block mentions.
    private static bool IsRemovableUsingVar(LocalDeclarationStatementSyntax declaration)
    {
        if (declaration.UsingKeyword.IsKind(SyntaxKind.None)
            || declaration.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword)
            || declaration.Declaration.Variables.Count != 1
            || declaration.Parent is not BlockSyntax block)
        {
            return false;
        }

        string name = declaration.Declaration.Variables[0].Identifier.ValueText;
        return !block.DescendantNodes().OfType<IdentifierNameSyntax>().Any(identifier => identifier.Identifier.ValueText == name);
    }

    // 'using (X) { ... }' (an expression resource, or one variable nothing mentions) directly in a block.
    private static UsingStatementSyntax? RemovableUsingStatement(SyntaxNode node)
    {
        UsingStatementSyntax? @using = node.FirstAncestorOrSelf<UsingStatementSyntax>();
        if (@using is null
            || @using.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword)
            || @using.Parent is not BlockSyntax
            || @using.Statement is not BlockSyntax body
            || !(@using.Expression?.Span.Contains(node.Span) ?? @using.Declaration?.Span.Contains(node.Span) ?? false))
        {
            return null;
        }

        if (@using.Declaration is { } declaration)
        {
            if (declaration.Variables.Count != 1)
            {
                return null;
            }

            string name = declaration.Variables[0].Identifier.ValueText;
            if (body.DescendantNodes().OfType<IdentifierNameSyntax>().Any(identifier => identifier.Identifier.ValueText == name))
            {
                return null;
            }
        }

        return @using;
    }

    private static async Task<Document> RemoveAsync(Document document, StatementSyntax target, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || target.Parent is not BlockSyntax block)
        {
            return document;
        }

        BlockSyntax updated;
        if (target is UsingStatementSyntax { Statement: BlockSyntax body })
        {
            int index = block.Statements.IndexOf(target);
            SyntaxList<StatementSyntax> statements = block.Statements.RemoveAt(index);
            statements = statements.InsertRange(index, body.Statements.Select(static s => s.WithAdditionalAnnotations(Formatter.Annotation)));
            updated = block.WithStatements(statements);
        }
        else
        {
            updated = block.RemoveNode(target, SyntaxRemoveOptions.KeepNoTrivia)!;
        }

        return document.WithSyntaxRoot(root.ReplaceNode(block, updated.WithAdditionalAnnotations(Formatter.Annotation)));
    }
}
