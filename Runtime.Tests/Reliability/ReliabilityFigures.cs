using System;
using System.Globalization;
using System.IO;

namespace EasyNetwork.Runtime.Tests.Reliability;

/// <summary>
/// Records the figures of the reliability workloads (connections held, cycles, faults injected, leaks found) as
/// tab-separated lines in the file named by <c>EASYNETWORK_RELIABILITY_FIGURES</c>, for the soak command's table;
/// nothing is written when the variable is not set.
/// </summary>
internal static class ReliabilityFigures
{
    /// <summary>The environment variable that names the figures file.</summary>
    public const string Variable = "EASYNETWORK_RELIABILITY_FIGURES";

    private static readonly object s_gate = new();

    /// <summary>Records one figure of one workload on one backend configuration.</summary>
    /// <param name="workload">What ran, e.g. "1,000 concurrent echo connections".</param>
    /// <param name="configuration">The backend configuration.</param>
    /// <param name="figure">What was counted, e.g. "connections held".</param>
    /// <param name="value">The count.</param>
    public static void Record(string workload, string configuration, string figure, long value)
    {
        string? path = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        string line = string.Create(CultureInfo.InvariantCulture, $"{workload}\t{configuration}\t{figure}\t{value}\n");
        lock (s_gate)
        {
            File.AppendAllText(path, line);
        }
    }
}
