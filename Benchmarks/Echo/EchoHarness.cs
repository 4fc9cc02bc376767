using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using EasyNetwork.Samples.Echo;

namespace EasyNetwork.Benchmarks.Echo;

/// <summary>
/// <c>dotnet run -c Release --project Benchmarks -- echo [--quick] [--rounds N] [--size BYTES]... [--out DIR]</c>: every echo server in its own pinned
/// process, loaded by the same plain-socket client from this process; a Markdown table on stdout and, for a full run,
/// <c>docs/benchmarks/echo.md</c> and <c>echo.svg</c>.
/// </summary>
public static class EchoHarness
{
    private const int Connections = 10;
    private const int Rounds = 5;
    private static readonly int[] s_sizes = [1024, 10 * 1024, 100 * 1024];

    /// <summary>Runs the harness.</summary>
    /// <param name="args">The arguments after <c>echo</c>.</param>
    /// <returns>The exit code: 0 done, 1 a server or the client failed, 2 bad arguments.</returns>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        bool quick = false;
        int? rounds = null;
        var sizes = new List<int>();
        string? outDirectory = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
            {
                quick = true;
            }
            else if (args[i] == "--rounds" && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count is >= 1 and <= 50)
            {
                rounds = count;
                i++;
            }
            else if (args[i] == "--size" && i + 1 < args.Length && ParseSize(args[i + 1]) is int size)
            {
                sizes.Add(size);
                i++;
            }
            else if (args[i] == "--out" && i + 1 < args.Length)
            {
                outDirectory = args[++i];
            }
            else
            {
                Console.Error.WriteLine($"error: bad argument '{args[i]}'. Usage: echo [--quick] [--rounds 1-50] [--size BYTES (1 B-4 MiB, k/m suffixes)]... [--out DIR]  (a default run writes docs/benchmarks/echo.md and echo.svg; --quick, --rounds or --size write only with --out)");
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

        // Only the documented settings may replace the documented tables.
        bool documented = !quick && rounds is null && sizes.Count == 0;
        string? directory = outDirectory ?? (documented ? FindDocsDirectory() : null);
        return RunAsync(quick, rounds ?? (quick ? 1 : Rounds), sizes.Count > 0 ? [.. sizes] : s_sizes, directory).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(bool quick, int rounds, int[] sizes, string? directory)
    {
        TimeSpan warmUp = quick ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromMilliseconds(500);
        TimeSpan measured = quick ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(2);
        string settings = string.Create(CultureInfo.InvariantCulture,
            $"{Connections} connections; a warm-up round, then {rounds} round{(rounds == 1 ? string.Empty : "s")}, each measuring every server at every size in turn ({warmUp.TotalSeconds:0.#} s warm-up, {measured.TotalSeconds:0.#} s measured); medians over the rounds, ratios paired round by round");
        Console.WriteLine($"Echo harness: {settings}; {CpuPinning.Description}.");
        var servers = new List<(EchoServerVariant Variant, ServerChild Child)>();
        var failures = new Dictionary<EchoServerVariant, string>();
        var samples = new EchoSamples();
        try
        {
            foreach (EchoServerVariant variant in EchoServerVariant.All)
            {
                try
                {
                    servers.Add((variant, await ServerChild.StartAsync(variant).ConfigureAwait(false)));
                }
                catch (InvalidOperationException e)
                {
                    Console.WriteLine($"{variant.Label}: n/a ({e.Message})");
                    failures[variant] = e.Message;
                }
            }

            // Idle servers wait in their pollers; only the one under load uses the server core.
            // Round 0 is not recorded: every server's code reaches its optimised tier before the first measured round (in the
            // first round of a run the servers with more code to compile were measurably slower).
            for (int round = 0; round <= rounds; round++)
            {
                foreach (int size in sizes)
                {
                    foreach ((EchoServerVariant variant, ServerChild child) in servers)
                    {
                        EchoMeasurement measurement = await MeasureAsync(child, size, warmUp, measured).ConfigureAwait(false);
                        if (round > 0)
                        {
                            samples.Add(variant.Label, size, measurement);
                        }

                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{(round == 0 ? "warm-up" : $"round {round}/{rounds}")}  {variant.Label,-34} {EchoFormat.FormatBytes(size),8} {measurement.RequestsPerSecond,10:N0} req/s  p50 {EchoFormat.FormatLatency(measurement.P50)}  p99 {EchoFormat.FormatLatency(measurement.P99)}  server CPU {EchoFormat.FormatLatency(measurement.ServerCpuPerRequest)}/request"));
                    }
                }
            }
        }
        finally
        {
            foreach ((_, ServerChild child) in servers)
            {
                await child.DisposeAsync().ConfigureAwait(false);
            }
        }

        var results = new List<EchoResult>();
        foreach (EchoServerVariant variant in EchoServerVariant.All)
        {
            foreach (int size in sizes)
            {
                results.Add(failures.TryGetValue(variant, out string? failure)
                    ? new EchoResult(variant.Label, size, null, TimeSpan.Zero, TimeSpan.Zero, failure)
                    : samples.Summarise(variant.Label, size));
            }
        }

        Console.WriteLine();
        Console.Write(EchoReport.Table(results));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
            string command = "dotnet run -c Release --project Benchmarks -- echo" + (quick ? " --quick" : string.Empty)
                + (rounds != Rounds && !quick ? $" --rounds {rounds}" : string.Empty)
                + (sizes == s_sizes ? string.Empty : string.Concat(sizes.Select(size => $" --size {size}")));
            await File.WriteAllTextAsync(Path.Combine(directory, "echo.md"), EchoReport.Page(results, settings, command)).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(directory, "echo.svg"), SvgBarChart.Render(results)).ConfigureAwait(false);
            Console.WriteLine($"Wrote {Path.Combine(directory, "echo.md")} and echo.svg.");
        }

        return failures.Count == 0 ? 0 : 1;
    }

    private static async Task<EchoMeasurement> MeasureAsync(ServerChild server, int size, TimeSpan warmUp, TimeSpan measured)
    {
        using PlainEchoClient client = await PlainEchoClient.ConnectAsync(server.Port, Connections, size).ConfigureAwait(false);
        await client.RunAsync(warmUp).ConfigureAwait(false);
        TimeSpan cpuBefore = server.ProcessorTime;
        long start = Stopwatch.GetTimestamp();
        EchoMeasurement measurement = await client.RunAsync(measured).ConfigureAwait(false);
        double requests = measurement.RequestsPerSecond * Stopwatch.GetElapsedTime(start).TotalSeconds;

        // Processor time does not depend on how busy the machine is the way req/s does: the steadier efficiency figure.
        TimeSpan cpu = server.ProcessorTime - cpuBefore;
        return measurement with { ServerCpuPerRequest = requests > 0 ? cpu / requests : TimeSpan.Zero };
    }

    private static int? ParseSize(string text)
    {
        int multiplier = text.EndsWith('k') || text.EndsWith('K') ? 1024 : text.EndsWith('m') || text.EndsWith('M') ? 1024 * 1024 : 1;
        string digits = multiplier == 1 ? text : text[..^1];
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && (long)value * multiplier is >= 1 and <= 4 * 1024 * 1024
            ? value * multiplier
            : null;
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
