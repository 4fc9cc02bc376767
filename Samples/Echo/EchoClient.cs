using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;

namespace EasyNetwork.Samples.Echo;

/// <summary>
/// The load client: one task per connection, each sending a message, reading back exactly as many bytes, checking
/// them and recording the round trip, until the duration's deadline moves the whole client on.
/// </summary>
internal sealed class EchoClient
{
    private readonly IAsyncBackend _backend;
    private readonly EndPoint _server;
    private readonly IReadOnlyList<ConnectionStatistics> _connections;
    private readonly int _messageSize;
    private readonly EchoTls? _tls;
    private readonly CancellationToken _stop;

    /// <summary>Creates a client.</summary>
    /// <param name="backend">The backend of the current run.</param>
    /// <param name="server">The server's address (TCP or Unix).</param>
    /// <param name="connections">One statistics object per connection to open.</param>
    /// <param name="messageSize">The message size in bytes.</param>
    /// <param name="tls">The TLS setup, or null for plain connections.</param>
    /// <param name="stop">Stops the load early (Ctrl+C).</param>
    public EchoClient(IAsyncBackend backend, EndPoint server, IReadOnlyList<ConnectionStatistics> connections, int messageSize, EchoTls? tls, CancellationToken stop)
    {
        _backend = backend;
        _server = server;
        _connections = connections;
        _messageSize = messageSize;
        _tls = tls;
        _stop = stop;
    }

    /// <summary>Runs every connection until <paramref name="duration"/> has passed or the stop token is cancelled.</summary>
    /// <param name="duration">How long to load the server.</param>
    /// <returns>A task that completes once every connection has stopped and closed.</returns>
    public async ValueTask RunAsync(TimeSpan duration)
    {
        await _backend.MoveOnAfterAsync(duration, static (scope, client) => client._backend.RunTaskGroupAsync(static (group, client) =>
        {
            for (int i = 0; i < client._connections.Count; i++)
            {
                group.StartSoon(static s => s.Client.RunConnectionAsync(s.Index), (Client: client, Index: i), $"connection {i}");
            }

            return ValueTask.CompletedTask;
        }, client), this, _stop);
    }

    private async ValueTask RunConnectionAsync(int index)
    {
        ConnectionStatistics statistics = _connections[index];
        int size = _messageSize;
        byte[] message = new byte[size];
        byte[] echo = new byte[size];
        for (int i = 0; i < size; i++)
        {
            message[i] = (byte)((i * 31) + index);
        }

        await using IStreamTransport transport = await ConnectAsync();
        for (long request = 0; ; request++)
        {
            // Each request carries its number, so an echo of an earlier request cannot pass the check.
            if (size >= sizeof(long))
            {
                BinaryPrimitives.WriteInt64LittleEndian(message, request);
            }

            long start = Stopwatch.GetTimestamp();
            await transport.SendAllAsync(message);
            statistics.AddSent(size);
            int filled = 0;
            while (filled < size)
            {
                int received = await transport.ReceiveAsync(echo.AsMemory(filled));
                if (received == 0)
                {
                    throw new EndOfStreamException($"Connection {index}: the server closed the connection after {filled} of {size} echoed bytes.");
                }

                filled += received;
                statistics.AddReceived(received);
            }

            long end = Stopwatch.GetTimestamp();
            if (!echo.AsSpan().SequenceEqual(message))
            {
                throw new InvalidDataException($"Connection {index}: request {request} came back with different bytes (first difference at offset {echo.AsSpan().CommonPrefixLength(message)}).");
            }

            statistics.AddRequest(end - start);
        }
    }

    private async ValueTask<IStreamTransport> ConnectAsync()
    {
        IStreamTransport transport = _server is IPEndPoint ip
            ? await _backend.ConnectTcpAsync(ip.Address.ToString(), ip.Port)
            : await _backend.ConnectUnixStreamAsync(_server.ToString()!);
        EchoServer.DisableCoalescing(transport);
        return _tls is null ? transport : await _tls.WrapClientAsync(transport);
    }
}
