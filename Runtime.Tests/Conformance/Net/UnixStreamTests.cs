using System;
using System.IO;
using System.Net.Sockets;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Conformance.Net;

/// <summary>SPEC S8.10, S8.37: Unix stream clients and listeners, in a private temporary directory.</summary>
[Collection(NetworkCollection.Name)]
public sealed class UnixStreamTests
{
    private static async ValueTask EchoOnceAsync(IStreamTransport transport)
    {
        var buffer = new byte[64];
        int n = await transport.ReceiveAsync(buffer);
        await transport.SendAllAsync(buffer.AsMemory(0, n));
    }

    private static async Task RunAsync(string backend, Func<IAsyncBackend, TempDirectory, ValueTask> body)
    {
        Assert.True(Socket.OSSupportsUnixDomainSockets, "Unix domain sockets are not available on this machine.");
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        using var directory = new TempDirectory();
        await BackendRuns.RunAsync(backend, b => body(b, directory));
    }

    private static async ValueTask<byte[]> RoundTripAsync(IAsyncBackend b, string path, string? localPath = null)
    {
        await using IStreamTransport client = await b.ConnectUnixStreamAsync(path, localPath);
        await client.SendAllAsync("ping"u8.ToArray());
        var buffer = new byte[4];
        int total = 0;
        while (total < buffer.Length)
        {
            total += await client.ReceiveAsync(buffer.AsMemory(total));
        }

        return buffer;
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_10_S8_37_a_client_talks_to_a_listener_with_the_mode_applied(string backend)
        => await RunAsync(backend, static async (b, directory) =>
        {
            string path = directory.File("server.sock");
            const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using IListener<IStreamTransport> listener = await b.CreateUnixStreamListenerAsync(path, backlog: 4, mode);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(mode, File.GetUnixFileMode(path));
            }

            await b.RunTaskGroupAsync(static async (group, s) =>
            {
                group.StartSoon(static l => l.ServeAsync(EchoOnceAsync), s.listener);
                Assert.Equal("ping"u8.ToArray(), await RoundTripAsync(s.b, s.path));
                Assert.Equal("ping"u8.ToArray(), await RoundTripAsync(s.b, s.path, s.directory.File("client.sock")));
                group.CancelScope.Cancel();
            }, (b, listener, path, directory));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_37_an_existing_path_is_in_use_and_is_never_deleted(string backend)
        => await RunAsync(backend, static async (b, directory) =>
        {
            string path = directory.File("taken.sock");
            await File.WriteAllTextAsync(path, "not a socket");
            SocketException error = await Assert.ThrowsAsync<SocketException>(async () => await b.CreateUnixStreamListenerAsync(path, backlog: 1));
            Assert.Equal(SocketError.AddressAlreadyInUse, error.SocketErrorCode);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
            Assert.Equal("not a socket", await File.ReadAllTextAsync(path));
            Assert.Throws<ArgumentOutOfRangeException>(() => { _ = b.CreateUnixStreamListenerAsync(directory.File("x.sock"), backlog: 0); });
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_10_connecting_to_a_missing_path_fails_and_closes_the_socket(string backend)
        => await RunAsync(backend, static async (b, directory) =>
        {
            await Assert.ThrowsAsync<SocketException>(async () => await b.ConnectUnixStreamAsync(directory.File("missing.sock")));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_10_abstract_names_work_on_Linux(string backend)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // abstract names exist on Linux only (xunit 2 has no dynamic skip)
        }

        await RunAsync(backend, static async (b, _) =>
        {
            string name = "\0easynetwork-test-" + Guid.NewGuid().ToString("N");
            await using IListener<IStreamTransport> listener = await b.CreateUnixStreamListenerAsync(name, backlog: 4);
            await b.RunTaskGroupAsync(static async (group, s) =>
            {
                group.StartSoon(static l => l.ServeAsync(EchoOnceAsync), s.listener);
                Assert.Equal("ping"u8.ToArray(), await RoundTripAsync(s.b, s.name));
                group.CancelScope.Cancel();
            }, (b, listener, name));
        });
    }
}
