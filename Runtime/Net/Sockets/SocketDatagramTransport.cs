using System;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Internal;

namespace EasyNetwork.Net.Sockets;

/// <summary>
/// A connected datagram socket (UDP or Unix) as an <see cref="IDatagramTransport"/> (SPEC S9.5–S9.10): one whole
/// datagram per call, one receiver and one sender at a time, cancellation through the calling scope's token, typed
/// errors after close.
/// </summary>
/// <remarks>
/// Truncation: on Linux <c>recv</c> copies what fits and drops the rest, and .NET returns that count; Windows reports
/// the same truncation as <see cref="SocketError.MessageSize"/> after filling the buffer, which is mapped back to the
/// buffer length, so the rule (truncated, rest discarded, no exception) holds on both.
/// On a loop that polls sockets itself (<see cref="ISocketPollingLoop"/>), calls are non-blocking and a pending one parks
/// in the loop's readiness set (<see cref="PollRegistration"/>) instead of going through .NET's socket engine.
/// </remarks>
internal sealed class SocketDatagramTransport : IDatagramTransport
{
    private const int StateOpen = 0;
    private const int StateClosed = 1;

    private readonly Socket _socket;
    private readonly RunState _run;
    private readonly LoopCompletion _receiveCompletion;
    private readonly LoopCompletion _sendCompletion;
    private readonly PollRegistration? _poll;
    private int _state;
    private int _reading;
    private int _writing;
    private SocketException? _refusal;

    // The pending operation's caller and receive buffer length, for the finish callbacks (one of each at a time).
    private BackendTask? _receiver;
    private int _receiveLength;
    private BackendTask? _sender;

    public SocketDatagramTransport(RunState run, Socket socket)
    {
        _run = run;
        _socket = socket;
        _receiveCompletion = new LoopCompletion(run, FinishReceive);
        _sendCompletion = new LoopCompletion(run, FinishSend);

        // Read once: both throw after the socket is disposed, and the transport keeps answering.
        LocalEndPoint = socket.LocalEndPoint!;
        RemoteEndPoint = socket.RemoteEndPoint!;
        _poll = PollRegistration.TryCreate(run, socket);
    }

    public IAsyncBackend Backend => _run.Backend;

    public bool IsClosing => Volatile.Read(ref _state) != StateOpen;

    public EndPoint LocalEndPoint { get; }

    public EndPoint RemoteEndPoint { get; }

    public Socket Socket => _socket;

    /// <summary>Whether the transport waits in its loop's own readiness set rather than through .NET's socket engine.</summary>
    internal bool WaitsOnLoopPoller => _poll is not null;

