using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analysis;

/// <summary>Questions about an awaited operation shared by the usage rules: what is really awaited, and whether it is a completed value.</summary>
internal static class AwaitedOperations
{
    /// <summary>Removes implicit conversions and <c>ConfigureAwait(...)</c> on the task types.</summary>
    /// <param name="operation">The awaited operation.</param>
    /// <param name="known">The compilation's known symbols.</param>
    /// <returns>The operation that produces the awaitable.</returns>
    public static IOperation Unwrap(IOperation operation, KnownSymbols known)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation { IsImplicit: true } conversion:
                    operation = conversion.Operand;
                    continue;
                case IInvocationOperation { Instance: { } instance, TargetMethod.Name: "ConfigureAwait" } invocation when IsTaskType(invocation.TargetMethod.ContainingType, known):
                    operation = instance;
                    continue;
                default:
                    return operation;
            }
        }
    }

    /// <summary>
    /// Gets whether <paramref name="awaited"/> (unwrapped) is a completed value: <c>Task.CompletedTask</c>,
    /// <c>ValueTask.CompletedTask</c>, <c>default(ValueTask)</c>, <c>new ValueTask()</c>, <c>Task.FromResult(...)</c>.
    /// </summary>
    /// <param name="awaited">The unwrapped awaited operation.</param>
    /// <param name="known">The compilation's known symbols.</param>
    /// <returns>Whether awaiting it neither yields nor observes cancellation.</returns>
    public static bool IsCompletedValue(IOperation awaited, KnownSymbols known) => awaited switch
    {
        IInvocationOperation { TargetMethod: { IsStatic: true, Name: "FromResult" } method } => IsTaskType(method.ContainingType, known),
        IPropertyReferenceOperation { Property: { IsStatic: true, Name: "CompletedTask" } property } => IsTaskType(property.ContainingType, known),
        IDefaultValueOperation or IObjectCreationOperation { Arguments.IsEmpty: true, Initializer: null } => IsTaskType(awaited.Type, known),
        _ => false,
    };

    /// <summary>Gets whether <paramref name="type"/> is <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
    /// <param name="type">The type.</param>
    /// <param name="known">The compilation's known symbols.</param>
    /// <returns>Whether it is one of the task types.</returns>
    public static bool IsTaskType(ITypeSymbol? type, KnownSymbols known)
    {
        ITypeSymbol? definition = type?.OriginalDefinition;
        return definition is not null
            && (SymbolEqualityComparer.Default.Equals(definition, known.Task)
                || SymbolEqualityComparer.Default.Equals(definition, known.TaskOfT)
                || SymbolEqualityComparer.Default.Equals(definition, known.ValueTask)
                || SymbolEqualityComparer.Default.Equals(definition, known.ValueTaskOfT));
    }
}

/// <summary>
/// Checkpoint detection (ANALYZERS §2.5, mode <c>any_await</c>): whether a scope body or an inline scope's lifetime
/// contains a checkpoint. Walks children without crossing lambda and local-function boundaries; a nested delegate-form
/// scope or task group counts when its own body has a checkpoint (a group also when it starts a child); a shield never counts.
/// </summary>
internal sealed class Checkpoints(KnownSymbols known, ApiRoles roles)
{
    /// <summary>Gets the lambda or anonymous method passed to the body parameter of a delegate-form factory call.</summary>
    /// <param name="invocation">The factory call.</param>
    /// <param name="body">The body, when it is a lambda or anonymous method.</param>
    /// <returns>Whether the call has a body argument at all (false: not a delegate form).</returns>
    public static bool TryGetBody(IInvocationOperation invocation, out IAnonymousFunctionOperation? body)
    {
        body = null;
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type.TypeKind != TypeKind.Delegate)
            {
                continue;
            }

            // A method group or a delegate-typed variable is opaque: body stays null.
            IOperation value = argument.Value;
            while (value is IConversionOperation { IsImplicit: true } conversion)
            {
                value = conversion.Operand;
            }

            if (value is IDelegateCreationOperation { Target: IAnonymousFunctionOperation function })
            {
                body = function;
            }

