using System;
using System.Collections.Generic;
using System.Globalization;

namespace EasyNetwork.Benchmarks.Echo;

/// <summary>A server's req/s over a reference server's, paired round by round: the median and the range over the rounds.</summary>
/// <param name="Median">The median of the per-round ratios.</param>
/// <param name="Min">The lowest per-round ratio.</param>
/// <param name="Max">The highest per-round ratio.</param>
public sealed record EchoRatio(double Median, double Min, double Max)
{
    /// <summary>Pairs two servers' measurements of the same rounds.</summary>
    /// <param name="rates">The server's req/s, one per round.</param>
    /// <param name="references">The reference's req/s, the same rounds in the same order.</param>
    /// <returns>The ratio, or null when a round has no positive reference.</returns>
    public static EchoRatio? Pair(IReadOnlyList<double> rates, IReadOnlyList<double> references)
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(references);
        if (rates.Count == 0 || rates.Count != references.Count)
        {
            return null;
        }

        var ratios = new double[rates.Count];
        for (int r = 0; r < ratios.Length; r++)
        {
            if (references[r] <= 0)
            {
                return null;
            }

            ratios[r] = rates[r] / references[r];
        }

        Array.Sort(ratios);
        return new EchoRatio(ratios[ratios.Length / 2], ratios[0], ratios[^1]);
    }

    /// <summary>Formats the median, with the range when it spans more than one round.</summary>
    /// <returns>For example <c>1.02× (0.97–1.06)</c>.</returns>
    public override string ToString()
        => Min == Max
            ? string.Create(CultureInfo.InvariantCulture, $"{Median:F2}×")
            : string.Create(CultureInfo.InvariantCulture, $"{Median:F2}× ({Min:F2}–{Max:F2})");
}
