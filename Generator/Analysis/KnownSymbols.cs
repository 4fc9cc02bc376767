using System;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace EasyNetwork.Generator.Analysis;

/// <summary>
/// The marker attributes and base class library types the usage analyzers need, resolved once per compilation.
/// </summary>
internal sealed class KnownSymbols
{
    private readonly Lazy<BlockingWaits> _blockingWaits;

    private KnownSymbols(Compilation compilation, INamedTypeSymbol cleanupSafe, INamedTypeSymbol shieldFactory)
    {
        CleanupSafeAttribute = cleanupSafe;
        ShieldFactoryAttribute = shieldFactory;
        CancelScopeFactoryAttribute = GetBestTypeByMetadataName(compilation, KnownTypeNames.CancelScopeFactoryAttribute);
        ShieldFlagAttribute = GetBestTypeByMetadataName(compilation, KnownTypeNames.ShieldFlagAttribute);
        ScopeBodyAttribute = GetBestTypeByMetadataName(compilation, KnownTypeNames.ScopeBodyAttribute);
        AmbientTokenAttribute = GetBestTypeByMetadataName(compilation, KnownTypeNames.AmbientTokenAttribute);
        TaskGroupFactoryAttribute = GetBestTypeByMetadataName(compilation, KnownTypeNames.TaskGroupFactoryAttribute);
        TaskStarterAttribute = GetBestTypeByMetadataName(compilation, KnownTypeNames.TaskStarterAttribute);
        OwnershipFilterAttribute = GetBestTypeByMetadataName(compilation, KnownTypeNames.OwnershipFilterAttribute);
        CheckpointAttribute = GetBestTypeByMetadataName(compilation, KnownTypeNames.CheckpointAttribute);
        StructuredConcurrencyAttribute = GetBestTypeByMetadataName(compilation, KnownTypeNames.StructuredConcurrencyAttribute);
        StartableAttribute = GetBestTypeByMetadataName(compilation, KnownTypeNames.StartableAttribute);
        StartedSignalAttribute = GetBestTypeByMetadataName(compilation, KnownTypeNames.StartedSignalAttribute);
        IAsyncEnumerableOfT = GetBestTypeByMetadataName(compilation, "System.Collections.Generic.IAsyncEnumerable`1");
        Object = compilation.GetSpecialType(SpecialType.System_Object);
        Exception = GetBestTypeByMetadataName(compilation, "System.Exception");
        OperationCanceledException = GetBestTypeByMetadataName(compilation, "System.OperationCanceledException");
        Task = GetBestTypeByMetadataName(compilation, "System.Threading.Tasks.Task");
        TaskOfT = GetBestTypeByMetadataName(compilation, "System.Threading.Tasks.Task`1");
        ValueTask = GetBestTypeByMetadataName(compilation, "System.Threading.Tasks.ValueTask");
        ValueTaskOfT = GetBestTypeByMetadataName(compilation, "System.Threading.Tasks.ValueTask`1");
        IAsyncDisposable = GetBestTypeByMetadataName(compilation, "System.IAsyncDisposable");
        CancellationToken = GetBestTypeByMetadataName(compilation, "System.Threading.CancellationToken");
        TaskFactory = GetBestTypeByMetadataName(compilation, "System.Threading.Tasks.TaskFactory");
        TaskFactoryOfT = GetBestTypeByMetadataName(compilation, "System.Threading.Tasks.TaskFactory`1");
        ThreadPool = GetBestTypeByMetadataName(compilation, "System.Threading.ThreadPool");
        EventArgs = GetBestTypeByMetadataName(compilation, "System.EventArgs");
        CancelScope = GetBestTypeByMetadataName(compilation, KnownTypeNames.CancelScope);
        _blockingWaits = new Lazy<BlockingWaits>(() => BlockingWaits.Create(compilation), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Gets <c>[CleanupSafe]</c>.</summary>
    public INamedTypeSymbol CleanupSafeAttribute { get; }

    /// <summary>Gets <c>[ShieldFactory]</c>.</summary>
    public INamedTypeSymbol ShieldFactoryAttribute { get; }

    /// <summary>Gets <c>[CancelScopeFactory]</c>, if present.</summary>
    public INamedTypeSymbol? CancelScopeFactoryAttribute { get; }

    /// <summary>Gets <c>[ShieldFlag]</c>, if present.</summary>
    public INamedTypeSymbol? ShieldFlagAttribute { get; }

    /// <summary>Gets <c>[ScopeBody]</c>, if present.</summary>
    public INamedTypeSymbol? ScopeBodyAttribute { get; }

    /// <summary>Gets <c>[AmbientToken]</c>, if present.</summary>
    public INamedTypeSymbol? AmbientTokenAttribute { get; }

    /// <summary>Gets <c>[TaskGroupFactory]</c>, if present.</summary>
    public INamedTypeSymbol? TaskGroupFactoryAttribute { get; }

    /// <summary>Gets <c>[TaskStarter]</c>, if present.</summary>
    public INamedTypeSymbol? TaskStarterAttribute { get; }

    /// <summary>Gets <c>[OwnershipFilter]</c>, if present.</summary>
    public INamedTypeSymbol? OwnershipFilterAttribute { get; }

    /// <summary>Gets <c>[Checkpoint]</c>, if present.</summary>
    public INamedTypeSymbol? CheckpointAttribute { get; }

    /// <summary>Gets <c>[StructuredConcurrency]</c>, if present.</summary>
    public INamedTypeSymbol? StructuredConcurrencyAttribute { get; }

    /// <summary>Gets <c>[Startable]</c>, if present.</summary>
    public INamedTypeSymbol? StartableAttribute { get; }

    /// <summary>Gets <c>[StartedSignal]</c>, if present.</summary>
    public INamedTypeSymbol? StartedSignalAttribute { get; }

    /// <summary>Gets <c>System.Collections.Generic.IAsyncEnumerable&lt;T&gt;</c>.</summary>
    public INamedTypeSymbol? IAsyncEnumerableOfT { get; }

    /// <summary>Gets <see cref="object"/> (the exception type of a bare <c>catch</c>).</summary>
    public INamedTypeSymbol Object { get; }

    /// <summary>Gets <c>System.Exception</c>.</summary>
    public INamedTypeSymbol? Exception { get; }

    /// <summary>Gets <c>System.OperationCanceledException</c>.</summary>
    public INamedTypeSymbol? OperationCanceledException { get; }

    /// <summary>Gets <c>System.Threading.Tasks.Task</c>.</summary>
    public INamedTypeSymbol? Task { get; }

    /// <summary>Gets <c>System.Threading.Tasks.Task&lt;TResult&gt;</c>.</summary>
    public INamedTypeSymbol? TaskOfT { get; }

    /// <summary>Gets <c>System.Threading.Tasks.ValueTask</c>.</summary>
    public INamedTypeSymbol? ValueTask { get; }

    /// <summary>Gets <c>System.Threading.Tasks.ValueTask&lt;TResult&gt;</c>.</summary>
    public INamedTypeSymbol? ValueTaskOfT { get; }

    /// <summary>Gets <c>System.IAsyncDisposable</c>.</summary>
    public INamedTypeSymbol? IAsyncDisposable { get; }

    /// <summary>Gets <c>System.Threading.CancellationToken</c>.</summary>
    public INamedTypeSymbol? CancellationToken { get; }

    /// <summary>Gets <c>System.Threading.Tasks.TaskFactory</c> (<c>Task.Factory.StartNew</c>).</summary>
    public INamedTypeSymbol? TaskFactory { get; }

    /// <summary>Gets <c>System.Threading.Tasks.TaskFactory&lt;TResult&gt;</c>.</summary>
    public INamedTypeSymbol? TaskFactoryOfT { get; }

    /// <summary>Gets <c>System.Threading.ThreadPool</c>.</summary>
    public INamedTypeSymbol? ThreadPool { get; }

    /// <summary>Gets <c>System.EventArgs</c> (the second parameter of an event handler).</summary>
    public INamedTypeSymbol? EventArgs { get; }

    /// <summary>Gets <c>EasyNetwork.CancelScope</c> (its <c>Token</c> observes the scope), if present.</summary>
    public INamedTypeSymbol? CancelScope { get; }

    /// <summary>Gets the EN0009 list of blocking waits, resolved on first use (only EN0009 and its fix need it).</summary>
    public BlockingWaits BlockingWaits => _blockingWaits.Value;

    /// <summary>Resolves the symbols, or returns null when the Abstractions marker attributes are absent.</summary>
    /// <param name="compilation">The compilation.</param>
    /// <returns>The symbols, or null: the usage analyzers then register nothing.</returns>
    public static KnownSymbols? TryCreate(Compilation compilation)
    {
        if (GetBestTypeByMetadataName(compilation, KnownTypeNames.CleanupSafeAttribute) is not { } cleanupSafe
            || GetBestTypeByMetadataName(compilation, KnownTypeNames.ShieldFactoryAttribute) is not { } shieldFactory)
        {
            return null;
        }

        return new KnownSymbols(compilation, cleanupSafe, shieldFactory);
    }

    /// <summary>
    /// Finds a type by metadata name even when several references define it: the compilation's own type first, then the
    /// only one accessible from the compilation (null when none or several are).
    /// </summary>
    /// <param name="compilation">The compilation.</param>
    /// <param name="metadataName">The metadata name.</param>
    /// <returns>The type, or null.</returns>
    public static INamedTypeSymbol? GetBestTypeByMetadataName(Compilation compilation, string metadataName)
    {
        INamedTypeSymbol? best = null;
        foreach (INamedTypeSymbol type in compilation.GetTypesByMetadataName(metadataName))
        {
            if (SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, compilation.Assembly))
            {
                return type;
            }

            if (!compilation.IsSymbolAccessibleWithin(type, compilation.Assembly))
            {
                continue;
            }

            if (best is not null)
            {
                return null;
            }

            best = type;
        }

        return best;
    }
}
