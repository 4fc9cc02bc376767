using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>
/// Fix All for EN0001 and EN0010 (<see cref="EN0001ShieldCleanupCodeFix"/>): groups the flagged statements of each block
/// into runs of adjacent statements and wraps each run once, in one shield. Fixing each diagnostic on its own would
/// nest or overlap the shields of neighbouring statements. A run whose statements cannot share one static body (another
/// receiver, a second outer variable) is split where they differ; a statement the fix cannot move breaks the run.
/// </summary>
internal sealed class EN0001ShieldRunsFixAllProvider : DocumentBasedFixAllProvider
{
    private EN0001ShieldRunsFixAllProvider()
        : base(ImmutableArray.Create(FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution))
    {
    }

    /// <summary>Gets the provider (it holds no state).</summary>
    public static EN0001ShieldRunsFixAllProvider Instance { get; } = new();

    /// <inheritdoc/>
    protected override string GetFixAllTitle(FixAllContext fixAllContext)
        => fixAllContext.CodeActionEquivalenceKey == EN0001ShieldCleanupCodeFix.NoDeadlineEquivalenceKey
            ? EN0001ShieldCleanupCodeFix.NoDeadlineTitle
            : EN0001ShieldCleanupCodeFix.DeadlineTitle;

    /// <inheritdoc/>
    protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(fixAllContext.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(fixAllContext.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        // The flagged statements of each block, once each (two awaits of one statement give two diagnostics).
        var flagged = new Dictionary<BlockSyntax, SortedDictionary<int, ExpressionStatementSyntax>>();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            if (diagnostic.Location.SourceTree != root.SyntaxTree
                || EN0001ShieldCleanupCodeFix.FlaggedStatement(root, diagnostic) is not { Parent: BlockSyntax block } statement)
            {
                continue;
            }

            if (!flagged.TryGetValue(block, out SortedDictionary<int, ExpressionStatementSyntax>? statements))
            {
                statements = new SortedDictionary<int, ExpressionStatementSyntax>();
                flagged.Add(block, statements);
            }

            statements[block.Statements.IndexOf(statement)] = statement;
        }

        var runs = new List<IReadOnlyList<EN0001ShieldCleanupCodeFix.FixPlan>>();
        foreach (SortedDictionary<int, ExpressionStatementSyntax> statements in flagged.Values)
        {
            List<EN0001ShieldCleanupCodeFix.FixPlan>? run = null;
            int previousIndex = -2;
            foreach (KeyValuePair<int, ExpressionStatementSyntax> entry in statements)
            {
                fixAllContext.CancellationToken.ThrowIfCancellationRequested();
                EN0001ShieldCleanupCodeFix.FixPlan? plan = EN0001ShieldCleanupCodeFix.Plan(entry.Value, model, fixAllContext.CancellationToken);
                bool extends = plan is not null && run is not null && entry.Key == previousIndex + 1 && CanJoin(run, plan);
                if (!extends)
                {
                    run = plan is null ? null : new List<EN0001ShieldCleanupCodeFix.FixPlan>();
                    if (run is not null)
                    {
                        runs.Add(run);
                    }
                }

                run?.Add(plan!);
                previousIndex = entry.Key;
            }
        }

        if (runs.Count == 0)
        {
            return document;
        }

        bool withDeadline = fixAllContext.CodeActionEquivalenceKey != EN0001ShieldCleanupCodeFix.NoDeadlineEquivalenceKey;
        return await EN0001ShieldCleanupCodeFix.ApplyAsync(document, runs, withDeadline, fixAllContext.CancellationToken).ConfigureAwait(false);
    }

    // Every statement of a run shares the receiver and the one outer variable.
    private static bool CanJoin(List<EN0001ShieldCleanupCodeFix.FixPlan> run, EN0001ShieldCleanupCodeFix.FixPlan plan)
    {
        foreach (EN0001ShieldCleanupCodeFix.FixPlan member in run)
        {
            if (!EN0001ShieldCleanupCodeFix.CanShareShield(member, plan))
            {
                return false;
            }
        }

        return true;
    }
}
