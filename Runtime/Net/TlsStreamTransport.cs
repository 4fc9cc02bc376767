using System;
using System.Net.Security;
using System.Threading.Tasks;
using EasyNetwork.Internal;
using EasyNetwork.Net.Internal;

namespace EasyNetwork;

/// <summary>TLS over any <see cref="IStreamTransport"/>, on any backend (SPEC §10).</summary>
public static class TlsStreamTransport
{
    /// <summary>The handshake timeout used when none is given (S14.4): 60 seconds.</summary>
    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The shutdown timeout used when none is given (S14.5): 30 seconds.</summary>
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs a TLS client handshake over <paramref name="transport"/> and returns the secured transport, which owns
    /// <paramref name="transport"/> from then on. Certificate validation (chain and host name) is the platform's unless
    /// <paramref name="options"/> sets its own callback; none is ever installed. On any handshake failure
    /// (<see cref="System.Security.Authentication.AuthenticationException"/>, <see cref="System.IO.IOException"/>,
    /// timeout or cancellation) <paramref name="transport"/> is aborted and the error propagates. Argument errors are
    /// thrown before anything is touched.
    /// </summary>
    /// <param name="transport">The connected transport to secure.</param>
    /// <param name="options">The client options; <see cref="SslClientAuthenticationOptions.TargetHost"/> is required.</param>
    /// <param name="handshakeTimeout">The handshake time limit; null means <see cref="DefaultHandshakeTimeout"/>, an infinite value no limit.</param>
    /// <param name="shutdownTimeout">The time a graceful close may take; null means <see cref="DefaultShutdownTimeout"/>, an infinite value no limit.</param>
    /// <returns>The TLS transport.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transport"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException"><see cref="SslClientAuthenticationOptions.TargetHost"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A timeout is negative and not infinite.</exception>
    /// <exception cref="TimeoutException">The handshake did not finish within <paramref name="handshakeTimeout"/>.</exception>
    /// <exception cref="System.Security.Authentication.AuthenticationException">The handshake or the certificate validation failed.</exception>
    /// <exception cref="CancelledException">The caller was cancelled.</exception>
    public static ValueTask<ITlsStreamTransport> WrapAsync(IStreamTransport transport, SslClientAuthenticationOptions options, TimeSpan? handshakeTimeout = null, TimeSpan? shutdownTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrEmpty(options.TargetHost))
        {
            throw new ArgumentException("SslClientAuthenticationOptions.TargetHost is required: the server certificate is validated against it.", nameof(options));
        }

        TimeSpan handshake = CheckTimeout(handshakeTimeout, DefaultHandshakeTimeout, nameof(handshakeTimeout));
        TimeSpan shutdown = CheckTimeout(shutdownTimeout, DefaultShutdownTimeout, nameof(shutdownTimeout));
        BackendTask task = BackendTask.GetCurrent("TlsStreamTransport.WrapAsync");
        return WrapCoreAsync(task, transport, options, handshake, shutdown);
    }

    private static async ValueTask<ITlsStreamTransport> WrapCoreAsync(BackendTask task, IStreamTransport transport, SslClientAuthenticationOptions options, TimeSpan handshakeTimeout, TimeSpan shutdownTimeout)
        => await SslStreamTransport.HandshakeAsync(task, transport, options, null, handshakeTimeout, shutdownTimeout);

    /// <summary>Validates a timeout argument (S10.8) and applies its default.</summary>
    internal static TimeSpan CheckTimeout(TimeSpan? timeout, TimeSpan fallback, string paramName)
    {
        if (timeout is not { } value)
        {
            return fallback;
        }

        if (value < TimeSpan.Zero && !TimeArithmetic.IsInfinite(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"The {paramName} must not be negative (got {value}); use Timeout.InfiniteTimeSpan or TimeSpan.MaxValue for no limit.");
        }

        return value;
    }
}
