using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using Xunit;

namespace EasyNetwork.Packaging.Tests;

/// <summary>
/// Packs the packable projects once per test run into a fresh folder that serves as a local feed. The solution build
/// has produced the binaries already, so the pack does not build (rebuilding would rewrite DLLs that other test
/// assemblies have loaded).
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    private static readonly TimeSpan s_packTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Gets the scratch folder of this run; the feed and the consumer live under it.</summary>
    public string WorkDirectory { get; } = Path.Combine(Path.GetTempPath(), "easynetwork-packaging-" + Guid.NewGuid().ToString("N"));

    /// <summary>Gets the folder holding the packed <c>.nupkg</c> and <c>.snupkg</c> files.</summary>
    public string FeedDirectory => Path.Combine(WorkDirectory, "feed");

    /// <summary>Gets how long each pack took, for the test log.</summary>
    internal IReadOnlyList<CommandResult> PackResults { get; private set; } = [];

    /// <summary>Returns the path of a packed package.</summary>
    /// <param name="id">The package ID.</param>
    /// <param name="version">The package version.</param>
    /// <param name="extension"><c>nupkg</c> or <c>snupkg</c>.</param>
    /// <returns>The file's path (which may not exist).</returns>
    public string PackagePath(string id, string version, string extension = "nupkg") => Path.Combine(FeedDirectory, $"{id}.{version}.{extension}");

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(FeedDirectory);
        var results = new List<CommandResult>();
        foreach (string project in RepositoryBuild.PackableProjects)
        {
            results.Add((await DotnetCommand.RunAsync(
                RepositoryBuild.Root,
                ["pack", project, "-c", RepositoryBuild.Configuration, "--no-build", "-o", FeedDirectory, "-nodeReuse:false", "--disable-build-servers"],
                s_packTimeout).ConfigureAwait(false)).AssertSucceeded());
        }

        PackResults = results;
    }

    /// <inheritdoc/>
    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A scratch folder under the temp directory; leaving it behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }

        return Task.CompletedTask;
    }
}
