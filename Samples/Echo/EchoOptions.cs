namespace EasyNetwork.Samples.Echo;

/// <summary>The parsed command line.</summary>
internal sealed record EchoOptions
{
    /// <summary>The default number of client connections.</summary>
    public const int DefaultConnections = 10;

    /// <summary>The default message size in bytes.</summary>
    public const int DefaultMessageSize = 1024;

    /// <summary>The default total load time, split between the backends.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);

    /// <summary>Gets what to do.</summary>
    public EchoCommand Command { get; init; } = EchoCommand.Run;

    /// <summary>Gets the backends to run, in order.</summary>
    public IReadOnlyList<string> Backends { get; init; } = [];

    /// <summary>Gets the number of client connections.</summary>
    public int Connections { get; init; } = DefaultConnections;

    /// <summary>Gets the size of one message in bytes.</summary>
    public int MessageSize { get; init; } = DefaultMessageSize;

    /// <summary>Gets the total load time (split between the backends).</summary>
    public TimeSpan Duration { get; init; } = DefaultDuration;

    /// <summary>Gets the TCP port to serve on (serve only; 0: any free port).</summary>
    public int Port { get; init; }

    /// <summary>Gets whether connections use TLS.</summary>
    public bool UseTls { get; init; }

    /// <summary>Gets whether to use a Unix stream socket instead of TCP.</summary>
    public bool UseUnix { get; init; }

    /// <summary>Gets the Unix socket path asked for, or null for one in a new temporary directory.</summary>
    public string? UnixPath { get; init; }
}
