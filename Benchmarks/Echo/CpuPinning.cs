using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.Versioning;

namespace EasyNetwork.Benchmarks.Echo;

/// <summary>
/// Puts the client and the server on different cores. On Linux a process's affinity must be set before its threads
/// exist (the setter of <see cref="Process.ProcessorAffinity"/> reaches only the main thread there), so processes are
/// started under <c>taskset</c>; on Windows the process-wide affinity is set after start.
/// </summary>
public static class CpuPinning
{
    /// <summary>Set in the re-started parent to the server's core, so that it does not re-start itself again.</summary>
    public const string PinnedVariable = "EASYNETWORK_ECHO_SERVER_CORE";

    private static readonly string? s_taskset = OperatingSystem.IsLinux() ? FindOnPath("taskset") : null;

    // The re-started parent sees one CPU only (its own pin), so it learns the server's core from its parent.
    private static readonly int s_inheritedServerCore = int.TryParse(Environment.GetEnvironmentVariable(PinnedVariable), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int core) ? core : -1;

    /// <summary>Gets the core of the client (the parent).</summary>
    public static int ClientCore => 0;

    /// <summary>Gets the core of the server (the child).</summary>
    public static int ServerCore => s_inheritedServerCore >= 0 ? s_inheritedServerCore : Environment.ProcessorCount - 1;

    /// <summary>Gets whether the two can be pinned apart on this machine.</summary>
    public static bool IsAvailable => s_inheritedServerCore >= 0 || (Environment.ProcessorCount >= 2 && (s_taskset is not null || OperatingSystem.IsWindows()));

    /// <summary>Gets how the processes are placed, for the report.</summary>
    public static string Description => IsAvailable
        ? $"client on CPU {ClientCore}, server on CPU {ServerCore} ({(s_taskset is not null ? "taskset" : "process affinity")})"
        : "not pinned (needs two CPUs, and taskset on Linux)";

    /// <summary>Gets whether this process must re-start itself under <c>taskset</c> to pin the client.</summary>
    public static bool ParentNeedsRestart => s_inheritedServerCore < 0 && IsAvailable && s_taskset is not null;

    /// <summary>Describes how to start this program again (the apphost, or <c>dotnet</c> with the assembly).</summary>
    /// <param name="core">The core to pin it to, or -1 for none.</param>
    /// <param name="arguments">The program's arguments.</param>
    /// <returns>The start information; standard streams are not redirected.</returns>
    public static ProcessStartInfo StartSelf(int core, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        var info = new ProcessStartInfo { UseShellExecute = false };
        if (core >= 0 && s_taskset is not null)
        {
            info.FileName = s_taskset;
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(core.ToString(System.Globalization.CultureInfo.InvariantCulture));
            info.ArgumentList.Add(self);
        }
        else
        {
            info.FileName = self;
        }

        // Under `dotnet X.dll` the process is the host: give it the assembly again.
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(typeof(CpuPinning).Assembly.Location);
        }

        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    /// <summary>Pins a started process where <c>taskset</c> was not used (Windows: the affinity is process-wide).</summary>
    /// <param name="process">The process.</param>
    /// <param name="core">The core.</param>
    public static void PinAfterStart(Process process, int core)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (IsAvailable && OperatingSystem.IsWindows())
        {
            SetAffinity(process, core);
        }
    }

    [SupportedOSPlatform("windows")]
    private static void SetAffinity(Process process, int core) => process.ProcessorAffinity = (nint)(1L << core);

    private static string? FindOnPath(string name)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
