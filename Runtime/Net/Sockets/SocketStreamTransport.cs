using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Internal;
using EasyNetwork.Net.Internal;

namespace EasyNetwork.Net.Sockets;

/// <summary>
/// A connected stream socket (TCP or Unix) as an <see cref="IStreamTransport"/> (SPEC §8): no user-space buffering,
/// one reader and one writer at a time, cancellation through the calling scope's token, typed errors after close.
/// </summary>
/// <remarks>
/// Two ways to wait: on a loop that polls sockets itself (<see cref="ISocketPollingLoop"/>), non-blocking calls and a
/// cancellable park on the loop's readiness set (<see cref="PollRegistration"/>); elsewhere, .NET's asynchronous socket
/// calls, cancelled through the scope's token, whose completion a <see cref="SocketOperationRelay"/> brings back.
/// </remarks>
internal sealed class SocketStreamTransport : IStreamTransport
{
    // Linux IOV_MAX; the kernel rejects larger gather writes (S14.11).
    private const int MaxGatherBuffers = 1024;

    private readonly Socket _socket;
    private readonly RunState _run;
    private readonly SocketOperationRelay _receiveRelay;
    private readonly SocketOperationRelay _sendRelay;
    private readonly StreamTransportGate _gate;
    private readonly PollRegistration? _poll;
    private readonly LoopCompletion? _pendingReceive;
    private readonly LoopCompletion? _pendingSend;
    private bool _eofSent;
    private SocketException? _resetError;
    private List<ArraySegment<byte>>? _gather;
    private List<ReadOnlyMemory<byte>>? _sequenceBuffers;

    public SocketStreamTransport(RunState run, Socket socket)
    {
        _run = run;
        _socket = socket;
        _receiveRelay = new SocketOperationRelay(run);
        _sendRelay = new SocketOperationRelay(run);

        // Read once: both throw after the socket is disposed, and the transport keeps answering.
        LocalEndPoint = socket.LocalEndPoint!;
        RemoteEndPoint = socket.RemoteEndPoint!;
        _gate = new StreamTransportGate(run, "stream transport", LocalEndPoint, RemoteEndPoint);
        _poll = PollRegistration.TryCreate(run, socket);
        if (_poll is not null)
        {
            _pendingReceive = new LoopCompletion(run, LoopCompletion.PassThrough);
            _pendingSend = new LoopCompletion(run, LoopCompletion.PassThrough);
        }
    }

    public IAsyncBackend Backend => _run.Backend;

    public bool IsClosing => _gate.IsClosing;

    public EndPoint LocalEndPoint { get; }

    public EndPoint RemoteEndPoint { get; }

    public Socket Socket => _socket;

    /// <summary>Whether the transport waits in its loop's own readiness set rather than through .NET's socket engine.</summary>
    internal bool WaitsOnLoopPoller => _poll is not null;

