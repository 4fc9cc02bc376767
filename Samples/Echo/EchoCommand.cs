namespace EasyNetwork.Samples.Echo;

/// <summary>What the program was asked to do.</summary>
internal enum EchoCommand
{
    /// <summary>Run a server and a load client on each selected backend, then print a summary.</summary>
    Run,

    /// <summary>Serve until Ctrl+C.</summary>
    Serve,

    /// <summary>Print the usage.</summary>
    Help,
}
