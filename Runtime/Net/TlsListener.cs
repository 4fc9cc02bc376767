using System;
using System.Net;
using System.Net.Security;
using System.Threading.Tasks;
using EasyNetwork.Internal;
using EasyNetwork.Net.Internal;
using Microsoft.Extensions.Logging;

namespace EasyNetwork;

/// <summary>
/// Serves TLS connections over a stream listener (SPEC S10.4): each accepted connection runs its server handshake in
/// its own task, under the handshake timeout, before the handler sees it. A failed handshake closes that connection,
/// writes a Warning-level entry to the run's logger (<see cref="RunnerOptions.Logger"/>) and skips the handler;
/// serving continues.
/// </summary>
public sealed class TlsListener : IListener<ITlsStreamTransport>
{
    private readonly IListener<IStreamTransport> _listener;
    private readonly SslServerAuthenticationOptions _options;
    private readonly TimeSpan _handshakeTimeout;
    private readonly TimeSpan _shutdownTimeout;

    /// <summary>Initializes a TLS listener over <paramref name="listener"/>, which it owns from then on.</summary>
    /// <param name="listener">The stream listener accepting the connections.</param>
    /// <param name="options">The server options, shared by every connection; a server certificate (or a way to select one) is required.</param>
    /// <param name="handshakeTimeout">The per-connection handshake time limit; null means <see cref="TlsStreamTransport.DefaultHandshakeTimeout"/>, an infinite value no limit.</param>
    /// <param name="shutdownTimeout">The time a graceful close of a connection may take; null means <see cref="TlsStreamTransport.DefaultShutdownTimeout"/>, an infinite value no limit.</param>
    /// <exception cref="ArgumentNullException"><paramref name="listener"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="options"/> gives no server certificate.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A timeout is negative and not infinite.</exception>
    public TlsListener(IListener<IStreamTransport> listener, SslServerAuthenticationOptions options, TimeSpan? handshakeTimeout = null, TimeSpan? shutdownTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ServerCertificate is null && options.ServerCertificateContext is null && options.ServerCertificateSelectionCallback is null)
        {
            throw new ArgumentException("SslServerAuthenticationOptions must give a server certificate (ServerCertificate, ServerCertificateContext or ServerCertificateSelectionCallback).", nameof(options));
        }

        _handshakeTimeout = TlsStreamTransport.CheckTimeout(handshakeTimeout, TlsStreamTransport.DefaultHandshakeTimeout, nameof(handshakeTimeout));
        _shutdownTimeout = TlsStreamTransport.CheckTimeout(shutdownTimeout, TlsStreamTransport.DefaultShutdownTimeout, nameof(shutdownTimeout));
        _listener = listener;
        _options = options;
    }

    /// <inheritdoc/>
    public IAsyncBackend Backend => _listener.Backend;

    /// <inheritdoc/>
    public bool IsClosing => _listener.IsClosing;

    /// <inheritdoc/>
    public EndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>Gets the stream listener TLS runs over.</summary>
    public IListener<IStreamTransport> InnerListener => _listener;

    /// <inheritdoc/>
    public ValueTask ServeAsync(Func<ITlsStreamTransport, ValueTask> handler, ITaskGroup? taskGroup = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return _listener.ServeAsync(transport => HandleConnectionAsync(transport, handler), taskGroup);
    }

    /// <summary>The server handshake in the connection's own task, then the handler; the TLS transport is closed after it.</summary>
    private async ValueTask HandleConnectionAsync(IStreamTransport transport, Func<ITlsStreamTransport, ValueTask> handler)
    {
        BackendTask task = BackendTask.GetCurrent("TlsListener.ServeAsync");
        SslStreamTransport tls;
        try
        {
            tls = await SslStreamTransport.HandshakeAsync(task, transport, null, _options, _handshakeTimeout, _shutdownTimeout);
        }
        catch (Exception exception) when (exception is not OperationCanceledException && !task.Innermost.IsEffectivelyCancelled())
        {
            // The handshake aborted the connection; a cancellation of the serve (or of the group) is not a handshake failure.
            task.Run.Options.Logger?.LogWarning(exception, "The TLS handshake with {RemoteEndPoint} (accepted on {EndPoint}) failed; the connection was closed.", transport.RemoteEndPoint, LocalEndPoint);
            return;
        }

        await using (tls)
        {
            await handler(tls);
        }
    }

    /// <inheritdoc/>
    public ValueTask CloseAsync() => _listener.CloseAsync();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}
