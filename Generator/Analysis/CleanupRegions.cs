using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analysis;

/// <summary>The kinds of cleanup region (ANALYZERS §2.3).</summary>
internal enum CleanupRegionKind
{
    /// <summary>Not in a cleanup region.</summary>
    None,

    /// <summary>A <see langword="finally"/> block.</summary>
    Finally,

    /// <summary>A catch clause that can catch <c>OperationCanceledException</c>.</summary>
    Catch,

    /// <summary>The body of <c>DisposeAsync</c> or of the <c>DisposeAsyncCore</c> pattern method.</summary>
    DisposeAsync,
}

/// <summary>A cleanup region: its kind and the operation it starts at (the finally block, the handler, or the body).</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Root">The operation that is the region; null for <see cref="CleanupRegionKind.None"/>.</param>
internal readonly record struct CleanupRegion(CleanupRegionKind Kind, IOperation? Root)
{
    /// <summary>Gets the region's name in messages.</summary>
    public string Description => Kind switch
    {
        CleanupRegionKind.Finally => "finally block",
        CleanupRegionKind.Catch => "catch clause that can catch OperationCanceledException",
        CleanupRegionKind.DisposeAsync => "DisposeAsync",
        _ => "code",
    };
}

/// <summary>
/// Finds the cleanup region of an operation by walking its parents, stopping at lambda, anonymous-method and
/// local-function boundaries. Catch clauses nested in a region stay part of it.
/// </summary>
internal static class CleanupRegions
{
    /// <summary>Finds the innermost cleanup region that contains <paramref name="operation"/>.</summary>
    /// <param name="operation">The operation (an await, an <c>await foreach</c>).</param>
    /// <param name="containingSymbol">The member whose body holds the operation.</param>
    /// <param name="known">The known symbols.</param>
    /// <param name="catchExceptionIsCleanup">Whether <c>catch (Exception)</c> and a bare <c>catch</c> are regions.</param>
    /// <returns>The region, or <c>default</c> (kind <see cref="CleanupRegionKind.None"/>).</returns>
    public static CleanupRegion Find(IOperation operation, ISymbol containingSymbol, KnownSymbols known, bool catchExceptionIsCleanup)
    {
        IOperation child = operation;
        for (IOperation? parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return default;
                case ITryOperation @try when child == @try.Finally:
                    return new CleanupRegion(CleanupRegionKind.Finally, child);
                case ICatchClauseOperation @catch when child == @catch.Handler && CanCatchCancellation(@catch, known, catchExceptionIsCleanup):
                    return new CleanupRegion(CleanupRegionKind.Catch, child);
            }
        }

