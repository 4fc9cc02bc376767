using System;
using System.Threading;

namespace EasyNetwork.Backends.EventLoop;

/// <summary>Brings continuations of foreign awaits (tasks, sockets) back to the loop thread, in FIFO order with the ready queue.</summary>
internal sealed class EventLoopSynchronizationContext : SynchronizationContext
{
    private readonly EventLoopRunLoop _loop;

    public EventLoopSynchronizationContext(EventLoopRunLoop loop) => _loop = loop;

    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        _loop.Post(d, state);
    }

    public override void Send(SendOrPostCallback d, object? state)
    {
        if (!_loop.IsLoopThread)
        {
            throw new NotSupportedException("A synchronous Send into the event loop from another thread would deadlock it; use Post, or a threads portal.");
        }

        d(state);
    }

    public override SynchronizationContext CreateCopy() => this;
}
