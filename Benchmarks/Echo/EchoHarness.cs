using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using EasyNetwork.Samples.Echo;

namespace EasyNetwork.Benchmarks.Echo;

/// <summary>
/// <c>dotnet run -c Release --project Benchmarks -- echo [--quick] [--out DIR]</c>: every echo server in its own pinned
/// process, loaded by the same plain-socket client from this process; a Markdown table on stdout and, for a full run,
/// <c>docs/benchmarks/echo.md</c> and <c>echo.svg</c>.
/// </summary>
public static class EchoHarness
{
    private const int Connections = 10;
    private const int Repetitions = 3;
    private static readonly int[] s_sizes = [1024, 10 * 1024, 100 * 1024];

    /// <summary>Runs the harness.</summary>
    /// <param name="args">The arguments after <c>echo</c>.</param>
    /// <returns>The exit code: 0 done, 1 a server or the client failed, 2 bad arguments.</returns>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        bool quick = false;
        string? outDirectory = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
            {
                quick = true;
            }
            else if (args[i] == "--out" && i + 1 < args.Length)
            {
                outDirectory = args[++i];
            }
            else
            {
                Console.Error.WriteLine($"error: unknown argument '{args[i]}'. Usage: echo [--quick] [--out DIR]  (a full run writes docs/benchmarks/echo.md and echo.svg; --quick writes only with --out)");
                return 2;
            }
        }

        if (CpuPinning.ParentNeedsRestart)
        {
            // The client's threads must be born pinned: start this command again under taskset.
            ProcessStartInfo info = CpuPinning.StartSelf(CpuPinning.ClientCore, ["echo", .. args]);
            info.Environment[CpuPinning.PinnedVariable] = CpuPinning.ServerCore.ToString(CultureInfo.InvariantCulture);
            using Process pinned = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
            pinned.WaitForExit();
            return pinned.ExitCode;
        }

        string? directory = outDirectory ?? (quick ? null : FindDocsDirectory());
        return RunAsync(quick, directory).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(bool quick, string? directory)
    {
        TimeSpan warmUp = quick ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1);
        TimeSpan repetition = quick ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(3);
        string settings = string.Create(CultureInfo.InvariantCulture,
            $"{Connections} connections, {warmUp.TotalSeconds:0.#} s warm-up, median of {Repetitions} × {repetition.TotalSeconds:0.#} s per server and size");
        Console.WriteLine($"Echo harness: {settings}; {CpuPinning.Description}.");
        var results = new List<EchoResult>();
        int exitCode = 0;
        foreach (EchoServerVariant variant in EchoServerVariant.All)
        {
            ServerChild server;
            try
            {
                server = await ServerChild.StartAsync(variant).ConfigureAwait(false);
            }
            catch (InvalidOperationException e)
            {
                Console.WriteLine($"{variant.Label}: n/a ({e.Message})");
                foreach (int size in s_sizes)
                {
                    results.Add(new EchoResult(variant.Label, size, null, TimeSpan.Zero, TimeSpan.Zero, e.Message));
                }

                exitCode = 1;
                continue;
            }

            await using (server.ConfigureAwait(false))
            {
                foreach (int size in s_sizes)
                {
                    EchoResult result = await MeasureAsync(variant, server.Port, size, warmUp, repetition).ConfigureAwait(false);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{variant.Label,-34} {EchoFormat.FormatBytes(size),8} {result.RequestsPerSecond,10:N0} req/s  p50 {EchoFormat.FormatLatency(result.P50)}  p99 {EchoFormat.FormatLatency(result.P99)}"));
                    results.Add(result);
                }
            }
        }

        Console.WriteLine();
        Console.Write(EchoReport.Table(results));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
            string command = "dotnet run -c Release --project Benchmarks -- echo" + (quick ? " --quick" : string.Empty);
            await File.WriteAllTextAsync(Path.Combine(directory, "echo.md"), EchoReport.Page(results, settings, command)).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(directory, "echo.svg"), SvgBarChart.Render(results)).ConfigureAwait(false);
            Console.WriteLine($"Wrote {Path.Combine(directory, "echo.md")} and echo.svg.");
        }

        return exitCode;
    }

    private static async Task<EchoResult> MeasureAsync(EchoServerVariant variant, int port, int size, TimeSpan warmUp, TimeSpan repetition)
    {
        using PlainEchoClient client = await PlainEchoClient.ConnectAsync(port, Connections, size).ConfigureAwait(false);
        await client.RunAsync(warmUp).ConfigureAwait(false);
        var rates = new double[Repetitions];
        var p50s = new TimeSpan[Repetitions];
        var p99s = new TimeSpan[Repetitions];
        for (int r = 0; r < Repetitions; r++)
        {
            EchoMeasurement measurement = await client.RunAsync(repetition).ConfigureAwait(false);
            (rates[r], p50s[r], p99s[r]) = (measurement.RequestsPerSecond, measurement.P50, measurement.P99);
        }

        Array.Sort(rates);
        Array.Sort(p50s);
        Array.Sort(p99s);
        return new EchoResult(variant.Label, size, rates[Repetitions / 2], p50s[Repetitions / 2], p99s[Repetitions / 2], Failure: null);
    }

    private static string FindDocsDirectory()
    {
        for (DirectoryInfo? directory = new(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EasyNetwork.sln")))
            {
                return Path.Combine(directory.FullName, "docs", "benchmarks");
            }
        }

        throw new InvalidOperationException("Run the harness from inside the repository (no EasyNetwork.sln above the current directory), or pass --out DIR.");
    }
}
