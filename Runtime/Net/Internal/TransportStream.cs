using System;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace EasyNetwork.Net.Internal;

/// <summary>
/// An <see cref="IStreamTransport"/> as a <see cref="Stream"/> (SPEC S8.28): asynchronous only, to be used from a task
/// of the transport's backend. A cancellable token passed to a call cancels it as a scope bound to the token would
/// (S3.50), and the call then throws a foreign <see cref="OperationCanceledException"/> carrying that token.
/// </summary>
internal sealed class TransportStream : Stream
{
    private const string SyncNotSupported = "A transport stream is asynchronous only: use ReadAsync/WriteAsync from a task of the transport's backend (a blocking call would stall its run loop).";

    private readonly IStreamTransport _transport;

    public TransportStream(IStreamTransport transport) => _transport = transport;

    public IStreamTransport Transport => _transport;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException("A transport stream has no length.");

    public override long Position
    {
        get => throw new NotSupportedException("A transport stream cannot seek.");
        set => throw new NotSupportedException("A transport stream cannot seek.");
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A transport stream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("A transport stream has no length.");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException(SyncNotSupported);

    public override int Read(Span<byte> buffer) => throw new NotSupportedException(SyncNotSupported);

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException(SyncNotSupported);

    public override void Write(ReadOnlySpan<byte> buffer) => throw new NotSupportedException(SyncNotSupported);

    // The transport buffers nothing in user space (S8.19): there is nothing to flush.
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
        => cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // An uncancellable token changes nothing: no scope, the call is the transport's own.
        if (!cancellationToken.CanBeCanceled)
        {
            return _transport.ReceiveAsync(buffer);
        }

        return ReadBoundAsync(buffer, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadBoundAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ScopeResult<int> result = await _transport.Backend
            .OpenCancelScope(new CancelScopeOptions { CancellationToken = cancellationToken })
            .RunAsync(static (_, s) => s.Transport.ReceiveAsync(s.Buffer), (Transport: _transport, Buffer: buffer));
        if (!result.HasValue)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        return result.Value;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!cancellationToken.CanBeCanceled)
        {
            return _transport.SendAllAsync(buffer);
        }

        return WriteBoundAsync(buffer, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteBoundAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        CancelScope scope = await _transport.Backend
            .OpenCancelScope(new CancelScopeOptions { CancellationToken = cancellationToken })
            .RunAsync(static (_, s) => s.Transport.SendAllAsync(s.Buffer), (Transport: _transport, Buffer: buffer));
        if (scope.CancelledCaught)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        // The transport's DisposeAsync is its CloseAsync minus the cancellation (S8.25), as `await using` needs.
        await _transport.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // A synchronous dispose cannot wait for a graceful close: it aborts, which never blocks nor throws cancellation.
            ValueTask abort = _transport.CloseForcefullyAsync();
            if (!abort.IsCompletedSuccessfully)
            {
                _ = abort.AsTask();
            }
        }

        base.Dispose(disposing);
    }
}
