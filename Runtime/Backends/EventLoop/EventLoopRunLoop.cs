using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using EasyNetwork.Internal;
using EasyNetwork.Net.Sockets;

namespace EasyNetwork.Backends.EventLoop;

/// <summary>
/// The run loop of the <c>eventloop</c> backend: the thread that calls <see cref="Run(IRunLoopHost)"/> becomes the
/// loop thread and executes every task of the run from a FIFO ready queue; one timer deadline is checked between
/// items; a <see cref="SynchronizationContext"/> brings foreign continuations back to the loop. With a virtual clock,
/// time stands still and jumps to the armed deadline once the loop has been idle for the autojump threshold.
/// Once a stream socket joins the run (Linux), the loop owns a <see cref="SocketPoller"/> and idles in it rather than on
/// a monitor: socket readiness then resumes tasks on this thread directly, with no hand-off from .NET's socket engine.
/// </summary>
internal sealed class EventLoopRunLoop : IRunLoop, ISocketPollingLoop
{
    private readonly object _gate = new();
    private readonly Queue<WorkItem> _ready = new();
    private readonly bool _virtualClock;
    private readonly TimeSpan _autojumpThreshold;
    private readonly long _realOrigin = Stopwatch.GetTimestamp();
    private readonly EventLoopSynchronizationContext _context;
    private long _virtualTicks;
    private long _timerTicks = long.MaxValue;
    private bool _stopRequested;
    private Thread? _thread;
    private SocketPoller? _poller;
    private bool _pollerUnavailable = !Epoll.IsSupported;
    private bool _sleepingInPoller;
    private int _itemsUntilPoll;

    public EventLoopRunLoop(bool virtualClock, TimeSpan autojumpThreshold)
    {
        _virtualClock = virtualClock;
        _autojumpThreshold = autojumpThreshold;
        _context = new EventLoopSynchronizationContext(this);
    }

    public TimeSpan Now => _virtualClock
        ? new TimeSpan(Volatile.Read(ref _virtualTicks))
        : Stopwatch.GetElapsedTime(_realOrigin);

    public SynchronizationContext? SynchronizationContext => _context;

    public bool IsLoopThread => ReferenceEquals(Thread.CurrentThread, Volatile.Read(ref _thread));

    public void Schedule(Action<object?> callback, object? state) => Enqueue(new WorkItem(callback, state));

    /// <summary>Queues a continuation posted to the loop's context; it keeps its own delegate type, so posting allocates nothing.</summary>
    public void Post(SendOrPostCallback callback, object? state) => Enqueue(new WorkItem(callback, state));

    private void Enqueue(WorkItem item)
    {
        lock (_gate)
        {
            _ready.Enqueue(item);
            if (_ready.Count == 1)
            {
                WakeLocked();
            }
        }
    }

    public void SetTimer(TimeSpan deadline)
    {
        lock (_gate)
        {
            _timerTicks = deadline.Ticks;
            WakeLocked();
        }
    }

