using Xunit;

namespace EasyNetwork.Runtime.Tests.Infrastructure;

/// <summary>
/// Serialises the socket tests: each one checks that the process's open descriptor count returns to where it started,
/// which only holds when no other test opens sockets meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NetworkCollection
{
    public const string Name = "Network (descriptor-counted)";
}
