using System;
using System.Runtime.InteropServices;

namespace EasyNetwork.Runtime.Tests.Infrastructure;

/// <summary>
/// Reads and sets the process's descriptor limit (<c>RLIMIT_NOFILE</c>, Linux): load tests raise the soft limit to
/// hold their connections, and the descriptor-limit child lowers its own to run out of descriptors on purpose.
/// </summary>
internal static class DescriptorLimit
{
    private const int RlimitNoFile = 7;

    /// <summary>Whether the limit can be read and set here.</summary>
    public static bool Supported => OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    /// <summary>The soft and hard limits; -1 each where unsupported.</summary>
    public static (long Soft, long Hard) Get()
    {
        if (!Supported || getrlimit(RlimitNoFile, out Limits limits) != 0)
        {
            return (-1, -1);
        }

        return (Clamp(limits.Current), Clamp(limits.Maximum));
    }

    /// <summary>Sets the soft limit (at most the hard one); returns whether it was set.</summary>
    public static bool TrySetSoft(long soft)
    {
        (long current, long hard) = Get();
        if (current < 0 || soft > hard)
        {
            return false;
        }

        var limits = new Limits { Current = (ulong)soft, Maximum = (ulong)hard };
        return setrlimit(RlimitNoFile, ref limits) == 0;
    }

    /// <summary>Raises the soft limit to <paramref name="wanted"/> when it is lower and the hard limit allows; returns the soft limit in force.</summary>
    public static long EnsureAtLeast(long wanted)
    {
        (long soft, long hard) = Get();
        if (soft >= 0 && soft < wanted)
        {
            TrySetSoft(Math.Min(wanted, hard));
            soft = Get().Soft;
        }

        return soft;
    }

    // RLIM_INFINITY is all ones: report it as long.MaxValue.
    private static long Clamp(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;

    [StructLayout(LayoutKind.Sequential)]
    private struct Limits
    {
        public ulong Current;
        public ulong Maximum;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, out Limits limits);

    [DllImport("libc", SetLastError = true)]
    private static extern int setrlimit(int resource, ref Limits limits);
}
