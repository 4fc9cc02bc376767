using System;
using System.Globalization;
using System.Net;
using System.Threading;
using EasyNetwork.Backends.ThreadPool;
using EasyNetwork.Samples.Echo;

namespace EasyNetwork.Benchmarks.Echo;

/// <summary>
/// The child side of the harness (<c>echo-server --kind plain|threadpool|eventloop</c>): serves on 127.0.0.1, port 0,
/// writes <c>port=N</c> on its standard output once it accepts connections, and stops when its standard input closes.
/// </summary>
public static class EchoServerProcess
{
    /// <summary>The prefix of the line that announces the port.</summary>
    public const string PortLinePrefix = "port=";

    /// <summary>Runs the server named by the arguments.</summary>
    /// <param name="args">The arguments after <c>echo-server</c>.</param>
    /// <returns>The exit code: 0 after a clean stop, 2 for bad arguments.</returns>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length != 2 || args[0] != "--kind" || !Enum.TryParse(args[1], ignoreCase: true, out EchoServerKind kind))
        {
            Console.Error.WriteLine("usage: echo-server --kind plain|threadpool|eventloop");
            return 2;
        }

        using var stop = new CancellationTokenSource();

        // The parent closes our standard input to stop us: portable, and no signal handling needed.
        var stdinWatch = new Thread(() =>
        {
            Console.In.ReadToEnd();
            stop.Cancel();
        }) { IsBackground = true, Name = "stdin watch" };
        stdinWatch.Start();

        if (kind == EchoServerKind.Plain)
        {
#pragma warning disable EN0009 // the process's main thread runs the plain BCL baseline server; it is not a backend task
            PlainEchoServer.RunAsync(AnnouncePort, stop.Token).GetAwaiter().GetResult();
#pragma warning restore EN0009
            return 0;
        }

        GC.KeepAlive(typeof(ThreadPoolBackend));
        IAsyncBackend backend = AsyncBackendRegistry.Create(kind == EchoServerKind.ThreadPool ? AsyncBackendRegistry.ThreadPool : AsyncBackendRegistry.EventLoop);
        EchoServer.Serve(backend, port: 0, unixPath: null, endPoint => AnnouncePort(((IPEndPoint)endPoint).Port), stop.Token);
        return 0;
    }

    private static void AnnouncePort(int port)
    {
        Console.Out.WriteLine(PortLinePrefix + port.ToString(CultureInfo.InvariantCulture));
        Console.Out.Flush();
    }
}
