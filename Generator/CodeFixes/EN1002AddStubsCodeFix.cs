using System.Collections.Generic;
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
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>
/// EN1002: adds a public stub for every missing <c>[BackendPrimitive]</c> member, with the facade member's exact signature
/// (the list <see cref="BackendValidation.MatchFacade"/> reports, so the stubs are what the generator looks for) and a
/// body that throws <see cref="System.NotImplementedException"/>. Types are written fully qualified and simplified.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EN1002AddStubsCodeFix)), Shared]
public sealed class EN1002AddStubsCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "EN1002.AddStubs";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MissingBackendPrimitive);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || FacadeSymbols.GetOrCreate(model.Compilation) is not { } symbols)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not TypeDeclarationSyntax declaration
                || declaration.Identifier.Span != diagnostic.Location.SourceSpan
                || model.GetDeclaredSymbol(declaration, context.CancellationToken) is not { } type)
            {
                continue;
            }

            ImmutableArray<ISymbol> missing = BackendValidation.MatchFacade(type, symbols, context.CancellationToken).MissingPrimitives;
            if (missing.IsEmpty || ClashesWithDeclaredMember(type, missing))
            {
                // A stub next to a member of the same signature (a non-public primitive, EN1003) would not compile.
                continue;
            }

            Document document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create("Add missing backend primitives", cancellationToken => AddStubsAsync(document, declaration, missing, cancellationToken), EquivalenceKey),
                diagnostic);
        }
    }

    // Conservative: a member of the class with a stub's name and kind, and as many parameters, may share its signature.
    private static bool ClashesWithDeclaredMember(INamedTypeSymbol type, ImmutableArray<ISymbol> missing)
    {
        foreach (ISymbol stub in missing)
        {
            foreach (ISymbol member in type.GetMembers(stub.Name))
            {
                bool clashes = (stub, member) switch
                {
                    (IMethodSymbol stubMethod, IMethodSymbol method) => method.Parameters.Length == stubMethod.Parameters.Length && method.Arity == stubMethod.Arity,
                    (IPropertySymbol { IsIndexer: true } stubIndexer, IPropertySymbol { IsIndexer: true } indexer) => indexer.Parameters.Length == stubIndexer.Parameters.Length,
                    (IMethodSymbol, _) or (IPropertySymbol { IsIndexer: false }, _) => true,
                    _ => false,
                };
                if (clashes)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static async Task<Document> AddStubsAsync(Document document, TypeDeclarationSyntax declaration, ImmutableArray<ISymbol> missing, CancellationToken cancellationToken)
    {
        SyntaxNode? root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var generator = SyntaxGenerator.GetGenerator(document);
        var stubs = new List<MemberDeclarationSyntax>(missing.Length);
        foreach (ISymbol member in missing)
        {
            if (Stub(generator, member) is { } stub)
            {
                stubs.Add(stub.WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation));
            }
        }

        return document.WithSyntaxRoot(root.ReplaceNode(declaration, declaration.AddMembers(stubs.ToArray())));
    }

    // The facade member as a public, non-abstract member of the class whose bodies throw. The generator writes an
    // interface member as abstract (no bodies), so the modifiers and bodies are set here.
    private static MemberDeclarationSyntax? Stub(SyntaxGenerator generator, ISymbol member)
    {
        BlockSyntax body = SyntaxFactory.Block(SyntaxFactory.ParseStatement("throw new global::System.NotImplementedException();"));
        switch (member)
        {
            case IMethodSymbol method:
            {
                var declaration = (MethodDeclarationSyntax)generator.MethodDeclaration(method);
                return declaration
                    .WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.PublicKeyword)))
                    .WithExpressionBody(null)
                    .WithSemicolonToken(default)
                    .WithBody(body);
            }

            case IPropertySymbol property:
            {
                var declaration = (BasePropertyDeclarationSyntax)(property.IsIndexer ? generator.IndexerDeclaration(property) : generator.PropertyDeclaration(property));
                var accessors = new List<AccessorDeclarationSyntax>(2);
                if (property.GetMethod is not null)
                {
                    accessors.Add(SyntaxFactory.AccessorDeclaration(SyntaxKind.GetAccessorDeclaration, body));
                }

                if (property.SetMethod is not null)
                {
                    accessors.Add(SyntaxFactory.AccessorDeclaration(property.SetMethod.IsInitOnly ? SyntaxKind.InitAccessorDeclaration : SyntaxKind.SetAccessorDeclaration, body));
                }

                return declaration
                    .WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.PublicKeyword)))
                    .WithAccessorList(SyntaxFactory.AccessorList(SyntaxFactory.List(accessors)));
            }

            default:
                return null;
        }
    }
}
