using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Internal;
using EasyNetwork.Net.Sockets;

namespace EasyNetwork.Net.Internal;

/// <summary>
/// TLS over another stream transport (SPEC §10): an <see cref="SslStream"/> over the transport's adapter stream. Each
/// call passes the calling scope's token to the <see cref="SslStream"/>, so the adapter's inner transport calls are
/// cancel points of that scope; the wait for the <see cref="SslStream"/> itself is a relay to the run loop, so a
/// cancelled operation completes with what it got (no decrypted byte is lost, S8.17) and then raises the cancellation.
/// </summary>
internal sealed class SslStreamTransport : ITlsStreamTransport
{
    private readonly IStreamTransport _inner;
    private readonly SslStream _ssl;
    private readonly StreamTransportGate _gate;
    private readonly TimeSpan _shutdownTimeout;
    private readonly SocketOperationRelay _receiveRelay;
    private readonly SocketOperationRelay _sendRelay;
    private int _sslDisposed;

    private SslStreamTransport(RunState run, IStreamTransport inner, SslStream ssl, SocketOperationRelay handshakeRelay, TimeSpan shutdownTimeout)
    {
        _gate = new StreamTransportGate(run, "TLS transport", inner.LocalEndPoint, inner.RemoteEndPoint);
        _inner = inner;
        _ssl = ssl;
        _shutdownTimeout = shutdownTimeout;
        _receiveRelay = handshakeRelay;
        _sendRelay = new SocketOperationRelay(run);

        // Read once: the stream's properties are not meant to be read after it is disposed, and the transport keeps answering.
        SslProtocol = ssl.SslProtocol;
        NegotiatedApplicationProtocol = ssl.NegotiatedApplicationProtocol;
        RemoteCertificate = ssl.RemoteCertificate;
    }

    public IAsyncBackend Backend => _inner.Backend;

    public bool IsClosing => _gate.IsClosing;

    public EndPoint LocalEndPoint => _inner.LocalEndPoint;

    public EndPoint RemoteEndPoint => _inner.RemoteEndPoint;

    public Socket Socket => _inner.Socket;

    public SslProtocols SslProtocol { get; }

    public SslApplicationProtocol NegotiatedApplicationProtocol { get; }

    public X509Certificate? RemoteCertificate { get; }

    public IStreamTransport InnerTransport => _inner;

    // ---------------------------------------------------------------- handshake

    /// <summary>
    /// Runs the client (<paramref name="client"/>) or server handshake over <paramref name="inner"/> under
    /// <paramref name="handshakeTimeout"/> (S10.2); on any failure the inner transport is aborted and the error propagates.
    /// </summary>
    public static async ValueTask<SslStreamTransport> HandshakeAsync(
        BackendTask task,
        IStreamTransport inner,
        SslClientAuthenticationOptions? client,
        SslServerAuthenticationOptions? server,
        TimeSpan handshakeTimeout,
        TimeSpan shutdownTimeout)
    {
        var ssl = new SslStream(new TransportStream(inner, tokensAreCallerScopes: true), leaveInnerStreamOpen: true);
        var relay = new SocketOperationRelay(task.Run);
        var state = (Task: task, Ssl: ssl, Relay: relay, Client: client, Server: server);
        try
        {
            if (TimeArithmetic.IsInfinite(handshakeTimeout))
            {
                await AuthenticateAsync(state);
            }
            else
            {
                await task.Backend.TimeoutAfterAsync(handshakeTimeout, static (_, s) => AuthenticateAsync(s), state);
            }
        }
        catch (Exception)
        {
            ssl.Dispose();
            await inner.CloseForcefullyAsync();
            throw;
        }

        return new SslStreamTransport(task.Run, inner, ssl, relay, shutdownTimeout);
    }