    // ---------------------------------------------------------------- receive

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        _gate.EnterReader("IStreamTransport.ReceiveAsync");
        bool handedOff = false;
        try
        {
            BackendTask task = _gate.GetTask("IStreamTransport.ReceiveAsync");
            task.ThrowIfCancelled();
            if (buffer.IsEmpty)
            {
                return new ValueTask<int>(0);
            }

            if (_resetError is not null)
            {
                ThrowReset(_resetError);
            }

            ValueTask<int> operation = default;
            SocketError error = SocketError.Success;
            if (_poll is not null)
            {
                int received = _socket.Receive(buffer.Span, SocketFlags.None, out error);
                if (error == SocketError.Success)
                {
                    return new ValueTask<int>(CheckReceived(received));
                }
            }
            else
            {
                operation = _socket.ReceiveAsync(buffer, SocketFlags.None, task.Innermost.Token);
                if (operation.IsCompletedSuccessfully)
                {
                    return new ValueTask<int>(CheckReceived(operation.Result));
                }
            }

            handedOff = true;
            ValueTask<int> pending = ReceivePendingAsync(task, operation, buffer, error);

            // The caller resumes inline from the readiness wake-up rather than through a post to the loop's context (which allocates).
            return _pendingReceive is null ? pending : _pendingReceive.Track(pending);
        }
        finally
        {
            if (!handedOff)
            {
                _gate.ExitReader();
            }
        }
    }

    /// <summary>The rest of a receive: the pending <paramref name="operation"/>, or (polling) the non-blocking call's <paramref name="error"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceivePendingAsync(BackendTask task, ValueTask<int> operation, Memory<byte> buffer, SocketError error)
    {
        try
        {
            if (_poll is not null)
            {
                int received = 0;
                while (error == SocketError.WouldBlock)
                {
                    _poll.EndWait(task, await _poll.WaitReadableAsync(task), writer: false);
                    _poll.ThrowIfClosed();
                    received = _socket.Receive(buffer.Span, SocketFlags.None, out error);
                }

                return error == SocketError.Success ? CheckReceived(received) : throw new SocketException((int)error);
            }

            if (!operation.IsCompleted)
            {
                await _receiveRelay.Park(operation);
                _receiveRelay.Unpark();
            }

#pragma warning disable EN0009 // the relay returns only once the operation completed: GetResult does not block
            return CheckReceived(operation.GetAwaiter().GetResult());
#pragma warning restore EN0009
        }
        catch (OperationCanceledException) when (task.Innermost.IsEffectivelyCancelled())
        {
            task.ThrowIfCancelled();
            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException && IsClosing && SocketErrors.IsClosedSocketError(exception))
        {
            throw _gate.ClosedError(exception);
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Sticky (S8.16): the kernel reports a reset once, then EOF; every later receive fails the same way.
            _resetError = exception;
            throw;
        }
        finally
        {
            _gate.ExitReader();
        }
    }

    private int CheckReceived(int count)
    {
        // Closing shuts the receive side down to wake a pending receive: that 0 is a close, not the peer's EOF.
        if (count == 0 && IsClosing)
        {
            throw _gate.ClosedError(null);
        }

        return count;
    }

    // ---------------------------------------------------------------- send

    public ValueTask SendAllAsync(ReadOnlyMemory<byte> data)
    {
        BackendTask task = _gate.EnterWriter("IStreamTransport.SendAllAsync");
        bool handedOff = false;
        try
        {
            task.ThrowIfCancelled();
            ThrowIfEofSent();
            if (data.IsEmpty)
            {
                return default;
            }

            if (_poll is not null)
            {
                int sent = _socket.Send(data.Span, SocketFlags.None, out SocketError error);
                if (error == SocketError.Success && sent == data.Length)
                {
                    return default;
                }

                handedOff = true;

                // As for a receive: the caller resumes inline from the wake-up, not through a post to the loop's context.
                return _pendingSend!.TrackWithoutResult(SendPendingAsync(task, default, error == SocketError.Success ? data[sent..] : data, error));
            }

            ValueTask<int> operation = _socket.SendAsync(data, SocketFlags.None, task.Innermost.Token);
            if (operation.IsCompletedSuccessfully && operation.Result == data.Length)
            {
                return default;
            }

            handedOff = true;
            return SendPendingAsync(task, operation, data, SocketError.Success);
        }
        finally
        {
            if (!handedOff)
            {
                _gate.ExitWriter();
            }
        }
    }

    /// <summary>
    /// The rest of a send: the pending <paramref name="operation"/> of all of <paramref name="data"/>, or (polling) the
    /// bytes a non-blocking call left, after its <paramref name="error"/> (Success for a partial write).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendPendingAsync(BackendTask task, ValueTask<int> operation, ReadOnlyMemory<byte> data, SocketError error)
    {
        try
        {
            if (_poll is not null)
            {
                if (error is not (SocketError.Success or SocketError.WouldBlock))
                {
                    throw new SocketException((int)error);
                }

                // On the loop thread, where the rest completes too: resuming here without the loop's context posts nothing.
                await SendRemainingAsync(task, data, bufferFull: error == SocketError.WouldBlock).ConfigureAwait(false);
                return;
            }

            if (!operation.IsCompleted)
            {
                await _sendRelay.Park(operation);
                _sendRelay.Unpark();
            }

#pragma warning disable EN0009 // the relay returns only once the operation completed: GetResult does not block
            int sent = operation.GetAwaiter().GetResult();
#pragma warning restore EN0009
            if (sent < data.Length)
            {
                await SendRemainingAsync(task, data[sent..], bufferFull: false);
            }
        }
        catch (OperationCanceledException) when (task.Innermost.IsEffectivelyCancelled())
        {
            task.ThrowIfCancelled();
            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException && IsClosing && SocketErrors.IsClosedSocketError(exception))
        {
            throw _gate.ClosedError(exception);
        }
        finally
        {
            _gate.ExitWriter();
        }
    }

    public ValueTask SendAllAsync(IReadOnlyList<ReadOnlyMemory<byte>> buffers)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        if (buffers.Count == 1)
        {
            return SendAllAsync(buffers[0]);
        }

        BackendTask task = _gate.EnterWriter("IStreamTransport.SendAllAsync");
        bool handedOff = false;
        try
        {
            task.ThrowIfCancelled();
            ThrowIfEofSent();
            handedOff = true;
            return SendGatherAsync(task, buffers);
        }
        finally
        {
            if (!handedOff)
            {
                _gate.ExitWriter();
            }
        }
    }

    public ValueTask SendAllAsync(ReadOnlySequence<byte> data)
    {
        if (data.IsSingleSegment)
        {
            return SendAllAsync(data.First);
        }

        BackendTask task = _gate.EnterWriter("IStreamTransport.SendAllAsync");
        bool handedOff = false;
        try
        {
            task.ThrowIfCancelled();
            ThrowIfEofSent();
            List<ReadOnlyMemory<byte>> buffers = _sequenceBuffers ??= new List<ReadOnlyMemory<byte>>();
            buffers.Clear();
            foreach (ReadOnlyMemory<byte> segment in data)
            {
                buffers.Add(segment);
            }

            handedOff = true;
            return SendGatherAsync(task, buffers);
        }
        finally
        {
            if (!handedOff)
            {
                _gate.ExitWriter();
            }
        }
    }

    /// <summary>
    /// Gather writes of up to <see cref="MaxGatherBuffers"/> array-backed buffers per non-blocking call, resuming after
    /// a partial write; when the socket's buffer is full, the rest of the current buffer goes through an asynchronous
    /// send (which waits for room and observes the scope), then gathering resumes. No buffer is copied.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendGatherAsync(BackendTask task, IReadOnlyList<ReadOnlyMemory<byte>> buffers)
    {
        try
        {
            List<ArraySegment<byte>> gather = _gather ??= new List<ArraySegment<byte>>();
            int index = 0;
            int offset = 0;
            while (true)
            {
                while (index < buffers.Count && buffers[index].Length == offset)
                {
                    index++;
                    offset = 0;
                }

                if (index == buffers.Count)
                {
                    return;
                }

                gather.Clear();
                for (int i = index; i < buffers.Count && gather.Count < MaxGatherBuffers; i++)
                {
                    ReadOnlyMemory<byte> buffer = i == index ? buffers[i][offset..] : buffers[i];
                    if (buffer.IsEmpty)
                    {
                        continue;
                    }

                    if (!MemoryMarshal.TryGetArray(buffer, out ArraySegment<byte> segment))
                    {
                        break;
                    }

                    gather.Add(segment);
                }

                SocketError error = SocketError.WouldBlock;
                int sent = gather.Count == 0 ? 0 : _socket.Send(gather, SocketFlags.None, out error);
                if (gather.Count > 0 && error == SocketError.Success)
                {
                    Advance(buffers, sent, ref index, ref offset);
                    continue;
                }

                if (error != SocketError.WouldBlock)
                {
                    throw new SocketException((int)error);
                }

                // Full socket buffer, or a buffer that is not array-backed: send the current buffer's rest asynchronously.
                await SendRemainingAsync(task, buffers[index][offset..], bufferFull: gather.Count > 0);
                index++;
                offset = 0;
            }
        }
        catch (OperationCanceledException) when (task.Innermost.IsEffectivelyCancelled())
        {
            task.ThrowIfCancelled();
            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException && IsClosing && SocketErrors.IsClosedSocketError(exception))
        {
            throw _gate.ClosedError(exception);
        }
        finally
        {
            _gate.ExitWriter();
        }
    }

    private static void Advance(IReadOnlyList<ReadOnlyMemory<byte>> buffers, int sent, ref int index, ref int offset)
    {
        while (sent > 0)
        {
            int left = buffers[index].Length - offset;
            if (sent < left)
            {
                offset += sent;
                return;
            }

            sent -= left;
            index++;
            offset = 0;
        }
    }

    /// <summary>
    /// Sends all of <paramref name="data"/>, waiting for room in the socket's buffer as often as needed; the scope's
    /// cancellation ends the wait. <paramref name="bufferFull"/>: the caller's last call on the socket found no room.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendRemainingAsync(BackendTask task, ReadOnlyMemory<byte> data, bool bufferFull)
    {
        while (!data.IsEmpty)
        {
            if (_poll is null)
            {
                int sent = await _sendRelay.WaitAsync(_socket.SendAsync(data, SocketFlags.None, task.Innermost.Token));
                data = data[sent..];
                continue;
            }

            if (bufferFull)
            {
                // Readiness is edge-triggered: wait only after a call found the buffer full, or no edge may ever come.
                _poll.EndWait(task, await _poll.WaitWritableAsync(task), writer: true);
                _poll.ThrowIfClosed();
            }

            int written = _socket.Send(data.Span, SocketFlags.None, out SocketError error);
            bufferFull = error == SocketError.WouldBlock;
            if (error == SocketError.Success)
            {
                data = data[written..];
            }
            else if (!bufferFull)
            {
                throw new SocketException((int)error);
            }
        }
    }

    public ValueTask SendEofAsync()
    {
        _gate.ClaimWriter("IStreamTransport.SendEofAsync");
        try
        {
            if (!_eofSent)
            {
                _socket.Shutdown(SocketShutdown.Send);
                _eofSent = true;
            }
        }
        finally
        {
            _gate.ExitWriter();
        }

        return default;
    }

    private void ThrowIfEofSent()
    {
        if (_eofSent)
        {
            throw new SocketException((int)SocketError.Shutdown, "The transport's write side was shut down by SendEofAsync; nothing more can be sent.");
        }
    }

    // ---------------------------------------------------------------- close

    public ValueTask CloseAsync()
    {
        if (!_gate.TryStartClosing())
        {
            return default;
        }

        // Wake a pending receive now (it fails with ClosedResourceException); the write side is flushed below.
        TryShutdown(SocketShutdown.Receive);
        _poll?.WakeReader();
        BackendTask? task = BackendTask.Current;
        if (task is null || task.Run != _gate.Run)
        {
            FinishGracefully();
            return default;
        }

        if (task.Innermost.IsEffectivelyCancelled())
        {
            // A close in a cancelled scope aborts (S8.25), then raises the cancellation.
            Abort();
            task.ThrowIfCancelled();
        }

        Task drained = _gate.WhenWriterDrained();
        if (drained.IsCompleted)
        {
            FinishGracefully();
            return default;
        }

        return CloseAfterSendAsync(task, drained);
    }

    private async ValueTask CloseAfterSendAsync(BackendTask task, Task writerDrained)
    {
        try
        {
            // The send in flight completes first (S8.24); cancelling this wait aborts it.
            await RuntimeCore.WaitForTaskAsync(task, writerDrained);
        }
        catch (OperationCanceledException)
        {
            Abort();
            throw;
        }

        FinishGracefully();
    }

    public ValueTask DisposeAsync() => StreamTransportGate.DisposeByClosingAsync(this);

    public ValueTask CloseForcefullyAsync()
    {
        _gate.TryStartClosing();
        Abort();
        return default;
    }

    private void FinishGracefully()
    {
        if (!_eofSent)
        {
            TryShutdown(SocketShutdown.Send);
        }

        Abort();
    }

    private void Abort()
    {
        _gate.MarkClosed();

        // Out of the loop's readiness set before the descriptor closes (its number may be reused at once).
        _poll?.Close();
        _socket.Dispose();
    }

    private void TryShutdown(SocketShutdown how)
    {
        try
        {
            _socket.Shutdown(how);
        }
        catch (SocketException)
        {
            // Not connected any more (the peer reset): there is nothing left to shut down.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    // ---------------------------------------------------------------- helpers

    [DoesNotReturn]
    private static void ThrowReset(SocketException reset)
        => throw new SocketException((int)reset.SocketErrorCode, reset.Message);
}
