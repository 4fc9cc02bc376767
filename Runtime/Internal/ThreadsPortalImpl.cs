using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace EasyNetwork.Internal;

/// <summary>
/// The threads portal (S6.6–S6.19): calls from other threads become portal tasks hanging under the portal's scope;
/// their outcomes go to their futures only (or, for the blocking forms, to the blocked caller, through a pooled call:
/// <see cref="PortalCall{TResult}"/>). Exit stops accepting atomically, then waits for every accepted call.
/// </summary>
internal sealed class ThreadsPortalImpl : ThreadsPortal
{
    private const int StateNew = 0;
    private const int StateRunning = 1;
    private const int StateExiting = 2;

    // Threads blocked in RunSync or RunCoroutine at once beyond this number create a call each.
    private const int IdleCallSlots = 8;

    private readonly IAsyncBackend _backend;
    private readonly object _entryGate = new();
    private volatile int _state;
    private RunState? _run;
    private CancelScopeImpl? _scope;
    private int _inFlight;
    private Waiter? _exitWaiter;

    // Idle calls of the blocking forms, any kind and TState/TResult: one per thread blocked at once is what a portal needs.
    private object?[]? _idleCalls;

    public ThreadsPortalImpl(IAsyncBackend backend) => _backend = backend;

    public override IAsyncBackend Backend => _backend;

    public override bool IsRunning => _state == StateRunning;

    public override ValueTask RunAsync<TState>(Func<ThreadsPortal, TState, ValueTask> body, TState state)
    {
        ArgumentNullException.ThrowIfNull(body);
        BackendTask task = Enter();
        return RunBodyAsync(task, body, state);
    }

    public override async ValueTask<TResult> RunAsync<TState, TResult>(Func<ThreadsPortal, TState, ValueTask<TResult>> body, TState state)
    {
        ArgumentNullException.ThrowIfNull(body);
        var box = new ResultBox<TResult>();
        await RunAsync(static async (portal, s) => s.box.Value = await s.body(portal, s.state), (body, state, box));
        return box.Value;
    }

    private BackendTask Enter()
    {
        BackendTask task = BackendTask.GetCurrent("ThreadsPortal.RunAsync");
        lock (_entryGate)
        {
            if (_state != StateNew)
            {
                ThrowHelper.ThrowInvalidOperation("This threads portal has already been entered; a portal is single-use.");
            }

            var scope = new CancelScopeImpl(default);
            scope.Enter(task);
            _scope = scope;
            _run = task.Run;
            _state = StateRunning;
        }

        return task;
    }

    private async ValueTask RunBodyAsync<TState>(BackendTask task, Func<ThreadsPortal, TState, ValueTask> body, TState state)
    {
        ExceptionDispatchInfo? failure = null;
        try
        {
            await body(this, state);
        }
        catch (Exception ex)
        {
            failure = ExceptionDispatchInfo.Capture(ex);
        }

        RunState run = _run!;
        lock (run.Gate)
        {
            // (1) Stop accepting calls: every concurrent call is either counted already or refused.
            _state = StateExiting;
        }

        if (failure is not null)
        {
            // (3) With a failed body, running coroutines are cancelled before they are awaited.
            _scope!.Cancel("The threads portal's body failed.");
        }

        // (2)+(3) Wait, shielded, for every accepted callback and coroutine.
        while (true)
        {
            Waiter waiter;
            lock (run.Gate)
            {
                if (_inFlight == 0)
                {
                    break;
                }

                waiter = run.RentWaiter();
                _exitWaiter = waiter;
            }

            await waiter.AsValueTask();
            run.ReturnWaiter(waiter);
        }

        _scope!.ExitAndRethrow(task, failure, out _);
    }

