using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace EasyNetwork.Internal;

/// <summary>
/// The run-side task of one portal call (S6.10–S6.17), a task hanging under the portal's scope whose outcome goes to its
/// caller only. A call made for a future (<c>RunSyncSoon</c>, <c>RunCoroutineSoon</c>) serves once. A call of a blocking
/// form (<c>RunSync</c>, <c>RunCoroutine</c>) is pooled by its portal: a blocked caller has one call in flight and reads
/// the outcome before the call goes back to the pool, so the task, its scope, its context and its wait serve call after
/// call, each run as a new task (a fresh identity, no outcome).
/// </summary>
/// <typeparam name="TResult">The callback's result type.</typeparam>
internal abstract class PortalCall<TResult> : BackendTask<TResult>, IThreadPoolWorkItem
{
    private static readonly Action<object?> s_startPooled = static state => ((PortalCall<TResult>)state!).StartPooled();

    private readonly ThreadsPortalImpl _portal;
    private readonly ManualResetEventSlim? _completed;
    private bool _used;
    private ExecutionContext? _callerContext;
    private ExecutionContext? _contextWithTask;

    /// <summary>Creates a call; <paramref name="pooled"/> for the blocking forms, which run it with <see cref="RunAndWait"/>.</summary>
    protected PortalCall(RunState run, ThreadsPortalImpl portal, CancelScopeImpl portalScope, Delegate entry, bool pooled)
        : base(run, TaskKind.Portal, name: null, entry, portalScope, group: null)
    {
        _portal = portal;
        if (pooled)
        {
            _completed = new ManualResetEventSlim(initialState: false);
        }
    }

    /// <summary>
    /// Runs the callback the subclass has just stored as a new portal task and blocks until it has ended, then gives
    /// this call back to the portal's pool. Returns the result, or rethrows the failure as the same object; a task that
    /// ended cancelled throws <see cref="TaskCanceledException"/> (S6.16), as a cancelled future's <c>GetResult</c> does.
    /// </summary>
    protected TResult RunAndWait(Delegate entry)
    {
        if (_used)
        {
            ResetForReuse(entry);
        }

        _used = true;
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

#pragma warning disable EN0009 // the blocking forms block the foreign thread that called them until the run has run the callback, by contract (S6.7)
        _completed.Wait();
#pragma warning restore EN0009

        // Read everything before the call goes back to the pool; a call whose wait threw above is never pooled again.
        Exception? failure = Failure;
        bool cancelled = IsCancelledOutcome;
        TResult result = Result;
        Result = default!;
        ReleaseCallback();
        _portal.ReturnCall(this);
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

    /// <summary>Drops the pooled call's references to the caller's callback and state while it waits in the pool.</summary>
    protected abstract void ReleaseCallback();

    /// <summary>Completes the future of a call made for one, once the task has ended.</summary>
    protected abstract void CompleteFuture();

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

    protected sealed override void OnPortalCallCompleted()
    {
        if (_completed is not null)
        {
            // The portal is told first: once woken, the caller may take this call again, so waking it is the last step.
            _portal.OnCallFinished();
            _completed.Set();
            return;
        }

        CompleteFuture();
        _portal.OnCallFinished();
    }
}
