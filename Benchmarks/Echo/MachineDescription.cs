using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace EasyNetwork.Benchmarks.Echo;

/// <summary>What the report says about the machine it ran on.</summary>
public static class MachineDescription
{
    /// <summary>Describes the processor, memory, OS and runtime in one line.</summary>
    /// <returns>The description.</returns>
    public static string Describe()
    {
        double memoryGiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(CultureInfo.InvariantCulture,
            $"{ProcessorCount()} × {ProcessorModel()}, {memoryGiB:F0} GiB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
    }

    /// <summary>Describes how busy the machine was (Linux load averages), since other work skews a loopback benchmark.</summary>
    /// <returns>The 1, 5 and 15 minute load averages, or null where they are unknown.</returns>
    public static string? LoadAverage()
        => OperatingSystem.IsLinux() && File.Exists("/proc/loadavg")
            ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ', 4)[..3])
            : null;

    // The machine's processors, not this process's: the harness runs pinned to one of them.
    private static int ProcessorCount()
    {
        int count = 0;
        foreach (string line in CpuInfo())
        {
            count += line.StartsWith("processor", StringComparison.Ordinal) ? 1 : 0;
        }

        return count > 0 ? count : Environment.ProcessorCount;
    }

    private static string ProcessorModel()
    {
        foreach (string line in CpuInfo())
        {
            if (line.StartsWith("model name", StringComparison.Ordinal))
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static IEnumerable<string> CpuInfo() => OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo") : [];
}