    /// <summary>Admits a call from another thread, or throws if the portal is not running or the caller is a task of its run.</summary>
    private RunState Accept(string operation)
    {
        RunState? run = _run;
        if (BackendTask.Current is { } caller && ReferenceEquals(caller.Run, run))
        {
            ThrowHelper.ThrowInvalidOperation($"ThreadsPortal.{operation} was called from a task of the portal's own run; it must be called from another thread (it would deadlock the run). Call the function directly instead.");
        }

        if (run is not null)
        {
            lock (run.Gate)
            {
                if (_state == StateRunning)
                {
                    _inFlight++;
                    return run;
                }
            }
        }

        return ThrowHelper.ThrowInvalidOperation<RunState>($"ThreadsPortal.{operation}: the portal is not running (it has not been entered yet, or its exit has begun).");
    }

    /// <summary>Called when an accepted call has finished.</summary>
    public void OnCallFinished()
    {
        RunState run = _run!;
        lock (run.Gate)
        {
            _inFlight--;
            if (_inFlight == 0 && _exitWaiter is { } waiter)
            {
                _exitWaiter = null;
                waiter.TryComplete(WaitResult.Signaled);
            }
        }
    }

    public override TResult RunSync<TState, TResult>(Func<TState, TResult> func, TState state)
    {
        ArgumentNullException.ThrowIfNull(func);
        RunState run = Accept(nameof(RunSync));
        PortalSyncCall<TState, TResult> call = TakeIdleCall<PortalSyncCall<TState, TResult>>() ?? new PortalSyncCall<TState, TResult>(run, this, _scope!, func);
        return call.RunAndWait(func, state);
    }

    /// <summary>Takes an idle call of type <typeparamref name="TCall"/> from the pool, or null (a first call, or more callers blocked at once than the pool keeps).</summary>
    private TCall? TakeIdleCall<TCall>()
        where TCall : class
    {
        object?[] idle = Volatile.Read(ref _idleCalls) ?? CreateIdleCalls();
        for (int i = 0; i < idle.Length; i++)
        {
            if (Volatile.Read(ref idle[i]) is TCall call && ReferenceEquals(Interlocked.CompareExchange(ref idle[i], null, call), call))
            {
                return call;
            }
        }

        return null;
    }

    private object?[] CreateIdleCalls()
    {
        var idle = new object?[IdleCallSlots];
        return Interlocked.CompareExchange(ref _idleCalls, idle, null) ?? idle;
    }

    /// <summary>Gives back a call of a blocking form whose caller has read its outcome; dropped when the pool is full.</summary>
    public void ReturnCall(object call)
    {
        object?[] idle = _idleCalls!;
        for (int i = 0; i < idle.Length; i++)
        {
            if (Interlocked.CompareExchange(ref idle[i], call, null) is null)
            {
                return;
            }
        }
    }

    public override ThreadFuture<TResult> RunSyncSoon<TState, TResult>(Func<TState, TResult> func, TState state)
    {
        ArgumentNullException.ThrowIfNull(func);
        RunState run = Accept(nameof(RunSyncSoon));
        var future = new ThreadFutureSource<TResult>();
        new PortalSyncCall<TState, TResult>(run, this, _scope!, func, state, future).Schedule();
        return future;
    }

    public override TResult RunCoroutine<TState, TResult>(Func<TState, ValueTask<TResult>> func, TState state)
    {
        ArgumentNullException.ThrowIfNull(func);
        RunState run = Accept(nameof(RunCoroutine));
        PortalCoroutineCall<TState, TResult> call = TakeIdleCall<PortalCoroutineCall<TState, TResult>>() ?? new PortalCoroutineCall<TState, TResult>(run, this, _scope!, func);
        return call.RunAndWait(func, state);
    }

    public override ThreadFuture<TResult> RunCoroutineSoon<TState, TResult>(Func<TState, ValueTask<TResult>> func, TState state)
    {
        ArgumentNullException.ThrowIfNull(func);
        RunState run = Accept(nameof(RunCoroutineSoon));
        var future = new ThreadFutureSource<TResult>(cancellableWhileRunning: true);
        var call = new PortalCoroutineCall<TState, TResult>(run, this, _scope!, func, state, future);
        future.OnCancel(call.CancelFromFuture);
        call.Schedule();
        return future;
    }

    private sealed class ResultBox<T>
    {
        public T Value = default!;
    }
}
