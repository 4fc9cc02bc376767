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
/// EN0011: replaces an awaited <c>Task.Delay</c>/<c>Task.Yield</c> by the backend's <c>YieldAsync()</c>,
/// <c>SleepForeverAsync()</c> or <c>SleepAsync(delay)</c> (milliseconds become <c>TimeSpan.FromMilliseconds</c>). Offered
/// only when the call is awaited directly, a facade-typed receiver is in scope, and the token argument is absent or an
/// <c>[AmbientToken]</c> read: dropping any other token would change what cancels the wait (EN0002 covers that case).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EN0011UseBackendSleepCodeFix)), Shared]
public sealed class EN0011UseBackendSleepCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of the action.</summary>
    public const string EquivalenceKey = "EN0011.UseBackend";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UseBackendSleep);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null
            || KnownSymbols.TryCreate(model.Compilation) is not { } known
            || KnownSymbols.GetBestTypeByMetadataName(model.Compilation, KnownTypeNames.IAsyncBackend) is not { } facade)
        {
            return;
        }

        var roles = new ApiRoles(known);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax call
                || call.Parent is not AwaitExpressionSyntax
                || diagnostic.Properties.GetValueOrDefault(TaskDelayAnalyzer.ReplacementProperty) is not { } member
                || facade.GetMembers(member).IsEmpty
                || model.GetOperation(call, context.CancellationToken) is not IInvocationOperation invocation
                || !TokenIsAmbient(invocation, roles, known)
                || BackendReceiver.Find(model, call.SpanStart, facade, context.CancellationToken)?.Name is not { } backend)
            {
                continue;
            }

            string argument = member != TaskDelayAnalyzer.SleepAsync ? string.Empty : Delay(invocation, model, call.SpanStart);
            ExpressionSyntax replacement = SyntaxFactory.ParseExpression(backend + "." + member + "(" + argument + ")").WithTriviaFrom(call).WithAdditionalAnnotations(Formatter.Annotation);
            Document document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create("Use the backend's " + member, ct => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(call, replacement))), EquivalenceKey),
                diagnostic);
        }
    }

    // No token, or backend.CurrentCancellationToken: the backend's member observes the same scope.
    private static bool TokenIsAmbient(IInvocationOperation invocation, ApiRoles roles, KnownSymbols known)
    {
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (!SymbolEqualityComparer.Default.Equals(argument.Parameter?.Type, known.CancellationToken) || argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            if (argument.Value is not IPropertyReferenceOperation property || !roles.Has(property.Property, ApiRole.AmbientToken))
            {
                return false;
            }
        }

        return true;
    }

    // The delay as a TimeSpan: itself, or TimeSpan.FromMilliseconds(ms).
    private static string Delay(IInvocationOperation invocation, SemanticModel model, int position)
    {
        IArgumentOperation delay = invocation.Arguments.First(static a => a.Parameter?.Ordinal == 0);
        string text = delay.Value.Syntax.ToString();
        return delay.Parameter?.Type.SpecialType == SpecialType.System_Int32
            ? TypeSpelling.SystemType(model, position, "TimeSpan") + ".FromMilliseconds(" + text + ")"
            : text;
    }
}
