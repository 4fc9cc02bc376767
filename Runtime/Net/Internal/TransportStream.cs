using System;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Internal;

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
    private readonly bool _tokensAreCallerScopes;

    /// <summary>Initializes an adapter stream.</summary>
    /// <param name="transport">The transport.</param>
    /// <param name="tokensAreCallerScopes">
    /// True when every token passed in is the calling task's own scope token (TLS): the transport's calls are already
    /// cancel points of that scope, so no scope is bound (one per call would also misnest when a task reads and writes at once).
    /// </param>
    public TransportStream(IStreamTransport transport, bool tokensAreCallerScopes = false)
    {
        _transport = transport;
        _tokensAreCallerScopes = tokensAreCallerScopes;
    }

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
        if (IsOffLoop(out RunState? run))
        {
            return ReadOnLoopAsync(run, buffer, cancellationToken);
        }

        // An uncancellable token changes nothing: no scope, the call is the transport's own.
        if (!cancellationToken.CanBeCanceled || _tokensAreCallerScopes)
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
        if (IsOffLoop(out RunState? run))
        {
            return WriteOnLoopAsync(run, buffer, cancellationToken);
        }

        if (!cancellationToken.CanBeCanceled || _tokensAreCallerScopes)
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

    /// <summary>
    /// Whether the caller is code of a backend task that resumed off its run loop's thread: a BCL caller such as
    /// <see cref="System.Net.Security.SslStream"/> awaits with <c>ConfigureAwait(false)</c> and may resume on a pool
    /// thread with the task's context, where the transport refuses to run (eventloop).
    /// </summary>
    private static bool IsOffLoop([NotNullWhen(true)] out RunState? run)
    {
        run = BackendTask.Current?.Run;
        if (run is not null && !run.Loop.IsLoopThread)
        {
            return true;
        }

        run = null;
        return false;
    }

    private async ValueTask<int> ReadOnLoopAsync(RunState run, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        // Hop back to the loop (a schedule point only, no cancel point), then read as the task.
        await CancelShieldedYield.Create(run);
        return await ReadAsync(buffer, cancellationToken);
    }

    private async ValueTask WriteOnLoopAsync(RunState run, ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        await CancelShieldedYield.Create(run);
        await WriteAsync(buffer, cancellationToken);
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
#pragma warning disable EN0008 // A synchronous Dispose cannot await; an abort never throws (S8.25), AsTask only consumes the ValueTask once.
                _ = abort.AsTask();
#pragma warning restore EN0008
            }
        }

        base.Dispose(disposing);
    }
}
