using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analysis;

/// <summary>How an await in a cleanup region stands with respect to inline shields (ANALYZERS §2.4).</summary>
internal enum ShieldState
{
    /// <summary>No inline shield opened inside the region covers the await.</summary>
    Unshielded,

    /// <summary>An inline shield covers the await.</summary>
    Shielded,

    /// <summary>An inline shield covers the await, but the awaited call is given a token from outside the shield.</summary>
    Defeated,
}

/// <summary>
/// Inline shield detection: walks the parents of an await up to the start of its region, and tracks, statement by
/// statement, the inline shields opened there (<c>using</c>, <c>using var</c>, <c>await using</c>) and the constant
/// <c>[ShieldFlag]</c> assignments to their scopes.
/// </summary>
internal static class Shields
{
    /// <summary>Gets whether <paramref name="await"/> is covered by an inline shield opened inside <paramref name="regionRoot"/>.</summary>
    /// <param name="await">The awaiting operation.</param>
    /// <param name="awaited">The awaited operation (conversions removed), for the token check.</param>
    /// <param name="regionRoot">The start of the region; shields opened outside it do not count.</param>
    /// <param name="roles">The role cache.</param>
    /// <param name="known">The known symbols.</param>
    /// <returns>The state.</returns>
    public static ShieldState GetState(IOperation @await, IOperation? awaited, IOperation regionRoot, ApiRoles roles, KnownSymbols known)
    {
        var chain = new List<(IOperation Parent, IOperation Child)>();
        for (IOperation child = @await; child != regionRoot && child.Parent is { } parent; child = parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }

            chain.Add((parent, child));
        }

        Dictionary<ILocalSymbol, bool>? scopes = null;
        int? anonymousShield = null;

        // Outermost first: statements are tracked in source order.
        for (int i = chain.Count - 1; i >= 0; i--)
        {
            (IOperation parent, IOperation child) = chain[i];
            switch (parent)
            {
                case IUsingOperation @using when child == @using.Body:
                    AddResources(@using.Resources, ref scopes, ref anonymousShield, roles);
                    break;
                case IBlockOperation block:
                    foreach (IOperation statement in block.Operations)
                    {
                        if (statement == child)
                        {
                            break;
                        }

                        Track(statement, ref scopes, ref anonymousShield, roles);
                    }

                    break;
            }
        }

        int? shieldStart = anonymousShield;
        if (scopes is not null)
        {
            foreach (KeyValuePair<ILocalSymbol, bool> scope in scopes)
            {
                if (scope.Value && scope.Key.DeclaringSyntaxReferences is { Length: > 0 } references)
                {
                    int start = references[0].Span.Start;
                    shieldStart = shieldStart is { } known0 && known0 < start ? known0 : start;
                }
            }
        }

        if (shieldStart is not { } position)
        {
            return ShieldState.Unshielded;
        }

