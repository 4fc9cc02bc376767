using System;

namespace EasyNetwork.Benchmarks.Echo;

/// <summary>What one repetition measured.</summary>
/// <param name="RequestsPerSecond">Completed round trips per second, over every connection.</param>
/// <param name="P50">The median round-trip latency.</param>
/// <param name="P99">The 99th percentile round-trip latency.</param>
public sealed record EchoMeasurement(double RequestsPerSecond, TimeSpan P50, TimeSpan P99)
{
    /// <summary>Gets the server process's processor time per request (user and kernel, every thread), or zero when not measured.</summary>
    public TimeSpan ServerCpuPerRequest { get; init; }
}
