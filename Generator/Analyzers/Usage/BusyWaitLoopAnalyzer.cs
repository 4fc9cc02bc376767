using System.Collections.Immutable;
using EasyNetwork.Generator.Analysis;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analyzers.Usage;

/// <summary>
/// EN0016: reports, in backend code (ANALYZERS §2.6), a <c>while (cond)</c> or <c>do ... while (cond)</c> loop whose body is
/// exactly one statement (braces allowed) awaiting a sleep or checkpoint: a <c>[Checkpoint]</c> member, <c>Task.Delay</c>
/// or <c>Task.Yield</c>. Not reported: other bodies, <c>for</c> loops, conditions that await (<c>while (await ...)</c>),
/// and constant conditions, which poll nothing (<c>while (true)</c> is EN0014's business). Located on the loop keyword.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BusyWaitLoopAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.BusyWaitLoop);

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
            var backendCode = new BackendCode(known, roles);
            var options = new AnalyzerOptionsReader(start.Options.AnalyzerConfigOptionsProvider);
            ImmutableHashSet<ISymbol> taskSleeps = TaskSleeps(known);
            start.RegisterOperationAction(
                context =>
                {
                    if (context.Operation is not IWhileLoopOperation { Condition: { ConstantValue.HasValue: false } condition } loop
                        || OnlyStatement(loop.Body) is not IExpressionStatementOperation { Operation: IAwaitOperation @await }
                        || AwaitedOperations.Unwrap(@await.Operation, known) is not IInvocationOperation { TargetMethod: { } method }
                        || !(taskSleeps.Contains(method.OriginalDefinition) || IsCheckpoint(method, roles, known))
                        || ContainsAwait(condition)
                        || !backendCode.IsBackendCode(loop, context.ContainingSymbol, options.Get(loop.Syntax.SyntaxTree).BackendCode))
                    {
                        return;
                    }

                    string member = method.IsStatic ? method.ContainingType.Name + "." + method.Name : method.Name;
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.BusyWaitLoop, loop.Syntax.GetFirstToken().GetLocation(), member));
                },
                OperationKind.Loop);
        });
    }

    // The body's single statement, inside braces or not; null for any other body.
    private static IOperation? OnlyStatement(IOperation body) => body switch
    {
        IBlockOperation { Operations.Length: 1 } block => block.Operations[0],
        IBlockOperation => null,
        _ => body,
    };

    // [Checkpoint] on the member (inherited through overrides and implementations), or on its type.
    private static bool IsCheckpoint(IMethodSymbol method, ApiRoles roles, KnownSymbols known)
    {
        if (roles.Has(method, ApiRole.Checkpoint))
        {
            return true;
        }

        for (INamedTypeSymbol? type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            foreach (AttributeData attribute in type.GetAttributes())
            {
                if (known.CheckpointAttribute is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, known.CheckpointAttribute))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool ContainsAwait(IOperation condition)
    {
        foreach (IOperation operation in condition.DescendantsAndSelf())
        {
            if (operation is IAwaitOperation)
            {
                return true;
            }
        }

        return false;
    }

    // Task.Delay (every overload) and Task.Yield, as symbols.
    private static ImmutableHashSet<ISymbol> TaskSleeps(KnownSymbols known)
    {
        ImmutableHashSet<ISymbol>.Builder sleeps = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
        if (known.Task is { } task)
        {
            foreach (string name in new[] { "Delay", "Yield" })
            {
                foreach (ISymbol member in task.GetMembers(name))
                {
                    if (member is IMethodSymbol { IsStatic: true })
                    {
                        sleeps.Add(member);
                    }
                }
            }
        }

        return sleeps.ToImmutable();
    }
}
