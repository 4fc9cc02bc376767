using System;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Internal;

namespace EasyNetwork.Net.Internal;

/// <summary>
/// The state every stream transport shares (SPEC S8.23–S8.26): open, closing or closed; one reader and one writer,
/// checked closed-first then busy before anything is touched; a close that waits for the writer in flight.
/// </summary>
internal sealed class StreamTransportGate
{
    private const int StateOpen = 0;
    private const int StateClosing = 1;
    private const int StateClosed = 2;

    private readonly RunState _run;
    private readonly string _description;
    private int _state;
    private int _reading;
    private int _writing;
    private TaskCompletionSource? _writerDrained;

    /// <param name="run">The run the transport belongs to.</param>
    /// <param name="kind">How messages name the transport ("stream transport", "TLS transport").</param>
    /// <param name="local">The local address, for messages.</param>
    /// <param name="remote">The peer address, for messages.</param>
    public StreamTransportGate(RunState run, string kind, EndPoint local, EndPoint remote)
    {
        _run = run;
        _description = $"{kind} {local} -> {remote}";
    }

    public RunState Run => _run;

    public bool IsClosing => Volatile.Read(ref _state) != StateOpen;

    public bool IsClosed => Volatile.Read(ref _state) == StateClosed;

    /// <summary>Whether no receive and no send is in progress.</summary>
    public bool IsIdle => Volatile.Read(ref _reading) == 0 && Volatile.Read(ref _writing) == 0;

    /// <summary>Moves from open to closing; false when closing had already started.</summary>
    public bool TryStartClosing() => Interlocked.CompareExchange(ref _state, StateClosing, StateOpen) == StateOpen;

    public void MarkClosed() => Volatile.Write(ref _state, StateClosed);

    public void EnterReader(string operation)
    {
        ThrowIfClosed();
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            ThrowBusy("reader", operation);
        }
    }

    /// <summary>Ends a receive; returns whether the transport is closed by now.</summary>
    public bool ExitReader()
    {
        // A full fence before reading the state: a close that saw the reader busy leaves the last step to it.
        Interlocked.Exchange(ref _reading, 0);
        return IsClosed;
    }

    /// <summary>Claims the writer role: closed check, then busy check.</summary>
    public void ClaimWriter(string operation)
    {
        ThrowIfClosed();
        if (Interlocked.Exchange(ref _writing, 1) != 0)
        {
            ThrowBusy("writer", operation);
        }
    }

    /// <summary>Claims the writer role (see <see cref="ClaimWriter"/>) and returns the calling task.</summary>
    public BackendTask EnterWriter(string operation)
    {
        ClaimWriter(operation);
        try
        {
            return GetTask(operation);
        }
        catch
        {
            ExitWriter();
            throw;
        }
    }

    /// <summary>Ends a send, telling a close that waits for it; returns whether the transport is closed by now.</summary>
    public bool ExitWriter()
    {
        // A full fence before reading the state: a close that saw the writer busy is then sure to be told (Dekker).
        Interlocked.Exchange(ref _writing, 0);
        int state = Volatile.Read(ref _state);
        if (state != StateOpen)
        {
            Volatile.Read(ref _writerDrained)?.TrySetResult();
        }

        return state == StateClosed;
    }

    /// <summary>A task that completes once no send is in flight (for a graceful close, once closing has started).</summary>
    public Task WhenWriterDrained()
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _writerDrained, drained);
        if (Volatile.Read(ref _writing) == 0)
        {
            drained.TrySetResult();
        }

        return drained.Task;
    }

    /// <summary>The calling task, which must belong to the transport's run.</summary>
    public BackendTask GetTask(string operation)
    {
        BackendTask task = BackendTask.GetCurrent(operation);
        if (task.Run != _run)
        {
            ThrowHelper.ThrowWrongRun(operation);
        }

        return task;
    }

    public void ThrowIfClosed()
    {
        if (IsClosing)
        {
            throw ClosedError(null);
        }
    }

    public ClosedResourceException ClosedError(Exception? inner) => new($"The {_description} is closed.", inner);

    /// <summary>A transport's <c>DisposeAsync</c>: its close, without the cancellation (S8.25), so <c>await using</c> cannot replace an exception in flight.</summary>
    public static async ValueTask DisposeByClosingAsync(IStreamTransport transport)
    {
        try
        {
#pragma warning disable EN0001 // Not shielded on purpose: a dispose in a cancelled scope aborts the transport (S8.25).
            await transport.CloseAsync();
#pragma warning restore EN0001
        }
#pragma warning disable EN0003 // S8.25: DisposeAsync never raises a cancellation; the transport is closed (aborted) all the same.
        catch (OperationCanceledException)
        {
        }
#pragma warning restore EN0003
    }

    [DoesNotReturn]
    private void ThrowBusy(string role, string operation)
        => throw new BusyResourceException($"{operation}: another {role} is already using the {_description}; one reader and one writer at a time.");
}
