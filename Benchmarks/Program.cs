using BenchmarkDotNet.Running;
using EasyNetwork.Benchmarks.Echo;
using EasyNetwork.Benchmarks.Soak;

namespace EasyNetwork.Benchmarks;

/// <summary>
/// Runs the benchmark suites: <c>dotnet run -c Release --project Benchmarks -- --filter '*'</c>; or the echo throughput
/// harness: <c>... -- echo [--quick]</c> (<c>echo-server</c> is its child process); or the reliability soak:
/// <c>... -- soak [--minutes N]</c>.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        switch (args.Length > 0 ? args[0] : null)
        {
            case "echo":
                return EchoHarness.Run(args[1..]);
            case "echo-server":
                return EchoServerProcess.Run(args[1..]);
            case "soak":
                return SoakCommand.Run(args[1..]);
            default:
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
