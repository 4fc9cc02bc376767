using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>Adds <see langword="partial"/> to a type declaration, where C# requires it: last among the modifiers, right before the keyword.</summary>
internal static class PartialModifier
{
    /// <summary>Returns <paramref name="declaration"/> with <see langword="partial"/> added (unchanged when it already has it).</summary>
    /// <param name="declaration">A class, record, struct or interface declaration.</param>
    /// <returns>The declaration with the modifier.</returns>
    public static TypeDeclarationSyntax Add(TypeDeclarationSyntax declaration)
    {
        if (declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
        {
            return declaration;
        }

        // With no modifiers, 'partial' takes over the keyword's leading trivia (indentation, or the space after an
        // attribute list on the same line).
        if (declaration.Modifiers.Count == 0)
        {
            SyntaxToken keyword = declaration.Keyword;
            SyntaxToken partial = SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            return declaration.WithKeyword(keyword.WithLeadingTrivia(SyntaxFactory.TriviaList())).WithModifiers(SyntaxFactory.TokenList(partial));
        }

        return declaration.AddModifiers(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space));
    }
}