        // The top of the body: a DisposeAsync or DisposeAsyncCore method is a region as a whole.
        return containingSymbol is IMethodSymbol method && IsDisposeAsyncBody(method, known)
            ? new CleanupRegion(CleanupRegionKind.DisposeAsync, child)
            : default;
    }

    /// <summary>
    /// Gets whether a catch clause can catch <c>OperationCanceledException</c>: its type is OCE, a base or a derived type
    /// of it, or the clause is bare, and no <c>when</c> filter syntactically excludes OCE.
    /// </summary>
    /// <param name="catch">The catch clause.</param>
    /// <param name="known">The known symbols.</param>
    /// <param name="catchExceptionIsCleanup">Whether <c>catch (Exception)</c> and a bare <c>catch</c> count.</param>
    /// <returns>Whether the clause is a cleanup region.</returns>
    public static bool CanCatchCancellation(ICatchClauseOperation @catch, KnownSymbols known, bool catchExceptionIsCleanup)
    {
        if (known.OperationCanceledException is not { } oce)
        {
            return false;
        }

        ITypeSymbol type = @catch.ExceptionType;
        bool catchAll = SymbolEqualityComparer.Default.Equals(type, known.Object) || SymbolEqualityComparer.Default.Equals(type, known.Exception);
        if (catchAll && !catchExceptionIsCleanup)
        {
            return false;
        }

        if (!catchAll && !DerivesFromOrEquals(oce, type) && !DerivesFromOrEquals(type, oce))
        {
            return false;
        }

        ILocalSymbol? variable = (@catch.ExceptionDeclarationOrExpression as IVariableDeclaratorOperation)?.Symbol;
        return @catch.Filter is null || variable is null || !ExcludesCancellation(@catch.Filter, variable, oce);
    }

    /// <summary>
    /// Gets whether awaiting <paramref name="awaited"/> is safe in cleanup without a shield: a completed value, a
    /// <c>[CleanupSafe]</c> member, a shield call, an argument-less <c>DisposeAsync()</c>, or <c>DisposeAsyncCore()</c> in DisposeAsync.
    /// </summary>
    /// <param name="awaited">The unwrapped awaited operation.</param>
    /// <param name="kind">The region the await is in.</param>
    /// <param name="roles">The role cache.</param>
    /// <param name="known">The known symbols.</param>
    /// <returns>Whether EN0001 and EN0010 leave it alone.</returns>
    public static bool IsSafeInCleanup(IOperation awaited, CleanupRegionKind kind, ApiRoles roles, KnownSymbols known)
    {
        if (AwaitedOperations.IsCompletedValue(awaited, known))
        {
            return true;
        }

        if (awaited is not IInvocationOperation invocation)
        {
            return false;
        }

        IMethodSymbol method = invocation.TargetMethod;
        if ((roles.Get(method) & (ApiRole.CleanupSafe | ApiRole.ShieldFactory)) != 0)
        {
            return true;
        }

        if (invocation.Arguments.IsEmpty && ImplementsDisposeAsync(method, known))
        {
            // x.DisposeAsync() and base.DisposeAsync(): trio's aclose() counterpart.
            return true;
        }

        // The standard pattern's await DisposeAsyncCore(); its own awaits are checked where they are.
        return kind == CleanupRegionKind.DisposeAsync && IsDisposeAsyncCore(method, known);
    }

    /// <summary>Gets whether <paramref name="method"/> implements <c>IAsyncDisposable.DisposeAsync</c> or is the <c>DisposeAsyncCore</c> pattern method.</summary>
    /// <param name="method">The method.</param>
    /// <param name="known">The known symbols.</param>
    /// <returns>Whether its body is a cleanup region.</returns>
    public static bool IsDisposeAsyncBody(IMethodSymbol method, KnownSymbols known)
        => IsDisposeAsyncCore(method, known) || ImplementsDisposeAsync(method, known);

    /// <summary>Gets whether <paramref name="method"/> is the parameterless <c>ValueTask DisposeAsyncCore()</c> pattern method.</summary>
    /// <param name="method">The method.</param>
    /// <param name="known">The known symbols.</param>
    /// <returns>Whether it is.</returns>
    public static bool IsDisposeAsyncCore(IMethodSymbol method, KnownSymbols known)
        => method is { Name: "DisposeAsyncCore", Parameters.Length: 0, IsStatic: false, MethodKind: MethodKind.Ordinary }
            && SymbolEqualityComparer.Default.Equals(method.ReturnType, known.ValueTask);

    /// <summary>Gets whether <paramref name="method"/> is or implements <c>IAsyncDisposable.DisposeAsync</c>, directly or through an override.</summary>
    /// <param name="method">The method.</param>
    /// <param name="known">The known symbols.</param>
    /// <returns>Whether it does.</returns>
    public static bool ImplementsDisposeAsync(IMethodSymbol method, KnownSymbols known)
    {
        if (known.IAsyncDisposable?.GetMembers("DisposeAsync") is not { Length: 1 } members || members[0] is not IMethodSymbol disposeAsync)
        {
            return false;
        }

        for (IMethodSymbol? current = method.OriginalDefinition; current is not null; current = current.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(current, disposeAsync))
            {
                return true;
            }

            foreach (IMethodSymbol implemented in current.ExplicitInterfaceImplementations)
            {
                if (SymbolEqualityComparer.Default.Equals(implemented, disposeAsync))
                {
                    return true;
                }
            }

            if (current.ContainingType is { } type
                && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(disposeAsync), current))
            {
                return true;
            }
        }

        return false;
    }

    // e is not OperationCanceledException; !(e is OperationCanceledException); either joined with &&.
    private static bool ExcludesCancellation(IOperation filter, ILocalSymbol variable, INamedTypeSymbol oce)
    {
        filter = Unwrap(filter);
        switch (filter)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and:
                return ExcludesCancellation(and.LeftOperand, variable, oce) || ExcludesCancellation(and.RightOperand, variable, oce);
            case IIsPatternOperation { Pattern: INegatedPatternOperation negated } isPattern:
                return IsVariable(isPattern.Value, variable) && MatchesCancellation(negated.Pattern, oce);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                IOperation operand = Unwrap(not.Operand);
                return operand switch
                {
                    IIsTypeOperation isType => !isType.IsNegated && IsVariable(isType.ValueOperand, variable) && DerivesFromOrEquals(oce, isType.TypeOperand),
                    IIsPatternOperation isPattern => IsVariable(isPattern.Value, variable) && MatchesCancellation(isPattern.Pattern, oce),
                    _ => false,
                };
            default:
                return false;
        }
    }

    private static bool MatchesCancellation(IPatternOperation pattern, INamedTypeSymbol oce) => pattern switch
    {
        ITypePatternOperation typePattern => DerivesFromOrEquals(oce, typePattern.MatchedType),
        IDeclarationPatternOperation declaration => declaration.MatchedType is { } matched && DerivesFromOrEquals(oce, matched),
        _ => false,
    };

    private static bool IsVariable(IOperation operation, ILocalSymbol variable)
        => Unwrap(operation) is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, variable);

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IParenthesizedOperation or IConversionOperation { IsImplicit: true })
        {
            operation = operation is IParenthesizedOperation parenthesized ? parenthesized.Operand : ((IConversionOperation)operation).Operand;
        }

        return operation;
    }

    private static bool DerivesFromOrEquals(ITypeSymbol type, ITypeSymbol baseType)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }
}
