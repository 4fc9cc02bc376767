using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analysis;

/// <summary>
/// The "on every path" questions of mode <c>not_all_paths</c> (ANALYZERS §2.8, EN0012 and EN0014), answered on the control
/// flow graph the analysis context caches. A block counts when one of its operations is a checkpoint by
/// <see cref="Checkpoints"/>, judged on the original operation of the same syntax, so both questions share one definition.
/// Only normal control flow is followed (an exception ends a path); a branch through <c>finally</c> blocks counts when
/// one of those blocks has a checkpoint.
/// </summary>
internal sealed class CheckpointPaths(Checkpoints checkpoints)
{
    /// <summary>Gets whether some path through a scope body reaches its end without a checkpoint.</summary>
    /// <param name="root">The graph of the operation block that contains the body.</param>
    /// <param name="body">The scope body.</param>
    /// <param name="model">The semantic model of the body's tree.</param>
    /// <param name="mode">What counts as a checkpoint.</param>
    /// <param name="cancellationToken">The analysis cancellation.</param>
    /// <returns>Whether such a path exists (false when the body's graph cannot be found).</returns>
    public bool BodyHasPathWithoutCheckpoint(ControlFlowGraph root, IAnonymousFunctionOperation body, SemanticModel model, CheckpointMode mode, CancellationToken cancellationToken)
    {
        if (FindGraph(root, body.Symbol, cancellationToken) is not { } graph)
        {
            return false;
        }

        var search = new Search(this, graph, model, returnsAreAwaited: !body.Symbol.IsAsync, mode, cancellationToken);
        return search.Reaches(graph.Blocks[0], first: 0, last: graph.Blocks.Length - 1, target: graph.Blocks[graph.Blocks.Length - 1]);
    }

    /// <summary>Gets whether some path through the lifetime of an inline scope (the try region of its <c>using</c>) leaves it without a checkpoint.</summary>
    /// <param name="root">The graph of the operation block that contains the scope.</param>
    /// <param name="function">The function that declares the scope (method, lambda or local function).</param>
    /// <param name="resource">The resource syntax: the variable declarator, or the resource expression of <c>using (...)</c>.</param>
    /// <param name="model">The semantic model.</param>
    /// <param name="mode">What counts as a checkpoint.</param>
    /// <param name="cancellationToken">The analysis cancellation.</param>
    /// <returns>Whether such a path exists (false when the lifetime cannot be found in the graph).</returns>
    public bool LifetimeHasPathWithoutCheckpoint(ControlFlowGraph root, IMethodSymbol function, SyntaxNode resource, SemanticModel model, CheckpointMode mode, CancellationToken cancellationToken)
    {
        if (FindGraph(root, function, cancellationToken) is not { } graph || DisposalTryRegion(graph, resource, cancellationToken) is not { } lifetime)
        {
            return false;
        }

        var search = new Search(this, graph, model, returnsAreAwaited: false, mode, cancellationToken);
        return search.Reaches(graph.Blocks[lifetime.FirstBlockOrdinal], lifetime.FirstBlockOrdinal, lifetime.LastBlockOrdinal, target: null);
    }

    /// <summary>Gets whether some iteration of an indefinite loop comes back to the loop's top without a checkpoint.</summary>
    /// <param name="root">The graph of the operation block that contains the loop.</param>
    /// <param name="function">The function that contains the loop (method, lambda or local function).</param>
    /// <param name="loop">The loop.</param>
    /// <param name="model">The semantic model.</param>
    /// <param name="mode">What counts as a checkpoint.</param>
    /// <param name="cancellationToken">The analysis cancellation.</param>
    /// <returns>Whether such an iteration exists (false when the loop's blocks cannot be found).</returns>
    public bool LoopHasIterationWithoutCheckpoint(ControlFlowGraph root, IMethodSymbol function, ILoopOperation loop, SemanticModel model, CheckpointMode mode, CancellationToken cancellationToken)
    {
        if (FindGraph(root, function, cancellationToken) is not { } graph)
        {
            return false;
        }

        // The loop's blocks: those whose operations come from its condition, body or increments (not a for loop's initializers).
        var spans = new List<Microsoft.CodeAnalysis.Text.TextSpan> { loop.Body.Syntax.Span };
        switch (loop)
        {
            case IWhileLoopOperation { Condition: { } condition }:
                spans.Add(condition.Syntax.Span);
                break;
            case IForLoopOperation @for:
                if (@for.Condition is { } forCondition)
                {
                    spans.Add(forCondition.Syntax.Span);
                }

                foreach (IOperation increment in @for.AtLoopBottom)
                {
                    spans.Add(increment.Syntax.Span);
                }

                break;
        }

        int first = int.MaxValue;
        int last = -1;
        foreach (BasicBlock block in graph.Blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (HasOperationWithin(block, spans))
            {
                first = System.Math.Min(first, block.Ordinal);
                last = System.Math.Max(last, block.Ordinal);
            }
        }

        // The top: the loop block entered from outside the loop.
        BasicBlock? top = null;
        for (int ordinal = first; ordinal <= last && top is null; ordinal++)
        {
            foreach (ControlFlowBranch predecessor in graph.Blocks[ordinal].Predecessors)
            {
                if (predecessor.Source.Ordinal < first || predecessor.Source.Ordinal > last)
                {
                    top = graph.Blocks[ordinal];
                    break;
                }
            }
        }

        if (top is null)
        {
            return false;
        }

        var search = new Search(this, graph, model, returnsAreAwaited: false, mode, cancellationToken);
        return search.Returns(top, first, last);
    }

