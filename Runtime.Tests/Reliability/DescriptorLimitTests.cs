using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Reliability;

/// <summary>
/// Issue 9, peer faults: a listener whose process runs out of descriptors (SPEC S8.41, S14.6, S14.14). The server runs
/// in a child process (this assembly, <see cref="DescriptorLimitedServer"/>) that lowers its own <c>RLIMIT_NOFILE</c>,
/// so the test process keeps its descriptors. More clients connect than the child can accept; it must log the
/// back-off, keep serving the ones it holds, and accept the rest as those leave.
/// </summary>
[Collection(NetworkCollection.Name)]
public sealed class DescriptorLimitTests
{
    private const int Headroom = 8;
    private const int Clients = 24;
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [MemberData(nameof(ReliabilityRuns.Backends), MemberType = typeof(ReliabilityRuns))]
    public async Task S8_41_a_listener_out_of_descriptors_backs_off_and_accepts_again_when_they_free_up(string backend)
    {
        if (!DescriptorLimit.Supported)
        {
            return; // RLIMIT_NOFILE and /proc/self/fd are Linux (xunit 2 has no dynamic skip)
        }

        using OpenDescriptors descriptors = OpenDescriptors.Check();
        DescriptorLimitedChild child = await DescriptorLimitedChild.StartAsync(backend, Headroom, s_timeout);
        var clients = new List<Socket>();
        try
        {
            // Every client is queued by the kernel (backlog 64); the child can take only about Headroom of them.
            for (int i = 0; i < Clients; i++)
            {
                var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(client);
                await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, child.Port));
                await client.SendAsync(new byte[] { (byte)i });
            }

            var echoes = clients.Select(static (c, i) => ReceiveOneAsync(c, i)).ToList();
            string? backOff = await child.WaitForLineAsync(static line => line.StartsWith(LineLogger.Prefix + "Error", StringComparison.Ordinal) && line.Contains(nameof(SocketError.TooManyOpenSockets), StringComparison.Ordinal), s_timeout);
            Assert.True(backOff is not null, $"The child never logged the back-off. Its errors: {child.Errors}");
            Assert.Contains("100", backOff, StringComparison.Ordinal); // the retry delay (S14.6)

            // Each echoed client leaves, which frees a descriptor in the child, which then accepts the next one.
            int served = 0;
            while (echoes.Count > 0)
            {
                Task<(int Index, int Echo)> done = await Task.WhenAny(echoes).WaitAsync(s_timeout);
                echoes.Remove(done);
                (int index, int echo) = await done;
                Assert.Equal(index, echo);
                clients[index].Dispose();
                served++;
            }

            Assert.Equal(Clients, served);
            Assert.True(child.IsRunning, $"The child stopped. Its errors: {child.Errors}");
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"The test failed; the child's output:{Environment.NewLine}{child.Output}{Environment.NewLine}Its errors: {child.Errors}", e);
        }
        finally
        {
            foreach (Socket client in clients)
            {
                client.Dispose();
            }

            await child.DisposeAsync();
        }

        Assert.True(child.ExitCode == 0, $"The child exited with {child.ExitCode}. Its errors: {child.Errors}");
        ReliabilityFigures.Record("descriptor limit", backend, "clients served past the limit", Clients);
        ReliabilityFigures.Record("peer faults", backend, "faults injected", 1);
    }

    private static async Task<(int Index, int Echo)> ReceiveOneAsync(Socket client, int index)
    {
        var buffer = new byte[1];
        int n = await client.ReceiveAsync(buffer);
        return (index, n == 1 ? buffer[0] : -1);
    }
}
