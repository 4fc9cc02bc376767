namespace EasyNetwork.Samples.Echo;

/// <summary>
/// What one client connection measured. Only its connection writes it; the progress reporter reads the counters
/// while it runs, so each write is a single volatile store of a value only that writer changes.
/// </summary>
internal sealed class ConnectionStatistics
{
    private long _requests;
    private long _bytesSent;
    private long _bytesReceived;

    /// <summary>Gets the latencies of the completed requests.</summary>
    public LatencyHistogram Latencies { get; } = new();

    /// <summary>Gets the number of completed requests (sent and fully echoed).</summary>
    public long Requests => Volatile.Read(ref _requests);

    /// <summary>Gets the number of bytes handed to the transport.</summary>
    public long BytesSent => Volatile.Read(ref _bytesSent);

    /// <summary>Gets the number of bytes received back.</summary>
    public long BytesReceived => Volatile.Read(ref _bytesReceived);

    /// <summary>Counts bytes sent.</summary>
    /// <param name="count">How many.</param>
    public void AddSent(int count) => Volatile.Write(ref _bytesSent, _bytesSent + count);

    /// <summary>Counts bytes received.</summary>
    /// <param name="count">How many.</param>
    public void AddReceived(int count) => Volatile.Write(ref _bytesReceived, _bytesReceived + count);

    /// <summary>Counts one completed request and records its latency.</summary>
    /// <param name="ticks">The latency in stopwatch ticks.</param>
    public void AddRequest(long ticks)
    {
        Latencies.Record(ticks);
        Volatile.Write(ref _requests, _requests + 1);
    }

    /// <summary>Creates one statistics object per connection.</summary>
    /// <param name="connections">The number of connections.</param>
    /// <returns>The statistics, indexed by connection.</returns>
    public static ConnectionStatistics[] CreateMany(int connections)
    {
        var all = new ConnectionStatistics[connections];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = new ConnectionStatistics();
        }

        return all;
    }
}
