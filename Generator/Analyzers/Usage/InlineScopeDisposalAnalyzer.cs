using System.Collections.Generic;
using System.Collections.Immutable;
using EasyNetwork.Generator.Analysis;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analyzers.Usage;

/// <summary>
/// EN0005: reports an inline scope factory call (<c>[CancelScopeFactory]</c>, <c>[ShieldFactory]</c> or
/// <c>[TaskGroupFactory]</c> without a <c>[ScopeBody]</c> parameter) whose result is not the resource of a <c>using</c> where
/// it is created; and, second message, an inline scope that can raise its own cancellation (a cancel scope, or a shield
/// with a deadline) whose lifetime has a checkpoint no <c>catch (OperationCanceledException e) when (scope.Owns(e))</c>
/// covers, or that is anonymous. A factory method that returns the scope (a user wrapper) is exempt.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InlineScopeDisposalAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The <see cref="Diagnostic.Properties"/> key of the variant, read by the code fix.</summary>
    public const string KindProperty = "Kind";

    /// <summary>The <see cref="Diagnostic.Properties"/> key set to <c>true</c> when the scope can raise its own cancellation.</summary>
    public const string RaisesProperty = "Raises";

    /// <summary>The <see cref="Diagnostic.Properties"/> key set to <c>true</c> for a fail-after scope (<c>Fails = true</c>).</summary>
    public const string FailsProperty = "Fails";

    /// <summary>The <see cref="Diagnostic.Properties"/> key set to <c>true</c> when the statements after the scope's statement in its block contain a checkpoint.</summary>
    public const string CheckpointProperty = "Checkpoint";

    /// <summary>The <see cref="Diagnostic.Properties"/> key set to <c>true</c> when one of those checkpoints no owning catch covers.</summary>
    public const string ClaimProperty = "Claim";

    /// <summary>The variant of a scope that is not the resource of a <c>using</c>: discarded.</summary>
    public const string DiscardedKind = "Discarded";

    /// <summary>The variant of a scope stored in a local declared without <c>using</c>.</summary>
    public const string LocalKind = "Local";

    /// <summary>The variant of a scope under a <c>using</c> whose own cancellation is not claimed (second message).</summary>
    public const string UnclaimedKind = "Unclaimed";

    /// <summary>Any other variant (field, returned, argument): no fix.</summary>
    public const string OtherKind = "Other";

    private const ApiRole Factories = ApiRole.CancelScopeFactory | ApiRole.ShieldFactory | ApiRole.TaskGroupFactory;

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.InlineScopeNotDisposed);

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
            var state = new State(known, roles, new Checkpoints(known, roles));
            start.RegisterOperationAction(state.AnalyzeInvocation, OperationKind.Invocation);
        });
    }

    private sealed class State(KnownSymbols known, ApiRoles roles, Checkpoints checkpoints)
    {
        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (!ScopeShapes.IsInlineScopeFactoryCall(invocation, roles)
                || (context.ContainingSymbol is IMethodSymbol container && (roles.Get(container) & Factories) != 0))
            {
                // A user wrapper marked as a factory hands the scope to its caller.
                return;
            }

            IOperation child = invocation;
            IOperation? parent = invocation.Parent;
            // Through conversions, parentheses and the branches of 'c ? X : Y' / 'X ?? Y' to the code that receives the scope.
            while (parent is IConversionOperation { IsImplicit: true } or IParenthesizedOperation
                || (parent is IConditionalOperation conditional && child != conditional.Condition)
                || parent is ICoalesceOperation)
            {
                child = parent;
                parent = parent.Parent;
            }

            switch (parent)
            {
                case IUsingOperation @using when @using.Resources == child:
                    if (ScopeShapes.CanRaiseOwnCancellation(invocation, roles))
                    {
                        Report(context, invocation, UnclaimedKind, "is anonymous, so no catch can claim its own cancellation with Owns and that cancellation escapes to the caller");
                    }

                    return;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    AnalyzeDeclarator(context, invocation, declarator);
                    return;
                case IExpressionStatementOperation:
                case ISimpleAssignmentOperation { Target: IDiscardOperation }:
                    IOperation statement = parent is IExpressionStatementOperation ? parent : parent.Parent!;
                    Report(context, invocation, DiscardedKind, "is discarded, so nothing disposes it and it stays entered", statement, scope: null);
                    return;
                case ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation }:
                    Report(context, invocation, OtherKind, "is stored in a field or property, so its exit is not tied to this method");
                    return;
                case IReturnOperation:
                    Report(context, invocation, OtherKind, "is returned, so it stays entered after this method returns");
                    return;
                case IArgumentOperation:
                    Report(context, invocation, OtherKind, "is passed as an argument instead of being disposed by a using");
                    return;
                default:
                    Report(context, invocation, OtherKind, "is not disposed by a using where it is created");
                    return;
            }
        }

        private void AnalyzeDeclarator(OperationAnalysisContext context, IInvocationOperation invocation, IVariableDeclaratorOperation declarator)
        {
            IOperation? group = declarator.Parent?.Parent;
            switch (group?.Parent)
            {
                case IUsingOperation @using when @using.Resources == group:
                    if (ScopeShapes.CanRaiseOwnCancellation(invocation, roles) && HasUnclaimedCheckpoint([@using.Body], declarator.Symbol, context))
                    {
                        Report(context, invocation, UnclaimedKind, Unclaimed);
                    }

                    return;
                case IUsingDeclarationOperation declaration:
                    if (ScopeShapes.CanRaiseOwnCancellation(invocation, roles) && HasUnclaimedCheckpoint(FollowingStatements(declaration), declarator.Symbol, context))
                    {
                        Report(context, invocation, UnclaimedKind, Unclaimed);
                    }

                    return;
                case IBlockOperation:
                    Report(context, invocation, LocalKind, DescribeLocal(group!, declarator.Symbol, context), group!, declarator.Symbol);
                    return;
                default:
                    Report(context, invocation, OtherKind, "is not disposed by a using where it is created");
                    return;
            }
        }

        private const string Unclaimed = "has a checkpoint that no catch (OperationCanceledException e) when (scope.Owns(e)) covers, so its own cancellation escapes to the caller";

        private bool HasUnclaimedCheckpoint(IEnumerable<IOperation> lifetime, ILocalSymbol scope, OperationAnalysisContext context)
            => checkpoints.ContainsCheckpoint(lifetime, returnsAreAwaited: false, @try => OwningCatches.Claims(@try, scope, roles, known), context.CancellationToken);

        // The block's statements after a 'using var' declaration: its lifetime.
        private static List<IOperation> FollowingStatements(IOperation statement)
        {
            var following = new List<IOperation>();
            bool after = false;
            foreach (IOperation sibling in statement.Parent?.ChildOperations ?? [])
            {
                if (after)
                {
                    following.Add(sibling);
                }
                else if (sibling == statement)
                {
                    after = true;
                }
            }

            return following;
        }

        // Only on the reporting path: what the rest of the block does with the local.
        private static string DescribeLocal(IOperation declarationStatement, ILocalSymbol local, OperationAnalysisContext context)
        {
            bool disposed = false;
            foreach (IOperation statement in FollowingStatements(declarationStatement))
            {
                foreach (IOperation operation in statement.DescendantsAndSelf())
                {
                    context.CancellationToken.ThrowIfCancellationRequested();
                    switch (operation)
                    {
                        case IUsingOperation { Resources: var resource } when IsLocal(resource, local):
                            return "is stored in a local that a using disposes only later, so it is entered but unprotected in between";
                        case IInvocationOperation { TargetMethod.Name: "Dispose", Arguments.IsEmpty: true, Instance: { } instance } when IsLocal(instance, local):
                            disposed = true;
                            break;
                    }
                }
            }

            return disposed
                ? "is exited by an explicit Dispose() call instead of a using, so an exception leaves it entered"
                : "is stored in a local that no using disposes, so it stays entered";
        }

        private static bool IsLocal(IOperation operation, ILocalSymbol local)
        {
            while (operation is IConversionOperation { IsImplicit: true } conversion)
            {
                operation = conversion.Operand;
            }

            return operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);
        }

        private void Report(OperationAnalysisContext context, IInvocationOperation invocation, string kind, string variant)
            => Report(context, invocation, kind, variant, statement: null, scope: null);

        // For the fix: whether the rest of the block (the lifetime a 'using var' would give) has a checkpoint, and an unclaimed one.
        private void Report(OperationAnalysisContext context, IInvocationOperation invocation, string kind, string variant, IOperation? statement, ILocalSymbol? scope)
        {
            ApiRole role = roles.Get(invocation.TargetMethod);
            bool checkpoint = false;
            bool claim = false;
            if (statement is { Parent: IBlockOperation })
            {
                List<IOperation> rest = FollowingStatements(statement);
                checkpoint = checkpoints.ContainsCheckpoint(rest, returnsAreAwaited: false, context.CancellationToken);
                claim = checkpoint && (scope is null || HasUnclaimedCheckpoint(rest, scope, context));
            }

            ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty
                .Add(KindProperty, statement is { Parent: IBlockOperation } || kind == UnclaimedKind ? kind : OtherKind)
                .Add(CheckpointProperty, checkpoint ? "true" : "false")
                .Add(ClaimProperty, claim ? "true" : "false")
                .Add(RaisesProperty, ScopeShapes.CanRaiseOwnCancellation(invocation, roles) ? "true" : "false")
                .Add(FailsProperty, (role & ApiRole.FailsOnExpiry) != 0 ? "true" : "false");
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InlineScopeNotDisposed, invocation.Syntax.GetLocation(), properties, invocation.TargetMethod.Name, variant));
        }
    }
}