            return true;
        }

        return false;
    }

    /// <summary>Gets whether the body of <paramref name="function"/> contains a checkpoint.</summary>
    /// <param name="function">A scope body.</param>
    /// <param name="cancellationToken">The analysis cancellation.</param>
    /// <returns>Whether it does; a non-async body that returns a call's awaitable counts as awaiting it.</returns>
    public bool BodyHasCheckpoint(IAnonymousFunctionOperation function, CancellationToken cancellationToken)
        => ContainsCheckpoint([function.Body], returnsAreAwaited: !function.Symbol.IsAsync, cancellationToken);

    /// <summary>Gets whether any of <paramref name="roots"/> contains a checkpoint (inline lifetimes; <c>yield return</c> counts).</summary>
    /// <param name="roots">The statements.</param>
    /// <param name="returnsAreAwaited">Whether returned call results are awaited by the caller (non-async scope bodies).</param>
    /// <param name="cancellationToken">The analysis cancellation.</param>
    /// <returns>Whether one does.</returns>
    public bool ContainsCheckpoint(IEnumerable<IOperation> roots, bool returnsAreAwaited, CancellationToken cancellationToken)
        => ContainsCheckpoint(roots, returnsAreAwaited, coveredTry: null, cancellationToken);

    /// <summary>Gets whether any of <paramref name="roots"/> contains a checkpoint outside the bodies of the try statements <paramref name="coveredTry"/> accepts.</summary>
    /// <param name="roots">The statements.</param>
    /// <param name="returnsAreAwaited">Whether returned call results are awaited by the caller (non-async scope bodies).</param>
    /// <param name="coveredTry">Accepts a try statement whose body's checkpoints do not count (EN0005: an owning catch covers them), or null.</param>
    /// <param name="cancellationToken">The analysis cancellation.</param>
    /// <returns>Whether one does.</returns>
    public bool ContainsCheckpoint(IEnumerable<IOperation> roots, bool returnsAreAwaited, System.Func<ITryOperation, bool>? coveredTry, CancellationToken cancellationToken)
    {
        var stack = new Stack<IOperation>(roots);
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IOperation operation = stack.Pop();
            switch (operation)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    continue;
                case IAwaitOperation @await when IsCheckpoint(@await.Operation, cancellationToken):
                case IForEachLoopOperation { IsAsynchronous: true }:
                case IUsingOperation { IsAsynchronous: true }:
                case IUsingDeclarationOperation { IsAsynchronous: true }:
                case IReturnOperation { Kind: OperationKind.YieldReturn }:
                    return true;
                case IReturnOperation { Kind: OperationKind.Return, ReturnedValue: { } value } when returnsAreAwaited
                    && AwaitedOperations.Unwrap(value, known) is IInvocationOperation call && IsCheckpoint(call, cancellationToken):
                    return true;
                case ITryOperation @try when coveredTry is not null && coveredTry(@try):
                    foreach (ICatchClauseOperation @catch in @try.Catches)
                    {
                        stack.Push(@catch);
                    }

                    if (@try.Finally is { } @finally)
                    {
                        stack.Push(@finally);
                    }

                    continue;
            }

            foreach (IOperation child in operation.ChildOperations)
            {
                stack.Push(child);
            }
        }

        return false;
    }

    private bool IsCheckpoint(IOperation awaitedOperation, CancellationToken cancellationToken)
    {
        IOperation awaited = AwaitedOperations.Unwrap(awaitedOperation, known);
        if (AwaitedOperations.IsCompletedValue(awaited, known))
        {
            return false;
        }

        if (awaited is not IInvocationOperation invocation)
        {
            return true;
        }

        IMethodSymbol method = invocation.TargetMethod;
        ApiRole role = roles.Get(method);
        if ((role & (ApiRole.ShieldFactory | ApiRole.CleanupSafe)) != 0)
        {
            // Outer cancellation cannot reach a shield; a [CleanupSafe] member is at most a schedule point.
            return false;
        }

        if ((role & (ApiRole.CancelScopeFactory | ApiRole.TaskGroupFactory)) != 0 && TryGetBody(invocation, out IAnonymousFunctionOperation? body))
        {
            if (body is null)
            {
                return true;
            }

            return BodyHasCheckpoint(body, cancellationToken)
                || ((role & ApiRole.TaskGroupFactory) != 0 && StartsChild(body, cancellationToken));
        }

        return !IsNonCheckpointBclCall(invocation);
    }

    // A task group's exit waits for children, so it is a cancel point only when its body starts one.
    private bool StartsChild(IAnonymousFunctionOperation body, CancellationToken cancellationToken)
    {
        var stack = new Stack<IOperation>();
        stack.Push(body.Body);
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IOperation operation = stack.Pop();
            if (operation is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                continue;
            }

            if (operation is IInvocationOperation invocation && roles.Has(invocation.TargetMethod, ApiRole.TaskStarter))
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

    // Task.Yield() yields without observing cancellation; Task.Delay(0) and Task.Delay(TimeSpan.Zero) complete synchronously.
    private bool IsNonCheckpointBclCall(IInvocationOperation invocation)
    {
        IMethodSymbol method = invocation.TargetMethod;
        if (!method.IsStatic || !SymbolEqualityComparer.Default.Equals(method.ContainingType, known.Task))
        {
            return false;
        }

        if (method.Name == "Yield")
        {
            return true;
        }

        if (method.Name != "Delay" || invocation.Arguments.IsEmpty)
        {
            return false;
        }

        IOperation delay = invocation.Arguments[0].Value;
        return delay.ConstantValue is { HasValue: true, Value: 0 }
            || delay is IFieldReferenceOperation { Field: { IsStatic: true, Name: "Zero", ContainingType.Name: "TimeSpan" } };
    }
}
