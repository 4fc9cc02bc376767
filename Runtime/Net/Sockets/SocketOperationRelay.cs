using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using EasyNetwork.Internal;

namespace EasyNetwork.Net.Sockets;

/// <summary>
/// Parks a backend task on a pending socket operation and resumes it on its run loop when the operation completes.
/// One relay per direction of a transport (one pending operation at a time), so a wait allocates nothing: the socket's
/// own awaitable is cached by the socket, the relay owns one waiter, and the continuation delegate is created once.
/// </summary>
/// <remarks>
/// The completion callback is registered without the scheduling context (<c>ConfigureAwait(false)</c>): the socket
/// engine then calls it inline on its own thread instead of posting it to the run's synchronization context, which would
/// cost an extra hop and an allocation per wait; the waiter alone brings the task back to its run loop.
/// Cancellation reaches the operation through the scope token passed to the socket call, so the wait itself is not
/// cancellable: a cancelled operation completes (with the bytes it got, or with a cancellation) and that completion
/// wakes the task. This is what makes a cancelled receive lose no data (S8.17).
/// </remarks>
internal sealed class SocketOperationRelay
{
    private readonly Action _onCompleted;
    private readonly Waiter _ownWaiter;
    private Waiter? _waiter;

    public SocketOperationRelay(RunState run)
    {
        _onCompleted = OnCompleted;

        // One operation at a time per relay: it owns its waiter instead of renting one from the run's pool per wait.
        _ownWaiter = new Waiter(run);
    }

    /// <summary>Waits for <paramref name="operation"/> on the run loop and returns its result (or throws its exception).</summary>
    public ValueTask<T> WaitAsync<T>(ValueTask<T> operation)
        => operation.IsCompleted ? operation : WaitPendingAsync(operation);

    /// <summary>Waits for <paramref name="operation"/> on the run loop (or throws its exception).</summary>
    public ValueTask WaitAsync(ValueTask operation)
        => operation.IsCompleted ? operation : WaitPendingAsync(operation);

    /// <summary>
    /// Parks the calling task until the pending <paramref name="operation"/> completes; the caller then calls
    /// <see cref="Unpark"/> and reads the operation's result. Awaiting the parked waiter directly (rather than an async
    /// wrapper) resumes the task with exactly one pass through the run loop.
    /// </summary>
    public ValueTask<WaitResult> Park<T>(ValueTask<T> operation)
    {
        _waiter = _ownWaiter;
        operation.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onCompleted);
        return _ownWaiter.AsValueTask();
    }

    /// <summary>Parks the calling task until the pending <paramref name="operation"/> completes; see <see cref="Park{T}(ValueTask{T})"/>.</summary>
    public ValueTask<WaitResult> Park(ValueTask operation)
    {
        _waiter = _ownWaiter;
        operation.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onCompleted);
        return _ownWaiter.AsValueTask();
    }

    /// <summary>Readies the relay's waiter for the next <see cref="Park{T}(ValueTask{T})"/>, once the task resumed.</summary>
    public void Unpark() => _ownWaiter.Reset();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<T> WaitPendingAsync<T>(ValueTask<T> operation)
    {
        await Park(operation);
        Unpark();
        return await operation;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitPendingAsync(ValueTask operation)
    {
        await Park(operation);
        Unpark();
        await operation;
    }

    private void OnCompleted()
    {
        Waiter waiter = _waiter!;
        _waiter = null;
        waiter.TryComplete(WaitResult.Signaled, allowInline: true);
    }
}
