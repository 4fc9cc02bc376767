using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace EasyNetwork.Generator.Analysis;

/// <summary>What a member of the EN0009 list is, for the message and the code fix.</summary>
internal enum BlockingWaitKind
{
    /// <summary>Not on the list.</summary>
    None,

    /// <summary><c>Thread.Sleep</c>: the backend's <c>SleepAsync</c> replaces it.</summary>
    Sleep,

    /// <summary><c>Task.Wait</c>: awaiting the task replaces the parameterless overload.</summary>
    TaskWait,

    /// <summary><c>Task&lt;T&gt;.Result</c>, <c>ValueTask&lt;T&gt;.Result</c>: awaiting the task replaces it.</summary>
    Result,

    /// <summary><c>GetResult</c> of a task or value-task awaiter: awaiting the task replaces <c>GetAwaiter().GetResult()</c>.</summary>
    GetResult,

    /// <summary><c>GetAwaiter</c> of a task type: not a wait itself, it tells a <see cref="GetResult"/> call on a task from one on another awaiter.</summary>
    GetAwaiter,

    /// <summary><c>SemaphoreSlim.Wait</c>: <c>WaitAsync(token)</c> replaces the parameterless overload.</summary>
    SemaphoreWait,

    /// <summary>Any other blocking wait (<c>WaitAll</c>, <c>WaitOne</c>, <c>Monitor.Wait</c>, ...): no mechanical replacement.</summary>
    Other,
}

/// <summary>
/// The EN0009 list (ANALYZERS §3.1): the base class library members that block their thread until something else happens,
/// resolved to symbols once per compilation. Lookups go by <see cref="ISymbol.OriginalDefinition"/>, so every construction of
/// a generic member matches; an override of a listed virtual member (<c>WaitHandle.WaitOne</c>) matches too.
/// </summary>
internal sealed class BlockingWaits
{
    private readonly ImmutableDictionary<ISymbol, BlockingWaitKind> _members;

    private BlockingWaits(ImmutableDictionary<ISymbol, BlockingWaitKind> members) => _members = members;

    /// <summary>Gets whether none of the listed types exists in the compilation.</summary>
    public bool IsEmpty => _members.IsEmpty;

    /// <summary>Resolves the list in <paramref name="compilation"/>; types it does not define are skipped.</summary>
    /// <param name="compilation">The compilation.</param>
    /// <returns>The list.</returns>
    public static BlockingWaits Create(Compilation compilation)
    {
        var members = ImmutableDictionary.CreateBuilder<ISymbol, BlockingWaitKind>(SymbolEqualityComparer.Default);
        void Add(string typeName, BlockingWaitKind kind, params string[] memberNames)
        {
            if (KnownSymbols.GetBestTypeByMetadataName(compilation, typeName) is not { } type)
            {
                return;
            }

            foreach (string name in memberNames)
            {
                foreach (ISymbol member in type.GetMembers(name))
                {
                    if (member is IMethodSymbol or IPropertySymbol)
                    {
                        members[member.OriginalDefinition] = kind;
                    }
                }
            }
        }

        Add("System.Threading.Thread", BlockingWaitKind.Sleep, "Sleep");
        Add("System.Threading.Tasks.Task", BlockingWaitKind.TaskWait, "Wait");
        Add("System.Threading.Tasks.Task", BlockingWaitKind.Other, "WaitAll", "WaitAny");
        Add("System.Threading.Tasks.Task`1", BlockingWaitKind.Result, "Result");
        Add("System.Threading.Tasks.ValueTask`1", BlockingWaitKind.Result, "Result");
        foreach (string awaitable in TaskTypesAndConfiguredAwaitables)
        {
            Add(awaitable, BlockingWaitKind.GetAwaiter, "GetAwaiter");
        }

        foreach (string awaiter in Awaiters)
        {
            Add(awaiter, BlockingWaitKind.GetResult, "GetResult");
        }

        Add("System.Threading.SemaphoreSlim", BlockingWaitKind.SemaphoreWait, "Wait");
        Add("System.Threading.ManualResetEventSlim", BlockingWaitKind.Other, "Wait");
        Add("System.Threading.WaitHandle", BlockingWaitKind.Other, "WaitOne", "WaitAll", "WaitAny");
        Add("System.Threading.Monitor", BlockingWaitKind.Other, "Wait");
        Add("System.Collections.Concurrent.BlockingCollection`1", BlockingWaitKind.Other, "Take");
        Add("System.Threading.Barrier", BlockingWaitKind.Other, "SignalAndWait");
        Add("System.Threading.CountdownEvent", BlockingWaitKind.Other, "Wait");
        return new BlockingWaits(members.ToImmutable());
    }

    /// <summary>Gets the kind of <paramref name="member"/>, or <see cref="BlockingWaitKind.None"/> when it is not listed.</summary>
    /// <param name="member">A method or property, any construction of it.</param>
    /// <returns>Its kind.</returns>
    public BlockingWaitKind Get(ISymbol member)
    {
        // Overrides of a listed virtual member block the same way (a WaitHandle subclass's WaitOne).
        for (ISymbol? current = member.OriginalDefinition; current is not null; current = (current as IMethodSymbol)?.OverriddenMethod?.OriginalDefinition)
        {
            if (_members.TryGetValue(current, out BlockingWaitKind kind))
            {
                return kind;
            }
        }

        return BlockingWaitKind.None;
    }

    private static IEnumerable<string> TaskTypesAndConfiguredAwaitables =>
    [
        "System.Threading.Tasks.Task",
        "System.Threading.Tasks.Task`1",
        "System.Threading.Tasks.ValueTask",
        "System.Threading.Tasks.ValueTask`1",
        "System.Runtime.CompilerServices.ConfiguredTaskAwaitable",
        "System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1",
        "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable",
        "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1",
    ];

    private static IEnumerable<string> Awaiters =>
    [
        "System.Runtime.CompilerServices.TaskAwaiter",
        "System.Runtime.CompilerServices.TaskAwaiter`1",
        "System.Runtime.CompilerServices.ValueTaskAwaiter",
        "System.Runtime.CompilerServices.ValueTaskAwaiter`1",
        "System.Runtime.CompilerServices.ConfiguredTaskAwaitable+ConfiguredTaskAwaiter",
        "System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1+ConfiguredTaskAwaiter",
        "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable+ConfiguredValueTaskAwaiter",
        "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1+ConfiguredValueTaskAwaiter",
    ];
}
