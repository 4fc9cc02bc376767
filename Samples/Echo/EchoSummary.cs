using System.Globalization;
using System.Text;

namespace EasyNetwork.Samples.Echo;

/// <summary>The result of loading one backend's echo server.</summary>
/// <param name="Backend">The backend name.</param>
/// <param name="Connections">The number of client connections.</param>
/// <param name="MessageSize">The message size in bytes.</param>
/// <param name="Elapsed">How long the load ran.</param>
/// <param name="Requests">The completed requests.</param>
/// <param name="P50">The median latency.</param>
/// <param name="P99">The 99th percentile latency.</param>
/// <param name="BytesSent">Bytes the clients sent.</param>
/// <param name="BytesReceived">Bytes the clients received.</param>
internal sealed record EchoSummary(string Backend, int Connections, int MessageSize, TimeSpan Elapsed, long Requests, TimeSpan P50, TimeSpan P99, long BytesSent, long BytesReceived)
{
    /// <summary>Gets the completed requests per second.</summary>
    public double RequestsPerSecond => Elapsed > TimeSpan.Zero ? Requests / Elapsed.TotalSeconds : 0;

    /// <summary>Adds up the statistics of every connection.</summary>
    /// <param name="backend">The backend name.</param>
    /// <param name="messageSize">The message size in bytes.</param>
    /// <param name="elapsed">How long the load ran.</param>
    /// <param name="connections">The statistics of each connection.</param>
    /// <returns>The summary.</returns>
    public static EchoSummary From(string backend, int messageSize, TimeSpan elapsed, IReadOnlyList<ConnectionStatistics> connections)
    {
        var latencies = new LatencyHistogram();
        long sent = 0, received = 0;
        foreach (ConnectionStatistics connection in connections)
        {
            latencies.Add(connection.Latencies);
            sent += connection.BytesSent;
            received += connection.BytesReceived;
        }

        return new EchoSummary(backend, connections.Count, messageSize, elapsed, latencies.Count, latencies.GetPercentile(50), latencies.GetPercentile(99), sent, received);
    }

    /// <summary>Formats the summary as a few indented lines.</summary>
    /// <returns>The text.</returns>
    public string Format()
    {
        var text = new StringBuilder();
        CultureInfo c = CultureInfo.InvariantCulture;
        text.Append(c, $"{Backend}: {Connections} connections, {EchoFormat.FormatBytes(MessageSize)} messages, {Elapsed.TotalSeconds:F1} s").AppendLine();
        text.Append(c, $"  requests   {Requests,12:N0}   {RequestsPerSecond,12:N0} req/s").AppendLine();
        text.Append(c, $"  latency    p50 {EchoFormat.FormatLatency(P50)}   p99 {EchoFormat.FormatLatency(P99)}").AppendLine();
        text.Append(c, $"  bytes      sent {EchoFormat.FormatBytes(BytesSent)}   received {EchoFormat.FormatBytes(BytesReceived)}").AppendLine();
        return text.ToString();
    }
}
