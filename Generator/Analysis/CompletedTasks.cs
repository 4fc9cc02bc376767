using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analysis;

/// <summary>
/// For EN0009: whether a task whose result is read is known to be complete at that point, so reading it does not block.
/// Known complete: the task (a local, parameter or field) was awaited earlier in the same function, directly or as an
/// argument of an awaited <c>Task.WhenAll</c>; or the read is guarded by a test of its <c>IsCompleted</c> or
/// <c>IsCompletedSuccessfully</c> (<c>if</c>, <c>?:</c> or <c>&amp;&amp;</c>).
/// </summary>
internal static class CompletedTasks
{
    /// <summary>Gets whether the task <paramref name="task"/> (the receiver of <c>.Result</c> or <c>GetAwaiter()</c>) is known complete at <paramref name="read"/>.</summary>
    /// <param name="task">The task expression.</param>
    /// <param name="read">The <c>.Result</c> or <c>GetResult()</c> operation.</param>
    /// <param name="known">The known symbols.</param>
    /// <param name="cancellationToken">The cancellation token.</param>
    /// <returns>Whether reading the result cannot block.</returns>
    public static bool IsKnownComplete(IOperation task, IOperation read, KnownSymbols known, CancellationToken cancellationToken)
    {
        if (Referenced(AwaitedOperations.Unwrap(task, known)) is not { } symbol)
        {
            return false;
        }

        return IsGuarded(symbol, read) || WasAwaitedBefore(symbol, read, known, cancellationToken);
    }

    // The walk up stops at the function: a guard outside a lambda says nothing about when the lambda runs.
    private static bool IsGuarded(ISymbol symbol, IOperation read)
    {
        IOperation child = read;
        for (IOperation? parent = read.Parent; parent is not null and not (IAnonymousFunctionOperation or ILocalFunctionOperation); child = parent, parent = parent.Parent)
        {
            bool guarded = parent switch
            {
                IConditionalOperation conditional => child == conditional.WhenTrue && TestsCompletion(conditional.Condition, symbol),
                IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and => child == and.RightOperand && TestsCompletion(and.LeftOperand, symbol),
                _ => false,
            };
            if (guarded)
            {
                return true;
            }
        }

        return false;
    }

    // `t.IsCompleted`, `t.IsCompletedSuccessfully`, or either joined with && to other tests.
    private static bool TestsCompletion(IOperation condition, ISymbol symbol) => condition switch
    {
        IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and => TestsCompletion(and.LeftOperand, symbol) || TestsCompletion(and.RightOperand, symbol),
        IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully", Instance: { } instance } => SymbolEqualityComparer.Default.Equals(Referenced(instance), symbol),
        _ => false,
    };

    // An await before the read, in the same function, of the task itself or of a WhenAll that it is an argument of.
    private static bool WasAwaitedBefore(ISymbol symbol, IOperation read, KnownSymbols known, CancellationToken cancellationToken)
    {
        IOperation function = read;
        while (function.Parent is { } parent && function is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
        {
            function = parent;
        }

        int position = read.Syntax.SpanStart;
        foreach (IOperation descendant in function.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (descendant is not IAwaitOperation @await || @await.Syntax.SpanStart >= position)
            {
                continue;
            }

            IOperation awaited = AwaitedOperations.Unwrap(@await.Operation, known);
            if (SymbolEqualityComparer.Default.Equals(Referenced(awaited), symbol))
            {
                return true;
            }

            if (awaited is IInvocationOperation { TargetMethod: { IsStatic: true, Name: "WhenAll" } whenAll } call
                && SymbolEqualityComparer.Default.Equals(whenAll.ContainingType, known.Task)
                && MentionsInArguments(call, symbol))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MentionsInArguments(IInvocationOperation call, ISymbol symbol)
    {
        foreach (IArgumentOperation argument in call.Arguments)
        {
            foreach (IOperation value in argument.DescendantsAndSelf())
            {
                if (SymbolEqualityComparer.Default.Equals(Referenced(value), symbol))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static ISymbol? Referenced(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field => field.Field,
            _ => null,
        };
    }
}
