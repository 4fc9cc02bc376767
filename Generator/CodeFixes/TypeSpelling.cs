using Microsoft.CodeAnalysis;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>How the fixes spell a BCL type they insert: its simple name where that binds to it, else fully qualified.</summary>
internal static class TypeSpelling
{
    /// <summary>Returns <paramref name="simpleName"/> when it binds to <c>System.{simpleName}</c> at <paramref name="position"/>, else <c>global::System.{simpleName}</c>.</summary>
    /// <param name="model">The semantic model.</param>
    /// <param name="position">Where the name is inserted.</param>
    /// <param name="simpleName">A type of the <c>System</c> namespace (<c>OperationCanceledException</c>).</param>
    /// <returns>The spelling.</returns>
    public static string SystemType(SemanticModel model, int position, string simpleName)
    {
        INamedTypeSymbol? type = model.Compilation.GetTypeByMetadataName("System." + simpleName);
        return model.LookupNamespacesAndTypes(position, name: simpleName) is { Length: 1 } found && SymbolEqualityComparer.Default.Equals(found[0], type)
            ? simpleName
            : "global::System." + simpleName;
    }
}
