using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EasyNetwork.Generator.Analysis;

/// <summary>
/// Holds the diagnostics of one body until its end, then reports each with the locations of the run of adjacent
/// statements of its block that hold diagnostics of the same analyzer (ANALYZERS §5.3): the EN0001/EN0010 fix moves that
/// run into one shield without analysing the neighbouring statements again. A diagnostic alone in its run, or outside any
/// block statement, gets no additional location. Created per body at block start; thread-safe.
/// </summary>
internal sealed class FlaggedStatementRuns
{
    private readonly object _gate = new();
    private List<Pending>? _pending;

    /// <summary>Queues a diagnostic of <paramref name="flagged"/> (an await, or an <c>await foreach</c>) for <see cref="Report"/>.</summary>
    /// <param name="descriptor">The descriptor.</param>
    /// <param name="flagged">The flagged syntax; its enclosing block statement joins the runs.</param>
    /// <param name="location">The diagnostic's location.</param>
    /// <param name="messageArguments">The message arguments.</param>
    public void Add(DiagnosticDescriptor descriptor, SyntaxNode flagged, Location location, params object?[] messageArguments)
    {
        lock (_gate)
        {
            (_pending ??= []).Add(new Pending(descriptor, flagged, location, messageArguments));
        }
    }

    /// <summary>Reports the queued diagnostics, each with its run's statements as additional locations when the run has more than one.</summary>
    /// <param name="context">The block-end context of the body.</param>
    public void Report(OperationBlockAnalysisContext context)
    {
        List<Pending>? pending;
        lock (_gate)
        {
            pending = _pending;
            _pending = null;
        }

        if (pending is null)
        {
            return;
        }

        // Which statements of each block hold a diagnostic; only needed when two diagnostics could form a run.
        var flaggedByBlock = new Dictionary<BlockSyntax, HashSet<int>>();
        var statements = new StatementSyntax?[pending.Count];
        if (pending.Count > 1)
        {
            for (int i = 0; i < pending.Count; i++)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                if (BlockStatement(pending[i].Flagged) is not { Parent: BlockSyntax block } statement)
                {
                    continue;
                }

                statements[i] = statement;
                if (!flaggedByBlock.TryGetValue(block, out HashSet<int>? indices))
                {
                    indices = [];
                    flaggedByBlock.Add(block, indices);
                }

                indices.Add(block.Statements.IndexOf(statement));
            }
        }

        for (int i = 0; i < pending.Count; i++)
        {
            Pending diagnostic = pending[i];
            IEnumerable<Location>? run = statements[i] is { Parent: BlockSyntax block } statement
                ? Run(block, block.Statements.IndexOf(statement), flaggedByBlock[block])
                : null;
            context.ReportDiagnostic(Diagnostic.Create(diagnostic.Descriptor, diagnostic.Location, run, diagnostic.MessageArguments));
        }
    }

    /// <summary>The statement of a block that holds <paramref name="node"/>, not crossing a lambda or local function, or null.</summary>
    /// <param name="node">A node in a body.</param>
    /// <returns>The statement whose parent is a block, or null.</returns>
    public static StatementSyntax? BlockStatement(SyntaxNode node)
    {
        for (SyntaxNode? current = node; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                    return null;
                case StatementSyntax { Parent: BlockSyntax } statement:
                    return statement;
            }
        }

        return null;
    }

    // The locations of the longest run of flagged statements around 'index', or null when it is alone.
    private static List<Location>? Run(BlockSyntax block, int index, HashSet<int> flagged)
    {
        int first = index;
        while (flagged.Contains(first - 1))
        {
            first--;
        }

        int last = index;
        while (flagged.Contains(last + 1))
        {
            last++;
        }

        if (first == last)
        {
            return null;
        }

        var locations = new List<Location>(last - first + 1);
        for (int i = first; i <= last; i++)
        {
            locations.Add(block.Statements[i].GetLocation());
        }

        return locations;
    }

    private sealed record Pending(DiagnosticDescriptor Descriptor, SyntaxNode Flagged, Location Location, object?[] MessageArguments);
}
