using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analysis;

/// <summary>Lambda, anonymous-method and local-function boundaries: code inside them runs at another time than the code around them.</summary>
internal static class FunctionBoundaries
{
    /// <summary>Gets whether a lambda, anonymous method or local function lies between <paramref name="operation"/> and <paramref name="root"/>.</summary>
    /// <param name="operation">An operation inside <paramref name="root"/>.</param>
    /// <param name="root">The enclosing operation (a handler, a try body).</param>
    /// <returns>Whether the operation is in a nested function.</returns>
    public static bool IsInNestedFunction(IOperation operation, IOperation root)
    {
        for (IOperation? parent = operation.Parent; parent is not null && parent != root; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets the method, lambda, anonymous method or local function whose body runs <paramref name="operation"/>.</summary>
    /// <param name="operation">An operation.</param>
    /// <param name="containingSymbol">The analysis context's containing symbol, used outside lambdas and local functions.</param>
    /// <returns>The function, or null outside a method.</returns>
    public static IMethodSymbol? EnclosingFunction(IOperation operation, ISymbol containingSymbol)
    {
        for (IOperation? parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol;
                case ILocalFunctionOperation local:
                    return local.Symbol;
            }
        }

        return containingSymbol as IMethodSymbol;
    }
}
