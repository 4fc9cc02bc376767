using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using EasyNetwork.Samples.Echo;

namespace EasyNetwork.Benchmarks.Echo;

/// <summary>The harness's Markdown: the table, and the page around it for <c>docs/benchmarks/echo.md</c>.</summary>
public static class EchoReport
{
    /// <summary>Formats the results as a Markdown table with both ratios.</summary>
    /// <param name="results">Every row, in run order.</param>
    /// <returns>The table.</returns>
    public static string Table(IReadOnlyList<EchoResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.AppendLine($"| Server | Size | req/s | p50 | p99 | server CPU / request | vs {EchoServerVariant.PlainDefault.Label} | vs {EchoServerVariant.PlainInline.Label} |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (EchoResult row in results)
        {
            if (row.RequestsPerSecond is not double rate)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Server} | {EchoFormat.FormatBytes(row.MessageSize)} | n/a | | | | | |");
                continue;
            }

            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Server} | {EchoFormat.FormatBytes(row.MessageSize)} | {rate:N0} | {EchoFormat.FormatLatency(row.P50)} | {EchoFormat.FormatLatency(row.P99)} | {EchoFormat.FormatLatency(row.ServerCpuPerRequest)} | {Format(row.VersusPlain)} | {Format(row.VersusInline)} |");
        }

        return text.ToString();
    }

    /// <summary>Formats the whole page: how it was measured, on what, the table and the failures.</summary>
    /// <param name="results">Every row.</param>
    /// <param name="settings">The load settings, one line.</param>
    /// <param name="command">The command that produced it.</param>
    /// <returns>The page.</returns>
    public static string Page(IReadOnlyList<EchoResult> results, string settings, string command)
    {
        ArgumentNullException.ThrowIfNull(results);
        var text = new StringBuilder();
        text.AppendLine("# Echo throughput");
        text.AppendLine();
        text.AppendLine("The EasyNetwork echo server (`Samples/Echo`, on each backend) beside a plain `Socket` + async/await echo server");
        text.AppendLine("(`Benchmarks/Echo/PlainEchoServer.cs`), with and without `DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1`, all");
        text.AppendLine("loaded by the same plain-socket client over loopback. Each server runs in its own process, all started at once; every");
        text.AppendLine("round measures each server at each size in turn. req/s and latencies are medians over the rounds; a ratio is the median");
        text.AppendLine("of the per-round ratios of req/s to the plain server's at the same size and round (above 1 is faster), with the");
        text.AppendLine("lowest and highest round in brackets: the spread is this machine's run-to-run noise. Server CPU per request is the");
        text.AppendLine("server process's processor time (user and kernel, all threads) over the measured requests: the server's own cost,");
        text.AppendLine("much less sensitive to other load on the machine than req/s.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- **Machine**: {MachineDescription.Describe()}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- **Date**: {DateTime.UtcNow:yyyy-MM-dd}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- **Command**: `{command}`");
        text.AppendLine(CultureInfo.InvariantCulture, $"- **Load**: {settings}; {CpuPinning.Description}.");
        if (MachineDescription.LoadAverage() is string loadAverage)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- **Load average at the end** (1, 5, 15 min): {loadAverage}. Other work on these cores makes the figures noisy; compare ratios from one run.");
        }
        text.AppendLine();
        text.Append(Table(results));
        foreach (EchoResult row in results)
        {
            if (row.Failure is not null && row.MessageSize == results[0].MessageSize)
            {
                text.AppendLine();
                text.AppendLine(CultureInfo.InvariantCulture, $"{row.Server}: n/a: {row.Failure}");
            }
        }

        text.AppendLine();
        text.AppendLine("![req/s per server and message size](echo.svg)");
        return text.ToString();
    }

    private static string Format(EchoRatio? ratio) => ratio?.ToString() ?? "n/a";
}
