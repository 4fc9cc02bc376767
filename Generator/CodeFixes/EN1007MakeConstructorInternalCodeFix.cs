using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>
/// EN1007: makes a <see langword="private"/>, <see langword="protected"/> or <c>private protected</c> constructor callable
/// without arguments <see langword="internal"/>, so that the generated registry can create the backend. No action when
/// the class has only constructors that need arguments (a primary constructor included): which argument to pass is the
/// author's decision.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EN1007MakeConstructorInternalCodeFix)), Shared]
public sealed class EN1007MakeConstructorInternalCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "EN1007.MakeConstructorInternal";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MissingParameterlessConstructor);

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
                || await FindHiddenConstructorAsync(type, context.CancellationToken).ConfigureAwait(false) is not { } constructor)
            {
                continue;
            }

            Solution solution = context.Document.Project.Solution;
            context.RegisterCodeFix(
                CodeAction.Create("Make the parameterless constructor internal", cancellationToken => MakeInternalAsync(solution, constructor, cancellationToken), EquivalenceKey),
                diagnostic);
        }
    }

    // An explicit constructor callable without arguments whose only fault is its accessibility.
    private static async Task<ConstructorDeclarationSyntax?> FindHiddenConstructorAsync(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            if (constructor.IsImplicitlyDeclared
                || constructor.DeclaredAccessibility is not (Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
                || !IsCallableWithoutArguments(constructor)
                || constructor.DeclaringSyntaxReferences.Length != 1)
            {
                continue;
            }

            if (await constructor.DeclaringSyntaxReferences[0].GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is ConstructorDeclarationSyntax syntax)
            {
                return syntax;
            }
        }

        return null;
    }

    private static bool IsCallableWithoutArguments(IMethodSymbol constructor)
    {
        foreach (IParameterSymbol parameter in constructor.Parameters)
        {
            if (!parameter.IsOptional && !parameter.IsParams)
            {
                return false;
            }
        }

        return true;
    }

    private static async Task<Solution> MakeInternalAsync(Solution solution, ConstructorDeclarationSyntax constructor, CancellationToken cancellationToken)
    {
        if (solution.GetDocument(constructor.SyntaxTree) is not { } document
            || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root)
        {
            return solution;
        }

        // The first accessibility keyword becomes 'internal' (keeping its trivia); a second one ('private protected') goes.
        var modifiers = new List<SyntaxToken>(constructor.Modifiers.Count);
        bool replaced = false;
        foreach (SyntaxToken modifier in constructor.Modifiers)
        {
            if (!modifier.IsKind(SyntaxKind.PrivateKeyword) && !modifier.IsKind(SyntaxKind.ProtectedKeyword))
            {
                modifiers.Add(modifier);
            }
            else if (!replaced)
            {
                modifiers.Add(SyntaxFactory.Token(modifier.LeadingTrivia, SyntaxKind.InternalKeyword, modifier.TrailingTrivia));
                replaced = true;
            }
        }

        ConstructorDeclarationSyntax updated = constructor.WithModifiers(SyntaxFactory.TokenList(modifiers));
        return document.WithSyntaxRoot(root.ReplaceNode(constructor, updated)).Project.Solution;
    }
}
