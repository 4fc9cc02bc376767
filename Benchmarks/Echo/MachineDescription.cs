using System;
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
            $"{Environment.ProcessorCount} × {ProcessorModel()}, {memoryGiB:F0} GiB, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}");
    }

    private static string ProcessorModel()
    {
        if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
            }
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
