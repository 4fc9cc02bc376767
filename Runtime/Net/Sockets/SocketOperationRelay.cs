using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;
using EasyNetwork.Internal;

namespace EasyNetwork.Net.Sockets;

/// <summary>
/// Parks a backend task on a pending socket operation and resumes it on its run loop when the operation completes.
/// One relay per direction of a transport (one pending operation at a time), so a wait allocates nothing: the socket's
/// own awaitable is cached by the socket, the waiter is pooled, and the continuation delegate is created once.
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
    private readonly RunState _run;
    private readonly Action _onCompleted;
    private Waiter? _waiter;

    public SocketOperationRelay(RunState run)
    {
        _run = run;
        _onCompleted = OnCompleted;
    }

    public RunState Run => _run;

    /// <summary>Waits for <paramref name="operation"/> on the run loop and returns its result (or throws its exception).</summary>
    public ValueTask<T> WaitAsync<T>(ValueTask<T> operation)
        => operation.IsCompleted ? operation : WaitPendingAsync(operation);

    /// <summary>Waits for <paramref name="operation"/> on the run loop (or throws its exception).</summary>
    public ValueTask WaitAsync(ValueTask operation)
        => operation.IsCompleted ? operation : WaitPendingAsync(operation);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<T> WaitPendingAsync<T>(ValueTask<T> operation)
    {
        Waiter waiter = _run.RentWaiter();
        _waiter = waiter;
        operation.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onCompleted);
        await waiter.AsValueTask();
        _run.ReturnWaiter(waiter);
        return await operation;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WaitPendingAsync(ValueTask operation)
    {
        Waiter waiter = _run.RentWaiter();
        _waiter = waiter;
        operation.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onCompleted);
        await waiter.AsValueTask();
        _run.ReturnWaiter(waiter);
        await operation;
    }

    private void OnCompleted()
    {
        Waiter waiter = _waiter!;
        _waiter = null;
        waiter.TryComplete(WaitResult.Signaled, allowInline: true);
    }
}
