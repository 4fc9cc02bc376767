using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace EasyNetwork.Generator.Analysis;

/// <summary>The roles a member plays for the usage analyzers (ANALYZERS §2.1).</summary>
[Flags]
internal enum ApiRole
{
    /// <summary>No role.</summary>
    None = 0,

    /// <summary><c>[CleanupSafe]</c>: may be awaited in cleanup without a shield.</summary>
    CleanupSafe = 1 << 0,

    /// <summary><c>[ShieldFactory]</c>: opens a shield.</summary>
    ShieldFactory = 1 << 1,

    /// <summary><c>[CancelScopeFactory]</c>: opens a cancel scope.</summary>
    CancelScopeFactory = 1 << 2,

    /// <summary><c>[ShieldFlag]</c>: a property whose constant <see langword="true"/> makes a scope a shield.</summary>
    ShieldFlag = 1 << 3,

    /// <summary><c>[AmbientToken]</c>: returns the effective token of the current scope.</summary>
    AmbientToken = 1 << 4,

    /// <summary><c>[TaskGroupFactory]</c>: opens a task group.</summary>
    TaskGroupFactory = 1 << 5,

    /// <summary>A method with a <c>[ScopeBody]</c> parameter: the delegate form of a factory.</summary>
    HasScopeBody = 1 << 6,

    /// <summary><c>[TaskStarter]</c>: starts a child in a task group.</summary>
    TaskStarter = 1 << 7,

    /// <summary><c>[CancelScopeFactory(Fails = true)]</c>: a fail-after scope, which raises on expiry instead of moving on.</summary>
    FailsOnExpiry = 1 << 8,

    /// <summary><c>[Checkpoint]</c> on the member: an unconditional checkpoint.</summary>
    Checkpoint = 1 << 9,

    /// <summary><c>[OwnershipFilter]</c>: <c>scope.Owns(e)</c>, true when <c>e</c> is that scope's own cancellation.</summary>
    OwnershipFilter = 1 << 10,

    /// <summary><c>[Startable]</c>: a child meant for a readiness start.</summary>
    Startable = 1 << 11,

    /// <summary><c>[StartedSignal]</c>: the method by which a readiness child reports that it is ready.</summary>
    StartedSignal = 1 << 12,
}

/// <summary>
/// The role flags of members, inheritance through overrides and interface implementations included, computed once per
/// member and compilation (keyed by <see cref="ISymbol.OriginalDefinition"/>). Thread-safe.
/// </summary>
internal sealed class ApiRoles
{
    private readonly ConcurrentDictionary<ISymbol, ApiRole> _cache = new(SymbolEqualityComparer.Default);
    private readonly KnownSymbols _known;

    /// <summary>Initializes the cache of one compilation.</summary>
    /// <param name="known">The compilation's known symbols.</param>
    public ApiRoles(KnownSymbols known) => _known = known;

    /// <summary>Gets the roles of <paramref name="member"/>.</summary>
    /// <param name="member">A method or property (any construction of it).</param>
    /// <returns>Its roles, inherited ones included.</returns>
    public ApiRole Get(ISymbol member)
    {
        ISymbol key = member.OriginalDefinition;
        if (_cache.TryGetValue(key, out ApiRole roles))
        {
            return roles;
        }

        return _cache.GetOrAdd(key, Compute(key));
    }

    /// <summary>Gets whether <paramref name="member"/> has every role of <paramref name="role"/>.</summary>
    /// <param name="member">The member.</param>
    /// <param name="role">The roles.</param>
    /// <returns>Whether it has them.</returns>
    public bool Has(ISymbol member, ApiRole role) => (Get(member) & role) == role;

    /// <summary>Gets whether <paramref name="parameter"/> carries <c>[ShieldFlag]</c> (or the overridden parameter does).</summary>
    /// <param name="parameter">The parameter.</param>
    /// <returns>Whether a constant <see langword="true"/> for it makes a shield.</returns>
    public bool IsShieldFlag(IParameterSymbol parameter)
    {
        for (IParameterSymbol? current = parameter; current is not null; current = Overridden(current))
        {
            if (HasAttribute(current, _known.ShieldFlagAttribute))
            {
                return true;
            }
        }

        return false;
    }

