using System;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Internal;
using Microsoft.Extensions.Logging;

namespace EasyNetwork.Net.Sockets;

/// <summary>
/// A listening stream socket (TCP or Unix) that serves connections (SPEC S8.38–S8.45): each accepted socket becomes
/// a transport in its own task, capacity errors back off, ignorable accept errors are skipped.
/// </summary>
internal sealed class SocketListener : IListener<IStreamTransport>
{
    /// <summary>The pause after a capacity error (S14.6).</summary>
    public static readonly TimeSpan CapacityBackOff = TimeSpan.FromMilliseconds(100);

    private readonly Socket _socket;
    private readonly RunState _run;
    private readonly SocketOperationRelay _acceptRelay;
    private int _closing;
    private int _serving;
    private CancelScope? _serveScope;

    public SocketListener(RunState run, Socket socket)
    {
        _run = run;
        _socket = socket;
        _acceptRelay = new SocketOperationRelay(run);
        LocalEndPoint = socket.LocalEndPoint!;
    }

    public IAsyncBackend Backend => _run.Backend;

    public bool IsClosing => Volatile.Read(ref _closing) != 0;

    public EndPoint LocalEndPoint { get; }

    public ValueTask ServeAsync(Func<IStreamTransport, ValueTask> handler, ITaskGroup? taskGroup = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ThrowIfClosed();
        if (Interlocked.Exchange(ref _serving, 1) != 0)
        {
            throw new BusyResourceException($"Another ServeAsync is already serving the listener on {SocketArguments.Describe(LocalEndPoint)}.");
        }

        try
        {
            BackendTask task = BackendTask.GetCurrent("IListener.ServeAsync", _run);

            return ServeCoreAsync(task, handler, taskGroup);
        }
        catch
        {
            Volatile.Write(ref _serving, 0);
            throw;
        }
    }

    private async ValueTask ServeCoreAsync(BackendTask task, Func<IStreamTransport, ValueTask> handler, ITaskGroup? taskGroup)
    {
        try
        {
            if (taskGroup is null)
            {
                await Backend.RunTaskGroupAsync(static (group, s) => s.Listener.AcceptLoopAsync(s.Task, group, s.Handler), (Listener: this, Task: task, Handler: handler));
            }
            else
            {
                await AcceptLoopAsync(task, taskGroup, handler);
            }
        }
        finally
        {
            Volatile.Write(ref _serving, 0);
        }
    }

    private async ValueTask AcceptLoopAsync(BackendTask task, ITaskGroup group, Func<IStreamTransport, ValueTask> handler)
    {
        // Closing the listener cancels this scope, so a close during the back-off sleep ends serving too (S8.40).
        Exception? closedBy = null;
        using (CancelScope scope = Backend.EnterCancelScope())
        {
            try
            {
                Volatile.Write(ref _serveScope, scope);
                if (IsClosing)
                {
                    scope.Cancel("The listener was closed.");
                }

                while (true)
                {
                    Socket accepted;
                    try
                    {
                        task.ThrowIfCancelled();
                        accepted = await _acceptRelay.WaitAsync(_socket.AcceptAsync(task.Innermost.Token));
                    }
                    catch (SocketException exception) when (!IsClosing && SocketErrors.IsCapacityError(exception))
                    {
                        _run.Options.Logger?.LogError(exception, "Accept on {EndPoint} failed for lack of resources ({Error}); retrying in {Delay} ms.", SocketArguments.Describe(LocalEndPoint), exception.SocketErrorCode, CapacityBackOff.TotalMilliseconds);
                        await Backend.SleepAsync(CapacityBackOff);
                        continue;
                    }
                    catch (SocketException exception) when (!IsClosing && SocketErrors.IsIgnorableAcceptError(exception))
                    {
                        continue;
                    }

                    group.StartSoon(static s => s.Listener.HandleConnectionAsync(s.Socket, s.Handler), (Listener: this, Socket: accepted, Handler: handler));
                }
            }
            catch (OperationCanceledException) when (!IsClosing && task.Innermost.IsEffectivelyCancelled())
            {
                // The socket's own cancellation for the scope token: raise it as the scope's cancellation.
                task.ThrowIfCancelled();
                throw;
            }
            catch (OperationCanceledException exception) when (scope.Owns(exception))
            {
                // Only CloseAsync cancels this scope.
                closedBy = exception;
            }
            catch (Exception exception) when (exception is not OperationCanceledException && IsClosing && SocketErrors.IsClosedSocketError(exception))
            {
                closedBy = exception;
            }
            finally
            {
                Volatile.Write(ref _serveScope, null);
            }
        }

        // Closed: a cancellation from outside still comes out as the cancellation (S8.40), otherwise the close does.
        task.ThrowIfCancelled();
        ThrowClosed(closedBy);
    }

    /// <summary>Per-connection setup in the connection's own task (S8.42), then the handler; the transport is closed after it.</summary>
    private async ValueTask HandleConnectionAsync(Socket socket, Func<IStreamTransport, ValueTask> handler)
    {
        SocketStreamTransport transport;
        try
        {
            transport = SocketConnector.CreateTransport(_run, socket);
        }
        catch (SocketException exception) when (SocketErrors.IsNotConnectedError(exception))
        {
            // The peer left before setup: nothing to serve.
            socket.Dispose();
            return;
        }
        catch (Exception exception)
        {
            socket.Dispose();
            _run.Options.Logger?.LogError(exception, "Setting up a connection accepted on {EndPoint} failed; the connection was closed.", SocketArguments.Describe(LocalEndPoint));
            return;
        }

        await using (transport)
        {
            await handler(transport);
        }
    }

    public ValueTask CloseAsync()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return default;
        }

        // Closing the socket wakes a pending accept; cancelling the serve scope wakes the back-off sleep. Accepted transports stay open (S8.44).
        _socket.Dispose();
        Volatile.Read(ref _serveScope)?.Cancel("The listener was closed.");
        return default;
    }

    public ValueTask DisposeAsync() => CloseAsync();

    private void ThrowIfClosed()
    {
        if (IsClosing)
        {
            ThrowClosed(null);
        }
    }

    [DoesNotReturn]
    private void ThrowClosed(Exception? inner)
        => throw new ClosedResourceException($"The listener on {SocketArguments.Describe(LocalEndPoint)} is closed.", inner);
}
