using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using EasyNetwork.Generator.Analysis;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analyzers.Usage;

/// <summary>
/// EN0017: reports a delegate-form <c>[TaskGroupFactory]</c> call whose lambda body is exactly one <c>[TaskStarter]</c>
/// call on the group that does not mention the group in its arguments, or that starts no child at all. A trailing
/// <c>return</c> of a completed value in a non-async body is not counted as a statement. Method-group bodies are opaque
/// and never reported. The library has no inline task group form, so only the delegate form is analyzed.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RedundantTaskGroupAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The <see cref="Diagnostic.Properties"/> key holding the variant, for the code fix.</summary>
    public const string VariantProperty = "Variant";

    /// <summary>The variant of a group that starts a single child.</summary>
    public const string SingleChild = "SingleChild";

    /// <summary>The variant of a group that starts no child.</summary>
    public const string NoChild = "NoChild";

    private const string SingleChildMessage = "starts a single child that does not use the group, so awaiting the child directly is equivalent";
    private const string NoChildMessage = "starts no child, so it does nothing";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.RedundantTaskGroup);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (KnownSymbols.TryCreate(start.Compilation) is not { } known
                || known.TaskGroupFactoryAttribute is null
                || known.TaskStarterAttribute is null)
            {
                return;
            }

            var state = new State(known, new ApiRoles(known));
            start.RegisterOperationAction(state.AnalyzeInvocation, OperationKind.Invocation);
        });
    }

    /// <summary>
    /// Finds the only statement of a group body that counts: none (an empty group), or one. Implicit and value-less returns
    /// and, in a non-async body without a result, a <c>return</c> of a completed value are skipped. A body that returns a
    /// result (an async expression body whose value is a task handle included) has a statement that counts.
    /// </summary>
    /// <param name="body">The group's body.</param>
    /// <param name="known">The known symbols.</param>
    /// <param name="statement">The single statement, or null for an empty body.</param>
    /// <returns>False when the body has more than one statement that counts.</returns>
    internal static bool TryGetOnlyStatement(IAnonymousFunctionOperation body, KnownSymbols known, out IOperation? statement)
    {
        statement = null;
        foreach (IOperation operation in body.Body.Operations)
        {
            if (operation is IReturnOperation { ReturnedValue: null }
                || (operation is IReturnOperation { ReturnedValue: { } returned }
                    && !body.Symbol.IsAsync
                    && body.Symbol.ReturnType is INamedTypeSymbol { IsGenericType: false }
                    && AwaitedOperations.IsCompletedValue(AwaitedOperations.Unwrap(returned, known), known)))
            {
                continue;
            }

            if (statement is not null)
            {
                return false;
            }

            statement = operation;
        }

        return true;
    }

    /// <summary>
    /// Gets the child start of a single-statement body: <c>g.Start(...)</c> or <c>await g.Start(...)</c> as a statement, on
    /// a parameter <c>g</c> of the body, with no argument mentioning <c>g</c> (nested lambdas included).
    /// </summary>
    /// <param name="statement">The body's only statement.</param>
    /// <param name="body">The body.</param>
    /// <param name="roles">The role cache.</param>
    /// <param name="cancellationToken">The analysis cancellation.</param>
    /// <returns>The starter call, or null.</returns>
    internal static IInvocationOperation? GetLoneChildStart(IOperation statement, IAnonymousFunctionOperation body, ApiRoles roles, CancellationToken cancellationToken)
    {
        if (statement is not IExpressionStatementOperation { Operation: var expression })
        {
            return null;
        }

        if (expression is IAwaitOperation awaited)
        {
            expression = awaited.Operation;
        }

        while (expression is IConversionOperation { IsImplicit: true } conversion)
        {
            expression = conversion.Operand;
        }

        if (expression is not IInvocationOperation { Instance: { } instance } start || !roles.Has(start.TargetMethod, ApiRole.TaskStarter))
        {
            return null;
        }

        while (instance is IConversionOperation { IsImplicit: true } conversion)
        {
            instance = conversion.Operand;
        }

        if (instance is not IParameterReferenceOperation { Parameter: var group }
            || !SymbolEqualityComparer.Default.Equals(group.ContainingSymbol, body.Symbol))
        {
            return null;
        }

        foreach (IArgumentOperation argument in start.Arguments)
        {
            if (Mentions(argument, group, cancellationToken))
            {
                return null;
            }
        }

        return start;
    }

    private static bool Mentions(IOperation root, IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        var stack = new Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IOperation operation = stack.Pop();
            if (operation is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter))
            {
                return true;
            }

            foreach (IOperation child in operation.ChildOperations)
            {
                stack.Push(child);
            }
        }

        return false;
    }

    private sealed class State(KnownSymbols known, ApiRoles roles)
    {
        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            ApiRole role = roles.Get(invocation.TargetMethod);
            if ((role & (ApiRole.TaskGroupFactory | ApiRole.HasScopeBody)) != (ApiRole.TaskGroupFactory | ApiRole.HasScopeBody)
                || !Checkpoints.TryGetBody(invocation, out IAnonymousFunctionOperation? body)
                || body is null
                || !TryGetOnlyStatement(body, known, out IOperation? statement))
            {
                return;
            }

            string variant;
            if (statement is null)
            {
                variant = NoChild;
            }
            else if (GetLoneChildStart(statement, body, roles, context.CancellationToken) is not null)
            {
                variant = SingleChild;
            }
            else
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.RedundantTaskGroup,
                invocation.Syntax.GetLocation(),
                ImmutableDictionary<string, string?>.Empty.Add(VariantProperty, variant),
                "'" + invocation.TargetMethod.Name + "'",
                variant == NoChild ? NoChildMessage : SingleChildMessage));
        }
    }
}
