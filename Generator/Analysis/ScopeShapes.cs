using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analysis;

/// <summary>
/// The scope shapes of ANALYZERS §2.2: finds the innermost cancel scope, shield or task group that encloses an operation,
/// as the delegate form's body or the lifetime of an inline form (<c>using (...)</c>, <c>using var</c>).
/// </summary>
internal static class ScopeShapes
{
    private const ApiRole ScopeFactories = ApiRole.CancelScopeFactory | ApiRole.ShieldFactory | ApiRole.TaskGroupFactory;

    /// <summary>
    /// Finds where the innermost scope enclosing <paramref name="operation"/> starts: the start of a delegate body passed to
    /// a <c>[ScopeBody]</c> parameter of a factory, or of the inline factory's <c>using</c>. Lambdas that are not scope
    /// bodies are walked through; a local function ends the walk.
    /// </summary>
    /// <param name="operation">The operation.</param>
    /// <param name="roles">The role cache.</param>
    /// <param name="backendCode">The body finder.</param>
    /// <returns>The start position, or null outside any scope.</returns>
    public static int? FindInnermostScopeStart(IOperation operation, ApiRoles roles, BackendCode backendCode)
    {
        IOperation child = operation;
        for (IOperation? parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case ILocalFunctionOperation:
                    return null;
                case IAnonymousFunctionOperation lambda
                    when backendCode.IsScopeOrTaskBody(lambda, out IInvocationOperation? factory)
                        && factory is not null
                        && (roles.Get(factory.TargetMethod) & ScopeFactories) != 0:
                    return lambda.Syntax.SpanStart;
                case IUsingOperation @using when child == @using.Body && ContainsInlineScope(@using.Resources, roles):
                    return @using.Syntax.SpanStart;
                case IBlockOperation block:
                    int? start = null;
                    foreach (IOperation statement in block.Operations)
                    {
                        if (statement == child)
                        {
                            break;
                        }

                        if (statement is IUsingDeclarationOperation declaration && ContainsInlineScope(declaration.DeclarationGroup, roles))
                        {
                            start = statement.Syntax.SpanStart;
                        }
                    }

                    if (start is not null)
                    {
                        return start;
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>
    /// Finds the innermost inline scope, shield or group (<c>using (X)</c>, <c>using var s = X;</c>) whose lifetime holds
    /// <paramref name="operation"/> in the same function: lambdas and local functions end the walk.
    /// </summary>
    /// <param name="operation">The operation.</param>
    /// <param name="roles">The role cache.</param>
    /// <returns>The factory call that entered it, or null.</returns>
    public static IInvocationOperation? FindEnclosingInlineScope(IOperation operation, ApiRoles roles)
    {
        IOperation child = operation;
        for (IOperation? parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
                case IUsingOperation @using when child == @using.Body && InlineScopeCall(@using.Resources, roles) is { } entered:
                    return entered;
                case IBlockOperation block:
                    IInvocationOperation? found = null;
                    foreach (IOperation statement in block.Operations)
                    {
                        if (statement == child)
                        {
                            break;
                        }

                        if (statement is IUsingDeclarationOperation declaration && InlineScopeCall(declaration.DeclarationGroup, roles) is { } declared)
                        {
                            found = declared;
                        }
                    }

                    if (found is not null)
                    {
                        return found;
                    }

                    break;
            }
        }

        return null;
    }

    /// <summary>Gets whether an inline scope can raise its own cancellation: a cancel scope always, a shield only with its own deadline, a task group never.</summary>
    /// <param name="scope">The inline factory call.</param>
    /// <param name="roles">The role cache.</param>
    /// <returns>Whether a catch must claim its cancellation (EN0005's second message).</returns>
    public static bool CanRaiseOwnCancellation(IInvocationOperation scope, ApiRoles roles)
        => Shields.IsShieldResource(scope, roles) ? Shields.HasDeadline(scope) : roles.Has(scope.TargetMethod, ApiRole.CancelScopeFactory);

    /// <summary>Gets whether <paramref name="operation"/> is an inline factory call (a factory without a <c>[ScopeBody]</c> parameter).</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="roles">The role cache.</param>
    /// <returns>Whether it enters a scope.</returns>
    public static bool IsInlineScopeFactoryCall(IOperation? operation, ApiRoles roles)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        if (operation is not IInvocationOperation invocation)
        {
            return false;
        }

        ApiRole role = roles.Get(invocation.TargetMethod);
        return (role & ScopeFactories) != 0 && (role & ApiRole.HasScopeBody) == 0;
    }

    private static bool ContainsInlineScope(IOperation resources, ApiRoles roles) => InlineScopeCall(resources, roles) is not null;

    // The first inline factory call among the resources of a using.
    private static IInvocationOperation? InlineScopeCall(IOperation resources, ApiRoles roles)
    {
        if (resources is not IVariableDeclarationGroupOperation group)
        {
            return IsInlineScopeFactoryCall(resources, roles) ? Unwrap(resources) as IInvocationOperation : null;
        }

        foreach (IVariableDeclarationOperation declaration in group.Declarations)
        {
            foreach (IVariableDeclaratorOperation declarator in declaration.Declarators)
            {
                IOperation? initializer = declarator.Initializer?.Value ?? declaration.Initializer?.Value;
                if (IsInlineScopeFactoryCall(initializer, roles))
                {
                    return Unwrap(initializer) as IInvocationOperation;
                }
            }
        }

        return null;
    }

    private static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
