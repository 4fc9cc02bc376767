// The README's main program: `dotnet run --project Samples/Echo` (see --help).
namespace EasyNetwork.Samples.Echo;

/// <summary>Entry point: parses the command line and runs the load or the server.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        IReadOnlyList<string> builtins = AsyncBackendRegistry.BuiltinNames.Where(AsyncBackendRegistry.IsRegistered).ToArray();
        if (!EchoOptionParser.TryParse(args, AsyncBackendRegistry.Names, builtins, out EchoOptions? options, out string? error))
        {
            Console.Error.WriteLine($"error: {error}");
            Console.Error.WriteLine("Run with --help for usage.");
            return 2;
        }

        if (options.Command == EchoCommand.Help)
        {
            Console.WriteLine(EchoOptionParser.Usage);
            return 0;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // Let the program stop cleanly (close, delete its socket file, print) instead of being killed.
            e.Cancel = true;
            stop.Cancel();
        };
        using EchoTls? tls = options.UseTls ? EchoTls.Create() : null;
        try
        {
            return options.Command == EchoCommand.Serve
                ? EchoServeCommand.Run(options, tls, Console.Out, stop.Token)
                : EchoLoadCommand.Run(options, tls, Console.Out, stop.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine();
            Console.Error.WriteLine($"error: {Describe(e)}");
            return 1;
        }
    }

    private static string Describe(Exception e) => e is AggregateException aggregate
        ? string.Join("; ", aggregate.InnerExceptions.Select(Describe))
        : $"{e.GetType().Name}: {e.Message}";
}
