using EasyNetwork.Runtime.Tests.Reliability;

namespace EasyNetwork.Runtime.Tests.Infrastructure;

/// <summary>
/// The entry point of the test assembly (instead of the test SDK's empty one), so a test can start this very assembly
/// as a child process: <c>dotnet exec EasyNetwork.Runtime.Tests.dll descriptor-limited-server BACKEND HEADROOM</c>.
/// </summary>
internal static class TestProgram
{
    private static int Main(string[] args)
        => args.Length > 0 && args[0] == DescriptorLimitedServer.Command ? DescriptorLimitedServer.Run(args[1..]) : 0;
}
