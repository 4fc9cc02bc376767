using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>
/// Fix All for EN0001 and EN0010 (<see cref="EN0001ShieldCleanupCodeFix"/>): groups the flagged statements of each block
/// into runs of adjacent statements (<see cref="ShieldRuns"/>, shared with the single fix) and wraps each run once, in one
/// shield. Fixing each diagnostic on its own would nest or overlap the shields of neighbouring statements. A run is split
/// where the receiver differs; a statement the fix cannot move breaks the run.
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

        List<IReadOnlyList<EN0001ShieldCleanupCodeFix.FixPlan>> runs = ShieldRuns.FromDiagnostics(root, model, diagnostics, fixAllContext.CancellationToken);
        if (runs.Count == 0)
        {
            return document;
        }

        bool withDeadline = fixAllContext.CodeActionEquivalenceKey != EN0001ShieldCleanupCodeFix.NoDeadlineEquivalenceKey;
        return await EN0001ShieldCleanupCodeFix.ApplyAsync(document, runs, withDeadline, fixAllContext.CancellationToken).ConfigureAwait(false);
    }
}
