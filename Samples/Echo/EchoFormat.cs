using System.Globalization;

namespace EasyNetwork.Samples.Echo;

/// <summary>How the sample (and the echo harness) prints latencies and byte counts.</summary>
public static class EchoFormat
{
    /// <summary>Formats a latency in milliseconds, or microseconds below one millisecond.</summary>
    /// <param name="latency">The latency.</param>
    /// <returns>The text.</returns>
    public static string FormatLatency(TimeSpan latency) => latency < TimeSpan.FromMilliseconds(1)
        ? string.Create(CultureInfo.InvariantCulture, $"{latency.TotalMicroseconds:F0} µs")
        : string.Create(CultureInfo.InvariantCulture, $"{latency.TotalMilliseconds:F2} ms");

    /// <summary>Formats a byte count with a 1024-based unit.</summary>
    /// <param name="bytes">The count.</param>
    /// <returns>The text.</returns>
    public static string FormatBytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.##} GiB"),
    };
}
