using System.Linq;
using System.Threading;
using EasyNetwork.Generator.Analysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.CodeFixes;

/// <summary>
/// The token expression a fix inserts at a site: the innermost scope body's token parameter (or its scope's
/// <c>Token</c>), else <c>&lt;backend&gt;.CurrentCancellationToken</c> on the receiver in scope (ANALYZERS §3.1 EN0002).
/// </summary>
internal static class AmbientTokenSpelling
{
    private const string AmbientTokenName = "CurrentCancellationToken";

    /// <summary>Returns the token to insert at <paramref name="site"/>, or null when none would bind there.</summary>
    /// <param name="site">The node the token is inserted at (or in front of).</param>
    /// <param name="model">The semantic model of its tree.</param>
    /// <param name="known">The compilation's known symbols.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>The expression text, or null.</returns>
    public static string? For(SyntaxNode site, SemanticModel model, KnownSymbols known, CancellationToken cancellationToken)
    {
        var roles = new ApiRoles(known);
        var backendCode = new BackendCode(known, roles);
        for (SyntaxNode? current = site; current is not null; current = current.Parent)
        {
            if (current is LocalFunctionStatementSyntax)
            {
                break;
            }

            if (current is AnonymousFunctionExpressionSyntax lambdaSyntax
                && model.GetOperation(lambdaSyntax, cancellationToken) is IAnonymousFunctionOperation lambda
                && backendCode.IsScopeOrTaskBody(lambda, out IInvocationOperation? factory)
                && factory is not null
                && (roles.Get(factory.TargetMethod) & (ApiRole.CancelScopeFactory | ApiRole.ShieldFactory | ApiRole.TaskGroupFactory)) != 0)
            {
                foreach (IParameterSymbol parameter in lambda.Symbol.Parameters)
                {
                    if (parameter.Name is "_" || parameter.Name.Length == 0)
                    {
                        continue;
                    }

                    if (IsToken(parameter.Type, known))
                    {
                        return parameter.Name;
                    }

                    if (parameter.Type.GetMembers("Token").OfType<IPropertySymbol>().Any(p => IsToken(p.Type, known)))
                    {
                        return parameter.Name + ".Token";
                    }
                }

                break;
            }
        }

        if (KnownSymbols.GetBestTypeByMetadataName(model.Compilation, KnownTypeNames.IAsyncBackend) is not { } facade
            || BackendReceiver.Find(model, site.SpanStart, facade, cancellationToken) is not { } receiver
            || CapturedByStaticFunction(site, receiver))
        {
            return null;
        }

        return receiver.Name + "." + AmbientTokenName;
    }

    /// <summary>Whether <paramref name="receiver"/> is read at <paramref name="site"/> from inside a static lambda or local function that does not declare it.</summary>
    /// <param name="site">Where it would be read.</param>
    /// <param name="receiver">A parameter, local or member.</param>
    /// <returns>True when the read would not compile.</returns>
    public static bool CapturedByStaticFunction(SyntaxNode site, ISymbol receiver)
    {
        for (SyntaxNode? current = site; current is not null; current = current.Parent)
        {
            SyntaxTokenList modifiers = current switch
            {
                AnonymousFunctionExpressionSyntax function => function.Modifiers,
                LocalFunctionStatementSyntax function => function.Modifiers,
                _ => default,
            };
            if (!modifiers.Any(SyntaxKind.StaticKeyword))
            {
                continue;
            }

            if (receiver is IFieldSymbol { IsStatic: true } or IPropertySymbol { IsStatic: true })
            {
                return false;
            }

            return !receiver.Locations.Any(l => current.Span.Contains(l.SourceSpan));
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is <see cref="CancellationToken"/>.</summary>
    /// <param name="type">A type, or null.</param>
    /// <param name="known">The compilation's known symbols.</param>
    /// <returns>True for the token type.</returns>
    public static bool IsToken(ITypeSymbol? type, KnownSymbols known) => SymbolEqualityComparer.Default.Equals(type, known.CancellationToken);
}
