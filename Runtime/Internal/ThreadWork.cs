using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using EasyNetwork.Backends;

namespace EasyNetwork.Internal;

/// <summary>
/// One <c>RunInThreadAsync</c> call: runs on a thread-pool worker in a copy of the caller's execution context with
/// detection cleared (S6.5), then wakes the caller's waiter unless the caller abandoned it.
/// </summary>
internal sealed class ThreadWork<TState, TResult> : IThreadPoolWorkItem
{
    private static readonly ContextCallback s_execute = static state => ((ThreadWork<TState, TResult>)state!).ExecuteInContext();

    private readonly RunState _run;
    private readonly Func<TState, TResult> _func;
    private readonly TState _state;
    private readonly ExecutionContext? _context;
    private Waiter? _waiter;
    private TResult _result = default!;
    private ExceptionDispatchInfo? _failure;

    public ThreadWork(RunState run, Func<TState, TResult> func, TState state, Waiter waiter, ExecutionContext? context)
    {
        _run = run;
        _func = func;
        _state = state;
        _waiter = waiter;
        _context = context;
    }

    public void Execute()
    {
        if (_context is not null)
        {
            ExecutionContext.Run(_context, s_execute, this);
        }
        else
        {
            ExecuteInContext();
        }
    }

    private void ExecuteInContext()
    {
        // The worker is not a backend task: detection reports nothing and backend awaitables refuse to run. The
        // context given is already without the task (BackendTask.CaptureWorkerContext); this only guards the rest.
        if (Ambient.CurrentTask.Value is not null)
        {
            Ambient.CurrentTask.Value = null;
        }
        try
        {
            _result = _func(_state);
        }
        catch (Exception ex)
        {
            _failure = ExceptionDispatchInfo.Capture(ex);
        }

        lock (_run.Gate)
        {
            _waiter?.TryComplete(WaitResult.Signaled);
        }
    }

    /// <summary>Detaches the waiter (under the gate) before it goes back to the pool; a late completion is then discarded.</summary>
    public void DisarmLocked() => _waiter = null;

    public TResult GetResult()
    {
        _failure?.Throw();
        return _result;
    }
}
