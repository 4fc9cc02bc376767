using System;
using System.Collections.Generic;
using System.Linq;

namespace EasyNetwork.Benchmarks.Echo;

/// <summary>
/// Every server's measurement of every round and size; the rounds interleave the servers, so each ratio pairs two
/// measurements taken seconds apart and a noisy minute on the machine weighs on every server alike.
/// </summary>
public sealed class EchoSamples
{
    private readonly Dictionary<(string Server, int Size), List<EchoMeasurement>> _measurements = [];

    /// <summary>Records one round's measurement.</summary>
    /// <param name="server">The server's label.</param>
    /// <param name="size">The message size.</param>
    /// <param name="measurement">What the round measured.</param>
    public void Add(string server, int size, EchoMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        if (!_measurements.TryGetValue((server, size), out List<EchoMeasurement>? list))
        {
            _measurements[(server, size)] = list = [];
        }

        list.Add(measurement);
    }

    /// <summary>Summarises one server at one size: medians, and the ratios to both references paired by round.</summary>
    /// <param name="server">The server's label.</param>
    /// <param name="size">The message size.</param>
    /// <returns>The row.</returns>
    public EchoResult Summarise(string server, int size)
    {
        List<EchoMeasurement> own = _measurements[(server, size)];
        double[] rates = own.Select(m => m.RequestsPerSecond).ToArray();
        return new EchoResult(server, size, Median(rates), Median(own.Select(m => m.P50)), Median(own.Select(m => m.P99)), Failure: null)
        {
            ServerCpuPerRequest = Median(own.Select(m => m.ServerCpuPerRequest)),
            VersusPlain = Ratio(rates, EchoServerVariant.PlainDefault.Label, size),
            VersusInline = Ratio(rates, EchoServerVariant.PlainInline.Label, size),
        };
    }

    private EchoRatio? Ratio(double[] rates, string reference, int size)
        => _measurements.TryGetValue((reference, size), out List<EchoMeasurement>? references)
            ? EchoRatio.Pair(rates, references.Select(m => m.RequestsPerSecond).ToArray())
            : null;

    private static T Median<T>(IEnumerable<T> values)
    {
        T[] sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