        return awaited is not null && PassesOuterToken(awaited, position, known) ? ShieldState.Defeated : ShieldState.Shielded;
    }

    /// <summary>Gets whether <paramref name="resource"/> enters a shield: an inline <c>[ShieldFactory]</c> call, or an inline <c>[CancelScopeFactory]</c> call with a constant <see langword="true"/> <c>[ShieldFlag]</c>.</summary>
    /// <param name="resource">The resource expression.</param>
    /// <param name="roles">The role cache.</param>
    /// <returns>Whether it is a shield.</returns>
    public static bool IsShieldResource(IOperation? resource, ApiRoles roles)
    {
        if (Unwrap(resource) is not IInvocationOperation invocation)
        {
            return false;
        }

        ApiRole role = roles.Get(invocation.TargetMethod);
        if ((role & ApiRole.HasScopeBody) != 0)
        {
            return false;
        }

        if ((role & ApiRole.ShieldFactory) != 0)
        {
            return true;
        }

        if ((role & ApiRole.CancelScopeFactory) == 0)
        {
            return false;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter && roles.IsShieldFlag(parameter))
            {
                if (argument.Value.ConstantValue is { HasValue: true, Value: true })
                {
                    return true;
                }

                continue;
            }

            // Options passed to the factory: new CancelScopeOptions { Shield = true }.
            if (Unwrap(argument.Value) is IObjectCreationOperation { Initializer: { } initializer })
            {
                bool? shield = null;
                foreach (IOperation initialization in initializer.Initializers)
                {
                    if (initialization is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment
                        && roles.Has(property.Property, ApiRole.ShieldFlag))
                    {
                        shield = assignment.Value.ConstantValue is { HasValue: true, Value: true };
                    }
                }

                if (shield == true)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Gets whether a scope call has its own deadline: a <c>TimeSpan</c> argument that is not <c>Timeout.InfiniteTimeSpan</c>
    /// or <c>TimeSpan.MaxValue</c>, or an options argument whose initializer sets a <c>TimeSpan?</c> property (a deadline).
    /// </summary>
    /// <param name="invocation">The scope or shield call.</param>
    /// <returns>Whether the scope can expire by itself.</returns>
    public static bool HasDeadline(IInvocationOperation invocation)
    {
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type is { } type && IsTimeSpan(type))
            {
                if (argument.Value is IFieldReferenceOperation { Field: { IsStatic: true } field }
                    && ((field.Name == "InfiniteTimeSpan" && field.ContainingType.Name == "Timeout") || (field.Name == "MaxValue" && field.ContainingType.Name == "TimeSpan")))
                {
                    continue;
                }

                return true;
            }

            if (Unwrap(argument.Value) is IObjectCreationOperation { Initializer: { } initializer })
            {
                foreach (IOperation initialization in initializer.Initializers)
                {
                    // new CancelScopeOptions { RelativeDeadline = d }: a Nullable<TimeSpan> set to something other than null.
                    if (initialization is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Type: INamedTypeSymbol { TypeArguments.Length: 1 } nullable } } assignment
                        && IsTimeSpan(nullable.TypeArguments[0])
                        && !(assignment.Value.ConstantValue is { HasValue: true, Value: null }))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool IsTimeSpan(ITypeSymbol type)
        => type is { Name: "TimeSpan", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    private static void Track(IOperation statement, ref Dictionary<ILocalSymbol, bool>? scopes, ref int? anonymousShield, ApiRoles roles)
    {
        switch (statement)
        {
            case IUsingDeclarationOperation declaration:
                AddResources(declaration.DeclarationGroup, ref scopes, ref anonymousShield, roles);
                break;
            case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: ILocalReferenceOperation local } property } assignment }
                when scopes is not null && scopes.ContainsKey(local.Local) && roles.Has(property.Property, ApiRole.ShieldFlag):
                // Only constants count: a non-constant value leaves the scope unshielded.
                scopes[local.Local] = assignment.Value.ConstantValue is { HasValue: true, Value: true };
                break;
        }
    }

    private static void AddResources(IOperation resources, ref Dictionary<ILocalSymbol, bool>? scopes, ref int? anonymousShield, ApiRoles roles)
    {
        if (resources is IVariableDeclarationGroupOperation group)
        {
            foreach (IVariableDeclarationOperation declaration in group.Declarations)
            {
                foreach (IVariableDeclaratorOperation declarator in declaration.Declarators)
                {
                    IOperation? initializer = declarator.Initializer?.Value ?? declaration.Initializer?.Value;
                    if (initializer is null)
                    {
                        continue;
                    }

                    bool isScope = IsScopeFactoryCall(initializer, roles);
                    if (isScope)
                    {
                        (scopes ??= new Dictionary<ILocalSymbol, bool>(SymbolEqualityComparer.Default))[declarator.Symbol] = IsShieldResource(initializer, roles);
                    }
                }
            }
        }
        else if (IsShieldResource(resources, roles) && resources.Syntax.SpanStart is var start)
        {
            anonymousShield = anonymousShield is { } previous && previous < start ? previous : start;
        }
    }

    private static bool IsScopeFactoryCall(IOperation operation, ApiRoles roles)
        => Unwrap(operation) is IInvocationOperation invocation
            && (roles.Get(invocation.TargetMethod) & (ApiRole.ShieldFactory | ApiRole.CancelScopeFactory)) != 0;

    // A token argument read from a parameter, a field, or a local declared before the shield.
    private static bool PassesOuterToken(IOperation awaited, int shieldStart, KnownSymbols known)
    {
        if (Unwrap(awaited) is not IInvocationOperation invocation || known.CancellationToken is not { } tokenType)
        {
            return false;
        }

        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue || !SymbolEqualityComparer.Default.Equals(argument.Value.Type, tokenType))
            {
                continue;
            }

            switch (Unwrap(argument.Value))
            {
                case IParameterReferenceOperation:
                case IFieldReferenceOperation:
                    return true;
                case ILocalReferenceOperation local when local.Local.DeclaringSyntaxReferences is { Length: > 0 } references && references[0].Span.Start < shieldStart:
                    return true;
            }
        }

        return false;
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
