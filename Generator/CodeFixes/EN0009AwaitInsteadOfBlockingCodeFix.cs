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
using Microsoft.CodeAnalysis.Simplification;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>
/// EN0009 "Await instead of blocking": <c>Thread.Sleep(x)</c> becomes <c>await backend.SleepAsync(x)</c> (milliseconds
/// become <c>TimeSpan.FromMilliseconds</c>); <c>t.Wait()</c>, <c>t.Result</c> and <c>t.GetAwaiter().GetResult()</c> become
/// <c>await t</c>; <c>sem.Wait()</c> becomes <c>await sem.WaitAsync(token)</c>, the token being the scope body's token or
/// <c>backend.CurrentCancellationToken</c>. Offered only where the analyzer found that an await fits
/// (<see cref="BlockingWaitAnalyzer.FixProperty"/>: an async function, outside locks and cleanup code), and not when the
/// backend receiver or token would not bind at the site (none in scope, or captured by a static lambda).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EN0009AwaitInsteadOfBlockingCodeFix)), Shared]
public sealed class EN0009AwaitInsteadOfBlockingCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "EN0009.Await";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.BlockingWait);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || KnownSymbols.TryCreate(model.Compilation) is not { } known)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (diagnostic.Properties.GetValueOrDefault(BlockingWaitAnalyzer.FixProperty) is not { } shape
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax wait
                || Awaited(wait, shape, model, known, context.CancellationToken) is not { } awaited)
            {
                continue;
            }

            // Parenthesised for `t.Result.Length`; the simplifier removes the parentheses where they are not needed.
            ExpressionSyntax replacement = SyntaxFactory.ParenthesizedExpression(SyntaxFactory.AwaitExpression(awaited.WithoutTrivia()))
                .WithTriviaFrom(wait)
                .WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation);
            Document document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create("Await instead of blocking", _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(wait, replacement))), EquivalenceKey),
                diagnostic);
        }
    }

    // What the await awaits, or null when the site gives no receiver or token.
    private static ExpressionSyntax? Awaited(ExpressionSyntax wait, string shape, SemanticModel model, KnownSymbols known, CancellationToken cancellationToken)
    {
        switch (shape)
        {
            case BlockingWaitAnalyzer.SleepFix:
                if (wait is not InvocationExpressionSyntax { ArgumentList.Arguments: { Count: 1 } arguments }
                    || KnownSymbols.GetBestTypeByMetadataName(model.Compilation, KnownTypeNames.IAsyncBackend) is not { } facade
                    || BackendReceiver.Find(model, wait.SpanStart, facade, cancellationToken) is not { } receiver
                    || AmbientTokenSpelling.CapturedByStaticFunction(wait, receiver))
                {
                    return null;
                }

                ExpressionSyntax delay = arguments[0].Expression;
                string duration = model.GetTypeInfo(delay, cancellationToken).ConvertedType?.SpecialType == SpecialType.System_Int32
                    ? TypeSpelling.SystemType(model, wait.SpanStart, "TimeSpan") + ".FromMilliseconds(" + delay.WithoutTrivia().ToFullString() + ")"
                    : delay.WithoutTrivia().ToFullString();
                return SyntaxFactory.ParseExpression(receiver.Name + ".SleepAsync(" + duration + ")");
            case BlockingWaitAnalyzer.AwaitFix:
                return wait switch
                {
                    MemberAccessExpressionSyntax { Expression: { } task } => task,
                    InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetResult", Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: { } task } } } } => task,
                    InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: { } task } } => task,
                    _ => null,
                };
            case BlockingWaitAnalyzer.WaitAsyncFix:
                if (wait is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: { } semaphore } }
                    || AmbientTokenSpelling.For(wait, model, known, cancellationToken) is not { } token)
                {
                    return null;
                }

                return SyntaxFactory.ParseExpression(semaphore.WithoutTrivia().ToFullString() + ".WaitAsync(" + token + ")");
            default:
                return null;
        }
    }
}
