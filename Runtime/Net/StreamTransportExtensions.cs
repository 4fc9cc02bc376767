using System;
using System.IO;
using System.IO.Pipelines;
using EasyNetwork.Net.Internal;

namespace EasyNetwork;

/// <summary>Adapters from an <see cref="IStreamTransport"/> to the BCL stream abstractions (SPEC S8.28).</summary>
public static class StreamTransportExtensions
{
    /// <summary>
    /// Adapts the transport to a <see cref="Stream"/>: <c>ReadAsync</c> is <see cref="IStreamTransport.ReceiveAsync"/>
    /// (0 = end of stream), <c>WriteAsync</c> is <see cref="IStreamTransport.SendAllAsync(ReadOnlyMemory{byte})"/>,
    /// <c>FlushAsync</c> does nothing, <c>DisposeAsync</c> closes the transport (without throwing cancellation) and a
    /// synchronous <c>Dispose</c> aborts it. Only the asynchronous members work, from a task of the transport's backend;
    /// the synchronous ones throw <see cref="NotSupportedException"/>. A cancellable <see cref="System.Threading.CancellationToken"/>
    /// passed to a call cancels it as a cancel scope bound to the token would, and the call then throws a foreign
    /// <see cref="OperationCanceledException"/> carrying that token (a cancelled read loses no data).
    /// </summary>
    /// <param name="transport">The transport; the stream owns it only through <c>Dispose</c>/<c>DisposeAsync</c>.</param>
    /// <returns>The adapter stream (not seekable).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transport"/> is null.</exception>
    public static Stream AsStream(this IStreamTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return new TransportStream(transport);
    }

    /// <summary>
    /// Adapts the transport to an <see cref="IDuplexPipe"/> with the rules of <see cref="AsStream"/> (token
    /// cancellation included). Completing the reader or the writer does not close the transport: its owner does.
    /// </summary>
    /// <param name="transport">The transport.</param>
    /// <returns>The duplex pipe.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transport"/> is null.</exception>
    public static IDuplexPipe AsPipe(this IStreamTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return new TransportDuplexPipe(new TransportStream(transport));
    }
}
