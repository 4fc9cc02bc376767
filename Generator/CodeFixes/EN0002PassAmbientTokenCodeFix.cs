using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Generator.Analysis;
using EasyNetwork.Generator.Analyzers.Usage;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>
/// EN0002 "Pass the ambient token": inside a scope body, its token (<c>scope.Token</c>, or a <c>CancellationToken</c>
/// parameter); elsewhere <c>backend.CurrentCancellationToken</c>. Inserted as a named argument after omitted optional
/// parameters (a), appended for the token overload (b), in place of <c>None</c>/<c>default</c>/an outer token (c, d),
/// as <c>.WithCancellation(token)</c> on an <c>await foreach</c> source (e), or as <c>.WaitAsync(token)</c> on a stored
/// <c>Task</c> (f). Not offered when the token would not
/// bind at the site (a static lambda capturing the receiver, no receiver in scope).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EN0002PassAmbientTokenCodeFix)), Shared]
public sealed class EN0002PassAmbientTokenCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "EN0002.PassAmbientToken";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.AmbientScopeNotObserved);

    /// <inheritdoc/>
    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        Document document = context.Document;
        SyntaxNode? root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || KnownSymbols.TryCreate(model.Compilation) is not { } known)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(AmbientScopeAnalyzer.VariantKey, out string? variant) || variant is null)
            {
                continue;
            }

            SyntaxNode node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (Plan(node, variant, model, known, context.CancellationToken) is not { } edit)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Pass " + edit.Token,
                    _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(edit.Original, edit.Replacement.WithAdditionalAnnotations(Formatter.Annotation)))),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static Edit? Plan(SyntaxNode node, string variant, SemanticModel model, KnownSymbols known, CancellationToken cancellationToken)
    {
        if (variant == "e")
        {
            if (node.FirstAncestorOrSelf<ForEachStatementSyntax>() is not { } loop || AmbientTokenSpelling.For(loop, model, known, cancellationToken) is not { } token)
            {
                return null;
            }

            // Before a trailing ConfigureAwait(...), else at the end of the source.
            ExpressionSyntax source = loop.Expression;
            if (source is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configure } configured)
            {
                ExpressionSyntax withCancellation = WithCancellation(configure.Expression, token);
                return new Edit(source, configured.WithExpression(configure.WithExpression(withCancellation)), token);
            }

            return new Edit(source, WithCancellation(source, token), token);
        }

        if (variant == "f")
        {
            // Task and Task<T> only: ValueTask has no WaitAsync.
            if (node is not AwaitExpressionSyntax { Expression: { } stored }
                || model.GetTypeInfo(stored, cancellationToken).Type?.OriginalDefinition is not { } storedType
                || (!SymbolEqualityComparer.Default.Equals(storedType, known.Task) && !SymbolEqualityComparer.Default.Equals(storedType, known.TaskOfT))
                || AmbientTokenSpelling.For(stored, model, known, cancellationToken) is not { } token)
            {
                return null;
            }

            ExpressionSyntax waited = SyntaxFactory.ParseExpression(stored.WithoutTrivia().ToFullString() + ".WaitAsync(" + token + ")").WithTriviaFrom(stored);
            return new Edit(stored, waited, token);
        }

        ExpressionSyntax? expression = node switch
        {
            AwaitExpressionSyntax @await => @await.Expression,
            ForEachStatementSyntax loop => loop.Expression,
            ExpressionSyntax returned => returned,
            _ => null,
        };
        while (expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } member })
        {
            expression = member.Expression;
        }

        if (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        if (expression is not InvocationExpressionSyntax invocation
            || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
            || AmbientTokenSpelling.For(invocation, model, known, cancellationToken) is not { } ambient)
        {
            return null;
        }

        switch (variant)
        {
            case "a":
                IArgumentOperation? omitted = operation.Arguments.FirstOrDefault(a => a.ArgumentKind == ArgumentKind.DefaultValue && AmbientTokenSpelling.IsToken(a.Parameter?.Type, known));
                return omitted?.Parameter is { } parameter
                    && TokenSlots.AddToken(invocation, new TokenSlot(TokenSlotKind.Omitted, parameter), SyntaxFactory.ParseExpression(ambient)) is { } withToken
                    ? new Edit(invocation, withToken, ambient)
                    : null;
            case "b":
                return TokenSlots.AddToken(invocation, new TokenSlot(TokenSlotKind.Overload), SyntaxFactory.ParseExpression(ambient)) is { } withOverload
                    ? new Edit(invocation, withOverload, ambient)
                    : null;
            case "c" or "d":
                foreach (IArgumentOperation candidate in operation.Arguments)
                {
                    if (candidate.ArgumentKind == ArgumentKind.Explicit && AmbientTokenSpelling.IsToken(candidate.Parameter?.Type, known) && candidate.Syntax is ArgumentSyntax { Expression: { } value }
                        && value.ToString() != ambient)
                    {
                        return new Edit(value, SyntaxFactory.ParseExpression(ambient).WithTriviaFrom(value), ambient);
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static ExpressionSyntax WithCancellation(ExpressionSyntax source, string token)
        => SyntaxFactory.ParseExpression(source.WithoutTrivia().ToFullString() + ".WithCancellation(" + token + ")").WithTriviaFrom(source);

    private sealed record Edit(SyntaxNode Original, SyntaxNode Replacement, string Token);
}
