using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace EasyNetwork.Runtime.Tests.Reliability;

/// <summary>
/// The child side of <see cref="DescriptorLimitTests"/>: an echo server that lowers its own descriptor limit to what it
/// has open plus a small headroom, announces <c>ready port=N</c>, logs through <see cref="LineLogger"/>, and stops
/// when its standard input closes.
/// </summary>
internal static class DescriptorLimitedServer
{
    /// <summary>The command-line verb of this mode.</summary>
    public const string Command = "descriptor-limited-server";

    /// <summary>The worker threads of the child's thread pool, all started before the limit is lowered.</summary>
    public const int WorkerThreads = 8;

    /// <summary>The prefix of the line that says the server is ready.</summary>
    public const string ReadyPrefix = "ready port=";

    /// <summary>Runs the server: arguments BACKEND HEADROOM.</summary>
    /// <returns>0 after a clean stop, 2 for bad arguments, 3 when the limit cannot be set.</returns>
    public static int Run(string[] args)
    {
        if (args.Length != 2 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int headroom))
        {
            Console.Error.WriteLine($"usage: {Command} BACKEND HEADROOM");
            return 2;
        }

        _ = BackendRuns.Names; // registers the built-in backends
        IAsyncBackend backend = AsyncBackendRegistry.Create(args[0]);
        using var stop = new CancellationTokenSource();
        var stdinWatch = new Thread(() =>
        {
            Console.In.ReadToEnd();
            stop.Cancel();
        }) { IsBackground = true, Name = "stdin watch" };
        stdinWatch.Start();

        StartEveryWorkerThread();
        var logger = new LineLogger();
        return backend.Run(static async s =>
        {
            CancelScope scope = s.backend.OpenCancelScope(new CancelScopeOptions { CancellationToken = s.stop.Token });
            ScopeResult<int> result = await scope.RunAsync(static (_, s) => ServeAsync(s.backend, s.logger, s.headroom), s);
            return result.HasValue ? result.Value : 0;
        }, (backend, logger, headroom, stop), new RunnerOptions { Logger = logger });
    }

    private static async ValueTask<int> ServeAsync(IAsyncBackend backend, ILogger logger, int headroom)
    {
        IListener<IStreamTransport> listener = (await backend.CreateTcpListenersAsync("127.0.0.1", 0, 64))[0];
        int port = ((IPEndPoint)listener.LocalEndPoint).Port;
        await using (listener)
        {
            return await backend.RunTaskGroupAsync(static async (group, s) =>
            {
                group.StartSoon(static l => l.ServeAsync(EchoUntilEndAsync), s.listener);

                // Warm every path the back-off takes (accept, a connection's setup and close, the log call) while
                // files can still be opened: the runtime loads code lazily, and loading needs a descriptor.
                await using (IStreamTransport warm = await s.backend.ConnectTcpAsync("127.0.0.1", s.port))
                {
                    await warm.SendAllAsync(new byte[1]);
                    await warm.ReceiveAsync(new byte[1]);
                }

                s.logger.LogInformation(new SocketException((int)SocketError.TooManyOpenSockets), "Warm-up of the log path ({Error}).", SocketError.TooManyOpenSockets);
                await s.backend.SleepAsync(TimeSpan.FromMilliseconds(1));

                long limit = OpenDescriptors.CountAll() + s.headroom;
                if (!DescriptorLimit.TrySetSoft(limit))
                {
                    Console.Error.WriteLine($"could not set the descriptor limit to {limit}");
                    return 3;
                }

                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ReadyPrefix}{s.port} limit={limit}"));
                Console.Out.Flush();
                await s.backend.SleepForeverAsync();
                return 0;
            }, (backend, listener, port, logger, headroom));
        }
    }

    // Blocks one work item per worker thread until all of them run at once: the pool then has all its threads (the
    // minimum, so none retires). Called from the main thread, which is not one of them.
    private static void StartEveryWorkerThread()
    {
        // Not disposed: the work items may still be inside Wait when the main thread is released.
        var allRunning = new CountdownEvent(WorkerThreads);
        for (int i = 0; i < WorkerThreads; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static e => { e.Signal(); e.Wait(); }, allRunning, preferLocal: false);
        }

        allRunning.Wait();
    }

    private static async ValueTask EchoUntilEndAsync(IStreamTransport transport)
    {
        var buffer = new byte[64];
        try
        {
            int n;
            while ((n = await transport.ReceiveAsync(buffer)) > 0)
            {
                await transport.SendAllAsync(buffer.AsMemory(0, n));
            }
        }
        catch (SocketException)
        {
            // A client that resets ends only its own connection.
        }
    }
}
