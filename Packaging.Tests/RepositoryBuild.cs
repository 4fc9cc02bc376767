using System;
using System.IO;
using System.Reflection;

namespace EasyNetwork.Packaging.Tests;

/// <summary>Where the repository is and which configuration built it, as recorded in this assembly at build time.</summary>
internal static class RepositoryBuild
{
    /// <summary>Gets the repository root (the folder of <c>EasyNetwork.sln</c>).</summary>
    public static string Root { get; } = Read("EasyNetwork.RepositoryRoot");

    /// <summary>Gets the build configuration of this test run, which the packed projects were built in too.</summary>
    public static string Configuration { get; } = Read("EasyNetwork.Configuration");

    /// <summary>Gets the version every package carries: the <c>Version</c> of <c>Directory.Build.props</c>.</summary>
    public static string Version { get; } = Read("EasyNetwork.Version");

    /// <summary>Gets the projects that produce packages, in dependency order.</summary>
    public static string[] PackableProjects { get; } =
    [
        Path.Combine(Root, "Abstractions", "EasyNetwork.Abstractions.csproj"),
        Path.Combine(Root, "Runtime", "EasyNetwork.Runtime.csproj"),
    ];

    private static string Read(string key)
    {
        foreach (AssemblyMetadataAttribute attribute in typeof(RepositoryBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>())
        {
            if (attribute.Key == key && !string.IsNullOrEmpty(attribute.Value))
            {
                return attribute.Value;
            }
        }

        throw new InvalidOperationException($"The test assembly has no '{key}' metadata; it is set by EasyNetwork.Packaging.Tests.csproj.");
    }
}
