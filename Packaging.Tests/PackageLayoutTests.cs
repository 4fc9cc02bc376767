using System;
using System.IO;
using System.Xml.Linq;
using Xunit;

namespace EasyNetwork.Packaging.Tests;

/// <summary>
/// What the packed packages hold (docs/packaging.md): EasyNetwork.Abstractions carries the generator and the code fixes
/// as C# analyzers, EasyNetwork.Runtime depends on it without cutting the analyzers off, and no Roslyn project or
/// package becomes a dependency.
/// </summary>
[Collection(PackagingCollection.Name)]
public sealed class PackageLayoutTests(PackedPackages packages)
{
    private const string Abstractions = "EasyNetwork.Abstractions";
    private const string Runtime = "EasyNetwork.Runtime";

    private PackageContents Read(string id)
    {
        string path = packages.PackagePath(id, RepositoryBuild.Version);
        Assert.True(File.Exists(path), $"'{path}' was not packed; the feed holds: {string.Join(", ", Directory.GetFiles(packages.FeedDirectory))}");
        return PackageContents.Read(path);
    }

    [Fact]
    public void Abstractions_package_carries_the_generator_and_the_code_fixes_as_CSharp_analyzers()
    {
        PackageContents package = Read(Abstractions);

        Assert.Contains("analyzers/dotnet/cs/EasyNetwork.Generator.dll", package.Entries);
        Assert.Contains("analyzers/dotnet/cs/EasyNetwork.Generator.CodeFixes.dll", package.Entries);
        Assert.Contains("lib/net10.0/EasyNetwork.Abstractions.dll", package.Entries);
        Assert.Contains("lib/net10.0/EasyNetwork.Abstractions.xml", package.Entries);
    }

    [Fact]
    public void Runtime_package_holds_its_library_and_no_analyzer_of_its_own()
    {
        PackageContents package = Read(Runtime);

        Assert.Contains("lib/net10.0/EasyNetwork.Runtime.dll", package.Entries);
        Assert.Contains("lib/net10.0/EasyNetwork.Runtime.xml", package.Entries);
        Assert.DoesNotContain(package.Entries, static entry => entry.StartsWith("analyzers/", StringComparison.Ordinal));
    }

    [Fact]
    public void Runtime_depends_on_the_same_version_of_Abstractions_and_keeps_its_analyzers()
    {
        PackageContents package = Read(Runtime);

        XElement dependency = Assert.Single(package.Dependencies(), static d => (string?)d.Attribute("id") == Abstractions);
        Assert.Equal(RepositoryBuild.Version, (string?)dependency.Attribute("version"));
        string excluded = (string?)dependency.Attribute("exclude") ?? string.Empty;
        Assert.DoesNotContain("Analyzers", excluded, StringComparison.OrdinalIgnoreCase);
        string included = (string?)dependency.Attribute("include") ?? "All";
        Assert.True(included.Contains("All", StringComparison.OrdinalIgnoreCase) || included.Contains("Analyzers", StringComparison.OrdinalIgnoreCase), $"The dependency includes only '{included}'.");
    }

    [Theory]
    [InlineData(Abstractions)]
    [InlineData(Runtime)]
    public void No_Roslyn_project_or_package_is_a_dependency(string id)
    {
        foreach (XElement dependency in Read(id).Dependencies())
        {
            string dependencyId = (string?)dependency.Attribute("id") ?? string.Empty;
            Assert.False(dependencyId.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase), $"{id} depends on {dependencyId}.");
            Assert.False(dependencyId.StartsWith("EasyNetwork.Generator", StringComparison.OrdinalIgnoreCase), $"{id} depends on {dependencyId}.");
        }
    }

    [Theory]
    [InlineData(Abstractions)]
    [InlineData(Runtime)]
    public void Package_metadata_is_complete(string id)
    {
        PackageContents package = Read(id);

        Assert.Equal(id, package.Value("id"));
        Assert.Equal(RepositoryBuild.Version, package.Value("version"));
        Assert.False(string.IsNullOrWhiteSpace(package.Value("description")));
        Assert.False(string.IsNullOrWhiteSpace(package.Value("tags")));
        Assert.Equal("expression", (string?)package.Element("license")?.Attribute("type"));
        Assert.False(string.IsNullOrWhiteSpace(package.Value("license")));
        Assert.StartsWith("https://", (string?)package.Element("repository")?.Attribute("url"), StringComparison.Ordinal);
        string readme = package.Value("readme") ?? string.Empty;
        Assert.Contains(readme, package.Entries);
    }

    [Theory]
    [InlineData(Abstractions)]
    [InlineData(Runtime)]
    public void Symbols_package_holds_the_pdb(string id)
    {
        string path = packages.PackagePath(id, RepositoryBuild.Version, "snupkg");
        Assert.True(File.Exists(path), $"'{path}' was not packed.");

        Assert.Contains($"lib/net10.0/{id}.pdb", PackageContents.Read(path).Entries);
    }
}
