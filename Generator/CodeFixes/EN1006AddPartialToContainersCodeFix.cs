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

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>
/// EN1006, "nested in a non-partial type" only: adds <see langword="partial"/> to every declaration of every containing
/// type that lacks it. Offered only when that is the one problem of the shape (no generic or inaccessible container),
/// so that the generator completes the class afterwards; the other shapes need a design change and get no action.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EN1006AddPartialToContainersCodeFix)), Shared]
public sealed class EN1006AddPartialToContainersCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "EN1006.AddPartialToContainers";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnsupportedBackendShape);

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
            if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not TypeDeclarationSyntax declaration
                || declaration.Identifier.Span != diagnostic.Location.SourceSpan
                || model.GetDeclaredSymbol(declaration, context.CancellationToken) is not { } type
                || BackendValidation.GetShapeError(type, context.CancellationToken) != BackendShapeError.NonPartialContainer
                || !OnlyPartialIsMissing(type))
            {
                continue;
            }

            Solution solution = context.Document.Project.Solution;
            context.RegisterCodeFix(
                CodeAction.Create("Make the containing types partial", cancellationToken => AddPartialAsync(solution, type, cancellationToken), EquivalenceKey),
                diagnostic);
        }
    }

    // The containers would pass every other shape check once partial (the walk of GetShapeError stops at the first failure).
    private static bool OnlyPartialIsMissing(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            if (container.Arity > 0
                || container.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal)
                || container.DeclaringSyntaxReferences.IsEmpty)
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<Solution> AddPartialAsync(Solution solution, INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        // The declarations to change, by syntax tree: a container may be declared in several files.
        var byTree = new Dictionary<SyntaxTree, List<TypeDeclarationSyntax>>();
        for (INamedTypeSymbol? container = type.ContainingType; container is not null; container = container.ContainingType)
        {
            foreach (SyntaxReference reference in container.DeclaringSyntaxReferences)
            {
                if (await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is TypeDeclarationSyntax declaration
                    && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    if (!byTree.TryGetValue(reference.SyntaxTree, out List<TypeDeclarationSyntax>? declarations))
                    {
                        declarations = new List<TypeDeclarationSyntax>();
                        byTree.Add(reference.SyntaxTree, declarations);
                    }

                    declarations.Add(declaration);
                }
            }
        }

        foreach (KeyValuePair<SyntaxTree, List<TypeDeclarationSyntax>> entry in byTree)
        {
            if (solution.GetDocument(entry.Key) is not { } document)
            {
                continue;
            }

            SyntaxNode root = await entry.Key.GetRootAsync(cancellationToken).ConfigureAwait(false);
            // Nested containers: the outer one receives its already-rewritten inner declarations.
            SyntaxNode updated = root.ReplaceNodes(entry.Value, static (_, rewritten) => PartialModifier.Add((TypeDeclarationSyntax)rewritten));
            solution = document.WithSyntaxRoot(updated).Project.Solution;
        }

        return solution;
    }
}