    public void Run(IRunLoopHost host)
    {
        SynchronizationContext? previous = SynchronizationContext.Current;
        Volatile.Write(ref _thread, Thread.CurrentThread);
        SynchronizationContext.SetSynchronizationContext(_context);
        try
        {
            lock (_gate)
            {
                _stopRequested = false;
            }

            host.Start();
            while (NextItem(host, out WorkItem item))
            {
                item.Invoke();
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
            Volatile.Write(ref _thread, null);
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            _stopRequested = true;
            WakeLocked();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _poller?.Dispose();
            _poller = null;
            _pollerUnavailable = true;
        }
    }

    public SocketPoller? GetSocketPoller()
    {
        lock (_gate)
        {
            if (_poller is null && !_pollerUnavailable)
            {
                // Created on first use: a run without stream sockets keeps no descriptors. A failure (no descriptor
                // left) is retried by the next socket; meanwhile sockets use .NET's engine, which works all the same.
                _poller = SocketPoller.TryCreate();
            }

            return _poller;
        }
    }

    /// <summary>Wakes the loop thread if it idles. Caller holds the gate.</summary>
    private void WakeLocked()
    {
        if (_sleepingInPoller)
        {
            _sleepingInPoller = false;
            _poller!.WakeUp();
        }
        else
        {
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Takes the next ready item, firing the timer when it is due; false when the loop must return.</summary>
    private bool NextItem(IRunLoopHost host, out WorkItem item)
    {
        while (true)
        {
            bool fireTimer = false;
            SocketPoller? poller = null;
            int pollTimeout = 0;
            bool jumpIfIdle = false;
            lock (_gate)
            {
                if (_timerTicks != long.MaxValue && _timerTicks <= Now.Ticks)
                {
                    _timerTicks = long.MaxValue;
                    fireTimer = true;
                }
                else if (_poller is not null && _ready.Count > 0 && --_itemsUntilPoll < 0)
                {
                    // Look at the sockets once per pass over the queue, so a queue that never empties cannot starve I/O.
                    _itemsUntilPoll = _ready.Count;
                    poller = _poller;
                }
                else if (_ready.TryDequeue(out item))
                {
                    return true;
                }
                else if (_stopRequested)
                {
                    return false;
                }
                else if (_poller is not null)
                {
                    poller = _poller;
                    pollTimeout = IdleTimeoutLocked(out jumpIfIdle);
                    _sleepingInPoller = pollTimeout != 0;
                }
                else if (!WaitForWorkLocked())
                {
                    JumpToTimerLocked();
                }
            }

            if (fireTimer)
            {
                host.OnTimer();
            }
            else if (poller is not null)
            {
                // The gate is released: other threads queue work and wake the wait through the poller.
                bool woken = poller.Wait(pollTimeout);
                if (pollTimeout != 0 || jumpIfIdle)
                {
                    lock (_gate)
                    {
                        _sleepingInPoller = false;
                        if (jumpIfIdle && !woken && _ready.Count == 0 && !_stopRequested)
                        {
                            JumpToTimerLocked();
                        }
                    }
                }
            }
        }
    }

    /// <summary>Idle long enough with a virtual clock: jump exactly to the armed deadline (S2.3). Caller holds the gate.</summary>
    private void JumpToTimerLocked() => Volatile.Write(ref _virtualTicks, Math.Max(_virtualTicks, _timerTicks));

    /// <summary>
    /// How long the idle loop may wait in the poller, in milliseconds (-1: until woken); with a virtual clock and an
    /// armed timer, the autojump threshold, after which an undisturbed wait jumps the clock. Caller holds the gate.
    /// </summary>
    private int IdleTimeoutLocked(out bool jumpIfIdle)
    {
        jumpIfIdle = false;
        if (_timerTicks == long.MaxValue)
        {
            return -1;
        }

        TimeSpan wait;
        if (_virtualClock)
        {
            jumpIfIdle = true;
            wait = _autojumpThreshold;
        }
        else
        {
            wait = new TimeSpan(_timerTicks) - Now;
        }

        // Round up: waking early would only loop, waking late delays the deadline.
        return wait <= TimeSpan.Zero ? 0 : (int)Math.Min((long)Math.Ceiling(wait.TotalMilliseconds), int.MaxValue - 1);
    }

    /// <summary>Waits for work or the timer. Returns false when a virtual clock should jump instead. Caller holds the gate.</summary>
    private bool WaitForWorkLocked()
    {
#pragma warning disable EN0009 // the loop thread idles here between tasks, on the loop's own thread: no backend task runs while it waits
        if (_virtualClock)
        {
            if (_timerTicks == long.MaxValue)
            {
                // Nothing pending: the virtual clock does not move; only new work can wake the loop.
                Monitor.Wait(_gate);
                return true;
            }

            if (_autojumpThreshold > TimeSpan.Zero && Monitor.Wait(_gate, _autojumpThreshold))
            {
                return true;
            }

            return _ready.Count > 0 || _stopRequested;
        }

        if (_timerTicks == long.MaxValue)
        {
            Monitor.Wait(_gate);
            return true;
        }

        TimeSpan remaining = new TimeSpan(_timerTicks) - Now;
        if (remaining > TimeSpan.Zero)
        {
            // Round up: waking early would only loop, waking late delays the deadline.
            long milliseconds = Math.Min((long)Math.Ceiling(remaining.TotalMilliseconds), int.MaxValue - 1);
            Monitor.Wait(_gate, (int)milliseconds);
        }

        return true;
#pragma warning restore EN0009
    }

    /// <summary>A queued callback: an <see cref="Action{T}"/> scheduled by the runtime, or a <see cref="SendOrPostCallback"/> posted to the context.</summary>
    private readonly record struct WorkItem(Delegate Callback, object? State)
    {
        public void Invoke()
        {
            if (Callback is Action<object?> action)
            {
                action(State);
            }
            else
            {
                ((SendOrPostCallback)Callback)(State);
            }
        }
    }
}
