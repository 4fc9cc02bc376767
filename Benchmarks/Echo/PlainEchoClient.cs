using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using EasyNetwork.Samples.Echo;

namespace EasyNetwork.Benchmarks.Echo;

/// <summary>
/// The load generator every server is measured with: plain sockets and async/await, one loop per connection that
/// sends a message, reads back exactly as many bytes, checks them and records the round trip.
/// </summary>
public sealed class PlainEchoClient : IDisposable
{
    private readonly Socket[] _sockets;
    private readonly byte[][] _messages;
    private readonly byte[][] _echoes;
    private readonly LatencyHistogram[] _latencies;
    private readonly long[] _requests;

    private PlainEchoClient(Socket[] sockets, int messageSize)
    {
        _sockets = sockets;
        _messages = new byte[sockets.Length][];
        _echoes = new byte[sockets.Length][];
        _latencies = new LatencyHistogram[sockets.Length];
        _requests = new long[sockets.Length];
        for (int c = 0; c < sockets.Length; c++)
        {
            _messages[c] = new byte[messageSize];
            _echoes[c] = new byte[messageSize];
            _latencies[c] = new LatencyHistogram();
            for (int i = 0; i < messageSize; i++)
            {
                _messages[c][i] = (byte)((i * 31) + c);
            }
        }
    }

    /// <summary>Opens <paramref name="connections"/> connections to 127.0.0.1:<paramref name="port"/>.</summary>
    /// <param name="port">The server's port.</param>
    /// <param name="connections">How many connections.</param>
    /// <param name="messageSize">The message size in bytes.</param>
    /// <returns>The connected client.</returns>
    public static async Task<PlainEchoClient> ConnectAsync(int port, int connections, int messageSize)
    {
        var sockets = new Socket[connections];
        for (int c = 0; c < connections; c++)
        {
            sockets[c] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await sockets[c].ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).ConfigureAwait(false);
        }

        return new PlainEchoClient(sockets, messageSize);
    }

    /// <summary>Loads the server for <paramref name="duration"/>; each connection finishes the request it is in.</summary>
    /// <param name="duration">How long.</param>
    /// <returns>What this run measured.</returns>
    public async Task<EchoMeasurement> RunAsync(TimeSpan duration)
    {
        var loops = new Task[_sockets.Length];
        long start = Stopwatch.GetTimestamp();
        long deadline = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        for (int c = 0; c < loops.Length; c++)
        {
            _latencies[c].Clear();
            _requests[c] = 0;
            loops[c] = LoopAsync(c, deadline);
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        var merged = new LatencyHistogram();
        long requests = 0;
        for (int c = 0; c < loops.Length; c++)
        {
            merged.Add(_latencies[c]);
            requests += _requests[c];
        }

        return new EchoMeasurement(requests / elapsed.TotalSeconds, merged.GetPercentile(50), merged.GetPercentile(99));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }
    }

    private async Task LoopAsync(int c, long deadline)
    {
        // Start on the thread pool: the connections run in parallel from the first request.
        await Task.Yield();
        Socket socket = _sockets[c];
        byte[] message = _messages[c];
        byte[] echo = _echoes[c];
        LatencyHistogram latencies = _latencies[c];
        long requests = 0;
        long now = Stopwatch.GetTimestamp();
        while (now < deadline)
        {
            await socket.SendAsync(message, SocketFlags.None).ConfigureAwait(false);
            int filled = 0;
            while (filled < echo.Length)
            {
                int received = await socket.ReceiveAsync(echo.AsMemory(filled), SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                {
                    throw new EndOfStreamException($"The server closed connection {c} after {filled} of {echo.Length} echoed bytes.");
                }

                filled += received;
            }

            long end = Stopwatch.GetTimestamp();
            if (!echo.AsSpan().SequenceEqual(message))
            {
                throw new InvalidDataException($"Connection {c} got different bytes back.");
            }

            latencies.Record(end - now);
            requests++;
            now = end;
        }

        _requests[c] = requests;
    }
}
