using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>
/// EN0014: inserts <c>await &lt;backend&gt;.YieldAsync();</c> as the first statement of the loop body, so every iteration
/// passes a checkpoint; a body that is not a block becomes one. Not offered without a reachable facade-typed receiver or
/// in cleanup code.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EN0014InsertCheckpointCodeFix)), Shared]
public sealed class EN0014InsertCheckpointCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "EN0014.InsertCheckpoint";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.IndefiniteLoopWithoutCheckpoint);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            StatementSyntax? body = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent switch
            {
                WhileStatementSyntax @while => @while.Statement,
                DoStatementSyntax @do => @do.Statement,
                ForStatementSyntax @for => @for.Statement,
                _ => null,
            };
            if (body is null || CheckpointInsertion.Create(model, body.SpanStart, context.CancellationToken) is not { } checkpoint)
            {
                continue;
            }

            BlockSyntax replacement = body is BlockSyntax block
                ? block.WithStatements(block.Statements.Insert(0, checkpoint))
                : SyntaxFactory.Block(checkpoint, body.WithoutTrivia()).WithTriviaFrom(body).WithAdditionalAnnotations(Formatter.Annotation);
            Document document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create("Insert a checkpoint at the top of the loop", _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(body, replacement))), EquivalenceKey),
                diagnostic);
        }
    }
}
