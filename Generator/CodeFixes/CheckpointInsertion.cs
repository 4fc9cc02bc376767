using System.Threading;
using EasyNetwork.Generator.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>
/// The statement the EN0012 and EN0014 fixes insert, <c>await &lt;backend&gt;.YieldAsync();</c>, and where it may go: an
/// async function, outside cleanup code (an await there would be EN0001's), with a facade-typed receiver it can reach.
/// </summary>
internal static class CheckpointInsertion
{
    private const string YieldAsync = "YieldAsync";

    /// <summary>Builds the checkpoint statement to insert at <paramref name="position"/>, or returns null when none can be.</summary>
    /// <param name="model">The semantic model.</param>
    /// <param name="position">A position inside the block that receives the statement.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>The statement, annotated for formatting; null outside an async function, in cleanup code, or without a receiver.</returns>
    public static StatementSyntax? Create(SemanticModel model, int position, CancellationToken cancellationToken)
    {
        if (model.GetEnclosingSymbol(position, cancellationToken) is not IMethodSymbol { IsAsync: true } function
            || IsInCleanupCode(model.SyntaxTree.GetRoot(cancellationToken).FindToken(position).Parent)
            || KnownSymbols.GetBestTypeByMetadataName(model.Compilation, KnownTypeNames.IAsyncBackend) is not { } facade
            || facade.GetMembers(YieldAsync).IsEmpty
            || Receiver(model, position, function, facade, cancellationToken) is not { } receiver)
        {
            return null;
        }

        return SyntaxFactory.ParseStatement("await " + receiver + "." + YieldAsync + "();")
            .WithLeadingTrivia(SyntaxFactory.ElasticMarker)
            .WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed)
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    // The innermost function's own facade parameters first (a static scope body sees only those), then what BackendReceiver finds.
    private static string? Receiver(SemanticModel model, int position, IMethodSymbol function, INamedTypeSymbol facade, CancellationToken cancellationToken)
    {
        for (IMethodSymbol? current = function; current is not null; current = current.ContainingSymbol as IMethodSymbol)
        {
            foreach (IParameterSymbol parameter in current.Parameters)
            {
                if (IsFacade(parameter.Type, facade))
                {
                    return parameter.Name;
                }
            }

            if (current.IsStatic && current.MethodKind is MethodKind.AnonymousFunction or MethodKind.LocalFunction)
            {
                return null;
            }
        }

        ISymbol? found = BackendReceiver.Find(model, position, facade, cancellationToken);
        return found is null || !CanCapture(found, function) ? null : found.Name;
    }

    // A local or parameter of an outer function cannot be read across a static lambda or local function.
    private static bool CanCapture(ISymbol receiver, IMethodSymbol function)
    {
        if (receiver is not (ILocalSymbol or IParameterSymbol))
        {
            return true;
        }

        for (ISymbol? current = function; current is IMethodSymbol method; current = method.ContainingSymbol)
        {
            if (SymbolEqualityComparer.Default.Equals(receiver.ContainingSymbol, method))
            {
                return true;
            }

            if (method.IsStatic && method.MethodKind is MethodKind.AnonymousFunction or MethodKind.LocalFunction)
            {
                return false;
            }
        }

        return false;
    }

    private static bool IsFacade(ITypeSymbol type, INamedTypeSymbol facade)
    {
        if (SymbolEqualityComparer.Default.Equals(type, facade))
        {
            return true;
        }

        foreach (INamedTypeSymbol @interface in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(@interface, facade))
            {
                return true;
            }
        }

        return false;
    }

    // A finally block or a catch clause, without crossing a lambda or local function.
    private static bool IsInCleanupCode(SyntaxNode? node)
    {
        for (; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case FinallyClauseSyntax or CatchClauseSyntax:
                    return true;
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }
}
