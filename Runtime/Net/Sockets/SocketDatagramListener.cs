using System;
using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Internal;
using Microsoft.Extensions.Logging;

namespace EasyNetwork.Net.Sockets;

/// <summary>
/// An unconnected datagram socket (UDP or Unix) that serves datagrams (SPEC S9.12–S9.19): one handler task per datagram
/// in arrival order, each with its own pooled buffer, and FIFO-serialised <see cref="SendToAsync"/> from any number of tasks.
/// </summary>
internal sealed class SocketDatagramListener : IDatagramListener
{
    private const int StateOpen = 0;
    private const int StateClosing = 1;
    private const int StateClosed = 2;

    // Reports of earlier bounced datagrams skipped by one send before its error is taken as its own.
    private const int MaxStaleReportsPerSend = 8;

    private readonly Socket _socket;
    private readonly RunState _run;
    private readonly SocketOperationRelay _receiveRelay;
    private readonly SocketOperationRelay _sendRelay;
    private readonly IAsyncLock _sendLock;
    private int _state;
    private int _serving;

    public SocketDatagramListener(RunState run, Socket socket)
    {
        _run = run;
        _socket = socket;
        _receiveRelay = new SocketOperationRelay(run);

        // One relay is enough for sends: the lock lets one send at a time reach the socket.
        _sendRelay = new SocketOperationRelay(run);

        // Fair: concurrent SendToAsync calls go out in call order (S9.18), and a close queues behind them (S9.19).
        _sendLock = run.Backend.CreateFairLock();
        LocalEndPoint = socket.LocalEndPoint!;
    }

    public IAsyncBackend Backend => _run.Backend;

    public bool IsClosing => Volatile.Read(ref _state) != StateOpen;

    public EndPoint LocalEndPoint { get; }

    /// <summary>The socket, for tests that need an option the contract does not expose.</summary>
    internal Socket Socket => _socket;

    // ---------------------------------------------------------------- serve

    public ValueTask ServeAsync(Func<ReadOnlyMemory<byte>, EndPoint, ValueTask> handler, ITaskGroup? taskGroup = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfClosed();
        if (Interlocked.Exchange(ref _serving, 1) != 0)
        {
            throw new BusyResourceException($"Another ServeAsync is already serving the datagram listener on {SocketArguments.Describe(LocalEndPoint)}.");
        }

        try
        {
            BackendTask task = BackendTask.GetCurrent("IDatagramListener.ServeAsync", _run);
            return ServeCoreAsync(task, handler, taskGroup);
        }
        catch
        {
            Volatile.Write(ref _serving, 0);
            throw;
        }
    }

    private async ValueTask ServeCoreAsync(BackendTask task, Func<ReadOnlyMemory<byte>, EndPoint, ValueTask> handler, ITaskGroup? taskGroup)
    {
        try
        {
            if (taskGroup is null)
            {
                await Backend.RunTaskGroupAsync(static (group, s) => s.Listener.ReceiveLoopAsync(s.Task, group, s.Handler), (Listener: this, Task: task, Handler: handler));
            }
            else
            {
                await ReceiveLoopAsync(task, taskGroup, handler);
            }
        }
        finally
        {
            Volatile.Write(ref _serving, 0);
        }
    }

