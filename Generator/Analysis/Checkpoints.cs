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
/// Checkpoint detection (ANALYZERS §2.5), the one source of "is this a checkpoint" for EN0003, EN0005, EN0012 and EN0014:
/// whether a scope body, an inline scope's lifetime or a loop body contains a checkpoint, in mode <c>any_await</c> or
/// <c>observing</c>. Walks children without crossing lambda and local-function boundaries; a nested delegate-form scope or
/// task group counts when its own body has a checkpoint (a group also when it starts a child); a shield never counts.
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

    /// <summary>Gets whether the body of <paramref name="function"/> contains a checkpoint (mode <c>any_await</c>).</summary>
    /// <param name="function">A scope body.</param>
    /// <param name="cancellationToken">The analysis cancellation.</param>
    /// <returns>Whether it does; a non-async body that returns a call's awaitable counts as awaiting it.</returns>
    public bool BodyHasCheckpoint(IAnonymousFunctionOperation function, CancellationToken cancellationToken)
        => BodyHasCheckpoint(function, CheckpointMode.AnyAwait, cancellationToken);

    /// <summary>Gets whether the body of <paramref name="function"/> contains a checkpoint.</summary>
    /// <param name="function">A scope body.</param>
    /// <param name="mode">What counts as a checkpoint.</param>
    /// <param name="cancellationToken">The analysis cancellation.</param>
    /// <returns>Whether it does; a non-async body that returns a call's awaitable counts as awaiting it.</returns>
    public bool BodyHasCheckpoint(IAnonymousFunctionOperation function, CheckpointMode mode, CancellationToken cancellationToken)
        => ContainsCheckpoint([function.Body], returnsAreAwaited: !function.Symbol.IsAsync, coveredTry: null, mode, cancellationToken);

    /// <summary>Gets whether any of <paramref name="roots"/> contains a checkpoint (mode <c>any_await</c>; inline lifetimes; <c>yield return</c> counts).</summary>
    /// <param name="roots">The statements.</param>
    /// <param name="returnsAreAwaited">Whether returned call results are awaited by the caller (non-async scope bodies).</param>
    /// <param name="cancellationToken">The analysis cancellation.</param>
    /// <returns>Whether one does.</returns>
    public bool ContainsCheckpoint(IEnumerable<IOperation> roots, bool returnsAreAwaited, CancellationToken cancellationToken)
        => ContainsCheckpoint(roots, returnsAreAwaited, coveredTry: null, CheckpointMode.AnyAwait, cancellationToken);

    /// <summary>Gets whether any of <paramref name="roots"/> contains a checkpoint in <paramref name="mode"/> (<c>yield return</c> counts).</summary>
    /// <param name="roots">The statements.</param>
    /// <param name="returnsAreAwaited">Whether returned call results are awaited by the caller (non-async scope bodies).</param>
    /// <param name="mode">What counts as a checkpoint.</param>
    /// <param name="cancellationToken">The analysis cancellation.</param>
    /// <returns>Whether one does.</returns>
    public bool ContainsCheckpoint(IEnumerable<IOperation> roots, bool returnsAreAwaited, CheckpointMode mode, CancellationToken cancellationToken)
        => ContainsCheckpoint(roots, returnsAreAwaited, coveredTry: null, mode, cancellationToken);

    /// <summary>Gets whether any of <paramref name="roots"/> contains a checkpoint (mode <c>any_await</c>) outside the bodies of the try statements <paramref name="coveredTry"/> accepts.</summary>
    /// <param name="roots">The statements.</param>
    /// <param name="returnsAreAwaited">Whether returned call results are awaited by the caller (non-async scope bodies).</param>
    /// <param name="coveredTry">Accepts a try statement whose body's checkpoints do not count (EN0005: an owning catch covers them), or null.</param>
    /// <param name="cancellationToken">The analysis cancellation.</param>
    /// <returns>Whether one does.</returns>
    public bool ContainsCheckpoint(IEnumerable<IOperation> roots, bool returnsAreAwaited, System.Func<ITryOperation, bool>? coveredTry, CancellationToken cancellationToken)
        => ContainsCheckpoint(roots, returnsAreAwaited, coveredTry, CheckpointMode.AnyAwait, cancellationToken);

    /// <summary>
    /// Gets whether <paramref name="operation"/> itself (not its children) is a checkpoint: a checkpoint await, an
    /// <c>await foreach</c>, an <c>await using</c> disposal, a <c>yield return</c>, or, in a non-async scope body, a returned call's awaitable.
    /// </summary>
    /// <param name="operation">An operation of the original tree (not of a control flow graph).</param>
    /// <param name="returnsAreAwaited">Whether returned call results are awaited by the caller (non-async scope bodies).</param>
    /// <param name="mode">What counts as a checkpoint.</param>
    /// <param name="cancellationToken">The analysis cancellation.</param>
    /// <returns>Whether it is one.</returns>
    public bool IsCheckpointOperation(IOperation operation, bool returnsAreAwaited, CheckpointMode mode, CancellationToken cancellationToken) => operation switch
    {
        IAwaitOperation @await => IsCheckpoint(@await.Operation, mode, cancellationToken),
        IForEachLoopOperation { IsAsynchronous: true } loop => mode == CheckpointMode.AnyAwait || ReceivesObservedToken(loop.Collection),

        // DisposeAsync takes no token: its await observes nothing the mode 'observing' can see.
        IUsingOperation { IsAsynchronous: true } or IUsingDeclarationOperation { IsAsynchronous: true } => mode == CheckpointMode.AnyAwait,

        // The scope stays entered while the consumer runs, so the consumer's checkpoints observe it (both modes).
        IReturnOperation { Kind: OperationKind.YieldReturn } => true,
        IReturnOperation { Kind: OperationKind.Return, ReturnedValue: { } value } => returnsAreAwaited && IsReturnedCheckpoint(value, mode, cancellationToken),
        _ => false,
    };

    /// <summary>Gets whether a value returned by a non-async scope body is a call whose awaitable is a checkpoint.</summary>
    /// <param name="value">The returned value (original tree).</param>
    /// <param name="mode">What counts as a checkpoint.</param>
    /// <param name="cancellationToken">The analysis cancellation.</param>
    /// <returns>Whether the scope API's await of it is a checkpoint.</returns>
    public bool IsReturnedCheckpoint(IOperation value, CheckpointMode mode, CancellationToken cancellationToken)
        => AwaitedOperations.Unwrap(value, known) is IInvocationOperation call && IsCheckpoint(call, mode, cancellationToken);

    private bool ContainsCheckpoint(IEnumerable<IOperation> roots, bool returnsAreAwaited, System.Func<ITryOperation, bool>? coveredTry, CheckpointMode mode, CancellationToken cancellationToken)
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
                default:
                    if (IsCheckpointOperation(operation, returnsAreAwaited, mode, cancellationToken))
                    {
                        return true;
                    }

                    break;
            }

            foreach (IOperation child in operation.ChildOperations)
            {
                stack.Push(child);
            }
        }

        return false;
    }

    private bool IsCheckpoint(IOperation awaitedOperation, CheckpointMode mode, CancellationToken cancellationToken)
    {
        IOperation awaited = AwaitedOperations.Unwrap(awaitedOperation, known);
        if (AwaitedOperations.IsCompletedValue(awaited, known))
        {
            return false;
        }

        if (awaited is not IInvocationOperation invocation)
        {
            // A stored task or value: any_await takes it on trust; nothing shows that it observes the scope.
            return mode == CheckpointMode.AnyAwait;
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

            return BodyHasCheckpoint(body, mode, cancellationToken)
                || ((role & ApiRole.TaskGroupFactory) != 0 && StartsChild(body, cancellationToken));
        }

        return mode == CheckpointMode.AnyAwait
            ? !IsNonCheckpointBclCall(invocation)
            : IsCheckpointMember(method, role) || ReceivesObservedToken(invocation);
    }

    // [Checkpoint] on the member (roles, inherited), or on its type (a member-level [CleanupSafe] was handled before).
    private bool IsCheckpointMember(IMethodSymbol method, ApiRole role)
    {
        if ((role & ApiRole.Checkpoint) != 0)
        {
            return true;
        }

        if (known.CheckpointAttribute is not { } checkpoint)
        {
            return false;
        }

        foreach (AttributeData attribute in method.OriginalDefinition.ContainingType.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, checkpoint))
            {
                return true;
            }
        }

        return false;
    }

    // A call (or a call it is chained on, such as 'ReadAllAsync(...).WithCancellation(token)') given an observed token.
    private bool ReceivesObservedToken(IOperation operation)
    {
        for (IOperation? current = AwaitedOperations.Unwrap(operation, known); current is IInvocationOperation invocation; current = invocation.Instance is { } instance ? AwaitedOperations.Unwrap(instance, known) : null)
        {
            foreach (IArgumentOperation argument in invocation.Arguments)
            {
                if (argument.ArgumentKind != ArgumentKind.DefaultValue
                    && SymbolEqualityComparer.Default.Equals(argument.Parameter?.Type, known.CancellationToken)
                    && IsObservedToken(argument.Value))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // An [AmbientToken] read, a scope's 'Token' (the body's scope parameter, an inline scope's variable), or a token parameter of a scope body.
    private bool IsObservedToken(IOperation value)
    {
        while (value is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion.Operand;
        }

        switch (value)
        {
            case IPropertyReferenceOperation { Property: var property } reference:
                return roles.Has(property, ApiRole.AmbientToken)
                    || (known.CancelScope is { } scope && reference.Instance?.Type is { } type && DerivesFrom(type, scope));
            case IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambda } parameter:
                return IsScopeBody(parameter, lambda);
            default:
                return false;
        }
    }

    private bool IsScopeBody(IOperation reference, IMethodSymbol lambda)
    {
        IOperation? current = reference.Parent;
        while (current is not null && !(current is IAnonymousFunctionOperation function && SymbolEqualityComparer.Default.Equals(function.Symbol, lambda)))
        {
            current = current.Parent;
        }

        while (current?.Parent is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        if (current?.Parent is not IArgumentOperation { Parameter: { } parameter } || known.ScopeBodyAttribute is not { } scopeBody)
        {
            return false;
        }

        foreach (AttributeData attribute in parameter.OriginalDefinition.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, scopeBody))
            {
                return true;
            }
        }

        return false;
    }

    private static bool DerivesFrom(ITypeSymbol type, INamedTypeSymbol baseType)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
            {
                return true;
            }
        }

        return false;
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
