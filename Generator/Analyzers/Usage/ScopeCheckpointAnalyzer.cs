using System.Collections.Generic;
using System.Collections.Immutable;
using EasyNetwork.Generator.Analysis;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analyzers.Usage;

/// <summary>
/// EN0012: reports a cancel scope that contains no checkpoint (ANALYZERS §2.5, either mode of <c>en_analyzers.checkpoints</c>):
/// a delegate-form <c>[CancelScopeFactory]</c> call whose lambda body has none, and an inline scope (<c>using var</c>,
/// <c>using (...)</c>) whose lifetime has none. With <c>en_analyzers.en0012.mode = not_all_paths</c> it also reports a scope
/// whose checkpoints are all conditional (the control flow graph has a path through it without one); those diagnostics
/// carry <see cref="ConditionalProperty"/>, and the fixes offer nothing for them. Method-group bodies are opaque and never
/// reported; shields are not cancel scopes here.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ScopeCheckpointAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The <see cref="Diagnostic.Properties"/> key set (to "true") when the scope has checkpoints, but not on every path.</summary>
    public const string ConditionalProperty = "Conditional";

    private const string NoCheckpoint = "contains no checkpoint";
    private const string SomePathWithout = "has a path without a checkpoint";
    private const string CannotBeCancelled = "cannot be cancelled";
    private const string NeverTimesOut = "can never time out";
    private const string NotAlwaysCancelled = "cannot always be cancelled";
    private const string MayNeverTimeOut = "may never time out";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.ScopeWithoutCheckpoint);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (KnownSymbols.TryCreate(start.Compilation) is not { } known || known.CancelScopeFactoryAttribute is null)
            {
                return;
            }

            var roles = new ApiRoles(known);
            var checkpoints = new Checkpoints(known, roles);
            var state = new State(roles, checkpoints, new CheckpointPaths(checkpoints), new AnalyzerOptionsReader(start.Options.AnalyzerConfigOptionsProvider));
            start.RegisterOperationAction(state.AnalyzeInvocation, OperationKind.Invocation);
            start.RegisterOperationAction(state.AnalyzeUsingDeclaration, OperationKind.UsingDeclaration);
            start.RegisterOperationAction(state.AnalyzeUsing, OperationKind.Using);
        });
    }

    private sealed class State(ApiRoles roles, Checkpoints checkpoints, CheckpointPaths paths, AnalyzerOptionsReader options)
    {
        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            ApiRole role = roles.Get(invocation.TargetMethod);
            if ((role & (ApiRole.CancelScopeFactory | ApiRole.HasScopeBody)) != (ApiRole.CancelScopeFactory | ApiRole.HasScopeBody)
                || (role & ApiRole.ShieldFactory) != 0
                || !Checkpoints.TryGetBody(invocation, out IAnonymousFunctionOperation? body)
                || body is null)
            {
                return;
            }

            UsageOptions treeOptions = options.Get(invocation.Syntax.SyntaxTree);
            bool conditional = false;
            if (checkpoints.BodyHasCheckpoint(body, treeOptions.Checkpoints, context.CancellationToken))
            {
                if (!treeOptions.ScopeCheckpointsOnAllPaths
                    || invocation.SemanticModel is not { } model
                    || !paths.BodyHasPathWithoutCheckpoint(context.GetControlFlowGraph(), body, model, treeOptions.Checkpoints, context.CancellationToken))
                {
                    return;
                }

                conditional = true;
            }

            Report(context, invocation.Syntax.GetLocation(), invocation.TargetMethod, role, conditional);
        }

        public void AnalyzeUsingDeclaration(OperationAnalysisContext context)
        {
            var declaration = (IUsingDeclarationOperation)context.Operation;
            (IInvocationOperation? scope, SyntaxNode? resource) = InlineScope(declaration.DeclarationGroup);
            if (scope is null || resource is null || declaration.Parent is null)
            {
                return;
            }

            // The lifetime: from the declaration to the end of the enclosing block.
            var lifetime = new List<IOperation>();
            bool after = false;
            foreach (IOperation sibling in declaration.Parent.ChildOperations)
            {
                if (after)
                {
                    lifetime.Add(sibling);
                }
                else if (sibling == declaration)
                {
                    after = true;
                }
            }

            if (Lacks(context, lifetime, resource) is { } conditional)
            {
                Report(context, declaration.Syntax.GetLocation(), scope.TargetMethod, roles.Get(scope.TargetMethod), conditional);
            }
        }

        public void AnalyzeUsing(OperationAnalysisContext context)
        {
            var @using = (IUsingOperation)context.Operation;
            (IInvocationOperation? scope, SyntaxNode? resource) = @using.Resources is IVariableDeclarationGroupOperation group
                ? InlineScope(group)
                : (InlineScope(@using.Resources), @using.Resources.Syntax);
            if (scope is not null && resource is not null && Lacks(context, [@using.Body], resource) is { } conditional)
            {
                Report(context, scope.Syntax.GetLocation(), scope.TargetMethod, roles.Get(scope.TargetMethod), conditional);
            }
        }

        // Null when the lifetime has a checkpoint (on every path, in mode not_all_paths); else whether it has some, conditionally.
        private bool? Lacks(OperationAnalysisContext context, IEnumerable<IOperation> lifetime, SyntaxNode resource)
        {
            UsageOptions treeOptions = options.Get(resource.SyntaxTree);
            if (!checkpoints.ContainsCheckpoint(lifetime, returnsAreAwaited: false, treeOptions.Checkpoints, context.CancellationToken))
            {
                return false;
            }

            return treeOptions.ScopeCheckpointsOnAllPaths
                && context.Operation.SemanticModel is { } model
                && FunctionBoundaries.EnclosingFunction(context.Operation, context.ContainingSymbol) is { } function
                && paths.LifetimeHasPathWithoutCheckpoint(context.GetControlFlowGraph(), function, resource, model, treeOptions.Checkpoints, context.CancellationToken)
                ? true
                : null;
        }

        // The first inline scope among the declarators, with its declarator's syntax.
        private (IInvocationOperation? Scope, SyntaxNode? Resource) InlineScope(IVariableDeclarationGroupOperation group)
        {
            foreach (IVariableDeclarationOperation variables in group.Declarations)
            {
                foreach (IVariableDeclaratorOperation declarator in variables.Declarators)
                {
                    if (InlineScope(declarator.Initializer?.Value ?? variables.Initializer?.Value) is { } scope)
                    {
                        return (scope, declarator.Syntax);
                    }
                }
            }

            return (null, null);
        }

        // An inline [CancelScopeFactory] call that is not a shield.
        private IInvocationOperation? InlineScope(IOperation? resource)
        {
            while (resource is IConversionOperation { IsImplicit: true } conversion)
            {
                resource = conversion.Operand;
            }

            return resource is IInvocationOperation invocation
                && (roles.Get(invocation.TargetMethod) & (ApiRole.CancelScopeFactory | ApiRole.HasScopeBody | ApiRole.ShieldFactory)) == ApiRole.CancelScopeFactory
                && !Shields.IsShieldResource(invocation, roles)
                ? invocation
                : null;
        }

        private static void Report(OperationAnalysisContext context, Location location, IMethodSymbol factory, ApiRole role, bool conditional)
        {
            bool fails = (role & ApiRole.FailsOnExpiry) != 0;
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.ScopeWithoutCheckpoint,
                location,
                conditional ? ImmutableDictionary<string, string?>.Empty.Add(ConditionalProperty, "true") : ImmutableDictionary<string, string?>.Empty,
                "'" + factory.Name + "'",
                conditional ? SomePathWithout : NoCheckpoint,
                conditional ? (fails ? MayNeverTimeOut : NotAlwaysCancelled) : (fails ? NeverTimesOut : CannotBeCancelled)));
        }
    }
}