    private static async ValueTask AuthenticateAsync((BackendTask Task, SslStream Ssl, SocketOperationRelay Relay, SslClientAuthenticationOptions? Client, SslServerAuthenticationOptions? Server) s)
    {
        s.Task.ThrowIfCancelled();
        CancellationToken token = s.Task.Innermost.Token;
        try
        {
            Task authentication = s.Client is not null
                ? s.Ssl.AuthenticateAsClientAsync(s.Client, token)
                : s.Ssl.AuthenticateAsServerAsync(s.Server!, token);
            await s.Relay.WaitAsync(new ValueTask(authentication));
        }
        catch (Exception exception) when (IsCancellation(s.Task, exception) || (exception is IOException && s.Task.Innermost.IsEffectivelyCancelled()))
        {
            // However SslStream reported it, the scope's cancellation is what ended the handshake (a timeout included):
            // a read cut short by the cancellation's abort surfaces from SslStream as an unexpected end of stream.
            s.Task.ThrowIfCancelled();
            throw;
        }
    }

    // ---------------------------------------------------------------- receive

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer)
    {
        _gate.EnterReader("ITlsStreamTransport.ReceiveAsync");
        bool handedOff = false;
        try
        {
            BackendTask task = _gate.GetTask("ITlsStreamTransport.ReceiveAsync");
            task.ThrowIfCancelled();
            if (buffer.IsEmpty)
            {
                return new ValueTask<int>(0);
            }

            ValueTask<int> operation = _ssl.ReadAsync(buffer, task.Innermost.Token);
            if (operation.IsCompletedSuccessfully)
            {
                return new ValueTask<int>(operation.Result);
            }

            handedOff = true;
            return ReceivePendingAsync(task, operation);
        }
        finally
        {
            if (!handedOff)
            {
                ExitReader();
            }
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReceivePendingAsync(BackendTask task, ValueTask<int> operation)
    {
        int received;
        try
        {
            received = await _receiveRelay.WaitAsync(operation);
        }
        catch (Exception exception)
        {
            ThrowMapped(task, exception);
            throw;
        }
        finally
        {
            ExitReader();
        }

        // A close woke the receive: that is a close (S8.24), not the peer's close_notify.
        if (received == 0 && IsClosing)
        {
            throw _gate.ClosedError(null);
        }

        return received;
    }

    private void ExitReader()
    {
        if (_gate.ExitReader())
        {
            TryDisposeSsl();
        }
    }

    // ---------------------------------------------------------------- send

    public ValueTask SendAllAsync(ReadOnlyMemory<byte> data)
    {
        BackendTask task = _gate.EnterWriter("ITlsStreamTransport.SendAllAsync");
        bool handedOff = false;
        try
        {
            task.ThrowIfCancelled();
            if (data.IsEmpty)
            {
                return default;
            }

            ValueTask operation = _ssl.WriteAsync(data, task.Innermost.Token);
            if (operation.IsCompletedSuccessfully)
            {
                return default;
            }

            handedOff = true;
            return SendPendingAsync(task, operation);
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
    private async ValueTask SendPendingAsync(BackendTask task, ValueTask operation)
    {
        try
        {
            await _sendRelay.WaitAsync(operation);
        }
        catch (Exception exception)
        {
            ThrowMapped(task, exception);
            throw;
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

        BackendTask task = _gate.EnterWriter("ITlsStreamTransport.SendAllAsync");
        return SendEachAsync(task, buffers);
    }

    public ValueTask SendAllAsync(ReadOnlySequence<byte> data)
    {
        if (data.IsSingleSegment)
        {
            return SendAllAsync(data.First);
        }

        BackendTask task = _gate.EnterWriter("ITlsStreamTransport.SendAllAsync");
        var buffers = new List<ReadOnlyMemory<byte>>();
        foreach (ReadOnlyMemory<byte> segment in data)
        {
            buffers.Add(segment);
        }

        return SendEachAsync(task, buffers);
    }

    /// <summary>TLS has no gather write: each buffer is encrypted and sent in order (one record or more each).</summary>
    private async ValueTask SendEachAsync(BackendTask task, IReadOnlyList<ReadOnlyMemory<byte>> buffers)
    {
        try
        {
            task.ThrowIfCancelled();
            for (int i = 0; i < buffers.Count; i++)
            {
                if (!buffers[i].IsEmpty)
                {
                    await _sendRelay.WaitAsync(_ssl.WriteAsync(buffers[i], task.Innermost.Token));
                }
            }
        }
        catch (Exception exception)
        {
            ThrowMapped(task, exception);
            throw;
        }
        finally
        {
            ExitWriter();
        }
    }

    public ValueTask SendEofAsync()
    {
        _gate.ThrowIfClosed();
        throw new UnsupportedOperationException("A TLS transport cannot half-close: TLS has no end-of-data signal other than close_notify, which closes both directions. Use CloseAsync.");
    }

    private void ExitWriter()
    {
        if (_gate.ExitWriter())
        {
            TryDisposeSsl();
        }
    }

    // ---------------------------------------------------------------- close

    public ValueTask CloseAsync()
    {
        if (!_gate.TryStartClosing())
        {
            return default;
        }

        BackendTask? task = BackendTask.Current;
        if (task is null || task.Run != _gate.Run)
        {
            // No task of this run to wait in: a graceful close is impossible, abort.
            return AbortAsync();
        }

        if (task.Innermost.IsEffectivelyCancelled())
        {
            // A close in a cancelled scope aborts (S10.5, S8.25), then raises the cancellation.
            return AbortThenRaiseAsync(task);
        }

        return CloseGracefullyAsync(task);
    }

    private async ValueTask AbortThenRaiseAsync(BackendTask task)
    {
        await AbortAsync();
        task.ThrowIfCancelled();
    }

    private async ValueTask CloseGracefullyAsync(BackendTask task)
    {
        bool graceful = false;
        ExceptionDispatchInfo? cancellation = null;
        try
        {
            CancelScope scope = await Backend.MoveOnAfterAsync(_shutdownTimeout, static (_, s) => s.Transport.ShutdownAsync(s.Task), (Transport: this, Task: task));
            graceful = !scope.CancelledCaught;
        }
        catch (Exception exception) when (IsCancellation(task, exception))
        {
            cancellation = ExceptionDispatchInfo.Capture(exception);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The peer is gone or the stream failed: nobody is left to say goodbye to, so the transport is aborted below.
        }

        if (graceful)
        {
            _gate.MarkClosed();
            TryDisposeSsl();
            return;
        }

        // Time up, failed or cancelled: abort (S10.5), then raise the cancellation if there was one.
        await AbortAsync();
        cancellation?.Throw();
    }

    /// <summary>The graceful part of a close: the send in flight completes, close_notify goes out, the inner transport closes.</summary>
    private async ValueTask ShutdownAsync(BackendTask task)
    {
        Task drained = _gate.WhenWriterDrained();
        if (!drained.IsCompleted)
        {
            await RuntimeCore.WaitForTaskAsync(task, drained);
        }

        // ShutdownAsync writes close_notify through the adapter with no token: the inner send is a cancel point of this scope.
        await _sendRelay.WaitAsync(new ValueTask(_ssl.ShutdownAsync()));
        await _inner.CloseAsync();
    }

    public ValueTask DisposeAsync() => StreamTransportGate.DisposeByClosingAsync(this);

    public ValueTask CloseForcefullyAsync()
    {
        _gate.TryStartClosing();
        return AbortAsync();
    }

    private ValueTask AbortAsync()
    {
        _gate.MarkClosed();
        ValueTask abort = _inner.CloseForcefullyAsync();
        TryDisposeSsl();

        return abort;
    }

    private void TryDisposeSsl()
    {
        // Disposed once, and never under a pending read or write: the last one out disposes it.
        if (_gate.IsIdle && Interlocked.Exchange(ref _sslDisposed, 1) == 0)
        {
            _ssl.Dispose();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static bool IsCancellation(BackendTask task, Exception exception)
        => task.Innermost.IsEffectivelyCancelled() && (exception is OperationCanceledException || exception.InnerException is OperationCanceledException);

    /// <summary>Raises the typed error of a failed read or write: the scope's cancellation, closed, or the socket error unwrapped from SslStream's IOException.</summary>
    private void ThrowMapped(BackendTask task, Exception exception)
    {
        if (IsCancellation(task, exception))
        {
            task.ThrowIfCancelled();
        }

        if (IsClosing || _inner.IsClosing)
        {
            throw _gate.ClosedError(exception);
        }

        if (exception is IOException { InnerException: SocketException socketError })
        {
            ExceptionDispatchInfo.Throw(socketError);
        }
    }
}
