using System;
using System.Collections.Generic;
using System.IO;
using System.Security;
using System.Text;

namespace EasyNetwork.Packaging.Tests;

/// <summary>
/// A small application that references the packed EasyNetwork.Runtime only, restored from the local feed first and the
/// repository's sources second, into a private package folder so no machine-wide cache ever holds this build's packages.
/// </summary>
internal sealed class ConsumerProject
{
    /// <summary>The name of the consumer's package source for the packed packages.</summary>
    public const string FeedSourceName = "easynetwork-packed";

    /// <summary>The message the program prints when the backend created by name ran its body.</summary>
    public const string SuccessMessage = "consumer ran on threadpool: 42";

    // The await the rule must flag; its line is found in the text, not hard-coded.
    private const string FlaggedAwait = "await backend.SleepAsync(TimeSpan.FromMilliseconds(1)); // EN0001";

    private const string Program = """
        using EasyNetwork;

        // Created by name: only the generator's registry (flowing from the package) registers the runtime's backends here.
        IAsyncBackend backend = AsyncBackendRegistry.Create("threadpool");
        int answer = backend.Run(static async backend =>
        {
            await Cleanup.CloseAsync(backend);
            return 42;
        }, backend);
        Console.WriteLine($"consumer ran on threadpool: {answer}");

        internal static class Cleanup
        {
            public static async ValueTask CloseAsync(IAsyncBackend backend)
            {
                try
                {
                    await backend.YieldAsync();
                }
                finally
                {
                    await backend.SleepAsync(TimeSpan.FromMilliseconds(1)); // EN0001
                }
            }
        }
        """;

    private ConsumerProject(string directory)
    {
        Directory = directory;
    }

    /// <summary>Gets the consumer's folder.</summary>
    public string Directory { get; }

    /// <summary>Gets the private global packages folder of the consumer's restore.</summary>
    public string PackagesDirectory => Path.Combine(Directory, "packages");

    /// <summary>Gets the build output folder.</summary>
    public string OutputDirectory => Path.Combine(Directory, "out");

    /// <summary>Gets the built application.</summary>
    public string AssemblyPath => Path.Combine(OutputDirectory, "Consumer.dll");

    /// <summary>Gets the 1-based line of the await that EN0001 must flag.</summary>
    public int FlaggedLine { get; } = FindLine(Program, FlaggedAwait);

    /// <summary>Writes the consumer.</summary>
    /// <param name="directory">An empty folder outside the repository.</param>
    /// <param name="feed">The folder of the packed packages.</param>
    /// <param name="version">The version to reference.</param>
    /// <param name="sources">The repository's package sources, for the packages' own dependencies.</param>
    /// <returns>The consumer.</returns>
    public static ConsumerProject Write(string directory, string feed, string version, IReadOnlyList<PackageSource> sources)
    {
        var consumer = new ConsumerProject(directory);
        System.IO.Directory.CreateDirectory(directory);

        // Stop MSBuild's upward search: no Directory.Build.* or central package management from above the temp folder.
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />\n");

        // The same SDK selection as the repository.
        File.Copy(Path.Combine(RepositoryBuild.Root, "global.json"), Path.Combine(directory, "global.json"));

        File.WriteAllText(Path.Combine(directory, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RestorePackagesPath>{Escape(consumer.PackagesDirectory)}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="EasyNetwork.Runtime" Version="[{Escape(version)}]" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), NuGetConfig(feed, consumer.PackagesDirectory, sources));
        File.WriteAllText(Path.Combine(directory, "Program.cs"), Program);
        return consumer;
    }

    // The local feed first and alone for EasyNetwork.*, so a package of the same ID and version on a remote source can never be chosen.
    private static string NuGetConfig(string feed, string packages, IReadOnlyList<PackageSource> sources)
    {
        var text = new StringBuilder();
        text.AppendLine("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
        text.AppendLine("<configuration>");
        text.AppendLine("  <config>");
        text.AppendLine($"    <add key=\"globalPackagesFolder\" value=\"{Escape(packages)}\" />");
        text.AppendLine("  </config>");
        text.AppendLine("  <packageSources>");
        text.AppendLine("    <clear />");
        text.AppendLine($"    <add key=\"{FeedSourceName}\" value=\"{Escape(feed)}\" />");
        foreach (PackageSource source in sources)
        {
            text.AppendLine($"    <add key=\"{Escape(source.Name)}\" value=\"{Escape(source.Location)}\" />");
        }

        text.AppendLine("  </packageSources>");
        text.AppendLine("  <packageSourceMapping>");
        text.AppendLine($"    <packageSource key=\"{FeedSourceName}\">");
        text.AppendLine("      <package pattern=\"EasyNetwork.*\" />");
        text.AppendLine("    </packageSource>");
        foreach (PackageSource source in sources)
        {
            text.AppendLine($"    <packageSource key=\"{Escape(source.Name)}\">");
            text.AppendLine("      <package pattern=\"*\" />");
            text.AppendLine("    </packageSource>");
        }

        text.AppendLine("  </packageSourceMapping>");
        text.AppendLine("</configuration>");
        return text.ToString();
    }

    private static string Escape(string value) => SecurityElement.Escape(value);

    private static int FindLine(string text, string line)
    {
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains(line, StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        throw new InvalidOperationException($"The consumer's program has no line '{line}'.");
    }
}