    // ---------------------------------------------------------------- receive

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        ThrowIfClosed();
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            ThrowBusy("receiver", "ReceiveAsync");
        }

        bool handedOff = false;
        try
        {
            BackendTask task = BackendTask.GetCurrent("IDatagramTransport.ReceiveAsync", _run);
            task.ThrowIfCancelled();
            if (Interlocked.Exchange(ref _refusal, null) is { } refusal)
            {
                ThrowRefusal(refusal);
            }

            ValueTask<int> operation;
            if (_poll is not null)
            {
                int received = _socket.Receive(buffer.Span, SocketFlags.None, out SocketError error);
                if (error == SocketError.Success)
                {
                    return new ValueTask<int>(received);
                }

                operation = error == SocketError.WouldBlock ? ReceiveWhenReadyAsync(task, buffer) : ValueTask.FromException<int>(new SocketException((int)error));
            }
            else
            {
                operation = _socket.ReceiveAsync(buffer, SocketFlags.None, task.Innermost.Token);
                if (operation.IsCompletedSuccessfully)
                {
                    return new ValueTask<int>(operation.Result);
                }
            }

            _receiver = task;
            _receiveLength = buffer.Length;
            handedOff = true;
            return _receiveCompletion.Track(operation);
        }
        finally
        {
            if (!handedOff)
            {
                Volatile.Write(ref _reading, 0);
            }
        }
    }

    /// <summary>
    /// The readiness path's pending receive, in the shape of the socket's own asynchronous call: it completes with the
    /// datagram's length or fails with the raw error, and <see cref="FinishReceive"/> maps it, as for that call.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceiveWhenReadyAsync(BackendTask task, Memory<byte> buffer)
    {
        PollRegistration poll = _poll!;
        while (true)
        {
            poll.EndWait(task, await poll.WaitReadableAsync(task), writer: false);
            poll.ThrowIfClosed();
            int received = _socket.Receive(buffer.Span, SocketFlags.None, out SocketError error);
            if (error != SocketError.WouldBlock)
            {
                return error == SocketError.Success ? received : throw new SocketException((int)error);
            }
        }
    }

    /// <summary>The outcome of a pending receive, on the run loop: errors mapped, the receiver slot freed.</summary>
    private int FinishReceive(int received, Exception? error)
    {
        BackendTask task = _receiver!;
        _receiver = null;
        try
        {
            if (error is null)
            {
                // A datagram that raced with close is not returned (S13.14).
                ThrowIfClosed();
                return received;
            }

            if (error is SocketException { SocketErrorCode: SocketError.MessageSize })
            {
                // Windows: the buffer holds the truncated datagram (see the remarks).
                return _receiveLength;
            }

            throw MapError(task, error);
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    // ---------------------------------------------------------------- send

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram)
    {
        ThrowIfClosed();
        if (Interlocked.Exchange(ref _writing, 1) != 0)
        {
            ThrowBusy("sender", "SendAsync");
        }

        bool handedOff = false;
        try
        {
            BackendTask task = BackendTask.GetCurrent("IDatagramTransport.SendAsync", _run);
            task.ThrowIfCancelled();
            if (_poll is not null)
            {
                SocketError error = SendNow(datagram);
                if (error == SocketError.Success)
                {
                    return default;
                }

                _sender = task;
                handedOff = true;
                return _sendCompletion.TrackWithoutResult(error == SocketError.WouldBlock ? SendWhenReadyAsync(task, datagram) : ValueTask.FromException<int>(new SocketException((int)error)));
            }

            ValueTask<int> operation = _socket.SendAsync(datagram, SocketFlags.None, task.Innermost.Token);
            if (operation.IsCompleted && !operation.IsCompletedSuccessfully && TakeRefusal(task, operation))
            {
                // The kernel reports a pending ICMP refusal on whichever call comes first and sends nothing; the refusal
                // belongs to the receive side (S9.7), so it is kept for the next receive and the datagram is sent again.
                operation = _socket.SendAsync(datagram, SocketFlags.None, task.Innermost.Token);
            }

            if (operation.IsCompletedSuccessfully)
            {
                return default;
            }

            _sender = task;
            handedOff = true;
            return _sendCompletion.TrackWithoutResult(operation);
        }
        finally
        {
            if (!handedOff)
            {
                Volatile.Write(ref _writing, 0);
            }
        }
    }

    /// <summary>One non-blocking send; a pending ICMP refusal is kept for the next receive and the datagram sent again (as on the other path).</summary>
    private SocketError SendNow(ReadOnlyMemory<byte> datagram)
    {
        _socket.Send(datagram.Span, SocketFlags.None, out SocketError error);
        if (error is SocketError.ConnectionRefused or SocketError.ConnectionReset)
        {
            Volatile.Write(ref _refusal, new SocketException((int)error));
            _socket.Send(datagram.Span, SocketFlags.None, out error);
        }

        return error;
    }

    /// <summary>The readiness path's pending send, in the shape of the socket's own asynchronous call (see <see cref="ReceiveWhenReadyAsync"/>).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> SendWhenReadyAsync(BackendTask task, ReadOnlyMemory<byte> datagram)
    {
        PollRegistration poll = _poll!;
        while (true)
        {
            poll.EndWait(task, await poll.WaitWritableAsync(task), writer: true);
            poll.ThrowIfClosed();
            SocketError error = SendNow(datagram);
            if (error != SocketError.WouldBlock)
            {
                return error == SocketError.Success ? datagram.Length : throw new SocketException((int)error);
            }
        }
    }

    private bool TakeRefusal(BackendTask task, ValueTask<int> failed)
    {
        try
        {
#pragma warning disable EN0009 // the caller checked IsCompleted: GetResult only rethrows the operation's error
            failed.GetAwaiter().GetResult();
#pragma warning restore EN0009
            return false;
        }
        catch (SocketException exception) when (SocketErrors.IsRefusal(exception))
        {
            Volatile.Write(ref _refusal, exception);
            return true;
        }
        catch (Exception exception)
        {
            throw MapError(task, exception);
        }
    }

    /// <summary>The outcome of a pending send, on the run loop: errors mapped, the sender slot freed.</summary>
    private int FinishSend(int sent, Exception? error)
    {
        BackendTask task = _sender!;
        _sender = null;
        try
        {
            return error is null ? sent : throw MapError(task, error);
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
        }
    }

    /// <summary>
    /// The error to report for a failed operation: the scope's cancellation for the socket's own one, a closed error
    /// after close, else the error itself (rethrown here with its stack).
    /// </summary>
    private Exception MapError(BackendTask task, Exception error)
    {
        if (IsClosing && (error is OperationCanceledException || SocketErrors.IsClosedSocketError(error)))
        {
            return ClosedError(error);
        }

        if (error is OperationCanceledException && task.Innermost.IsEffectivelyCancelled())
        {
            task.ThrowIfCancelled();
        }

        ExceptionDispatchInfo.Throw(error);
        return error;
    }

    // ---------------------------------------------------------------- close

    /// <summary>
    /// Closes at once: a datagram send has nothing to flush (it is handed to the OS whole or not at all), so there is no
    /// graceful phase to abort, and no cancellation to raise. Disposing the socket wakes pending calls as closed.
    /// </summary>
    public ValueTask CloseAsync()
    {
        if (Interlocked.Exchange(ref _state, StateClosed) == StateOpen)
        {
            // Out of the loop's readiness set before the descriptor closes (its number may be reused at once).
            _poll?.Close();
            _socket.Dispose();
        }

        return default;
    }

    public ValueTask DisposeAsync() => CloseAsync();

    // ---------------------------------------------------------------- helpers

    private void ThrowIfClosed()
    {
        if (Volatile.Read(ref _state) != StateOpen)
        {
            throw ClosedError(null);
        }
    }

    private ClosedResourceException ClosedError(Exception? inner)
        => new($"The datagram transport {SocketArguments.Describe(LocalEndPoint)} -> {SocketArguments.Describe(RemoteEndPoint)} is closed.", inner);

    [DoesNotReturn]
    private static void ThrowBusy(string role, string operation)
        => throw new BusyResourceException($"{operation}: another {role} is already using this datagram transport; one receiver and one sender at a time.");

    [DoesNotReturn]
    private static void ThrowRefusal(SocketException refusal)
        => throw new SocketException((int)refusal.SocketErrorCode, $"An earlier datagram was refused by the peer: {refusal.Message}");
}
