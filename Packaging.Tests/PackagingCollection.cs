using Xunit;

namespace EasyNetwork.Packaging.Tests;

/// <summary>The packaging tests share one pack of the repository and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<PackedPackages>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Packaging";
}
