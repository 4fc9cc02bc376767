using System;

namespace EasyNetwork.Runtime.Tests.Reliability;

/// <summary>
/// The sizes of the reliability workloads. CI runs them small enough to keep the suite fast; the soak command
/// (<c>dotnet run -c Release --project Benchmarks -- soak</c>) sets <c>EASYNETWORK_RELIABILITY_SCALE=soak</c> to run
/// the full sizes of issue 9.
/// </summary>
internal sealed record ReliabilityScale
{
    /// <summary>The environment variable that selects the scale: <c>ci</c> (default) or <c>soak</c>.</summary>
    public const string Variable = "EASYNETWORK_RELIABILITY_SCALE";

    /// <summary>The sizes CI runs.</summary>
    public static readonly ReliabilityScale Ci = new()
    {
        Name = "ci",
        ConcurrentConnections = 1_000,
        EchoRounds = 2,
        ConnectCloseCycles = 2_000,
        Datagrams = 20_000,
        PortalCallsPerThread = 500,
        FairLockWaiters = 1_000,
        CancelReleaseRaces = 2_000,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>The full sizes the soak command runs.</summary>
    public static readonly ReliabilityScale Soak = new()
    {
        Name = "soak",
        ConcurrentConnections = 1_000,
        EchoRounds = 50,
        ConnectCloseCycles = 10_000,
        Datagrams = 100_000,
        PortalCallsPerThread = 2_000,
        FairLockWaiters = 1_000,
        CancelReleaseRaces = 10_000,
        Timeout = TimeSpan.FromMinutes(3),
    };

    /// <summary>The scale in force for this process.</summary>
    public static ReliabilityScale Current { get; } =
        string.Equals(Environment.GetEnvironmentVariable(Variable), Soak.Name, StringComparison.OrdinalIgnoreCase) ? Soak : Ci;

    /// <summary>The scale's name, as the figures report it.</summary>
    public required string Name { get; init; }

    /// <summary>Connections held open at once, each echoing.</summary>
    public required int ConcurrentConnections { get; init; }

    /// <summary>Echo round trips per held connection.</summary>
    public required int EchoRounds { get; init; }

    /// <summary>Connect/close cycles against one listener.</summary>
    public required int ConnectCloseCycles { get; init; }

    /// <summary>Datagrams sent to one datagram listener.</summary>
    public required int Datagrams { get; init; }

    /// <summary>Portal calls made by each of the 16 threads.</summary>
    public required int PortalCallsPerThread { get; init; }

    /// <summary>Waiters queued on one fair lock.</summary>
    public required int FairLockWaiters { get; init; }

    /// <summary>Cancel/release races per lock kind.</summary>
    public required int CancelReleaseRaces { get; init; }

    /// <summary>The bound after which a hung workload fails.</summary>
    public required TimeSpan Timeout { get; init; }
}
