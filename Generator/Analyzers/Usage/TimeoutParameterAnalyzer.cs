using System.Collections.Immutable;
using System.Linq;
using EasyNetwork.Generator.Analysis;
using EasyNetwork.Generator.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analyzers.Usage;

/// <summary>
/// EN0015: reports, in backend code (ANALYZERS §2.6), a parameter of an awaitable-returning method that is a
/// <c>TimeSpan</c>, <c>TimeSpan?</c>, <c>int</c>, <c>long</c> or <c>double</c> named like a timeout
/// (<c>en_analyzers.en0015.parameter_names</c>). Methods with a body are checked from their operation block, where the
/// body says whether they are backend code; abstract and interface methods from a symbol action (backend code only when
/// annotated, or under <c>all</c>). Overrides, interface implementations, scope and shield factories, facade members
/// written in <c>[AsyncBackend]</c> classes, <c>extern</c> and <c>[Obsolete]</c> methods and <c>params</c> parameters are exempt.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TimeoutParameterAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.TimeoutParameter);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (KnownSymbols.TryCreate(start.Compilation) is not { } known)
            {
                return;
            }

            var roles = new ApiRoles(known);
            var backendCode = new BackendCode(known, roles);
            var options = new AnalyzerOptionsReader(start.Options.AnalyzerConfigOptionsProvider);
            var exemptions = new Exemptions(
                known,
                roles,
                KnownSymbols.GetBestTypeByMetadataName(start.Compilation, "System.ObsoleteAttribute"),
                KnownSymbols.GetBestTypeByMetadataName(start.Compilation, KnownTypeNames.AsyncBackendAttribute),
                KnownSymbols.GetBestTypeByMetadataName(start.Compilation, KnownTypeNames.IAsyncBackend),
                KnownSymbols.GetBestTypeByMetadataName(start.Compilation, "System.TimeSpan"));

            start.RegisterOperationBlockAction(context =>
            {
                if (context.OwningSymbol is not IMethodSymbol method || exemptions.TimeoutParameters(method).IsEmpty)
                {
                    return;
                }

                foreach (IOperation block in context.OperationBlocks)
                {
                    if (block is IMethodBodyOperation or IBlockOperation)
                    {
                        if (backendCode.IsBackendCode(block, method, options.Get(block.Syntax.SyntaxTree).BackendCode))
                        {
                            Report(context.ReportDiagnostic, method, exemptions, options);
                        }

                        return;
                    }
                }
            });
            start.RegisterSymbolAction(
                context =>
                {
                    var method = (IMethodSymbol)context.Symbol;
                    if (method.IsAbstract
                        && method.Locations.FirstOrDefault() is { IsInSource: true, SourceTree: { } tree }
                        && !exemptions.TimeoutParameters(method).IsEmpty
                        && backendCode.IsBackendDeclaration(method, options.Get(tree).BackendCode))
                    {
                        Report(context.ReportDiagnostic, method, exemptions, options);
                    }
                },
                SymbolKind.Method);
        });
    }

    private static void Report(System.Action<Diagnostic> report, IMethodSymbol method, Exemptions exemptions, AnalyzerOptionsReader options)
    {
        foreach (IParameterSymbol parameter in exemptions.TimeoutParameters(method))
        {
            if (parameter.Locations.FirstOrDefault() is not { IsInSource: true, SourceTree: { } tree } location
                || !UsageOptions.MatchesAny(parameter.Name, options.Get(tree).TimeoutParameterNames))
            {
                continue;
            }

            report(Diagnostic.Create(DiagnosticDescriptors.TimeoutParameter, location, method.Name, parameter.Name));
        }
    }

    /// <summary>The method-level exemptions and the parameter types the rule looks at, resolved once per compilation.</summary>
    private sealed class Exemptions(KnownSymbols known, ApiRoles roles, INamedTypeSymbol? obsolete, INamedTypeSymbol? asyncBackend, INamedTypeSymbol? facade, INamedTypeSymbol? timeSpan)
    {
        /// <summary>Gets the parameters of a non-exempt, awaitable-returning method whose type a timeout can have (names not checked yet).</summary>
        public ImmutableArray<IParameterSymbol> TimeoutParameters(IMethodSymbol method)
        {
            if (method.MethodKind != MethodKind.Ordinary || method.IsOverride || method.IsExtern || method.Parameters.IsEmpty || !ReturnsAwaitable(method))
            {
                return ImmutableArray<IParameterSymbol>.Empty;
            }

            ImmutableArray<IParameterSymbol>.Builder? found = null;
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                if (!parameter.IsParams && IsTimeoutType(parameter.Type))
                {
                    (found ??= ImmutableArray.CreateBuilder<IParameterSymbol>()).Add(parameter);
                }
            }

            return found is null || IsExempt(method) ? ImmutableArray<IParameterSymbol>.Empty : found.ToImmutable();
        }

        private bool IsTimeoutType(ITypeSymbol type)
        {
            if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T, TypeArguments.Length: 1 } nullable)
            {
                return SymbolEqualityComparer.Default.Equals(nullable.TypeArguments[0], timeSpan);
            }

            return type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Double
                || SymbolEqualityComparer.Default.Equals(type, timeSpan);
        }

        private bool ReturnsAwaitable(IMethodSymbol method)
        {
            if (AwaitedOperations.IsTaskType(method.ReturnType, known))
            {
                return true;
            }

            foreach (ISymbol member in method.ReturnType.GetMembers("GetAwaiter"))
            {
                if (member is IMethodSymbol { IsStatic: false, Parameters.IsEmpty: true, ReturnsVoid: false })
                {
                    return true;
                }
            }

            return false;
        }

        private bool IsExempt(IMethodSymbol method)
        {
            if ((roles.Get(method) & (ApiRole.CancelScopeFactory | ApiRole.ShieldFactory)) != 0 || !method.ExplicitInterfaceImplementations.IsEmpty)
            {
                return true;
            }

            foreach (AttributeData attribute in method.GetAttributes())
            {
                if (obsolete is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, obsolete))
                {
                    return true;
                }
            }

            INamedTypeSymbol? type = method.ContainingType;
            if (type is null || method.IsStatic)
            {
                return false;
            }

            // A facade member written in a backend class: the generated part adds the interface, so the compiler may not see the implementation yet.
            if (facade is not null && !facade.GetMembers(method.Name).IsEmpty && HasAttribute(type, asyncBackend))
            {
                return true;
            }

            foreach (INamedTypeSymbol @interface in type.AllInterfaces)
            {
                foreach (ISymbol candidate in @interface.GetMembers(method.Name))
                {
                    if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(candidate), method))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeType)
        {
            if (attributeType is null)
            {
                return false;
            }

            foreach (AttributeData attribute in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
