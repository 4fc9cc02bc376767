using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace EasyNetwork.Packaging.Tests;

/// <summary>
/// The packed package as a user gets it (issue #7, packaging): a project outside the repository references
/// EasyNetwork.Runtime from a local feed and nothing else, and its build reports EN0001 as a warning, and the generator
/// registers the runtime's backends so one can be created by name.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class ConsumerBuildTests(PackedPackages packages, ITestOutputHelper output)
{
    private static readonly TimeSpan s_buildTimeout = TimeSpan.FromMinutes(8);
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Consumer_of_the_packed_runtime_gets_the_analyzers_and_the_generator()
    {
        IReadOnlyList<PackageSource> sources = await RepositoryPackageSources.ReadAsync();
        ConsumerProject consumer = ConsumerProject.Write(Path.Combine(packages.WorkDirectory, "consumer"), packages.FeedDirectory, RepositoryBuild.Version, sources);
        var environment = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = consumer.PackagesDirectory };

        CommandResult build = (await DotnetCommand.RunAsync(
            consumer.Directory,
            ["build", "-c", "Release", "-o", consumer.OutputDirectory, "-nodeReuse:false", "--disable-build-servers", "-p:UseSharedCompilation=false"],
            s_buildTimeout,
            environment)).AssertSucceeded();

        string expected = $"Program.cs({consumer.FlaggedLine},";
        bool reported = false;
        foreach (string line in build.StandardOutput.Split('\n'))
        {
            reported |= line.Contains(expected, StringComparison.Ordinal) && line.Contains("warning EN0001:", StringComparison.Ordinal);
        }

        Assert.True(reported, build.Describe($"reported no 'warning EN0001' at {expected}..."));
        Assert.True(Directory.Exists(Path.Combine(consumer.PackagesDirectory, "easynetwork.abstractions")), "The packages were not restored into the private folder.");

        CommandResult run = (await DotnetCommand.RunAsync(consumer.Directory, [consumer.AssemblyPath], s_runTimeout, environment)).AssertSucceeded();
        Assert.True(run.StandardOutput.Contains(ConsumerProject.SuccessMessage, StringComparison.Ordinal), run.Describe($"did not print '{ConsumerProject.SuccessMessage}'"));

        foreach (CommandResult pack in packages.PackResults)
        {
            output.WriteLine($"{pack.CommandLine}: {pack.Elapsed.TotalSeconds:F1} s");
        }

        output.WriteLine($"consumer restore+build: {build.Elapsed.TotalSeconds:F1} s; run: {run.Elapsed.TotalSeconds:F1} s");
    }
}
