using System;
using System.Collections.Generic;

namespace EasyNetwork.Benchmarks.Echo;

/// <summary>One row of the report: a server and a message size, the medians over the rounds.</summary>
/// <param name="Server">The server's label.</param>
/// <param name="MessageSize">The message size in bytes.</param>
/// <param name="RequestsPerSecond">The median requests per second, or null when the server could not run.</param>
/// <param name="P50">The median of the rounds' p50 latencies.</param>
/// <param name="P99">The median of the rounds' p99 latencies.</param>
/// <param name="Failure">Why the server could not run, or null.</param>
public sealed record EchoResult(string Server, int MessageSize, double? RequestsPerSecond, TimeSpan P50, TimeSpan P99, string? Failure)
{
    /// <summary>Gets the median over the rounds of the server's processor time per request.</summary>
    public TimeSpan ServerCpuPerRequest { get; init; }

    /// <summary>Gets the ratio to the plain server with default settings, paired round by round, or null.</summary>
    public EchoRatio? VersusPlain { get; init; }

    /// <summary>Gets the ratio to the plain server with inline completions, paired round by round, or null.</summary>
    public EchoRatio? VersusInline { get; init; }

    /// <summary>Finds the req/s of <paramref name="server"/> at <paramref name="messageSize"/>.</summary>
    /// <param name="results">The rows.</param>
    /// <param name="server">The server's label.</param>
    /// <param name="messageSize">The message size.</param>
    /// <returns>The req/s, or null when there is no such row or the server could not run.</returns>
    public static double? RateOf(IReadOnlyList<EchoResult> results, string server, int messageSize)
    {
        ArgumentNullException.ThrowIfNull(results);
        foreach (EchoResult row in results)
        {
            if (row.Server == server && row.MessageSize == messageSize)
            {
                return row.RequestsPerSecond;
            }
        }

        return null;
    }
}
