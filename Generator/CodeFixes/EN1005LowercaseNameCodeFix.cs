using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Generator.Backends;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>
/// EN1005: lowercases a backend name written as a string literal when upper-case ASCII letters are its only invalid
/// characters (<c>"EventLoop"</c> to <c>"eventloop"</c>). Not offered for other invalid names (which character to use
/// instead is the author's choice), for a name given by a constant, or when the lowercase name is already taken by
/// another backend of the compilation or of a referenced assembly (the fix would trade EN1005 for EN1004).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EN1005LowercaseNameCodeFix)), Shared]
public sealed class EN1005LowercaseNameCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "EN1005.Lowercase";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.InvalidBackendName);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan) is not AttributeArgumentSyntax { Expression: LiteralExpressionSyntax literal } argument
                || argument.Span != diagnostic.Location.SourceSpan
                || !literal.IsKind(SyntaxKind.StringLiteralExpression)
                || Lowercase(literal.Token.ValueText) is not { } lowered
                || IsTaken(model.Compilation, lowered, context.CancellationToken))
            {
                continue;
            }

            Document document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create("Lowercase the backend name", cancellationToken => ReplaceAsync(document, literal, lowered, cancellationToken), EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>Lowercases the ASCII letters of <paramref name="name"/> when that makes it valid, else returns null.</summary>
    /// <param name="name">An invalid backend name.</param>
    /// <returns>The valid lowercase name, or null when upper-case ASCII letters are not the only problem.</returns>
    internal static string? Lowercase(string name)
    {
        var lowered = new char[name.Length];
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            lowered[i] = c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c;
        }

        string result = new(lowered);
        return BackendValidation.IsValidName(result) ? result : null;
    }

    // The name of another backend: declared in this compilation's sources, or published by a referenced assembly.
    private static bool IsTaken(Compilation compilation, string name, CancellationToken cancellationToken)
    {
        foreach ((string published, _, _) in BackendValidation.GetPublishedBackends(compilation, cancellationToken))
        {
            if (published == name)
            {
                return true;
            }
        }

        if (FacadeSymbols.GetOrCreate(compilation) is not { } symbols)
        {
            return false;
        }

        foreach (ISymbol symbol in compilation.GetSymbolsWithName(static _ => true, SymbolFilter.Type, cancellationToken))
        {
            if (symbol is INamedTypeSymbol type
                && BackendValidation.TryGetName(type, symbols.BackendAttribute, out string? declared)
                && declared == name)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<Document> ReplaceAsync(Document document, LiteralExpressionSyntax literal, string name, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        LiteralExpressionSyntax updated = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(name)).WithTriviaFrom(literal);
        return document.WithSyntaxRoot(root.ReplaceNode(literal, updated));
    }
}
