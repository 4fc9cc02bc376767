using System;
using System.Threading.Tasks;

namespace EasyNetwork.Internal;

/// <summary>
/// A synchronous callback run on the run's side for a portal (S6.10–S6.12): one per <c>RunSyncSoon</c> call, completing
/// its future, or a pooled one that <c>RunSync</c> runs again and again (<see cref="PortalCall{TResult}"/>).
/// </summary>
internal sealed class PortalSyncCall<TState, TResult> : PortalCall<TResult>
{
    private readonly ThreadFutureSource<TResult>? _future;
    private Func<TState, TResult> _func;
    private TState _state;
    private bool _ran;

    /// <summary>A call whose outcome goes to <paramref name="future"/> (<c>RunSyncSoon</c>).</summary>
    public PortalSyncCall(RunState run, ThreadsPortalImpl portal, CancelScopeImpl portalScope, Func<TState, TResult> func, TState state, ThreadFutureSource<TResult> future)
        : base(run, portal, portalScope, func, pooled: false)
    {
        _func = func;
        _state = state;
        _future = future;
    }

    /// <summary>A pooled call for <c>RunSync</c>.</summary>
    public PortalSyncCall(RunState run, ThreadsPortalImpl portal, CancelScopeImpl portalScope, Func<TState, TResult> func)
        : base(run, portal, portalScope, func, pooled: true)
    {
        _func = func;
        _state = default!;
    }

    /// <summary>Runs <paramref name="func"/> on the run's side and blocks until it has returned (<c>RunSync</c>).</summary>
    public TResult RunAndWait(Func<TState, TResult> func, TState state)
    {
        _func = func;
        _state = state;
        return RunAndWait(entry: func);
    }

    protected override void ReleaseCallback()
    {
        _func = null!;
        _state = default!;
    }

    protected override ValueTask InvokeEntry()
    {
        if (_future is not null && !_future.TryStart())
        {
            // Cancelled through its future before it started: never called (S6.11).
            return default;
        }

        _ran = true;
        TResult result = _func(_state);
        if (result is Task || result is ValueTask || IsGenericValueTask(typeof(TResult)))
        {
            throw new InvalidOperationException("A threads portal's synchronous callback returned an awaitable; it was not awaited. Use RunCoroutine or RunCoroutineSoon for asynchronous work.");
        }

        Result = result;
        return default;
    }

    private static bool IsGenericValueTask(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>);

    protected override void CompleteFuture()
    {
        if (!_ran)
        {
            return;
        }

        if (Failure is { } failure)
        {
            _future!.TrySetException(failure);
        }
        else if (IsCancelledOutcome)
        {
            _future!.SetCancelledByRunSide();
        }
        else
        {
            _future!.TrySetResult(Result);
        }
    }
}