    private ApiRole Compute(ISymbol member)
    {
        // Overrides and implementations form no cycles, so the recursion through Get ends.
        ApiRole roles = Own(member);
        ISymbol? overridden = member switch
        {
            IMethodSymbol method => method.OverriddenMethod,
            IPropertySymbol property => property.OverriddenProperty,
            _ => null,
        };
        if (overridden is not null)
        {
            roles |= Get(overridden);
        }

        foreach (ISymbol implemented in ExplicitImplementations(member))
        {
            roles |= Get(implemented);
        }

        if (member.ContainingType is { TypeKind: not TypeKind.Interface } type && !member.IsStatic)
        {
            foreach (INamedTypeSymbol @interface in type.AllInterfaces)
            {
                foreach (ISymbol candidate in @interface.GetMembers(member.Name))
                {
                    if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(candidate)?.OriginalDefinition, member))
                    {
                        roles |= Get(candidate);
                    }
                }
            }
        }

        return roles;
    }

    private ApiRole Own(ISymbol member)
    {
        ApiRole roles = ApiRole.None;
        foreach (AttributeData attribute in member.GetAttributes())
        {
            INamedTypeSymbol? type = attribute.AttributeClass;
            roles |= Is(type, _known.CleanupSafeAttribute) ? ApiRole.CleanupSafe
                : Is(type, _known.ShieldFactoryAttribute) ? ApiRole.ShieldFactory
                : Is(type, _known.CancelScopeFactoryAttribute) ? ApiRole.CancelScopeFactory
                : Is(type, _known.ShieldFlagAttribute) ? ApiRole.ShieldFlag
                : Is(type, _known.AmbientTokenAttribute) ? ApiRole.AmbientToken
                : Is(type, _known.TaskGroupFactoryAttribute) ? ApiRole.TaskGroupFactory
                : Is(type, _known.CheckpointAttribute) ? ApiRole.Checkpoint
                : Is(type, _known.TaskStarterAttribute) ? ApiRole.TaskStarter
                : Is(type, _known.OwnershipFilterAttribute) ? ApiRole.OwnershipFilter
                : Is(type, _known.StartableAttribute) ? ApiRole.Startable
                : Is(type, _known.StartedSignalAttribute) ? ApiRole.StartedSignal
                : ApiRole.None;
            if (Is(type, _known.CancelScopeFactoryAttribute) && HasTrueNamedArgument(attribute, "Fails"))
            {
                roles |= ApiRole.FailsOnExpiry;
            }
        }

        if (member is IMethodSymbol method)
        {
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                if (HasAttribute(parameter, _known.ScopeBodyAttribute))
                {
                    roles |= ApiRole.HasScopeBody;
                }
            }
        }

        return roles;
    }

    private static ImmutableArray<ISymbol> ExplicitImplementations(ISymbol member) => member switch
    {
        IMethodSymbol method => ImmutableArray<ISymbol>.CastUp(method.ExplicitInterfaceImplementations),
        IPropertySymbol property => ImmutableArray<ISymbol>.CastUp(property.ExplicitInterfaceImplementations),
        _ => ImmutableArray<ISymbol>.Empty,
    };

    private static IParameterSymbol? Overridden(IParameterSymbol parameter)
        => parameter.ContainingSymbol is IMethodSymbol { OverriddenMethod: { } overridden } && parameter.Ordinal < overridden.Parameters.Length
            ? overridden.Parameters[parameter.Ordinal]
            : null;

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return false;
        }

        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (Is(attribute.AttributeClass, attributeType))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasTrueNamedArgument(AttributeData attribute, string name)
    {
        foreach (System.Collections.Generic.KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == name && argument.Value.Value is true)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Is(INamedTypeSymbol? type, INamedTypeSymbol? expected)
        => expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);
}
