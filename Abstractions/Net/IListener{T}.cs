using System;
using System.Net;
using System.Threading.Tasks;

namespace EasyNetwork;

/// <summary>A listening socket that accepts connections and hands each to a handler task.</summary>
/// <typeparam name="T">The transport type of accepted connections.</typeparam>
public interface IListener<out T> : IAsyncDisposable
{
    /// <summary>Gets the backend the listener belongs to.</summary>
    IAsyncBackend Backend { get; }

    /// <summary>Gets whether closing has started.</summary>
    bool IsClosing { get; }

    /// <summary>Gets the bound address (with the ephemeral port chosen by the OS for port 0).</summary>
    EndPoint LocalEndPoint { get; }

    /// <summary>
    /// Accepts connections forever, running <paramref name="handler"/> for each as a child of <paramref name="taskGroup"/>
    /// (or of an internal group cancelled with this call). Survives capacity errors (back-off of 100 ms) and ignorable
    /// accept errors. Never completes normally.
    /// </summary>
    /// <param name="handler">The per-connection handler. It may close the transport itself; when it returns (or fails), the
    /// transport is disposed, so a handler never leaks its connection.</param>
    /// <param name="taskGroup">The group to run handlers in, or null for an internal one.</param>
    /// <returns>A task that only completes with an exception.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    /// <exception cref="BusyResourceException">Another <c>ServeAsync</c> is active on this listener.</exception>
    /// <exception cref="ClosedResourceException">The listener is closed, or was closed while serving.</exception>
    /// <exception cref="CancelledException">The caller was cancelled.</exception>
    ValueTask ServeAsync(Func<T, ValueTask> handler, ITaskGroup? taskGroup = null);

    /// <summary>Closes the listening socket (connections already accepted stay open). Idempotent.</summary>
    /// <returns>A task that completes when the listener is closed.</returns>
    ValueTask CloseAsync();
}
