using System;
using System.Diagnostics;
using Xunit;

namespace EasyNetwork.Samples.Echo.Tests;

/// <summary>The sample's latency histogram: percentiles within its 1/32 bucket resolution.</summary>
public sealed class LatencyHistogramTests
{
    [Fact]
    public void Empty_histogram_reports_zero() => Assert.Equal(TimeSpan.Zero, new LatencyHistogram().GetPercentile(99));

    [Fact]
    public void Percentiles_fall_within_the_bucket_resolution()
    {
        var histogram = new LatencyHistogram();
        long tick = Stopwatch.Frequency / 1_000_000; // one microsecond
        for (int i = 1; i <= 1000; i++)
        {
            histogram.Record(i * tick);
        }

        Assert.Equal(1000, histogram.Count);
        AssertNear(TimeSpan.FromMicroseconds(500), histogram.GetPercentile(50));
        AssertNear(TimeSpan.FromMicroseconds(990), histogram.GetPercentile(99));
        AssertNear(TimeSpan.FromMicroseconds(1000), histogram.GetPercentile(100));
    }

    [Fact]
    public void Add_merges_and_clear_forgets()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        a.Record(10);
        b.Record(long.MaxValue);
        b.Record(-5);
        a.Add(b);
        Assert.Equal(3, a.Count);
        Assert.True(a.GetPercentile(100) > TimeSpan.FromDays(1));
        a.Clear();
        Assert.Equal(0, a.Count);
    }

    private static void AssertNear(TimeSpan expected, TimeSpan actual)
        => Assert.InRange(actual.TotalMicroseconds, expected.TotalMicroseconds * 0.96, expected.TotalMicroseconds * 1.04);
}
