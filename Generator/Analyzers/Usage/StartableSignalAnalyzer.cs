using System.Collections.Concurrent;
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
/// EN0013: reports a readiness child that never reports started: a method taking a parameter whose type declares a
/// <c>[StartedSignal]</c> method (the status) that never calls a signal on that parameter, directly or in a nested lambda
/// or local function; a <c>[Startable]</c> method without such a parameter that calls no signal at all. Second message: a
/// <c>[Startable]</c> method handed to a <c>[TaskStarter]</c> that returns nothing to await while its type has a starter
/// that does. Abstract, extern and interface members and stub bodies (empty, or a single <c>throw</c>) are skipped.
/// </summary>
/// <remarks>
/// Finding "some type anywhere declares a <c>[StartedSignal]</c> method" would mean walking every type of every
/// reference. Instead the rule is per method: the types of its parameters are looked up once per compilation, so when no
/// type carries the marker (the built-in API has none) each method costs a few cache reads and nothing is registered for it.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StartableSignalAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.StartableNeverReportsStarted);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (KnownSymbols.TryCreate(start.Compilation) is not { } known || known.StartedSignalAttribute is null || known.StartableAttribute is null)
            {
                return;
            }

            var state = new State(known, new ApiRoles(known));
            start.RegisterOperationBlockStartAction(state.AnalyzeBlockStart);
            if (known.TaskStarterAttribute is not null)
            {
                start.RegisterOperationAction(state.AnalyzeStarter, OperationKind.Invocation);
            }
        });
    }

    private sealed class State(KnownSymbols known, ApiRoles roles)
    {
        private readonly ConcurrentDictionary<ITypeSymbol, bool> _statusTypes = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ITypeSymbol, IMethodSymbol?> _awaitingStarters = new(SymbolEqualityComparer.Default);

        public void AnalyzeBlockStart(OperationBlockStartAnalysisContext context)
        {
            if (context.OwningSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation } method
                || method.IsAbstract
                || method.IsExtern
                || method.ContainingType.TypeKind == TypeKind.Interface)
            {
                return;
            }

            List<IParameterSymbol>? statuses = null;
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                if (IsStatusType(parameter.Type))
                {
                    (statuses ??= []).Add(parameter);
                }
            }

            bool startable = roles.Has(method, ApiRole.Startable);
            if ((statuses is null && !startable) || IsStub(context.OperationBlocks))
            {
                return;
            }

            var body = new BodyState(statuses);
            context.RegisterOperationAction(body.AnalyzeInvocation(roles), OperationKind.Invocation);
            context.RegisterOperationBlockEndAction(end => body.Report(end, method));
        }

        public void AnalyzeStarter(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            IMethodSymbol starter = invocation.TargetMethod;
            if (!roles.Has(starter, ApiRole.TaskStarter)
                || IsAwaitable(starter.ReturnType)
                || AwaitingStarter(starter.ContainingType) is not { } awaiting)
            {
                return;
            }

            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                if (StartableTarget(argument.Value) is { } child)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.StartableNeverReportsStarted,
                        invocation.Syntax.GetLocation(),
                        child.Name,
                        "is started by '" + starter.Name + "', which does not wait for it to report that it is ready; use a starter that waits, such as '" + awaiting.Name + "'"));
                    return;
                }
            }
        }

        // A type that declares, inherits or implements a [StartedSignal] method; computed once per type.
        private bool IsStatusType(ITypeSymbol type)
        {
            if (type is not INamedTypeSymbol { SpecialType: SpecialType.None, TypeKind: TypeKind.Class or TypeKind.Interface or TypeKind.Struct } named)
            {
                return false;
            }

            ITypeSymbol key = named.OriginalDefinition;
            return _statusTypes.TryGetValue(key, out bool result) ? result : _statusTypes.GetOrAdd(key, DeclaresSignal((INamedTypeSymbol)key));
        }

        private bool DeclaresSignal(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
            {
                if (current.SpecialType == SpecialType.System_Object)
                {
                    break;
                }

                if (HasSignalMember(current))
                {
                    return true;
                }
            }

            foreach (INamedTypeSymbol @interface in type.AllInterfaces)
            {
                if (HasSignalMember(@interface))
                {
                    return true;
                }
            }

            return false;
        }

        private bool HasSignalMember(INamedTypeSymbol type)
        {
            foreach (ISymbol member in type.GetMembers())
            {
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation } candidate && roles.Has(candidate, ApiRole.StartedSignal))
                {
                    return true;
                }
            }

            return false;
        }

        // Another [TaskStarter] of the same type that returns an awaitable (StartAsync next to StartSoon); computed once per type.
        private IMethodSymbol? AwaitingStarter(INamedTypeSymbol type)
        {
            ITypeSymbol key = type.OriginalDefinition;
            return _awaitingStarters.TryGetValue(key, out IMethodSymbol? result) ? result : _awaitingStarters.GetOrAdd(key, FindAwaitingStarter((INamedTypeSymbol)key));
        }

        private IMethodSymbol? FindAwaitingStarter(INamedTypeSymbol type)
        {
            foreach (ISymbol member in type.GetMembers())
            {
                if (member is IMethodSymbol candidate && roles.Has(candidate, ApiRole.TaskStarter) && IsAwaitable(candidate.ReturnType))
                {
                    return candidate;
                }
            }

            return null;
        }

        private bool IsAwaitable(ITypeSymbol type) => AwaitedOperations.IsTaskType(type, known);

        // The [Startable] method a delegate argument runs: a method group, or a lambda whose body is one call.
        private IMethodSymbol? StartableTarget(IOperation value)
        {
            while (value is IConversionOperation { IsImplicit: true } conversion)
            {
                value = conversion.Operand;
            }

            if (value is not IDelegateCreationOperation creation)
            {
                return null;
            }

            IMethodSymbol? target = creation.Target switch
            {
                IMethodReferenceOperation reference => reference.Method,
                IAnonymousFunctionOperation lambda => OnlyCall(lambda.Body),
                _ => null,
            };
            return target is not null && roles.Has(target, ApiRole.Startable) ? target : null;
        }

        private static IMethodSymbol? OnlyCall(IBlockOperation body)
        {
            IOperation? only = null;
            foreach (IOperation statement in body.Operations)
            {
                if (statement is IReturnOperation { ReturnedValue: null, IsImplicit: true })
                {
                    continue;
                }

                if (only is not null)
                {
                    return null;
                }

                only = statement;
            }

            IOperation? expression = only switch
            {
                IReturnOperation { ReturnedValue: { } returned } => returned,
                IExpressionStatementOperation statement => statement.Operation,
                _ => null,
            };
            if (expression is IAwaitOperation awaited)
            {
                expression = awaited.Operation;
            }

            return (expression as IInvocationOperation)?.TargetMethod;
        }

        // An empty body, or one that only throws (a stub), is not a child yet.
        private static bool IsStub(ImmutableArray<IOperation> blocks)
        {
            foreach (IOperation block in blocks)
            {
                IBlockOperation? body = block switch
                {
                    IMethodBodyOperation methodBody => methodBody.BlockBody ?? methodBody.ExpressionBody,
                    IBlockOperation direct => direct,
                    _ => null,
                };
                if (body is null)
                {
                    continue;
                }

                IOperation? only = null;
                foreach (IOperation statement in body.Operations)
                {
                    if (statement.IsImplicit && statement is IReturnOperation { ReturnedValue: null })
                    {
                        continue;
                    }

                    if (only is not null)
                    {
                        return false;
                    }

                    only = statement;
                }

                IOperation? thrown = only switch
                {
                    IExpressionStatementOperation statement => statement.Operation,
                    IReturnOperation { ReturnedValue: { } returned } => returned,
                    _ => only,
                };
                while (thrown is IConversionOperation conversion)
                {
                    thrown = conversion.Operand;
                }

                return only is null || thrown is IThrowOperation;
            }

            return false;
        }
    }

    // Which statuses of one body were signalled; written from the invocation callbacks of that body.
    private sealed class BodyState(List<IParameterSymbol>? statuses)
    {
        private readonly int[] _signalled = new int[statuses?.Count ?? 0];
        private int _anySignal;

        public System.Action<OperationAnalysisContext> AnalyzeInvocation(ApiRoles roles) => context =>
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (!roles.Has(invocation.TargetMethod, ApiRole.StartedSignal))
            {
                return;
            }

            Interlocked.Exchange(ref _anySignal, 1);
            if (statuses is null || SignalledParameter(invocation) is not { } parameter)
            {
                return;
            }

            for (int i = 0; i < statuses.Count; i++)
            {
                if (SymbolEqualityComparer.Default.Equals(statuses[i], parameter))
                {
                    Interlocked.Exchange(ref _signalled[i], 1);
                }
            }
        };

        public void Report(OperationBlockAnalysisContext context, IMethodSymbol method)
        {
            if (statuses is null)
            {
                if (Volatile.Read(ref _anySignal) == 0)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.StartableNeverReportsStarted,
                        method.Locations[0],
                        method.Name,
                        "is marked [Startable] but calls no [StartedSignal] method, so whoever starts it is never told that it is ready"));
                }

                return;
            }

            for (int i = 0; i < statuses.Count; i++)
            {
                if (Volatile.Read(ref _signalled[i]) == 0)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.StartableNeverReportsStarted,
                        statuses[i].Locations[0],
                        method.Name,
                        "never calls a [StartedSignal] method on '" + statuses[i].Name + "', so whoever starts it is never told that it is ready"));
                }
            }
        }

        // The parameter a signal is called on: its receiver (status.Started(), status?.Started()), or the first argument of an extension.
        private static IParameterSymbol? SignalledParameter(IInvocationOperation invocation)
        {
            IOperation? receiver = invocation.Instance;
            if (receiver is IConditionalAccessInstanceOperation)
            {
                for (IOperation? parent = invocation.Parent; parent is not null; parent = parent.Parent)
                {
                    if (parent is IConditionalAccessOperation access)
                    {
                        receiver = access.Operation;
                        break;
                    }
                }
            }
            else if (receiver is null && invocation.TargetMethod.IsExtensionMethod && !invocation.Arguments.IsEmpty)
            {
                receiver = invocation.Arguments[0].Value;
            }

            while (receiver is IConversionOperation { IsImplicit: true } conversion)
            {
                receiver = conversion.Operand;
            }

            return (receiver as IParameterReferenceOperation)?.Parameter;
        }
    }
}
