using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>
/// The runs of adjacent flagged statements that the EN0001/EN0010 fix wraps in one shield each, built in one place for
/// the single fix (the run the analyzer attached to the diagnostic as additional locations) and for Fix All (the flagged
/// statements of each block). A statement the fix cannot move breaks a run, and so does another receiver.
/// </summary>
internal static class ShieldRuns
{
    /// <summary>The run holding the diagnostic's statement: itself, or with the neighbours the analyzer found flagged; null when the fix cannot move it.</summary>
    /// <param name="root">The document's root.</param>
    /// <param name="model">The semantic model of the document.</param>
    /// <param name="diagnostic">An EN0001 or EN0010 diagnostic.</param>
    /// <param name="cancellationToken">Cancels the planning.</param>
    /// <returns>The planned statements, in order, or null.</returns>
    public static IReadOnlyList<EN0001ShieldCleanupCodeFix.FixPlan>? Around(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (EN0001ShieldCleanupCodeFix.FlaggedStatement(root, diagnostic) is not { Parent: BlockSyntax block } statement)
        {
            return null;
        }

        var statements = new SortedDictionary<int, StatementSyntax> { [block.Statements.IndexOf(statement)] = statement };
        foreach (Location location in diagnostic.AdditionalLocations)
        {
            if (location.SourceTree == root.SyntaxTree
                && root.FindNode(location.SourceSpan) is StatementSyntax { Parent: BlockSyntax neighbourBlock } neighbour
                && neighbourBlock == block)
            {
                statements[block.Statements.IndexOf(neighbour)] = neighbour;
            }
        }

        foreach (IReadOnlyList<EN0001ShieldCleanupCodeFix.FixPlan> run in Build(statements, model, cancellationToken))
        {
            foreach (EN0001ShieldCleanupCodeFix.FixPlan plan in run)
            {
                if (plan.Statement == statement)
                {
                    return run;
                }
            }
        }

        return null;
    }

    /// <summary>The runs of the flagged statements of <paramref name="diagnostics"/> in <paramref name="root"/>'s tree, block by block.</summary>
    /// <param name="root">The document's root.</param>
    /// <param name="model">The semantic model of the document.</param>
    /// <param name="diagnostics">EN0001 or EN0010 diagnostics, of any documents.</param>
    /// <param name="cancellationToken">Cancels the planning.</param>
    /// <returns>The runs, none overlapping.</returns>
    public static List<IReadOnlyList<EN0001ShieldCleanupCodeFix.FixPlan>> FromDiagnostics(SyntaxNode root, SemanticModel model, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        // The flagged statements of each block, once each (two awaits of one statement give two diagnostics).
        var flagged = new Dictionary<BlockSyntax, SortedDictionary<int, StatementSyntax>>();
        foreach (Diagnostic diagnostic in diagnostics)
        {
            if (diagnostic.Location.SourceTree != root.SyntaxTree
                || EN0001ShieldCleanupCodeFix.FlaggedStatement(root, diagnostic) is not { Parent: BlockSyntax block } statement)
            {
                continue;
            }

            if (!flagged.TryGetValue(block, out SortedDictionary<int, StatementSyntax>? statements))
            {
                statements = new SortedDictionary<int, StatementSyntax>();
                flagged.Add(block, statements);
            }

            statements[block.Statements.IndexOf(statement)] = statement;
        }

        var runs = new List<IReadOnlyList<EN0001ShieldCleanupCodeFix.FixPlan>>();
        foreach (SortedDictionary<int, StatementSyntax> statements in flagged.Values)
        {
            runs.AddRange(Build(statements, model, cancellationToken));
        }

        return runs;
    }

    // Splits the flagged statements of one block, by index, into runs of adjacent statements that can share one shield.
    private static List<IReadOnlyList<EN0001ShieldCleanupCodeFix.FixPlan>> Build(SortedDictionary<int, StatementSyntax> statements, SemanticModel model, CancellationToken cancellationToken)
    {
        var runs = new List<IReadOnlyList<EN0001ShieldCleanupCodeFix.FixPlan>>();
        List<EN0001ShieldCleanupCodeFix.FixPlan>? run = null;
        int previousIndex = -2;
        foreach (KeyValuePair<int, StatementSyntax> entry in statements)
        {
            cancellationToken.ThrowIfCancellationRequested();
            EN0001ShieldCleanupCodeFix.FixPlan? plan = EN0001ShieldCleanupCodeFix.Plan(entry.Value, model, cancellationToken);
            // Sharing is an equivalence (same receiver and scope name), so the run's first plan stands for all of them.
            bool extends = plan is not null && run is not null && entry.Key == previousIndex + 1 && EN0001ShieldCleanupCodeFix.CanShareShield(run[0], plan);
            if (!extends)
            {
                run = plan is null ? null : [];
                if (run is not null)
                {
                    runs.Add(run);
                }
            }

            run?.Add(plan!);
            previousIndex = entry.Key;
        }

        return runs;
    }
}
