using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace EasyNetwork.Benchmarks.Echo;

/// <summary>
/// The baseline: an echo server written the way a .NET developer would, with <see cref="Socket"/> and async/await:
/// an accept loop and one fire-and-forget task per connection.
/// </summary>
public static class PlainEchoServer
{
    /// <summary>Serves on 127.0.0.1 until <paramref name="stop"/> is cancelled.</summary>
    /// <param name="started">Called with the bound port.</param>
    /// <param name="stop">Stops accepting; open connections end with their clients.</param>
    /// <returns>A task that completes when the server stops.</returns>
    public static async Task RunAsync(Action<int> started, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(started);
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(100);
        started(((IPEndPoint)listener.LocalEndPoint!).Port);
        try
        {
            while (true)
            {
                Socket connection = await listener.AcceptAsync(stop).ConfigureAwait(false);
                _ = EchoAsync(connection, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping is the normal way out of the accept loop.
        }
    }

    private static async Task EchoAsync(Socket connection, CancellationToken stop)
    {
        using (connection)
        {
            connection.NoDelay = true;
            byte[] buffer = new byte[16 * 1024];
            try
            {
                int received;
                while ((received = await connection.ReceiveAsync(buffer, SocketFlags.None, stop).ConfigureAwait(false)) > 0)
                {
                    await connection.SendAsync(buffer.AsMemory(0, received), SocketFlags.None, stop).ConfigureAwait(false);
                }
            }
#pragma warning disable EN0003 // Plain .NET baseline, outside any cancel scope: the token is the server's own stop token.
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                // A client that resets, or the server stopping, ends this connection only.
            }
#pragma warning restore EN0003
        }
    }
}
