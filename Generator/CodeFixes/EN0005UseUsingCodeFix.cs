using System.Collections.Generic;
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
using Microsoft.CodeAnalysis.Simplification;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>
/// EN0005: "Declare the scope with using" turns <c>var s = X;</c> into <c>using var s = X;</c> (removing a later
/// <c>using (s)</c> and <c>s.Dispose();</c> of the block) and a discarded <c>X;</c> into <c>using var scope = X;</c>;
/// "Claim the scope's own cancellation" wraps an inline scope's lifetime in
/// <c>try { ... } catch (OperationCanceledException e) when (scope.Owns(e)) { }</c>, naming an anonymous scope. Both add
/// that catch when the scope can raise its own cancellation, so neither is offered for a fail-after scope then, nor when a
/// cancel scope would have no checkpoint (EN0012), nor when the moved code could not compile inside a <c>try</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(EN0005UseUsingCodeFix)), Shared]
public sealed class EN0005UseUsingCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of "Declare the scope with using".</summary>
    public const string UseUsingKey = "EN0005.UseUsing";

    /// <summary>The equivalence key of "Claim the scope's own cancellation".</summary>
    public const string ClaimKey = "EN0005.ClaimOwnCancellation";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.InlineScopeNotDisposed);

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

        var roles = new ApiRoles(known);
        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax call
                || Plan(call, diagnostic, model, roles, context.CancellationToken) is not { } plan)
            {
                continue;
            }

            Document document = context.Document;
            bool claimOnly = diagnostic.Properties.GetValueOrDefault(InlineScopeDisposalAnalyzer.KindProperty) == InlineScopeDisposalAnalyzer.UnclaimedKind;
            context.RegisterCodeFix(
                CodeAction.Create(
                    claimOnly ? "Claim the scope's own cancellation" : "Declare the scope with using",
                    cancellationToken => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(plan.Block, plan.Replacement))),
                    claimOnly ? ClaimKey : UseUsingKey),
                diagnostic);
        }
    }

    private static FixPlan? Plan(InvocationExpressionSyntax call, Diagnostic diagnostic, SemanticModel model, ApiRoles roles, CancellationToken cancellationToken)
    {
        string? kind = diagnostic.Properties.GetValueOrDefault(InlineScopeDisposalAnalyzer.KindProperty);
        bool raises = diagnostic.Properties.GetValueOrDefault(InlineScopeDisposalAnalyzer.RaisesProperty) == "true";
        bool fails = diagnostic.Properties.GetValueOrDefault(InlineScopeDisposalAnalyzer.FailsProperty) == "true";
        bool claim = raises && diagnostic.Properties.GetValueOrDefault(InlineScopeDisposalAnalyzer.ClaimProperty) == "true";
        bool checkpoint = diagnostic.Properties.GetValueOrDefault(InlineScopeDisposalAnalyzer.CheckpointProperty) == "true";
        if ((claim && fails)
            || model.GetSymbolInfo(call, cancellationToken).Symbol is not IMethodSymbol factory
            || OwnershipFilter(factory.ReturnType, roles) is not { } owns)
        {
            return null;
        }

        // A cancel scope under a using with no checkpoint would be EN0012's.
        bool cancelScope = (roles.Get(factory) & ApiRole.CancelScopeFactory) != 0 && !Shields.IsShieldResource(model.GetOperation(call, cancellationToken), roles);
        switch (kind)
        {
            case InlineScopeDisposalAnalyzer.DiscardedKind when call.Parent is ExpressionStatementSyntax or AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax }:
            {
                var statement = call.FirstAncestorOrSelf<ExpressionStatementSyntax>()!;
                if (statement.Parent is not BlockSyntax block || (cancelScope && !checkpoint))
                {
                    return null;
                }

                string name = FreeNames.Find(model, block, statement.SpanStart, "scope");
                LocalDeclarationStatementSyntax declaration = UsingVar(name, call).WithTriviaFrom(statement);
                return Rewrite(model, block, block.Statements.IndexOf(statement), declaration, name, claim ? owns : null, remove: null);
            }

            case InlineScopeDisposalAnalyzer.LocalKind when call.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
                && declarator.Parent is VariableDeclarationSyntax { Variables.Count: 1 } variables
                && variables.Parent is LocalDeclarationStatementSyntax { Parent: BlockSyntax block } statement:
            {
                string name = declarator.Identifier.ValueText;
                if ((cancelScope && !checkpoint) || IsWritten(block, name))
                {
                    return null;
                }

                LocalDeclarationStatementSyntax declaration = statement.WithoutLeadingTrivia()
                    .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space))
                    .WithLeadingTrivia(statement.GetLeadingTrivia());
                return Rewrite(model, block, block.Statements.IndexOf(statement), declaration, name, claim ? owns : null, remove: name);
            }

            case InlineScopeDisposalAnalyzer.UnclaimedKind when raises && !fails:
                return PlanClaim(call, model, owns);
            default:
                return null;
        }
    }

    private static FixPlan? PlanClaim(InvocationExpressionSyntax call, SemanticModel model, string owns)
    {
        switch (call.Parent)
        {
            // using var scope = X; ... : the rest of the block.
            case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
                when declarator.Parent?.Parent is LocalDeclarationStatementSyntax { Parent: BlockSyntax block } statement:
                return Rewrite(model, block, block.Statements.IndexOf(statement), statement, declarator.Identifier.ValueText, owns, remove: null);

            // using (var scope = X) body, and the anonymous using (X) body.
            case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
                when declarator.Parent?.Parent is UsingStatementSyntax @using:
                return WrapUsingBody(model, @using, @using, declarator.Identifier.ValueText, owns);
            case UsingStatementSyntax @using when @using.Expression == call:
            {
                string name = FreeNames.Find(model, @using, @using.SpanStart, "scope");
                UsingStatementSyntax named = @using
                    .WithExpression(null)
                    .WithDeclaration(SyntaxFactory.VariableDeclaration(
                        SyntaxFactory.IdentifierName("var"),
                        SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(name)).WithInitializer(SyntaxFactory.EqualsValueClause(call.WithoutTrivia())))));
                return WrapUsingBody(model, @using, named, name, owns);
            }

            default:
                return null;
        }
    }

    private static FixPlan? WrapUsingBody(SemanticModel model, UsingStatementSyntax original, UsingStatementSyntax @using, string scope, string owns)
    {
        SyntaxList<StatementSyntax> body = original.Statement is BlockSyntax block ? block.Statements : SyntaxFactory.SingletonList(original.Statement);
        if (!CanMoveIntoTry(body))
        {
            return null;
        }

        string exception = FreeNames.Find(model, original, original.Statement.SpanStart, "e");
        BlockSyntax wrapped = SyntaxFactory.Block(OwningTry(body, scope, owns, exception));
        return new FixPlan(original, @using.WithStatement(wrapped).WithAdditionalAnnotations(Formatter.Annotation));
    }

    // Replaces the statement at 'index' by 'declaration', drops 'using (remove)' and 'remove.Dispose();' later in the block,
    // and wraps the statements after it in an owning try when 'owns' is given.
    private static FixPlan? Rewrite(SemanticModel model, BlockSyntax block, int index, StatementSyntax declaration, string scope, string? owns, string? remove)
    {
        var rest = new List<StatementSyntax>();
        foreach (StatementSyntax statement in block.Statements.Skip(index + 1))
        {
            switch (statement)
            {
                case UsingStatementSyntax { Expression: IdentifierNameSyntax resource, Statement: var body } when resource.Identifier.ValueText == remove:
                    rest.AddRange(body is BlockSyntax inner ? inner.Statements : [body]);
                    break;
                case ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target, Name.Identifier.ValueText: "Dispose" }, ArgumentList.Arguments.Count: 0 } }
                    when target.Identifier.ValueText == remove:
                    break;
                default:
                    rest.Add(statement);
                    break;
            }
        }

        var statements = new List<StatementSyntax>(block.Statements.Take(index)) { declaration };
        if (owns is null)
        {
            statements.AddRange(rest);
        }
        else
        {
            if (!CanMoveIntoTry(rest))
            {
                return null;
            }

            statements.Add(OwningTry(rest, scope, owns, FreeNames.Find(model, block, block.Statements[index].SpanStart, "e")));
        }

        return new FixPlan(block, block.WithStatements(SyntaxFactory.List(statements)).WithAdditionalAnnotations(Formatter.Annotation));
    }

    private static TryStatementSyntax OwningTry(IEnumerable<StatementSyntax> statements, string scope, string owns, string exception)
        => SyntaxFactory.TryStatement(
            SyntaxFactory.Block(statements),
            SyntaxFactory.SingletonList(SyntaxFactory.CatchClause(
                SyntaxFactory.CatchDeclaration(
                    SyntaxFactory.ParseTypeName("global::System.OperationCanceledException").WithAdditionalAnnotations(Simplifier.Annotation),
                    SyntaxFactory.Identifier(exception)),
                SyntaxFactory.CatchFilterClause(SyntaxFactory.ParseExpression(scope + "." + owns + "(" + exception + ")")),
                SyntaxFactory.Block())),
            @finally: null)
            .WithAdditionalAnnotations(Formatter.Annotation);

    // Inside a try with a catch: no yield (CS1626); no 'return value' (the swallowing catch falls through); no goto,
    // label or local function whose scope would change.
    private static bool CanMoveIntoTry(IEnumerable<StatementSyntax> statements)
    {
        foreach (StatementSyntax statement in statements)
        {
            if (statement is LocalFunctionStatementSyntax or LabeledStatementSyntax)
            {
                return false;
            }

            foreach (SyntaxNode node in statement.DescendantNodesAndSelf(static n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax))
            {
                if (node is YieldStatementSyntax or GotoStatementSyntax or LabeledStatementSyntax or ReturnStatementSyntax { Expression: not null })
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static LocalDeclarationStatementSyntax UsingVar(string name, InvocationExpressionSyntax call)
        => SyntaxFactory.LocalDeclarationStatement(SyntaxFactory.VariableDeclaration(
                SyntaxFactory.IdentifierName("var"),
                SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(name)).WithInitializer(SyntaxFactory.EqualsValueClause(call.WithoutTrivia())))))
            .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword))
            .WithAdditionalAnnotations(Formatter.Annotation);

    // The [OwnershipFilter] method of the scope type (scope.Owns), found by role, never by name.
    private static string? OwnershipFilter(ITypeSymbol scopeType, ApiRoles roles)
    {
        for (ITypeSymbol? type = scopeType; type is not null; type = type.BaseType)
        {
            foreach (ISymbol member in type.GetMembers())
            {
                if (member is IMethodSymbol { Parameters.Length: 1, IsStatic: false } method && roles.Has(method, ApiRole.OwnershipFilter))
                {
                    return method.Name;
                }
            }
        }

        return null;
    }

    // A using local cannot be assigned or passed by reference (CS1656, CS1657).
    private static bool IsWritten(BlockSyntax block, string name)
    {
        foreach (IdentifierNameSyntax identifier in block.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (identifier.Identifier.ValueText == name
                && (identifier.Parent is AssignmentExpressionSyntax assignment && assignment.Left == identifier
                    || identifier.Parent is ArgumentSyntax { RefKindKeyword.RawKind: not 0 }))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record FixPlan(SyntaxNode Block, SyntaxNode Replacement);
}
