using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analysis;

/// <summary>
/// Library APIs and backend code (ANALYZERS §2.6): a library API is a member of a <c>[StructuredConcurrency]</c>
/// assembly or type, or a marked member; backend code is selected by <see cref="BackendCodeMode"/>. Results are cached
/// per assembly, per member and per function body. Thread-safe.
/// </summary>
internal sealed class BackendCode
{
    private readonly ConcurrentDictionary<IAssemblySymbol, bool> _assemblies = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, bool> _members = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<SyntaxNode, bool> _bodies = new();
    private readonly KnownSymbols _known;
    private readonly ApiRoles _roles;

    /// <summary>Initializes the caches of one compilation.</summary>
    /// <param name="known">The known symbols.</param>
    /// <param name="roles">The role cache.</param>
    public BackendCode(KnownSymbols known, ApiRoles roles)
    {
        _known = known;
        _roles = roles;
    }

    /// <summary>Gets whether <paramref name="member"/> is a library API: it reads the ambient scope itself.</summary>
    /// <param name="member">A method, property or constructor.</param>
    /// <returns>Whether it is.</returns>
    public bool IsLibraryApi(ISymbol member)
    {
        ISymbol key = member.OriginalDefinition;
        return _members.TryGetValue(key, out bool result) ? result : _members.GetOrAdd(key, ComputeLibraryApi(key));
    }

    /// <summary>Gets whether the function holding <paramref name="operation"/> is backend code under <paramref name="mode"/>.</summary>
    /// <param name="operation">An operation in the function.</param>
    /// <param name="containingSymbol">The member whose body holds it.</param>
    /// <param name="mode">The option's value.</param>
    /// <returns>Whether it is backend code.</returns>
    public bool IsBackendCode(IOperation operation, ISymbol containingSymbol, BackendCodeMode mode)
    {
        if (mode == BackendCodeMode.All || IsAnnotated(containingSymbol))
        {
            return true;
        }

        if (mode == BackendCodeMode.Annotated)
        {
            return false;
        }

        IOperation function = operation;
        while (function.Parent is { } parent && function is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
        {
            function = parent;
        }

        if (function is IAnonymousFunctionOperation lambda && IsScopeOrTaskBody(lambda))
        {
            return true;
        }

        SyntaxNode key = function.Syntax;
        return _bodies.TryGetValue(key, out bool result) ? result : _bodies.GetOrAdd(key, ReferencesLibrary(function));
    }

    /// <summary>
    /// Gets whether a member without a body (abstract, interface) is backend code under <paramref name="mode"/>: with no body
    /// to reference a library API, only <c>all</c> and <c>[StructuredConcurrency]</c> code count.
    /// </summary>
    /// <param name="member">The member.</param>
    /// <param name="mode">The option's value.</param>
    /// <returns>Whether it is backend code.</returns>
    public bool IsBackendDeclaration(ISymbol member, BackendCodeMode mode) => mode == BackendCodeMode.All || IsAnnotated(member);

    /// <summary>Gets the <c>[ScopeBody]</c> parameter or <c>[TaskStarter]</c> call a lambda is passed to, if any.</summary>
    /// <param name="lambda">The lambda.</param>
    /// <param name="invocation">The factory or starter call.</param>
    /// <returns>Whether the lambda is a body.</returns>
    public bool IsScopeOrTaskBody(IAnonymousFunctionOperation lambda, out IInvocationOperation? invocation)
    {
        invocation = null;
        IOperation current = lambda;
        while (current.Parent is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        if (current.Parent is not IArgumentOperation { Parameter: { } parameter, Parent: IInvocationOperation call })
        {
            return false;
        }

        invocation = call;
        return HasAttribute(parameter, _known.ScopeBodyAttribute) || _roles.Has(call.TargetMethod, ApiRole.TaskStarter);
    }

    private bool IsScopeOrTaskBody(IAnonymousFunctionOperation lambda) => IsScopeOrTaskBody(lambda, out _);

    private bool ComputeLibraryApi(ISymbol member)
    {
        if (member.ContainingAssembly is { } assembly && IsLibraryAssembly(assembly))
        {
            return true;
        }

        if (HasAttribute(member, _known.StructuredConcurrencyAttribute) || _roles.Get(member) != ApiRole.None)
        {
            return true;
        }

        for (INamedTypeSymbol? type = member.ContainingType; type is not null; type = type.ContainingType)
        {
            if (HasAttribute(type, _known.StructuredConcurrencyAttribute) || HasAttribute(type, _known.CheckpointAttribute))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsLibraryAssembly(IAssemblySymbol assembly)
        => _assemblies.TryGetValue(assembly, out bool result) ? result : _assemblies.GetOrAdd(assembly, HasAttribute(assembly, _known.StructuredConcurrencyAttribute));

    private bool IsAnnotated(ISymbol symbol)
    {
        for (ISymbol? current = symbol; current is not null; current = current.ContainingType)
        {
            if (HasAttribute(current, _known.StructuredConcurrencyAttribute))
            {
                return true;
            }
        }

        return symbol.ContainingAssembly is { } assembly && IsLibraryAssembly(assembly);
    }

    // Once per body: any reference to a library API, nested functions included.
    private bool ReferencesLibrary(IOperation function)
    {
        foreach (IOperation descendant in function.Descendants())
        {
            ISymbol? member = descendant switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IPropertyReferenceOperation property => property.Property,
                IObjectCreationOperation creation => creation.Constructor,
                IMethodReferenceOperation method => method.Method,
                IEventReferenceOperation @event => @event.Event,
                _ => null,
            };
            if (member is not null && IsLibraryApi(member))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return false;
        }

        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return true;
            }
        }

        return false;
    }
}
