using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using EasyNetwork.Internal;

namespace EasyNetwork.Backends.EventLoop;

/// <summary>
/// The run loop of the <c>eventloop</c> backend: the thread that calls <see cref="Run(IRunLoopHost)"/> becomes the
/// loop thread and executes every task of the run from a FIFO ready queue; one timer deadline is checked between
/// items; a <see cref="SynchronizationContext"/> brings foreign continuations back to the loop. With a virtual clock,
/// time stands still and jumps to the armed deadline once the loop has been idle for the autojump threshold.
/// </summary>
internal sealed class EventLoopRunLoop : IRunLoop
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
                Monitor.Pulse(_gate);
            }
        }
    }

    public void SetTimer(TimeSpan deadline)
    {
        lock (_gate)
        {
            _timerTicks = deadline.Ticks;
            Monitor.Pulse(_gate);
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
            Monitor.Pulse(_gate);
        }
    }

    public void Dispose()
    {
    }

    /// <summary>Takes the next ready item, firing the timer when it is due; false when the loop must return.</summary>
    private bool NextItem(IRunLoopHost host, out WorkItem item)
    {
        while (true)
        {
            bool fireTimer = false;
            lock (_gate)
            {
                if (_timerTicks != long.MaxValue && _timerTicks <= Now.Ticks)
                {
                    _timerTicks = long.MaxValue;
                    fireTimer = true;
                }
                else if (_ready.TryDequeue(out item))
                {
                    return true;
                }
                else if (_stopRequested)
                {
                    return false;
                }
                else if (!WaitForWorkLocked())
                {
                    // Idle long enough with a virtual clock: jump exactly to the armed deadline (S2.3).
                    Volatile.Write(ref _virtualTicks, Math.Max(_virtualTicks, _timerTicks));
                }
            }

            if (fireTimer)
            {
                host.OnTimer();
            }
        }
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
