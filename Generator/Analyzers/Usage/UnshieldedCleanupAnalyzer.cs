using System.Collections.Immutable;
using EasyNetwork.Generator.Analysis;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace EasyNetwork.Generator.Analyzers.Usage;

/// <summary>
/// EN0001: reports every <see langword="await"/> and <c>await foreach</c> in a cleanup region (<see langword="finally"/>,
/// a catch clause that can catch cancellation, <c>DisposeAsync</c>) that no inline shield opened in the region covers,
/// unless the awaited operation is safe in cleanup (<c>[CleanupSafe]</c>, a shield call, a completed value, an
/// argument-less <c>DisposeAsync()</c>). Each diagnostic carries the run of adjacent flagged statements of its block as
/// additional locations (<see cref="FlaggedStatementRuns"/>), for the fix.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnshieldedCleanupAnalyzer : DiagnosticAnalyzer
{
    private const string NotShielded = "is not shielded from cancellation";
    private const string OuterToken = "passes a token from outside the shield";
    private const string NoDeadline = "uses a shield without a deadline";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.UnshieldedCleanupAwait);

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

            var state = new State(known, new ApiRoles(known), new AnalyzerOptionsReader(start.Options.AnalyzerConfigOptionsProvider));
            start.RegisterOperationBlockStartAction(state.StartBody);
        });
    }

    private sealed class State(KnownSymbols known, ApiRoles roles, AnalyzerOptionsReader options)
    {
        // Per body: the diagnostics are reported at its end, with the run of adjacent flagged statements the fix moves.
        public void StartBody(OperationBlockStartAnalysisContext body)
        {
            var runs = new FlaggedStatementRuns();
            body.RegisterOperationAction(context => AnalyzeAwait(context, runs), OperationKind.Await);
            body.RegisterOperationAction(context => AnalyzeLoop(context, runs), OperationKind.Loop);
            body.RegisterOperationBlockEndAction(runs.Report);
        }

        private void AnalyzeAwait(OperationAnalysisContext context, FlaggedStatementRuns runs)
        {
            var @await = (IAwaitOperation)context.Operation;
            UsageOptions treeOptions = options.Get(@await.Syntax.SyntaxTree);
            CleanupRegion region = CleanupRegions.Find(@await, context.ContainingSymbol, known, treeOptions.CatchExceptionIsCleanup);
            if (region.Kind == CleanupRegionKind.None)
            {
                return;
            }

            IOperation awaited = AwaitedOperations.Unwrap(@await.Operation, known);
            if (treeOptions.RequireDeadline
                && awaited is IInvocationOperation shieldCall
                && roles.Has(shieldCall.TargetMethod, ApiRole.ShieldFactory)
                && !Shields.HasDeadline(shieldCall))
            {
                // require_deadline: a shield suffices only with its own deadline; reported on the shield call.
                runs.Add(DiagnosticDescriptors.UnshieldedCleanupAwait, @await.Syntax, shieldCall.Syntax.GetLocation(), region.Description, NoDeadline);
                return;
            }

            if (CleanupRegions.IsSafeInCleanup(awaited, region.Kind, roles, known))
            {
                return;
            }

            ShieldState shield = Shields.GetState(@await, awaited, region.Root!, roles, known);
            if (shield == ShieldState.Shielded)
            {
                return;
            }

            runs.Add(
                DiagnosticDescriptors.UnshieldedCleanupAwait,
                @await.Syntax,
                @await.Syntax.GetLocation(),
                region.Description,
                shield == ShieldState.Defeated ? OuterToken : NotShielded);
        }

        private void AnalyzeLoop(OperationAnalysisContext context, FlaggedStatementRuns runs)
        {
            if (context.Operation is not IForEachLoopOperation { IsAsynchronous: true } loop
                || loop.Syntax is not CommonForEachStatementSyntax syntax)
            {
                return;
            }

            UsageOptions treeOptions = options.Get(loop.Syntax.SyntaxTree);
            CleanupRegion region = CleanupRegions.Find(loop, context.ContainingSymbol, known, treeOptions.CatchExceptionIsCleanup);
            if (region.Kind == CleanupRegionKind.None || Shields.GetState(loop, null, region.Root!, roles, known) == ShieldState.Shielded)
            {
                return;
            }

            // On the header: from 'await' to the closing parenthesis.
            Location location = Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(syntax.AwaitKeyword.SpanStart, syntax.CloseParenToken.Span.End));
            runs.Add(DiagnosticDescriptors.UnshieldedCleanupAwait, syntax, location, region.Description, NotShielded);
        }
    }
}
