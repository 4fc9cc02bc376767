using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit.Sdk;

namespace EasyNetwork.Packaging.Tests;

/// <summary>
/// The package sources a restore in the repository uses (its nuget.config keeps the machine's sources), asked of the
/// CLI so the consumer restores the packed package's own dependencies from the same mirror as the solution.
/// </summary>
internal static partial class RepositoryPackageSources
{
    /// <summary>Lists the enabled sources, in the order NuGet reads them.</summary>
    /// <returns>The sources.</returns>
    public static async Task<IReadOnlyList<PackageSource>> ReadAsync()
    {
        CommandResult result = (await DotnetCommand.RunAsync(RepositoryBuild.Root, ["nuget", "list", "source"], TimeSpan.FromMinutes(2)).ConfigureAwait(false)).AssertSucceeded();

        // "  1.  nuget.org [Enabled]" followed by a line holding the address.
        var sources = new List<PackageSource>();
        string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i + 1 < lines.Length; i++)
        {
            Match header = SourceHeader().Match(lines[i]);
            if (header.Success && header.Groups["state"].Value == "Enabled")
            {
                sources.Add(new PackageSource(header.Groups["name"].Value, lines[i + 1]));
            }
        }

        if (sources.Count == 0)
        {
            throw new XunitException(result.Describe("listed no enabled package source"));
        }

        return sources;
    }

    [GeneratedRegex(@"^\d+\.\s+(?<name>.+?)\s+\[(?<state>Enabled|Disabled)\]$")]
    private static partial Regex SourceHeader();
}
