using System;
using System.Buffers;
using System.IO;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Conformance.Net;

/// <summary>SPEC S8.28: the <see cref="Stream"/> and <see cref="IDuplexPipe"/> adapters of a stream transport.</summary>
[Collection(NetworkCollection.Name)]
public sealed class StreamAdapterTests
{
    private static readonly byte[] s_hello = "hello, adapter"u8.ToArray();

    private static Task WithPeerAsync(string backend, Func<IAsyncBackend, IStreamTransport, RawPeer, ValueTask> body)
        => StreamTransportTests.WithPeerAsync(backend, body);

    private static async ValueTask<byte[]> ReadToEndAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        using var received = new MemoryStream();
        var buffer = new byte[5];
        int n;
        while ((n = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            received.Write(buffer, 0, n);
        }

        return received.ToArray();
    }

    /// <summary>Cancels <paramref name="source"/> from a sibling task once the caller is (most likely) parked in <paramref name="operation"/>.</summary>
    private static ValueTask<Exception?> CancelDuringAsync(IAsyncBackend b, CancellationTokenSource source, Func<ValueTask> operation)
        => b.RunTaskGroupAsync(static async (group, s) =>
        {
            group.StartSoon(static async s =>
            {
                await s.b.YieldAsync();
                await s.source.CancelAsync();
            }, (s.b, s.source));
            return await Catch.ExceptionAsync(s.operation);
        }, (b, source, operation));

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_28_the_stream_reads_writes_and_reports_eof_as_0(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            Stream stream = transport.AsStream();
            Assert.True(stream.CanRead);
            Assert.True(stream.CanWrite);
            Assert.False(stream.CanSeek);

            await stream.WriteAsync(s_hello);
            await stream.WriteAsync(s_hello, 0, 5);
            await stream.FlushAsync();
            byte[] expected = [.. s_hello, .. s_hello[..5]];
            Assert.Equal(expected, await peer.ReceiveExactlyAsync(b, s_hello.Length + 5));

            await peer.SendAsync(b, s_hello);
            peer.Socket.Shutdown(SocketShutdown.Send);
            Assert.Equal(s_hello, await ReadToEndAsync(stream));
            Assert.Equal(0, await stream.ReadAsync(new byte[4]));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_28_synchronous_and_seeking_members_are_not_supported(string backend)
        => await WithPeerAsync(backend, static (b, transport, peer) =>
        {
            Stream stream = transport.AsStream();
            NotSupportedException read = Assert.Throws<NotSupportedException>(() => stream.Read(new byte[1], 0, 1));
            Assert.Contains("asynchronous only", read.Message, StringComparison.Ordinal);
            Assert.Throws<NotSupportedException>(() => stream.Write(s_hello, 0, 1));
            Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
            Assert.Throws<NotSupportedException>(() => stream.Length);
            Assert.Throws<NotSupportedException>(() => stream.Position);
            Assert.False(transport.IsClosing);
            return ValueTask.CompletedTask;
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_28_a_token_cancelled_read_throws_a_foreign_cancellation_with_the_token_and_loses_no_data(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            Stream stream = transport.AsStream();
            var buffer = new byte[64];
            for (int round = 0; round < 3; round++)
            {
                using var source = new CancellationTokenSource();
                Exception? error = await CancelDuringAsync(b, source, async () => _ = await stream.ReadAsync(buffer, source.Token));
                OperationCanceledException cancelled = Assert.IsType<OperationCanceledException>(error, exactMatch: false);
                Assert.IsNotType<CancelledException>(cancelled);
                Assert.Equal(source.Token, cancelled.CancellationToken);
            }

            // An already cancelled token: the call raises at its cancel point, before touching the socket.
            using (var cancelled = new CancellationTokenSource())
            {
                await cancelled.CancelAsync();
                OperationCanceledException early = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => _ = await stream.ReadAsync(buffer, cancelled.Token));
                Assert.Equal(cancelled.Token, early.CancellationToken);
            }

            // The caller's own scopes were never cancelled: its next checkpoint passes.
            await b.YieldAsync();
            await peer.SendAsync(b, s_hello);
            peer.Socket.Shutdown(SocketShutdown.Send);
            using var live = new CancellationTokenSource();
            Assert.Equal(s_hello, await ReadToEndAsync(stream, live.Token));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_28_a_token_cancelled_write_throws_a_foreign_cancellation_with_the_token(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            Stream stream = transport.AsStream();
            using var source = new CancellationTokenSource();

            // Larger than the socket buffers: the write is still in flight when the sibling cancels the token.
            Exception? error = await CancelDuringAsync(b, source, () => stream.WriteAsync(new byte[32 << 20], source.Token));
            OperationCanceledException cancelled = Assert.IsType<OperationCanceledException>(error, exactMatch: false);
            Assert.IsNotType<CancelledException>(cancelled);
            Assert.Equal(source.Token, cancelled.CancellationToken);
            Assert.False(transport.IsClosing);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_28_a_cancelled_enclosing_scope_still_catches_its_own_cancellation(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            Stream stream = transport.AsStream();
            using var source = new CancellationTokenSource();

            // The scope expires (instantly on the virtual clock) while the read waits; the token is not the cause.
            CancelScope scope = await b.MoveOnAfterAsync(TimeSpan.FromMilliseconds(20), static async (_, s) => { int read = await s.stream.ReadAsync(new byte[8], s.token); Assert.Fail($"The read returned {read} bytes instead of waiting."); }, (stream, token: source.Token));
            Assert.True(scope.CancelledCaught);
            Assert.False(source.IsCancellationRequested);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_28_disposing_the_stream_closes_the_transport(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            Stream stream = transport.AsStream();
            await stream.WriteAsync(s_hello);
            await stream.DisposeAsync();
            Assert.True(transport.IsClosing);
            Assert.Equal(s_hello, await peer.ReceiveExactlyAsync(b, s_hello.Length + 1)); // then the FIN

            using RawPeer other = RawPeer.Listen();
            IStreamTransport second = await other.ConnectAsync(b);
            second.AsStream().Dispose();
            Assert.True(second.IsClosing);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_28_the_pipe_reads_writes_and_follows_the_token_rules(string backend)
        => await WithPeerAsync(backend, static async (b, transport, peer) =>
        {
            IDuplexPipe pipe = transport.AsPipe();
            await pipe.Output.WriteAsync(s_hello);
            Assert.Equal(s_hello, await peer.ReceiveExactlyAsync(b, s_hello.Length));

            using (var source = new CancellationTokenSource())
            {
                Exception? error = await CancelDuringAsync(b, source, async () => await pipe.Input.ReadAsync(source.Token));
                OperationCanceledException cancelled = Assert.IsType<OperationCanceledException>(error, exactMatch: false);
                Assert.IsNotType<CancelledException>(cancelled);
            }

            await peer.SendAsync(b, s_hello);
            peer.Socket.Shutdown(SocketShutdown.Send);
            byte[] received = [];
            while (true)
            {
                ReadResult result = await pipe.Input.ReadAsync();
                received = [.. received, .. result.Buffer.ToArray()];
                pipe.Input.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    break;
                }
            }

            Assert.Equal(s_hello, received);
            await pipe.Input.CompleteAsync();
            await pipe.Output.CompleteAsync();

            // Completing the pipe leaves the transport to its owner.
            Assert.False(transport.IsClosing);
        });
}
