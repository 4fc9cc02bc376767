using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;
using EasyNetwork.Samples.Echo;

namespace EasyNetwork.Benchmarks.Echo;

/// <summary>
/// Draws req/s as bars: one panel per message size, each with its own scale (100 KiB messages make far fewer
/// requests than 1 KiB ones), one bar per server in the same colour across panels.
/// </summary>
public static class SvgBarChart
{
    private const int PanelWidth = 300;
    private const int PanelHeight = 260;
    private const int Top = 50;
    private const int BarAreaHeight = 180;
    private const int LegendLineHeight = 18;
    private static readonly string[] s_colours = ["#7f7f7f", "#bcbd22", "#1f77b4", "#d62728", "#2ca02c", "#9467bd"];

    /// <summary>Renders the chart.</summary>
    /// <param name="results">Every row; servers and sizes keep their first-seen order.</param>
    /// <returns>The SVG document.</returns>
    public static string Render(IReadOnlyList<EchoResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var servers = new List<string>();
        var sizes = new List<int>();
        foreach (EchoResult row in results)
        {
            if (!servers.Contains(row.Server))
            {
                servers.Add(row.Server);
            }

            if (!sizes.Contains(row.MessageSize))
            {
                sizes.Add(row.MessageSize);
            }
        }

        int width = Math.Max(1, sizes.Count) * PanelWidth;
        int height = Top + PanelHeight + (servers.Count * LegendLineHeight) + 10;
        var svg = new StringBuilder();
        svg.AppendLine(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">Echo over loopback: requests per second (higher is better)</text>");
        for (int p = 0; p < sizes.Count; p++)
        {
            DrawPanel(svg, p * PanelWidth, sizes[p], servers, results);
        }

        int legendTop = Top + PanelHeight;
        for (int s = 0; s < servers.Count; s++)
        {
            int y = legendTop + (s * LegendLineHeight);
            svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"20\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{Colour(s)}\"/>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"38\" y=\"{y + 10}\">{Escape(servers[s])}</text>");
        }

        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static void DrawPanel(StringBuilder svg, int left, int size, List<string> servers, IReadOnlyList<EchoResult> results)
    {
        double max = 0;
        foreach (EchoResult row in results)
        {
            if (row.MessageSize == size && row.RequestsPerSecond is double rate)
            {
                max = Math.Max(max, rate);
            }
        }

        int baseline = Top + BarAreaHeight;
        int slot = (PanelWidth - 40) / Math.Max(1, servers.Count);
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{left + (PanelWidth / 2)}\" y=\"{Top - 8}\" text-anchor=\"middle\" font-weight=\"bold\">{Escape(EchoFormat.FormatBytes(size))} messages</text>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{left + 15}\" y1=\"{baseline}\" x2=\"{left + PanelWidth - 15}\" y2=\"{baseline}\" stroke=\"black\"/>");
        for (int s = 0; s < servers.Count; s++)
        {
            int x = left + 20 + (s * slot) + 4;
            int barWidth = slot - 8;
            double? value = EchoResult.RateOf(results, servers[s], size);
            if (value is not double rate || max <= 0)
            {
                svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{x + (barWidth / 2)}\" y=\"{baseline - 4}\" text-anchor=\"middle\" fill=\"#999\">n/a</text>");
                continue;
            }

            int barHeight = (int)Math.Round(rate / max * (BarAreaHeight - 20));
            svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{baseline - barHeight}\" width=\"{barWidth}\" height=\"{barHeight}\" fill=\"{Colour(s)}\"><title>{Escape(servers[s])}: {rate:N0} req/s</title></rect>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{x + (barWidth / 2)}\" y=\"{baseline - barHeight - 4}\" text-anchor=\"middle\" font-size=\"10\">{Compact(rate)}</text>");
        }
    }

    private static string Colour(int index) => s_colours[index % s_colours.Length];

    private static string Compact(double rate) => rate >= 10_000
        ? string.Create(CultureInfo.InvariantCulture, $"{rate / 1000:F1}k")
        : string.Create(CultureInfo.InvariantCulture, $"{rate:F0}");

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
