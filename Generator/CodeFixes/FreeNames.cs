using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>Names for the variables the fixes introduce (<c>scope</c>, <c>e</c>), chosen so they neither shadow nor clash.</summary>
internal static class FreeNames
{
    /// <summary>Returns <paramref name="baseName"/>, or <c>baseName2</c>, <c>baseName3</c>, ...: the first neither visible at <paramref name="position"/> nor used in <paramref name="within"/>.</summary>
    /// <param name="model">The semantic model.</param>
    /// <param name="within">The code the new variable's scope covers.</param>
    /// <param name="position">Where the variable is declared.</param>
    /// <param name="baseName">The preferred name.</param>
    /// <returns>The name.</returns>
    public static string Find(SemanticModel model, SyntaxNode within, int position, string baseName)
    {
        var used = within.DescendantTokens().Where(static t => t.IsKind(SyntaxKind.IdentifierToken)).Select(static t => t.ValueText).ToImmutableHashSet();
        for (int i = 1; ; i++)
        {
            string name = i == 1 ? baseName : baseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!used.Contains(name) && model.LookupSymbols(position, name: name).IsEmpty)
            {
                return name;
            }
        }
    }
}
