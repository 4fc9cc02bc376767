namespace EasyNetwork.Packaging.Tests;

/// <summary>One enabled NuGet package source: its name (which credentials are keyed by) and its address.</summary>
/// <param name="Name">The source's key.</param>
/// <param name="Location">The source's URL or folder.</param>
internal sealed record PackageSource(string Name, string Location);
