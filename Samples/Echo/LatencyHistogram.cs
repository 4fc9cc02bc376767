using System.Diagnostics;
using System.Numerics;

namespace EasyNetwork.Samples.Echo;

/// <summary>
/// A log-linear histogram of <see cref="Stopwatch"/> tick counts: 32 buckets per power of two (about 3 % resolution),
/// one preallocated array, so recording allocates nothing and costs a few instructions. One writer at a time.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 5;
    private const int SubBuckets = 1 << SubBucketBits;

    // Values below 2 * SubBuckets are exact; every higher power of two adds SubBuckets buckets, up to long.MaxValue.
    private const int BucketCount = (62 - SubBucketBits + 2) * SubBuckets;

    private readonly long[] _counts = new long[BucketCount];

    /// <summary>Gets the number of recorded values.</summary>
    public long Count { get; private set; }

    /// <summary>Records one latency.</summary>
    /// <param name="ticks">The latency in <see cref="Stopwatch"/> ticks; negative values count as zero.</param>
    public void Record(long ticks)
    {
        _counts[BucketOf(Math.Max(ticks, 0))]++;
        Count++;
    }

    /// <summary>Adds every value recorded by <paramref name="other"/> to this histogram.</summary>
    /// <param name="other">Another histogram.</param>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int i = 0; i < BucketCount; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
    }

    /// <summary>Forgets every recorded value.</summary>
    public void Clear()
    {
        Array.Clear(_counts);
        Count = 0;
    }

    /// <summary>Returns the latency at or below which <paramref name="percentile"/> percent of the values are.</summary>
    /// <param name="percentile">From 0 to 100.</param>
    /// <returns>The middle of the bucket that holds that value, or zero when nothing was recorded.</returns>
    public TimeSpan GetPercentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100.0);
        if (Count == 0)
        {
            return TimeSpan.Zero;
        }

        long rank = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * Count));
        long seen = 0;
        int bucket = 0;
        for (; bucket < BucketCount - 1; bucket++)
        {
            seen += _counts[bucket];
            if (seen >= rank)
            {
                break;
            }
        }

        (long low, long width) = BoundsOf(bucket);
        return Stopwatch.GetElapsedTime(0, low + (width / 2));
    }

    private static int BucketOf(long ticks)
    {
        if (ticks < 2 * SubBuckets)
        {
            return (int)ticks;
        }

        int shift = (63 - BitOperations.LeadingZeroCount((ulong)ticks)) - SubBucketBits;
        return Math.Min((shift * SubBuckets) + (int)(ticks >> shift), BucketCount - 1);
    }

    private static (long Low, long Width) BoundsOf(int bucket)
    {
        if (bucket < 2 * SubBuckets)
        {
            return (bucket, 1);
        }

        int shift = (bucket / SubBuckets) - 1;
        long mantissa = (bucket % SubBuckets) + SubBuckets;
        return (mantissa << shift, 1L << shift);
    }
}
