using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace EasyNetwork.Internal;

/// <summary>
/// A synchronous callback run on the run's side for a portal (S6.10–S6.12). <c>RunSyncSoon</c> creates one per call and
/// completes its future. <c>RunSync</c> takes a pooled one from its portal and blocks on it: a blocked caller has one
/// call in flight and reads the outcome before the call goes back to the pool, so the task, its scope, its context and
/// its wait serve call after call, and a round trip allocates nothing.
/// </summary>
internal sealed class PortalSyncCall<TState, TResult> : BackendTask<TResult>, IThreadPoolWorkItem
{
    private static readonly Action<object?> s_startPooled = static state => ((PortalSyncCall<TState, TResult>)state!).StartPooled();

    private readonly ThreadsPortalImpl _portal;
    private readonly ThreadFutureSource<TResult>? _future;
    private readonly ManualResetEventSlim? _completed;
    private Func<TState, TResult> _func;
    private TState _state;
    private bool _ran;
    private bool _used;
    private ExecutionContext? _callerContext;
    private ExecutionContext? _contextWithTask;

    /// <summary>A call whose outcome goes to <paramref name="future"/> (<c>RunSyncSoon</c>).</summary>
    public PortalSyncCall(RunState run, ThreadsPortalImpl portal, CancelScopeImpl portalScope, Func<TState, TResult> func, TState state, ThreadFutureSource<TResult> future)
        : base(run, TaskKind.Portal, name: null, func, portalScope, group: null)
    {
        _portal = portal;
        _func = func;
        _state = state;
        _future = future;
    }

    /// <summary>A pooled call for <c>RunSync</c>: each <see cref="RunAndWait"/> runs one callback and blocks until its outcome.</summary>
    public PortalSyncCall(RunState run, ThreadsPortalImpl portal, CancelScopeImpl portalScope, Func<TState, TResult> func)
        : base(run, TaskKind.Portal, name: null, func, portalScope, group: null)
    {
        _portal = portal;
        _func = func;
        _state = default!;
        _completed = new ManualResetEventSlim(initialState: false);
    }

    /// <summary>
    /// Runs <paramref name="func"/> on the run's side as a new portal task and blocks until it has ended, then gives this
    /// call back to the portal's pool. Returns the result, or rethrows the failure as the same object; a task that ended
    /// cancelled throws <see cref="TaskCanceledException"/> (S6.16), as the future of <c>RunSyncSoon</c> does.
    /// </summary>
    public TResult RunAndWait(Func<TState, TResult> func, TState state)
    {
        if (_used)
        {
            ResetForReuse(func);
        }

        _used = true;
        _func = func;
        _state = state;
        _completed!.Reset();
        PrepareContext();
        if (Run.Loop is IWorkItemLoop loop)
        {
            loop.Schedule(this);
        }
        else
        {
            Run.Loop.Schedule(s_startPooled, this);
        }

#pragma warning disable EN0009 // RunSync blocks the foreign thread that called it until the run has run the callback, by contract (S6.7)
        _completed.Wait();
#pragma warning restore EN0009

        // Read everything before the call goes back to the pool; a call whose wait threw above is never pooled again.
        Exception? failure = Failure;
        bool cancelled = IsCancelledOutcome;
        TResult result = Result;
        _func = null!;
        _state = default!;
        Result = default!;
        _portal.ReturnSyncCall(this);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        if (cancelled)
        {
            ThrowHelper.ThrowRunSideCancelled();
        }

        return result;
    }

    /// <summary>
    /// Keeps the context the callback runs in (S6.17): the caller's, with this task as the ambient task. It is derived
    /// again only when the caller's context changed, because deriving it writes an AsyncLocal (an allocation).
    /// </summary>
    private void PrepareContext()
    {
        ExecutionContext? captured = ExecutionContext.Capture();
        if (captured is null)
        {
            // Flow suppressed: the callback runs without the caller's context, as any task does (Start).
            _callerContext = null;
            _contextWithTask = null;
        }
        else if (!ReferenceEquals(captured, _callerContext))
        {
            _contextWithTask = DeriveContextWithTask(captured);
            _callerContext = captured;
        }
    }

    void IThreadPoolWorkItem.Execute() => StartPooled();

    private void StartPooled()
    {
        if (_contextWithTask is { } context)
        {
            StartInPreparedContext(context);
        }
        else
        {
            Start();
        }
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

    protected override void OnPortalCallCompleted()
    {
        if (_future is null)
        {
            // The portal is told first: once woken, the caller may take this call again, so waking it is the last step.
            _portal.OnCallFinished();
            _completed!.Set();
            return;
        }

        if (_ran)
        {
            if (Failure is { } failure)
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

        _portal.OnCallFinished();
    }
}