    // The graph of a lambda or local function nested (at any depth) in 'root'; the method's own graph for a method.
    private static ControlFlowGraph? FindGraph(ControlFlowGraph root, IMethodSymbol function, CancellationToken cancellationToken)
    {
        if (function.MethodKind is not (MethodKind.AnonymousFunction or MethodKind.LocalFunction))
        {
            return root;
        }

        var pending = new Stack<ControlFlowGraph>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ControlFlowGraph graph = pending.Pop();
            foreach (IMethodSymbol local in graph.LocalFunctions)
            {
                ControlFlowGraph localGraph = graph.GetLocalFunctionControlFlowGraph(local, cancellationToken);
                if (SymbolEqualityComparer.Default.Equals(local, function))
                {
                    return localGraph;
                }

                pending.Push(localGraph);
            }

            foreach (BasicBlock block in graph.Blocks)
            {
                foreach (IOperation operation in Operations(block))
                {
                    foreach (IOperation descendant in operation.DescendantsAndSelf())
                    {
                        if (descendant is IFlowAnonymousFunctionOperation lambda)
                        {
                            ControlFlowGraph lambdaGraph = graph.GetAnonymousFunctionControlFlowGraph(lambda, cancellationToken);
                            if (SymbolEqualityComparer.Default.Equals(lambda.Symbol, function))
                            {
                                return lambdaGraph;
                            }

                            pending.Push(lambdaGraph);
                        }
                    }
                }
            }
        }

