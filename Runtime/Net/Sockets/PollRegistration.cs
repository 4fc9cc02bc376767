using System;
using System.Diagnostics.CodeAnalysis;
using System.Net.Sockets;
using System.Threading.Tasks;
using EasyNetwork.Internal;

namespace EasyNetwork.Net.Sockets;

/// <summary>
/// One socket in its loop's <see cref="SocketPoller"/>: a reader and a writer may each park until the socket is
/// readable or writable. Each direction owns its waiter (one operation at a time per direction, guaranteed by the
/// transport's gate), so a wait allocates nothing; the wait is cancellable, and since nothing is in flight while it
/// is parked, a cancelled receive loses no data (S8.17).
/// </summary>
/// <remarks>Parking, waking by readiness and ending a wait all happen on the loop thread; <see cref="Close"/> may come from any thread.</remarks>
internal sealed class PollRegistration
{
    private readonly SocketPoller _poller;
    private readonly RunState _run;
    private readonly Waiter _readWaiter;
    private readonly Waiter _writeWaiter;
    private Waiter? _parkedReader;
    private Waiter? _parkedWriter;
    private volatile bool _closed;

    private PollRegistration(SocketPoller poller, RunState run)
    {
        _poller = poller;
        _run = run;
        _readWaiter = new Waiter(run);
        _writeWaiter = new Waiter(run);
    }

    /// <summary>The slot in the poller's table, or -1 once unregistered.</summary>
    public int Slot { get; set; } = -1;

    /// <summary>Distinguishes this registration from earlier users of the same slot.</summary>
    public uint Generation { get; set; }

    /// <summary>The socket's descriptor, for removal from the set.</summary>
    public int Descriptor { get; set; }

    /// <summary>Whether <see cref="Close"/> was called: the socket is leaving, a woken task must not park again.</summary>
    public bool IsClosed => _closed;

    /// <summary>Registers <paramref name="socket"/> with its run's loop when that loop polls sockets itself; null otherwise.</summary>
    public static PollRegistration? TryCreate(RunState run, Socket socket)
    {
        if (run.Loop is not ISocketPollingLoop loop || loop.GetSocketPoller() is not { } poller)
        {
            return null;
        }

        var registration = new PollRegistration(poller, run);
        return poller.TryRegister(registration, socket) ? registration : null;
    }

    /// <summary>Parks <paramref name="task"/> until the socket may be readable, or the task is cancelled; then call <see cref="EndWait"/>.</summary>
    public ValueTask<WaitResult> WaitReadableAsync(BackendTask task)
    {
        _parkedReader = _readWaiter;
        return Park(task, _readWaiter);
    }

    /// <summary>Parks <paramref name="task"/> until the socket may be writable, or the task is cancelled; then call <see cref="EndWait"/>.</summary>
    public ValueTask<WaitResult> WaitWritableAsync(BackendTask task)
    {
        _parkedWriter = _writeWaiter;
        return Park(task, _writeWaiter);
    }

    private ValueTask<WaitResult> Park(BackendTask task, Waiter waiter)
    {
        waiter.Task = task;
        lock (_run.Gate)
        {
            RunState.RegisterCancellableLocked(task, waiter);
        }

        if (_closed)
        {
            // Closed from another thread after this task's last call: its wake-up may have hit the waiter before it was armed.
            waiter.TryComplete(WaitResult.Signaled);
        }

        return waiter.AsValueTask();
    }

    /// <summary>Readies the direction for its next wait; throws the cancellation if that is what ended this one.</summary>
    public void EndWait(BackendTask task, WaitResult result, bool writer)
    {
        Waiter waiter;
        if (writer)
        {
            waiter = _writeWaiter;
            _parkedWriter = null;
        }
        else
        {
            waiter = _readWaiter;
            _parkedReader = null;
        }

        CancelledException? cancellation = result == WaitResult.Cancelled ? waiter.CancellationFor(task) : null;
        lock (_run.Gate)
        {
            RunState.UnregisterCancellableLocked(waiter);
        }

        waiter.Reset();
        if (cancellation is not null)
        {
            throw cancellation;
        }
    }

    /// <summary>After a wait: a task woken because the transport is closing (possibly from another thread) must not call or park again.</summary>
    public void ThrowIfClosed()
    {
        if (_closed)
        {
            ThrowClosed();
        }
    }

    [DoesNotReturn]
    private static void ThrowClosed() => throw new ObjectDisposedException(nameof(Socket), "The transport's socket was closed while waiting for it.");

    /// <summary>Called by the poller, on the loop thread, outside any task: resumes the parked reader or writer inline.</summary>
    public void OnReady(uint events)
    {
        if ((events & (Epoll.In | Epoll.ReadHangUp | Epoll.HangUp | Epoll.Error)) != 0 && _parkedReader is { } reader)
        {
            _parkedReader = null;
            reader.TryComplete(WaitResult.Signaled, allowInline: true);
        }

        if ((events & (Epoll.Out | Epoll.HangUp | Epoll.Error)) != 0 && _parkedWriter is { } writer)
        {
            _parkedWriter = null;
            writer.TryComplete(WaitResult.Signaled, allowInline: true);
        }
    }

    /// <summary>Wakes a parked reader through the loop's queue (from inside a task, e.g. a close that shut the receive side down).</summary>
    public void WakeReader() => _readWaiter.TryComplete(WaitResult.Signaled);

    /// <summary>
    /// Leaves the poller (before the socket closes) and wakes both directions, from any thread: a parked task retries
    /// its call and meets the closed socket. A waiter woken while idle only makes the next wait return at once.
    /// </summary>
    public void Close()
    {
        _closed = true;
        _poller.Unregister(this);
        _readWaiter.TryComplete(WaitResult.Signaled);
        _writeWaiter.TryComplete(WaitResult.Signaled);
    }
}
