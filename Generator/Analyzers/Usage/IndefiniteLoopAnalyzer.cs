using System.Collections.Generic;
using System.Collections.Immutable;
using EasyNetwork.Generator.Analysis;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analyzers.Usage;

/// <summary>
/// EN0014: reports <c>while (true)</c>, <c>for (;;)</c> and <c>do ... while (true)</c> loops in async functions that no
/// <c>break</c>, <c>return</c>, <c>yield break</c> or <c>goto</c> leaves (an exception does not count: a loop that only a
/// failure ends is the case this rule is about) and whose body has no checkpoint (ANALYZERS §2.5, in the mode of
/// <c>en_analyzers.checkpoints</c>). With <c>en_analyzers.en0014.mode = not_all_paths</c> it also reports loops with an
/// iteration that comes back to the top without one (control flow graph). A loop whose body holds an indefinite loop is
/// left alone: it never iterates, and the inner loop is the one reported. Located on the loop keyword.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class IndefiniteLoopAnalyzer : DiagnosticAnalyzer
{
    private const string NoCheckpoint = "has no checkpoint in its body";
    private const string SomeIterationWithout = "has an iteration without a checkpoint";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.IndefiniteLoopWithoutCheckpoint);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (KnownSymbols.TryCreate(start.Compilation) is not { } known)
            {
                return;
            }

            var roles = new ApiRoles(known);
            var checkpoints = new Checkpoints(known, roles);
            var state = new State(checkpoints, new CheckpointPaths(checkpoints), new AnalyzerOptionsReader(start.Options.AnalyzerConfigOptionsProvider));
            start.RegisterOperationAction(state.AnalyzeLoop, OperationKind.Loop);
        });
    }

    private sealed class State(Checkpoints checkpoints, CheckpointPaths paths, AnalyzerOptionsReader options)
    {
        public void AnalyzeLoop(OperationAnalysisContext context)
        {
            var loop = (ILoopOperation)context.Operation;
            if (!IsIndefinite(loop)
                || FunctionBoundaries.EnclosingFunction(loop, context.ContainingSymbol) is not { IsAsync: true } function
                || HasExitOrInnerIndefiniteLoop(loop, context))
            {
                return;
            }

            UsageOptions treeOptions = options.Get(loop.Syntax.SyntaxTree);
            bool conditional = false;
            if (checkpoints.ContainsCheckpoint(LoopParts(loop), returnsAreAwaited: false, treeOptions.Checkpoints, context.CancellationToken))
            {
                if (!treeOptions.LoopCheckpointsOnAllPaths
                    || loop.SemanticModel is not { } model
                    || !paths.LoopHasIterationWithoutCheckpoint(context.GetControlFlowGraph(), function, loop, model, treeOptions.Checkpoints, context.CancellationToken))
                {
                    return;
                }

                conditional = true;
            }

            SyntaxToken keyword = loop.Syntax switch
            {
                WhileStatementSyntax @while => @while.WhileKeyword,
                DoStatementSyntax @do => @do.DoKeyword,
                ForStatementSyntax @for => @for.ForKeyword,
                _ => loop.Syntax.GetFirstToken(),
            };
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.IndefiniteLoopWithoutCheckpoint,
                keyword.GetLocation(),
                keyword.ValueText,
                conditional ? SomeIterationWithout : NoCheckpoint));
        }

        // while (true), do ... while (true), for (...; ; ...) or for (...; true; ...).
        private static bool IsIndefinite(ILoopOperation loop) => loop switch
        {
            IWhileLoopOperation { Condition.ConstantValue: { HasValue: true, Value: true } } => true,
            IForLoopOperation { Condition: null } => true,
            IForLoopOperation { Condition.ConstantValue: { HasValue: true, Value: true } } => true,
            _ => false,
        };

        private static IEnumerable<IOperation> LoopParts(ILoopOperation loop)
        {
            yield return loop.Body;
            if (loop is IForLoopOperation @for)
            {
                foreach (IOperation increment in @for.AtLoopBottom)
                {
                    yield return increment;
                }
            }
        }

        // A break of this loop, a return or yield break, a goto to a label outside it; or a nested indefinite loop without
        // such an exit, which keeps this loop from ever coming back to its top (an inner loop's exits are walked into).
        private static bool HasExitOrInnerIndefiniteLoop(ILoopOperation loop, OperationAnalysisContext context)
        {
            var stack = new Stack<IOperation>();
            stack.Push(loop.Body);
            while (stack.Count > 0)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                IOperation operation = stack.Pop();
                switch (operation)
                {
                    case IAnonymousFunctionOperation or ILocalFunctionOperation:
                        continue;
                    case IReturnOperation { Kind: OperationKind.Return or OperationKind.YieldBreak }:
                        return true;
                    case IBranchOperation { BranchKind: BranchKind.Break } @break when SymbolEqualityComparer.Default.Equals(@break.Target, loop.ExitLabel):
                        return true;
                    case IBranchOperation { BranchKind: BranchKind.GoTo, Target: var label } when !IsDeclaredWithin(label, loop.Syntax):
                        return true;
                    case ILoopOperation inner when IsIndefinite(inner) && !HasExitOrInnerIndefiniteLoop(inner, context):
                        return true;
                }

                foreach (IOperation child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }

            return false;
        }

        private static bool IsDeclaredWithin(ILabelSymbol label, SyntaxNode node)
        {
            foreach (SyntaxReference reference in label.DeclaringSyntaxReferences)
            {
                if (reference.SyntaxTree == node.SyntaxTree && node.Span.Contains(reference.Span))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