        return null;
    }

    // The try region whose finally disposes 'resource': a using statement's body, or a using declaration's rest of block.
    private static ControlFlowRegion? DisposalTryRegion(ControlFlowGraph graph, SyntaxNode resource, CancellationToken cancellationToken)
    {
        foreach (BasicBlock block in graph.Blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ControlFlowRegion? region = block.EnclosingRegion;
            while (region is not null && region.Kind != ControlFlowRegionKind.Finally)
            {
                region = region.EnclosingRegion;
            }

            if (region?.EnclosingRegion is not { Kind: ControlFlowRegionKind.TryAndFinally } tryAndFinally)
            {
                continue;
            }

            foreach (IOperation operation in Operations(block))
            {
                if (operation.Syntax.Span == resource.Span)
                {
                    return tryAndFinally.NestedRegions[0];
                }
            }
        }

        return null;
    }

    private static bool HasOperationWithin(BasicBlock block, List<Microsoft.CodeAnalysis.Text.TextSpan> spans)
    {
        foreach (IOperation operation in Operations(block))
        {
            foreach (Microsoft.CodeAnalysis.Text.TextSpan span in spans)
            {
                if (span.Contains(operation.Syntax.Span))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static IEnumerable<IOperation> Operations(BasicBlock block)
    {
        foreach (IOperation operation in block.Operations)
        {
            yield return operation;
        }

        if (block.BranchValue is { } value)
        {
            yield return value;
        }
    }

    /// <summary>One path search over one graph; caches which blocks count.</summary>
    private sealed class Search(CheckpointPaths owner, ControlFlowGraph graph, SemanticModel model, bool returnsAreAwaited, CheckpointMode mode, CancellationToken cancellationToken)
    {
        private readonly bool?[] _counts = new bool?[graph.Blocks.Length];

        // From 'start', without crossing a counting block: reaches 'target', or (target null) leaves [first, last].
        public bool Reaches(BasicBlock start, int first, int last, BasicBlock? target)
        {
            var visited = new bool[graph.Blocks.Length];
            var pending = new Stack<BasicBlock>();
            pending.Push(start);
            visited[start.Ordinal] = true;
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                BasicBlock block = pending.Pop();
                if (block == target)
                {
                    return true;
                }

                if (Counts(block))
                {
                    continue;
                }

                foreach (ControlFlowBranch? branch in new[] { block.ConditionalSuccessor, block.FallThroughSuccessor })
                {
                    if (branch?.Destination is not { } destination || FinallyCounts(branch))
                    {
                        continue;
                    }

                    if (target is null && (destination.Ordinal < first || destination.Ordinal > last))
                    {
                        return true;
                    }

                    if (!visited[destination.Ordinal] && destination.Ordinal >= first && destination.Ordinal <= last)
                    {
                        visited[destination.Ordinal] = true;
                        pending.Push(destination);
                    }
                }
            }

            return false;
        }

        // From 'top', without crossing a counting block and staying in [first, last]: comes back to 'top'.
        public bool Returns(BasicBlock top, int first, int last)
        {
            if (Counts(top))
            {
                return false;
            }

            var visited = new bool[graph.Blocks.Length];
            var pending = new Stack<BasicBlock>();
            pending.Push(top);
            while (pending.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                BasicBlock block = pending.Pop();
                foreach (ControlFlowBranch? branch in new[] { block.ConditionalSuccessor, block.FallThroughSuccessor })
                {
                    if (branch?.Destination is not { } destination || destination.Ordinal < first || destination.Ordinal > last || FinallyCounts(branch))
                    {
                        continue;
                    }

                    if (destination == top)
                    {
                        return true;
                    }

                    if (!visited[destination.Ordinal] && !Counts(destination))
                    {
                        visited[destination.Ordinal] = true;
                        pending.Push(destination);
                    }
                }
            }

            return false;
        }

        private bool FinallyCounts(ControlFlowBranch branch)
        {
            foreach (ControlFlowRegion region in branch.FinallyRegions)
            {
                for (int ordinal = region.FirstBlockOrdinal; ordinal <= region.LastBlockOrdinal; ordinal++)
                {
                    if (Counts(graph.Blocks[ordinal]))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private bool Counts(BasicBlock block)
        {
            if (_counts[block.Ordinal] is { } known)
            {
                return known;
            }

            bool counts = ComputeCounts(block);
            _counts[block.Ordinal] = counts;
            return counts;
        }

        private bool ComputeCounts(BasicBlock block)
        {
            if (returnsAreAwaited && block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return && block.BranchValue is { } returned
                && model.GetOperation(returned.Syntax, cancellationToken) is { } original
                && owner.IsReturnedCheckpoint(original, mode, cancellationToken))
            {
                return true;
            }

            var pending = new Stack<IOperation>(Operations(block));
            while (pending.Count > 0)
            {
                IOperation operation = pending.Pop();
                switch (operation)
                {
                    case IFlowAnonymousFunctionOperation:
                        continue;
                    case IAwaitOperation @await when owner.IsAwaitCheckpoint(@await, model, mode, cancellationToken):
                    case IReturnOperation { Kind: OperationKind.YieldReturn }:
                        return true;
                }

                foreach (IOperation child in operation.ChildOperations)
                {
                    pending.Push(child);
                }
            }

            return false;
        }
    }

    private bool IsReturnedCheckpoint(IOperation original, CheckpointMode mode, CancellationToken cancellationToken) => checkpoints.IsReturnedCheckpoint(original, mode, cancellationToken);

    // Maps an await of the graph (explicit, or lowered from 'await foreach' and 'await using') back to the original operation.
    private bool IsAwaitCheckpoint(IAwaitOperation @await, SemanticModel model, CheckpointMode mode, CancellationToken cancellationToken)
    {
        SyntaxNode syntax = @await.Syntax;
        SyntaxNode? statement = syntax as CommonForEachStatementSyntax ?? syntax.Parent as CommonForEachStatementSyntax;
        if (statement is null && syntax is not AwaitExpressionSyntax)
        {
            // The disposal of 'await using'.
            return mode == CheckpointMode.AnyAwait;
        }

        return model.GetOperation(statement ?? syntax, cancellationToken) is { } original
            && checkpoints.IsCheckpointOperation(original, returnsAreAwaited: false, mode, cancellationToken);
    }
}
