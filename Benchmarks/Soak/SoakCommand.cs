using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;

namespace EasyNetwork.Benchmarks.Soak;

/// <summary>
/// <c>dotnet run -c Release --project Benchmarks -- soak [--minutes N]</c>: runs the reliability suite of Runtime.Tests
/// (<c>Runtime.Tests/Reliability</c>) at its full sizes (<c>EASYNETWORK_RELIABILITY_SCALE=soak</c>), round after round
/// while the time allows (N minutes, 1 to 4, default 4; a round that would not fit is not started, and a round still
/// running at the bound is killed and counted as failed), then prints the summed figures as a Markdown table for
/// <c>docs/reliability.md</c>.
/// </summary>
public static class SoakCommand
{
    private const int MaxMinutes = 4;
    private const string ScaleVariable = "EASYNETWORK_RELIABILITY_SCALE";
    private const string FiguresVariable = "EASYNETWORK_RELIABILITY_FIGURES";
    private const string Filter = "FullyQualifiedName~EasyNetwork.Runtime.Tests.Reliability";

    /// <summary>Runs the soak.</summary>
    /// <param name="args">The arguments after <c>soak</c>.</param>
    /// <returns>0 when every round passed, 1 when one failed or was killed, 2 for bad arguments.</returns>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int minutes = MaxMinutes;
        if (args.Length == 2 && args[0] == "--minutes" && int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) && parsed is >= 1 and <= MaxMinutes)
        {
            minutes = parsed;
        }
        else if (args.Length != 0)
        {
            Console.Error.WriteLine($"error: usage: soak [--minutes N]  (N from 1 to {MaxMinutes}; the whole soak stays under 5 minutes)");
            return 2;
        }

        string root = FindRepositoryRoot();
        string figuresFile = Path.Combine(Path.GetTempPath(), $"easynetwork-soak-{Environment.ProcessId}.tsv");
        File.Delete(figuresFile);
        TimeSpan budget = TimeSpan.FromMinutes(minutes);
        var clock = Stopwatch.StartNew();
        TimeSpan longestRound = TimeSpan.Zero;
        int rounds = 0;
        int failedRounds = 0;
        Console.WriteLine($"Soak: the reliability tests at full size, {minutes} min at most.");

        // The first round also builds Runtime.Tests; later rounds reuse the build.
        while (rounds == 0 || clock.Elapsed + longestRound < budget)
        {
            var round = Stopwatch.StartNew();
            bool passed = RunRound(root, figuresFile, build: rounds == 0, budget - clock.Elapsed);
            rounds++;
            failedRounds += passed ? 0 : 1;
            longestRound = round.Elapsed > longestRound ? round.Elapsed : longestRound;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {rounds}: {(passed ? "passed" : "FAILED")} in {round.Elapsed.TotalSeconds:0.0} s"));
            if (!passed)
            {
                break;
            }
        }

        Console.WriteLine();
        Console.Write(Table(ReadFigures(figuresFile), rounds, failedRounds, clock.Elapsed));
        File.Delete(figuresFile);
        return failedRounds == 0 ? 0 : 1;
    }

    private static bool RunRound(string root, string figuresFile, bool build, TimeSpan left)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { UseShellExecute = false };
        foreach (string argument in new[] { "test", Path.Combine(root, "Runtime.Tests"), "-c", "Release", "--filter", Filter })
        {
            info.ArgumentList.Add(argument);
        }

        if (!build)
        {
            info.ArgumentList.Add("--no-build");
        }

        info.Environment[ScaleVariable] = "soak";
        info.Environment[FiguresVariable] = figuresFile;
        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
        if (!process.WaitForExit(left))
        {
            Console.WriteLine("The round ran past the soak's bound: killed.");
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return false;
        }

        return process.ExitCode == 0;
    }

    private static SortedDictionary<(string Workload, string Backend, string Figure), long> ReadFigures(string path)
    {
        var totals = new SortedDictionary<(string, string, string), long>();
        if (!File.Exists(path))
        {
            return totals;
        }

        foreach (string line in File.ReadLines(path))
        {
            string[] columns = line.Split('\t');
            if (columns.Length == 4 && long.TryParse(columns[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                (string, string, string) key = (columns[0], columns[1], columns[2]);
                totals[key] = totals.GetValueOrDefault(key) + value;
            }
        }

        return totals;
    }

    private static string Table(SortedDictionary<(string Workload, string Backend, string Figure), long> totals, int rounds, int failedRounds, TimeSpan elapsed)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{rounds} round(s), {failedRounds} failed, {elapsed.TotalMinutes:0.0} min; figures summed over the rounds."));
        text.AppendLine();
        text.AppendLine("| Workload | Backend | Figure | Total |");
        text.AppendLine("|---|---|---|---:|");
        foreach (KeyValuePair<(string Workload, string Backend, string Figure), long> row in totals)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Key.Workload} | {row.Key.Backend} | {row.Key.Figure} | {row.Value:N0} |"));
        }

        return text.ToString();
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EasyNetwork.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Run the soak from inside the repository (no EasyNetwork.sln above the current directory).");
    }
}
