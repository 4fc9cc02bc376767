using System;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace EasyNetwork.Internal;

/// <summary>
/// A coroutine run as a task of the run for a portal (S6.13–S6.15): one per <c>RunCoroutineSoon</c> call, completing
/// its future, or a pooled one that <c>RunCoroutine</c> runs again and again (<see cref="PortalCall{TResult}"/>).
/// </summary>
internal sealed class PortalCoroutineCall<TState, TResult> : PortalCall<TResult>
{
    private readonly ThreadFutureSource<TResult>? _future;
    private Func<TState, ValueTask<TResult>> _func;
    private TState _state;

    /// <summary>A call whose outcome goes to <paramref name="future"/> (<c>RunCoroutineSoon</c>).</summary>
    public PortalCoroutineCall(RunState run, ThreadsPortalImpl portal, CancelScopeImpl portalScope, Func<TState, ValueTask<TResult>> func, TState state, ThreadFutureSource<TResult> future)
        : base(run, portal, portalScope, func, pooled: false)
    {
        _func = func;
        _state = state;
        _future = future;
    }

    /// <summary>A pooled call for <c>RunCoroutine</c>.</summary>
    public PortalCoroutineCall(RunState run, ThreadsPortalImpl portal, CancelScopeImpl portalScope, Func<TState, ValueTask<TResult>> func)
        : base(run, portal, portalScope, func, pooled: true)
    {
        _func = func;
        _state = default!;
    }

    /// <summary>A task not yet started is still invoked, and raises at its first cancel point (S6.14).</summary>
    protected override bool SkipIfCancelledBeforeStart => false;

    /// <summary>Runs <paramref name="func"/> as a task of the run and blocks until it has completed (<c>RunCoroutine</c>).</summary>
    public TResult RunAndWait(Func<TState, ValueTask<TResult>> func, TState state)
    {
        _func = func;
        _state = state;
        return RunAndWait(entry: func);
    }

    public void CancelFromFuture() => TaskScope.Cancel("The portal call's future was cancelled.");

    protected override void ReleaseCallback()
    {
        _func = null!;
        _state = default!;
    }

    protected override ValueTask InvokeEntry()
    {
        ValueTask<TResult> pending = _func(_state);
        if (pending.IsCompletedSuccessfully)
        {
            Result = pending.Result;
            return default;
        }

        return AwaitAsync(pending);
    }

    // Pooled state machine: a coroutine that really waits pays no box for this frame.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitAsync(ValueTask<TResult> pending) => Result = await pending;

    protected override void CompleteFuture()
    {
        if (_future!.IsCancelled)
        {
            // The future was cancelled: a value is dropped, a failure is reported as unobserved (S6.15).
            if (Failure is { } failure)
            {
                Run.ReportUnobserved(failure);
            }
        }
        else if (Failure is { } failure)
        {
            _future.TrySetException(failure);
        }
        else if (IsCancelledOutcome)
        {
            _future.SetCancelledByRunSide();
        }
        else
        {
            _future.TrySetResult(Result);
        }
    }
}
