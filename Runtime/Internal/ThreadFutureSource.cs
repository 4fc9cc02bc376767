using System;
using System.Threading;
using System.Threading.Tasks;

namespace EasyNetwork.Internal;

/// <summary>
/// The future of work scheduled elsewhere. A plain work item can be cancelled only before it starts (S6.11); a coroutine
/// future can be cancelled until it completes, which also cancels the run-side task (S6.14).
/// </summary>
/// <typeparam name="T">The result type.</typeparam>
internal sealed class ThreadFutureSource<T> : ThreadFuture<T>
{
    private const int StatePending = 0;
    private const int StateRunning = 1;
    private const int StateDone = 2;

    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _cancellableWhileRunning;
    private int _state;
    private Action? _onCancel;

    public ThreadFutureSource(bool cancellableWhileRunning = false) => _cancellableWhileRunning = cancellableWhileRunning;

    public override bool IsCompleted => _completion.Task.IsCompleted;

    public override bool IsCancelled => _completion.Task.IsCanceled;

    public override Task<T> Task => _completion.Task;

    /// <summary>Called (once) when the future is cancelled by <see cref="Cancel"/>.</summary>
    public void OnCancel(Action action) => _onCancel = action;

    /// <summary>Marks the work as started; false if the future was cancelled first (the work must not run).</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _state, StateRunning, StatePending) == StatePending;

    public override bool Cancel()
    {
        if (_cancellableWhileRunning)
        {
            if (!_completion.TrySetCanceled())
            {
                return false;
            }

            Volatile.Write(ref _state, StateDone);
            _onCancel?.Invoke();
            return true;
        }

        if (Interlocked.CompareExchange(ref _state, StateDone, StatePending) != StatePending)
        {
            return false;
        }

        _completion.TrySetCanceled();
        _onCancel?.Invoke();
        return true;
    }

    public bool TrySetResult(T value)
    {
        Volatile.Write(ref _state, StateDone);
        return _completion.TrySetResult(value);
    }

    public bool TrySetException(Exception exception)
    {
        Volatile.Write(ref _state, StateDone);
        return _completion.TrySetException(exception);
    }

    public void SetCancelledByRunSide()
    {
        Volatile.Write(ref _state, StateDone);
        _completion.TrySetCanceled();
    }

#pragma warning disable EN0009 // the synchronous future read blocks the foreign thread that asked for the result, not a backend task
    public override T GetResult() => _completion.Task.GetAwaiter().GetResult();
#pragma warning restore EN0009
}
