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
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>
/// EN0012: inserts <c>await &lt;backend&gt;.YieldAsync();</c> as the first statement of a scope with no checkpoint. For a
/// delegate form, the block body of its async lambda. For an inline scope (<c>using var s = ...;</c>,
/// <c>using (var s = ...) { ... }</c>) in an async function, the try block that claims the scope's own cancellation
/// (<c>catch (OperationCanceledException e) when (s.Owns(e))</c>) in its lifetime: a checkpoint outside such a try would
/// let that cancellation escape (EN0005), so without one, and for an anonymous <c>using (...)</c>, nothing is offered.
/// Not offered either for non-async or expression bodies, without a reachable facade-typed receiver, or for the
/// conditional diagnostics of mode <c>not_all_paths</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EN0012InsertCheckpointCodeFix)), Shared]
public sealed class EN0012InsertCheckpointCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "EN0012.InsertCheckpoint";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.ScopeWithoutCheckpoint);

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
            if (diagnostic.Properties.ContainsKey(ScopeCheckpointAnalyzer.ConditionalProperty))
            {
                continue;
            }

            SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (Target(node, model, roles, known, context.CancellationToken) is not (BlockSyntax block, int index)
                || CheckpointInsertion.Create(model, block.OpenBraceToken.Span.End, context.CancellationToken) is not { } checkpoint)
            {
                continue;
            }

            Document document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(
                    "Insert a checkpoint",
                    _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(block, block.WithStatements(block.Statements.Insert(index, checkpoint))))),
                    EquivalenceKey),
                diagnostic);
        }
    }

    // The block that receives the checkpoint and the index it goes to.
    private static (BlockSyntax Block, int Index)? Target(SyntaxNode node, SemanticModel model, ApiRoles roles, KnownSymbols known, CancellationToken cancellationToken)
    {
        if (node is LocalDeclarationStatementSyntax { Parent: BlockSyntax block, Declaration.Variables: { Count: 1 } variables } declaration)
        {
            return OwningTryBlock(block.Statements, block.Statements.IndexOf(declaration) + 1, variables[0], model, roles, known, cancellationToken);
        }

        if (node.FirstAncestorOrSelf<UsingStatementSyntax>() is { } @using && Contains(@using, node))
        {
            return @using is { Declaration.Variables: { Count: 1 } declared, Statement: BlockSyntax body }
                ? OwningTryBlock(body.Statements, 0, declared[0], model, roles, known, cancellationToken)
                : null;
        }

        if (node is InvocationExpressionSyntax { ArgumentList.Arguments: var arguments })
        {
            foreach (ArgumentSyntax argument in arguments)
            {
                if (argument.Expression is AnonymousFunctionExpressionSyntax { AsyncKeyword.RawKind: (int)SyntaxKind.AsyncKeyword, Block: { } body })
                {
                    return (body, 0);
                }
            }
        }

        return null;
    }

    // The first try statement of the lifetime whose catch claims the scope's own cancellation: its block, index 0.
    private static (BlockSyntax Block, int Index)? OwningTryBlock(SyntaxList<StatementSyntax> statements, int from, VariableDeclaratorSyntax declarator, SemanticModel model, ApiRoles roles, KnownSymbols known, CancellationToken cancellationToken)
    {
        if (model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol scope)
        {
            return null;
        }

        for (int i = from; i < statements.Count; i++)
        {
            if (statements[i] is TryStatementSyntax @try
                && model.GetOperation(@try, cancellationToken) is ITryOperation operation
                && OwningCatches.Claims(operation, scope, roles, known))
            {
                return (@try.Block, 0);
            }
        }

        return null;
    }

    // The node is (part of) the using statement's resource.
    private static bool Contains(UsingStatementSyntax @using, SyntaxNode node)
        => @using.Expression?.Span.Contains(node.Span) ?? @using.Declaration?.Span.Contains(node.Span) ?? false;
}
