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

namespace EasyNetwork.Net.Sockets;

/// <summary>
/// A connected stream socket (TCP or Unix) as an <see cref="IStreamTransport"/> (SPEC §8): no user-space buffering,
/// one reader and one writer at a time, cancellation through the calling scope's token, typed errors after close.
/// </summary>
internal sealed class SocketStreamTransport : IStreamTransport
{
    private const int StateOpen = 0;
    private const int StateClosing = 1;
    private const int StateClosed = 2;

    // Linux IOV_MAX; the kernel rejects larger gather writes (S14.11).
    private const int MaxGatherBuffers = 1024;

    private readonly Socket _socket;
    private readonly RunState _run;
    private readonly SocketOperationRelay _receiveRelay;
    private readonly SocketOperationRelay _sendRelay;
    private int _state;
    private int _reading;
    private int _writing;
    private bool _eofSent;
    private SocketException? _resetError;
    private TaskCompletionSource? _writerDrained;
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
    }

    public IAsyncBackend Backend => _run.Backend;

    public bool IsClosing => Volatile.Read(ref _state) != StateOpen;

    public EndPoint LocalEndPoint { get; }

    public EndPoint RemoteEndPoint { get; }

    public Socket Socket => _socket;

    // ---------------------------------------------------------------- receive

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        ThrowIfClosed();
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            ThrowBusy("reader", "ReceiveAsync");
        }

        bool handedOff = false;
        try
        {
            BackendTask task = BackendTask.GetCurrent("IStreamTransport.ReceiveAsync", _run);
            task.ThrowIfCancelled();
            if (buffer.IsEmpty)
            {
                return new ValueTask<int>(0);
            }

            if (_resetError is not null)
            {
                ThrowReset(_resetError);
            }

            ValueTask<int> operation = _socket.ReceiveAsync(buffer, SocketFlags.None, task.Innermost.Token);
            if (operation.IsCompletedSuccessfully)
            {
                return new ValueTask<int>(CheckReceived(operation.Result));
            }

            handedOff = true;
            return ReceivePendingAsync(task, operation);
        }
        finally
        {
            if (!handedOff)
            {
                Volatile.Write(ref _reading, 0);
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceivePendingAsync(BackendTask task, ValueTask<int> operation)
    {
        try
        {
            return CheckReceived(await _receiveRelay.WaitAsync(operation));
        }
        catch (OperationCanceledException) when (task.Innermost.IsEffectivelyCancelled())
        {
            task.ThrowIfCancelled();
            throw;
        }
        catch (Exception exception) when (IsClosing && SocketErrors.IsClosedSocketError(exception))
        {
            throw ClosedError(exception);
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Sticky (S8.16): the kernel reports a reset once, then EOF; every later receive fails the same way.
            _resetError = exception;
            throw;
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    private int CheckReceived(int count)
    {
        // Closing shuts the receive side down to wake a pending receive: that 0 is a close, not the peer's EOF.
        if (count == 0 && IsClosing)
        {
            throw ClosedError(null);
        }

        return count;
    }

    // ---------------------------------------------------------------- send

    public ValueTask SendAllAsync(ReadOnlyMemory<byte> data)
    {
        BackendTask task = EnterWriter("IStreamTransport.SendAllAsync");
        bool handedOff = false;
        try
        {
            task.ThrowIfCancelled();
            ThrowIfEofSent();
            if (data.IsEmpty)
            {
                return default;
            }

            ValueTask<int> operation = _socket.SendAsync(data, SocketFlags.None, task.Innermost.Token);
            if (operation.IsCompletedSuccessfully && operation.Result == data.Length)
            {
                return default;
            }

            handedOff = true;
            return SendPendingAsync(task, operation, data);
        }
        finally
        {
            if (!handedOff)
            {
                ExitWriter();
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendPendingAsync(BackendTask task, ValueTask<int> operation, ReadOnlyMemory<byte> data)
    {
        try
        {
            int sent = await _sendRelay.WaitAsync(operation);
            if (sent < data.Length)
            {
                await SendRemainingAsync(task, data[sent..]);
            }
        }
        catch (Exception exception) when (MapSendError(task, exception) is { } mapped)
        {
            throw mapped;
        }
        finally
        {
            ExitWriter();
        }
    }

    public ValueTask SendAllAsync(IReadOnlyList<ReadOnlyMemory<byte>> buffers)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        if (buffers.Count == 1)
        {
            return SendAllAsync(buffers[0]);
        }

        BackendTask task = EnterWriter("IStreamTransport.SendAllAsync");
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
                ExitWriter();
            }
        }
    }

    public ValueTask SendAllAsync(ReadOnlySequence<byte> data)
    {
        if (data.IsSingleSegment)
        {
            return SendAllAsync(data.First);
        }

        BackendTask task = EnterWriter("IStreamTransport.SendAllAsync");
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
                ExitWriter();
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
                await SendRemainingAsync(task, buffers[index][offset..]);
                index++;
                offset = 0;
            }
        }
        catch (Exception exception) when (MapSendError(task, exception) is { } mapped)
        {
            throw mapped;
        }
        finally
        {
            ExitWriter();
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

    private async ValueTask SendRemainingAsync(BackendTask task, ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            int sent = await _sendRelay.WaitAsync(_socket.SendAsync(data, SocketFlags.None, task.Innermost.Token));
            data = data[sent..];
        }
    }

    private Exception? MapSendError(BackendTask task, Exception exception)
    {
        if (IsClosing && (SocketErrors.IsClosedSocketError(exception) || exception is OperationCanceledException))
        {
            return ClosedError(exception);
        }

        if (exception is OperationCanceledException && task.Innermost.IsEffectivelyCancelled())
        {
            task.ThrowIfCancelled();
        }

        return null;
    }

    public ValueTask SendEofAsync()
    {
        ThrowIfClosed();
        if (Interlocked.Exchange(ref _writing, 1) != 0)
        {
            ThrowBusy("writer", "SendEofAsync");
        }

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
            ExitWriter();
        }

        return default;
    }

    private BackendTask EnterWriter(string operation)
    {
        ThrowIfClosed();
        if (Interlocked.Exchange(ref _writing, 1) != 0)
        {
            ThrowBusy("writer", operation);
        }

        try
        {
            return BackendTask.GetCurrent(operation, _run);
        }
        catch
        {
            ExitWriter();
            throw;
        }
    }

    private void ExitWriter()
    {
        // A full fence before reading the state: a close that saw the writer busy is then sure to be told (Dekker).
        Interlocked.Exchange(ref _writing, 0);
        if (Volatile.Read(ref _state) != StateOpen)
        {
            Volatile.Read(ref _writerDrained)?.TrySetResult();
        }
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
        if (Interlocked.CompareExchange(ref _state, StateClosing, StateOpen) != StateOpen)
        {
            return default;
        }

        // Wake a pending receive now (it fails with ClosedResourceException); the write side is flushed below.
        TryShutdown(SocketShutdown.Receive);
        BackendTask? task = BackendTask.Current;
        if (task is null || task.Run != _run)
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

        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _writerDrained, drained);
        if (Volatile.Read(ref _writing) == 0)
        {
            drained.TrySetResult();
        }

        if (drained.Task.IsCompleted)
        {
            FinishGracefully();
            return default;
        }

        return CloseAfterSendAsync(task, drained.Task);
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

    public async ValueTask DisposeAsync()
    {
        try
        {
#pragma warning disable EN0001 // Not shielded on purpose: a dispose in a cancelled scope aborts the transport (S8.25).
            await CloseAsync();
#pragma warning restore EN0001
        }
        catch (OperationCanceledException)
        {
            // DisposeAsync never raises a cancellation (S8.25): the transport is closed (aborted) all the same.
        }
    }

    public ValueTask CloseForcefullyAsync()
    {
        Interlocked.CompareExchange(ref _state, StateClosing, StateOpen);
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
        Volatile.Write(ref _state, StateClosed);
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

    private void ThrowIfClosed()
    {
        if (Volatile.Read(ref _state) != StateOpen)
        {
            throw ClosedError(null);
        }
    }

    private ClosedResourceException ClosedError(Exception? inner)
        => new($"The stream transport {LocalEndPoint} -> {RemoteEndPoint} is closed.", inner);

    [DoesNotReturn]
    private static void ThrowBusy(string role, string operation)
        => throw new BusyResourceException($"{operation}: another {role} is already using this stream transport; one reader and one writer at a time.");

    [DoesNotReturn]
    private static void ThrowReset(SocketException reset)
        => throw new SocketException((int)reset.SocketErrorCode, reset.Message);
}
