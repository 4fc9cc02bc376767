using System.Collections.Immutable;
using EasyNetwork.Generator.Analysis;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analyzers.Usage;

/// <summary>
/// EN0008: reports, in backend code (ANALYZERS §2.6), work that escapes structure: a call returning an awaitable whose
/// result is discarded (an expression statement, <c>_ = ...</c>) or stored in a field or property; <c>Task.Run</c> and
/// <c>Task.Factory.StartNew</c> whose task is not awaited (directly, through a local, or in an awaited
/// <c>Task.WhenAll</c>/<c>WhenAny</c>) nor returned; <c>ThreadPool.QueueUserWorkItem</c>; <c>async void</c> methods and local
/// functions, and async lambdas converted to void-returning delegates, except <c>(object, EventArgs)</c>-shaped handlers.
/// <c>[TaskStarter]</c> calls are the structured way to start work and are never reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class FireAndForgetAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The <see cref="Diagnostic.Properties"/> key set to <c>true</c> when awaiting the statement is a safe fix.</summary>
    public const string AddAwaitProperty = "AddAwait";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.FireAndForgetTask);

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
            var state = new State(known, roles, new BackendCode(known, roles), new AnalyzerOptionsReader(start.Options.AnalyzerConfigOptionsProvider));
            start.RegisterOperationAction(state.AnalyzeInvocation, OperationKind.Invocation);
            start.RegisterOperationAction(state.AnalyzeMethodBody, OperationKind.MethodBody);
            start.RegisterOperationAction(state.AnalyzeLocalFunction, OperationKind.LocalFunction);
            start.RegisterOperationAction(state.AnalyzeLambda, OperationKind.AnonymousFunction);
        });
    }

    /// <summary>What a call starts.</summary>
    private enum Work
    {
        None,

        /// <summary>A call that returns an awaitable.</summary>
        Awaitable,

        /// <summary><c>Task.Run</c> or <c>Task.Factory.StartNew</c>: work on the thread pool, returned as a task.</summary>
        ThreadPoolTask,

        /// <summary><c>ThreadPool.QueueUserWorkItem</c>: work on the thread pool that nothing can await.</summary>
        ThreadPoolItem,
    }

    /// <summary>Where the value of a call ends up.</summary>
    private enum FateKind
    {
        /// <summary>Awaited, returned, or anything this rule does not judge.</summary>
        Kept,

        /// <summary>An expression statement or a discard assignment.</summary>
        Discarded,

        /// <summary>Stored in a field or property.</summary>
        Member,

        /// <summary>Stored in a local, an element of a local array, or added to a local collection.</summary>
        Local,

        /// <summary>Passed to a call that is not awaited.</summary>
        Argument,
    }

    private readonly record struct Fate(FateKind Kind, ISymbol? Symbol = null, IOperation? Statement = null);

    private sealed class State(KnownSymbols known, ApiRoles roles, BackendCode backendCode, AnalyzerOptionsReader options)
    {
        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            IMethodSymbol method = invocation.TargetMethod;
            Work work = Classify(method);
            if (work == Work.None
                || roles.Has(method, ApiRole.TaskStarter)
                || (work == Work.Awaitable && (IsConfigureAwait(method) || AwaitedOperations.IsCompletedValue(invocation, known))))
            {
                return;
            }

            string? message;
            Fate fate = default;
            if (work == Work.ThreadPoolItem)
            {
                message = "The work queued by 'ThreadPool." + method.Name + "' cannot be awaited";
            }
            else
            {
                fate = FateOf(invocation);
                string started = work == Work.ThreadPoolTask ? "The work started by '" + Name(method) + "'" : "The task returned by '" + method.Name + "'";
                message = fate.Kind switch
                {
                    FateKind.Discarded => started + " is not awaited",
                    FateKind.Member => started + " is stored in the " + (fate.Symbol is IFieldSymbol ? "field '" : "property '") + fate.Symbol!.Name + "'",
                    FateKind.Local when work == Work.ThreadPoolTask && !AwaitedLater((ILocalSymbol)fate.Symbol!, invocation, context.CancellationToken) => started + " is not awaited",
                    FateKind.Argument when work == Work.ThreadPoolTask => started + " is not awaited",
                    _ => null,
                };
            }

            if (message is null || !IsBackendCode(invocation, context.ContainingSymbol))
            {
                return;
            }

            bool addAwait = fate.Statement is { } statement && CanAddAwait(statement, invocation, context.ContainingSymbol, context.Compilation);
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.FireAndForgetTask,
                invocation.Syntax.GetLocation(),
                ImmutableDictionary<string, string?>.Empty.Add(AddAwaitProperty, addAwait ? "true" : "false"),
                message));
        }

        public void AnalyzeMethodBody(OperationAnalysisContext context)
        {
            if (context.ContainingSymbol is IMethodSymbol { IsAsync: true, ReturnsVoid: true } method
                && !IsEventHandlerShaped(method)
                && method.Locations.Length > 0
                && IsBackendCode(context.Operation, method))
            {
                Report(context, method.Locations[0], "The async void method '" + method.Name + "' cannot be awaited");
            }
        }

        public void AnalyzeLocalFunction(OperationAnalysisContext context)
        {
            var local = (ILocalFunctionOperation)context.Operation;
            if (local.Symbol is { IsAsync: true, ReturnsVoid: true } method
                && !IsEventHandlerShaped(method)
                && method.Locations.Length > 0
                && IsBackendCode(local, context.ContainingSymbol))
            {
                Report(context, method.Locations[0], "The async void local function '" + method.Name + "' cannot be awaited");
            }
        }

        public void AnalyzeLambda(OperationAnalysisContext context)
        {
            var lambda = (IAnonymousFunctionOperation)context.Operation;
            if (lambda.Symbol is not { IsAsync: true, ReturnsVoid: true } method
                || IsEventHandlerShaped(method)
                || lambda.Syntax is not AnonymousFunctionExpressionSyntax { AsyncKeyword: var asyncKeyword }
                || !(IsBackendCode(lambda, context.ContainingSymbol) || (lambda.Parent is { } parent && IsBackendCode(parent, context.ContainingSymbol))))
            {
                return;
            }

            string delegateType = lambda.Parent is IDelegateCreationOperation { Type: { } type } ? type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) : "void-returning delegate";
            Report(context, asyncKeyword.GetLocation(), "This async lambda is converted to the void-returning delegate '" + delegateType + "' and cannot be awaited");
        }

        private static void Report(OperationAnalysisContext context, Location location, string message)
            => context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.FireAndForgetTask,
                location,
                ImmutableDictionary<string, string?>.Empty.Add(AddAwaitProperty, "false"),
                message));

        private bool IsBackendCode(IOperation operation, ISymbol containingSymbol)
            => backendCode.IsBackendCode(operation, containingSymbol, options.Get(operation.Syntax.SyntaxTree).BackendCode);

        private Work Classify(IMethodSymbol method)
        {
            INamedTypeSymbol type = method.ContainingType;
            if (method is { IsStatic: true, Name: "Run" } && SymbolEqualityComparer.Default.Equals(type, known.Task))
            {
                return Work.ThreadPoolTask;
            }

            if (method.Name == "StartNew"
                && (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, known.TaskFactory) || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, known.TaskFactoryOfT)))
            {
                return Work.ThreadPoolTask;
            }

            if (method is { IsStatic: true, Name: "QueueUserWorkItem" or "UnsafeQueueUserWorkItem" } && SymbolEqualityComparer.Default.Equals(type, known.ThreadPool))
            {
                return Work.ThreadPoolItem;
            }

            return IsAwaitable(method.ReturnType) ? Work.Awaitable : Work.None;
        }

        private static string Name(IMethodSymbol method) => method.Name == "Run" ? "Task.Run" : "Task.Factory.StartNew";

        // The task types, and any type with an instance GetAwaiter() (a custom awaitable).
        private bool IsAwaitable(ITypeSymbol type)
        {
            if (AwaitedOperations.IsTaskType(type, known))
            {
                return true;
            }

            foreach (ISymbol member in type.GetMembers("GetAwaiter"))
            {
                if (member is IMethodSymbol { IsStatic: false, Parameters.IsEmpty: true })
                {
                    return true;
                }
            }

            return false;
        }

        // ConfigureAwait on a task type: the call it configures is judged instead.
        private bool IsConfigureAwait(IMethodSymbol method) => method.Name == "ConfigureAwait" && AwaitedOperations.IsTaskType(method.ContainingType, known);

        // Follows the call's value up through conversions, parentheses, ConfigureAwait and collection creations to the code that receives it.
        private Fate FateOf(IInvocationOperation invocation)
        {
            IOperation child = invocation;
            for (IOperation? parent = invocation.Parent; parent is not null; child = parent, parent = parent.Parent)
            {
                switch (parent)
                {
                    case IConversionOperation or IParenthesizedOperation or IArrayInitializerOperation or IArrayCreationOperation or ICollectionExpressionOperation:
                        continue;
                    case IInvocationOperation call when call.Instance == child && IsConfigureAwait(call.TargetMethod):
                        continue;
                    case IExpressionStatementOperation:
                        return new Fate(FateKind.Discarded, Statement: parent);
                    case ISimpleAssignmentOperation assignment when assignment.Value == child:
                        return assignment.Target switch
                        {
                            IDiscardOperation => new Fate(FateKind.Discarded, Statement: assignment.Parent as IExpressionStatementOperation),
                            IFieldReferenceOperation field => new Fate(FateKind.Member, field.Field),
                            IPropertyReferenceOperation property => new Fate(FateKind.Member, property.Property),
                            ILocalReferenceOperation local => new Fate(FateKind.Local, local.Local),
                            IArrayElementReferenceOperation { ArrayReference: ILocalReferenceOperation array } => new Fate(FateKind.Local, array.Local),
                            _ => default,
                        };
                    case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                        return new Fate(FateKind.Local, declarator.Symbol);
                    case IArgumentOperation argument:
                        if (IsAwaitedOrReturned(argument))
                        {
                            return default;
                        }

                        // Added to a local collection (list.Add(task)): judged by what happens to the collection.
                        return argument.Parent is IInvocationOperation { Instance: ILocalReferenceOperation collection }
                            ? new Fate(FateKind.Local, collection.Local)
                            : new Fate(FateKind.Argument);
                    default:
                        return default;
                }
            }

            return default;
        }

        // Whether a local holding the work (or a collection of it) is awaited or returned anywhere in the member.
        private static bool AwaitedLater(ILocalSymbol local, IOperation operation, System.Threading.CancellationToken cancellationToken)
        {
            IOperation root = operation;
            while (root.Parent is { } parent)
            {
                root = parent;
            }

            foreach (IOperation descendant in root.Descendants())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (descendant is ILocalReferenceOperation reference
                    && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                    && IsAwaitedOrReturned(reference))
                {
                    return true;
                }
            }

            return false;
        }

        // An await or a return between the operation and its statement, in the same function.
        private static bool IsAwaitedOrReturned(IOperation operation)
        {
            for (IOperation? parent = operation.Parent; parent is not null; parent = parent.Parent)
            {
                switch (parent)
                {
                    case IAwaitOperation or IReturnOperation:
                        return true;
                    case IBlockOperation or IAnonymousFunctionOperation or ILocalFunctionOperation or IExpressionStatementOperation:
                        return false;
                }
            }

            return false;
        }

        private bool IsEventHandlerShaped(IMethodSymbol method)
        {
            if (method.Parameters.Length != 2 || method.Parameters[0].Type.SpecialType != SpecialType.System_Object || known.EventArgs is not { } eventArgs)
            {
                return false;
            }

            for (ITypeSymbol? type = method.Parameters[1].Type; type is not null; type = type.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(type, eventArgs))
                {
                    return true;
                }
            }

            return false;
        }

        // Whether 'await' can be put before the statement without a compile error or another EN diagnostic: the function is
        // async; the statement is in no lock, catch, finally, DisposeAsync body, nor try block with a catch that can catch
        // cancellation (EN0001, EN0003, EN0010); the call observes the ambient scope (EN0002); no inline scope whose own
        // cancellation must be claimed encloses it (EN0005).
        private bool CanAddAwait(IOperation statement, IInvocationOperation invocation, ISymbol containingSymbol, Compilation compilation)
        {
            IOperation child = statement;
            IMethodSymbol? function = containingSymbol as IMethodSymbol;
            bool nested = false;
            for (IOperation? parent = statement.Parent; parent is not null && !nested; child = parent, parent = parent.Parent)
            {
                switch (parent)
                {
                    case IAnonymousFunctionOperation lambda:
                        function = lambda.Symbol;
                        nested = true;
                        break;
                    case ILocalFunctionOperation local:
                        function = local.Symbol;
                        nested = true;
                        break;
                    case ILockOperation or ICatchClauseOperation:
                    case ITryOperation @try when child == @try.Finally || (child == @try.Body && HasCancellationCatch(@try)):
                        return false;
                }
            }

            if (function is not { IsAsync: true }
                || (!nested && CleanupRegions.IsDisposeAsyncBody(function, known))
                || TokenSlots.Find(invocation, known, backendCode, compilation, containingSymbol).Kind != TokenSlotKind.None
                || PassesOuterToken(invocation))
            {
                return false;
            }

            return ScopeShapes.FindEnclosingInlineScope(statement, roles) is not { } scope || !ScopeShapes.CanRaiseOwnCancellation(scope, roles);
        }

        // A token argument from outside the innermost enclosing scope (EN0002 (d) once awaited): a field or property, or a
        // parameter or local declared before the scope; an [AmbientToken] read is the scope's own.
        private bool PassesOuterToken(IInvocationOperation invocation)
        {
            if (ScopeShapes.FindInnermostScopeStart(invocation, roles, backendCode) is not { } scopeStart)
            {
                return false;
            }

            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                if (argument.ArgumentKind == ArgumentKind.DefaultValue || !SymbolEqualityComparer.Default.Equals(argument.Parameter?.Type, known.CancellationToken))
                {
                    continue;
                }

                IOperation value = argument.Value;
                while (value is IConversionOperation { IsImplicit: true } or IPropertyReferenceOperation { Instance: not null })
                {
                    if (value is IPropertyReferenceOperation property && roles.Has(property.Property, ApiRole.AmbientToken))
                    {
                        break;
                    }

                    value = value is IConversionOperation conversion ? conversion.Operand : ((IPropertyReferenceOperation)value).Instance!;
                }

                bool outer = value switch
                {
                    IPropertyReferenceOperation property when roles.Has(property.Property, ApiRole.AmbientToken) => false,
                    IFieldReferenceOperation or IPropertyReferenceOperation => true,
                    IParameterReferenceOperation parameter => DeclaredBefore(parameter.Parameter, scopeStart),
                    ILocalReferenceOperation local => DeclaredBefore(local.Local, scopeStart),
                    _ => false,
                };
                if (outer)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool DeclaredBefore(ISymbol symbol, int position)
            => symbol.DeclaringSyntaxReferences is { Length: > 0 } references && references[0].Span.Start < position;

        private bool HasCancellationCatch(ITryOperation @try)
        {
            foreach (ICatchClauseOperation @catch in @try.Catches)
            {
                if (CleanupRegions.CanCatchCancellation(@catch, known, catchExceptionIsCleanup: true))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
