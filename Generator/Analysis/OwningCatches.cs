using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EasyNetwork.Generator.Analysis;

/// <summary>The sanctioned inline shape: <c>catch (OperationCanceledException e) when (scope.Owns(e))</c>, which claims a scope's own cancellation.</summary>
internal static class OwningCatches
{
    /// <summary>Gets whether a catch clause of <paramref name="try"/> can catch cancellation and is filtered by an <c>[OwnershipFilter]</c> call on <paramref name="scope"/>.</summary>
    /// <param name="try">The try statement.</param>
    /// <param name="scope">The scope's local.</param>
    /// <param name="roles">The role cache.</param>
    /// <param name="known">The known symbols.</param>
    /// <returns>Whether the try claims the scope's cancellation from its body.</returns>
    public static bool Claims(ITryOperation @try, ILocalSymbol scope, ApiRoles roles, KnownSymbols known)
    {
        foreach (ICatchClauseOperation @catch in @try.Catches)
        {
            if (@catch.Filter is not { } filter || !CleanupRegions.CanCatchCancellation(@catch, known, catchExceptionIsCleanup: true))
            {
                continue;
            }

            foreach (IOperation operation in filter.DescendantsAndSelf())
            {
                if (operation is IInvocationOperation { Instance: ILocalReferenceOperation local } call
                    && SymbolEqualityComparer.Default.Equals(local.Local, scope)
                    && roles.Has(call.TargetMethod, ApiRole.OwnershipFilter))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Gets whether <paramref name="operation"/> lies in the body of a try that claims <paramref name="scope"/>'s cancellation, below <paramref name="root"/>.</summary>
    /// <param name="operation">The operation (a return).</param>
    /// <param name="root">Where the walk stops (the scope's using).</param>
    /// <param name="scope">The scope's local.</param>
    /// <param name="roles">The role cache.</param>
    /// <param name="known">The known symbols.</param>
    /// <returns>Whether an owning catch covers it.</returns>
    public static bool Covers(IOperation operation, IOperation root, ILocalSymbol scope, ApiRoles roles, KnownSymbols known)
    {
        IOperation child = operation;
        for (IOperation? parent = operation.Parent; parent is not null && child != root; child = parent, parent = parent.Parent)
        {
            if (parent is ITryOperation @try && child == @try.Body && Claims(@try, scope, roles, known))
            {
                return true;
            }
        }

        return false;
    }
}