    private async ValueTask ReceiveLoopAsync(BackendTask task, ITaskGroup group, Func<ReadOnlyMemory<byte>, EndPoint, ValueTask> handler)
    {
        Exception? closedBy = null;
        try
        {
            while (true)
            {
                task.ThrowIfCancelled();
                ThrowIfClosed();

                // Received datagrams wait in the kernel queue until this loop reads them, so none before serving is lost (S9.15).
                byte[] buffer = ArrayPool<byte>.Shared.Rent(IDatagramTransport.MaxDatagramSize);
                bool handedOff = false;
                try
                {
                    SocketReceiveFromResult received = await _receiveRelay.WaitAsync(_socket.ReceiveFromAsync(buffer.AsMemory(0, IDatagramTransport.MaxDatagramSize), SocketFlags.None, LocalEndPoint, task.Innermost.Token));
                    group.StartSoon(static s => HandleAsync(s.Buffer, s.Length, s.Remote, s.Handler), (Buffer: buffer, Length: received.ReceivedBytes, Remote: received.RemoteEndPoint, Handler: handler));
                    handedOff = true;
                }
                catch (SocketException exception) when (!IsClosing && SocketErrors.IsDatagramPeerError(exception))
                {
                    _run.Options.Logger?.LogWarning(exception, "Receiving on the datagram listener {EndPoint} reported a peer error ({Error}); serving continues.", SocketArguments.Describe(LocalEndPoint), exception.SocketErrorCode);
                }
                finally
                {
                    if (!handedOff)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (task.Innermost.IsEffectivelyCancelled())
        {
            // The socket's own cancellation for the scope token: raise it as the scope's cancellation.
            task.ThrowIfCancelled();
            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException && IsClosing && (exception is ClosedResourceException || SocketErrors.IsClosedSocketError(exception)))
        {
            closedBy = exception;
        }

        // Closed: a cancellation from outside still comes out as the cancellation (S9.16), otherwise the close does.
        task.ThrowIfCancelled();
        ThrowClosed(closedBy);
    }

    /// <summary>Runs the handler in the datagram's own task; the buffer goes back to the pool only when it returns (S9.14).</summary>
    private static async ValueTask HandleAsync(byte[] buffer, int length, EndPoint remote, Func<ReadOnlyMemory<byte>, EndPoint, ValueTask> handler)
    {
        try
        {
            await handler(buffer.AsMemory(0, length), remote);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // ---------------------------------------------------------------- send

    public ValueTask SendToAsync(ReadOnlyMemory<byte> datagram, EndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        ThrowIfClosed();
        BackendTask task = BackendTask.GetCurrent("IDatagramListener.SendToAsync", _run);
        ValueTask acquire = _sendLock.AcquireAsync();
        if (!acquire.IsCompletedSuccessfully)
        {
            return SendToQueuedAsync(task, acquire, datagram, endPoint);
        }

        bool handedOff = false;
        try
        {
            ValueTask<int> operation = _socket.SendToAsync(datagram, SocketFlags.None, endPoint, task.Innermost.Token);
            if (operation.IsCompletedSuccessfully)
            {
                return default;
            }

            handedOff = true;
            return SendToPendingAsync(task, operation, datagram, endPoint);
        }
        catch (OperationCanceledException) when (task.Innermost.IsEffectivelyCancelled())
        {
            task.ThrowIfCancelled();
            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException && Volatile.Read(ref _state) == StateClosed && SocketErrors.IsClosedSocketError(exception))
        {
            throw ClosedError(exception);
        }
        finally
        {
            if (!handedOff)
            {
                _sendLock.Release();
            }
        }
    }

    private async ValueTask SendToQueuedAsync(BackendTask task, ValueTask acquire, ReadOnlyMemory<byte> datagram, EndPoint endPoint)
    {
        await acquire;
        try
        {
            // Queued before the close started, so it is still sent (S9.19), unless the close was aborted meanwhile.
            if (Volatile.Read(ref _state) == StateClosed)
            {
                ThrowClosed(null);
            }

            await SendSkippingStaleReportsAsync(task, _socket.SendToAsync(datagram, SocketFlags.None, endPoint, task.Innermost.Token), datagram, endPoint);
        }
        catch (OperationCanceledException) when (task.Innermost.IsEffectivelyCancelled())
        {
            task.ThrowIfCancelled();
            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException && Volatile.Read(ref _state) == StateClosed && SocketErrors.IsClosedSocketError(exception))
        {
            throw ClosedError(exception);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendToPendingAsync(BackendTask task, ValueTask<int> operation, ReadOnlyMemory<byte> datagram, EndPoint endPoint)
    {
        try
        {
            await SendSkippingStaleReportsAsync(task, operation, datagram, endPoint);
        }
        catch (OperationCanceledException) when (task.Innermost.IsEffectivelyCancelled())
        {
            task.ThrowIfCancelled();
            throw;
        }
        catch (Exception exception) when (exception is not OperationCanceledException && Volatile.Read(ref _state) == StateClosed && SocketErrors.IsClosedSocketError(exception))
        {
            throw ClosedError(exception);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Waits for a send; a refusal is a stale ICMP report about an earlier datagram, never about this one (an unconnected
    /// socket's send cannot be refused by itself), and the failed call consumed it without sending: log it (S9.17) and
    /// send again, so one bounced datagram does not fail a later send to another peer.
    /// </summary>
    private async ValueTask SendSkippingStaleReportsAsync(BackendTask task, ValueTask<int> operation, ReadOnlyMemory<byte> datagram, EndPoint endPoint)
    {
        for (int report = 0; ; report++)
        {
            try
            {
                await _sendRelay.WaitAsync(operation);
                return;
            }
            catch (SocketException exception) when (report < MaxStaleReportsPerSend && !IsClosing && SocketErrors.IsRefusal(exception))
            {
                _run.Options.Logger?.LogWarning(exception, "Sending on the datagram listener {EndPoint} reported an earlier peer error ({Error}); the datagram was sent again.", SocketArguments.Describe(LocalEndPoint), exception.SocketErrorCode);
                operation = _socket.SendToAsync(datagram, SocketFlags.None, endPoint, task.Innermost.Token);
            }
        }
    }

    // ---------------------------------------------------------------- close

    public ValueTask CloseAsync()
    {
        if (Interlocked.CompareExchange(ref _state, StateClosing, StateOpen) != StateOpen)
        {
            return default;
        }

        BackendTask? task = BackendTask.Current;
        if (task is null || task.Run != _run)
        {
            Abort();
            return default;
        }

        if (task.Innermost.IsEffectivelyCancelled())
        {
            // A close in a cancelled scope aborts (S9.19), then raises the cancellation.
            Abort();
            task.ThrowIfCancelled();
        }

        // The fair lock queues the close behind every SendToAsync already in flight or waiting (S9.19).
        ValueTask acquire = _sendLock.AcquireAsync();
        if (acquire.IsCompletedSuccessfully)
        {
            _sendLock.Release();
            Abort();
            return default;
        }

        return CloseAfterSendsAsync(acquire);
    }

    private async ValueTask CloseAfterSendsAsync(ValueTask acquire)
    {
        try
        {
            await acquire;
        }
        catch (OperationCanceledException)
        {
            Abort();
            throw;
        }

        _sendLock.Release();
        Abort();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
#pragma warning disable EN0001 // Not shielded on purpose: a dispose in a cancelled scope aborts the listener (S9.19).
            await CloseAsync();
#pragma warning restore EN0001
        }
#pragma warning disable EN0003 // DisposeAsync never raises a cancellation, so `await using` cannot replace an exception in flight (S8.25).
        catch (OperationCanceledException)
        {
            // The listener is closed (aborted) all the same.
        }
#pragma warning restore EN0003
    }

    private void Abort()
    {
        // Disposing wakes the pending receive of ServeAsync (closed) and fails a send in flight (closed).
        Volatile.Write(ref _state, StateClosed);
        _socket.Dispose();
    }

    // ---------------------------------------------------------------- helpers

    private void ThrowIfClosed()
    {
        if (IsClosing)
        {
            ThrowClosed(null);
        }
    }

    private ClosedResourceException ClosedError(Exception? inner)
        => new($"The datagram listener on {SocketArguments.Describe(LocalEndPoint)} is closed.", inner);

    [DoesNotReturn]
    private void ThrowClosed(Exception? inner) => throw ClosedError(inner);
}
