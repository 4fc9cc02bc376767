using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Backends;
using Microsoft.Extensions.Logging;

namespace EasyNetwork.Internal;

/// <summary>
/// The runtime side of one runtime instance (a run, or a runner's successive runs): the gate that guards the scope
/// tree, parked waiters and primitive queues; the timer heap; pools; the root and system tasks.
/// </summary>
internal sealed class RunState : IRunLoopHost
{
    private static long s_nextTaskId;

    private readonly TimerHeap _timers = new();
    private readonly Stack<Waiter> _waiterPool = new();
    private readonly Stack<ConditionWait> _conditionWaitPool = new();
    private readonly Stack<LockAcquisition> _lockAcquisitionPool = new();
    private readonly Stack<CancellationTokenSource> _tokenSourcePool = new();
    private readonly List<BackendTask> _systemTasks = new();
    private readonly Action<Exception>? _unobservedHandler;
    private readonly ILogger? _logger;
    private TimeSpan _armedDeadline = TimeSpan.MaxValue;
    private long _earliestDueTicks = long.MaxValue;
    private BackendTask? _pendingRoot;
    private bool _draining;

    public RunState(IAsyncBackend backend, IRunLoop loop, RunnerOptions options)
    {
        Backend = backend;
        Loop = loop;
        Options = options;
        _unobservedHandler = options.UnobservedExceptionHandler;
        _logger = options.Logger;
        YieldSource = new CancelShieldedYield(this);
    }

    /// <summary>The run's schedule-point source.</summary>
    public CancelShieldedYield YieldSource { get; }

    /// <summary>Guards every mutable structure of the run. Never held while user code or token callbacks run.</summary>
    public Lock Gate { get; } = new();

    public IAsyncBackend Backend { get; }

    public IRunLoop Loop { get; }

    public RunnerOptions Options { get; }

    public TimeSpan Now => Loop.Now;

    public static long NextTaskId() => Interlocked.Increment(ref s_nextTaskId);

    // ---------------------------------------------------------------- pools

    public Waiter RentWaiter()
    {
        lock (_waiterPool)
        {
            if (_waiterPool.TryPop(out Waiter? waiter))
            {
                return waiter;
            }
        }

        return new Waiter(this);
    }

    public void ReturnWaiter(Waiter waiter)
    {
        waiter.Reset();
        lock (_waiterPool)
        {
            if (_waiterPool.Count < 256)
            {
                _waiterPool.Push(waiter);
            }
        }
    }

    public ConditionWait RentConditionWait()
    {
        lock (_conditionWaitPool)
        {
            if (_conditionWaitPool.TryPop(out ConditionWait? wait))
            {
                return wait;
            }
        }

        return new ConditionWait(this);
    }

    /// <summary>Pools a condition wait its caller has consumed (already reset).</summary>
    public void ReturnConditionWait(ConditionWait wait)
    {
        lock (_conditionWaitPool)
        {
            if (_conditionWaitPool.Count < 256)
            {
                _conditionWaitPool.Push(wait);
            }
        }
    }

    public LockAcquisition RentLockAcquisition()
    {
        lock (_lockAcquisitionPool)
        {
            if (_lockAcquisitionPool.TryPop(out LockAcquisition? acquisition))
            {
                return acquisition;
            }
        }

        return new LockAcquisition(this);
    }

    /// <summary>Pools a lock acquisition its caller has consumed (already reset).</summary>
    public void ReturnLockAcquisition(LockAcquisition acquisition)
    {
        lock (_lockAcquisitionPool)
        {
            if (_lockAcquisitionPool.Count < 256)
            {
                _lockAcquisitionPool.Push(acquisition);
            }
        }
    }

    public CancellationTokenSource RentTokenSource()
    {
        lock (_tokenSourcePool)
        {
            if (_tokenSourcePool.TryPop(out CancellationTokenSource? source))
            {
                return source;
            }
        }

        return new CancellationTokenSource();
    }

    /// <summary>Returns a source to the pool if it can be reused (never after cancellation).</summary>
    public void ReturnTokenSource(CancellationTokenSource source)
    {
        if (!source.TryReset())
        {
            source.Dispose();
            return;
        }

        lock (_tokenSourcePool)
        {
            if (_tokenSourcePool.Count < 64)
            {
                _tokenSourcePool.Push(source);
                return;
            }
        }

        source.Dispose();
    }

    // ---------------------------------------------------------------- timers

    /// <summary>Queues a timer entry. Caller holds <see cref="Gate"/>.</summary>
    public void AddTimerLocked(ITimerEntry entry)
    {
        _timers.Add(entry);
        UpdateEarliestLocked();
    }

    /// <summary>Removes a timer entry if queued. Caller holds <see cref="Gate"/>.</summary>
    public void RemoveTimerLocked(ITimerEntry entry)
    {
        if (_timers.Remove(entry))
        {
            // The loop timer may stay armed for a deadline that is gone; OnTimer simply finds nothing due.
            Volatile.Write(ref _earliestDueTicks, _timers.EarliestDueTime.Ticks);
        }
    }

    private void UpdateEarliestLocked()
    {
        TimeSpan earliest = _timers.EarliestDueTime;
        Volatile.Write(ref _earliestDueTicks, earliest.Ticks);
        if (earliest < _armedDeadline)
        {
            _armedDeadline = earliest;
            Loop.SetTimer(earliest);
        }
    }

    /// <summary>Fires entries that are due, if any; cheap when none is (one clock read at most). Called at cancel points.</summary>
    public void PollTimers()
    {
        long earliest = Volatile.Read(ref _earliestDueTicks);
        if (earliest != long.MaxValue && earliest <= Loop.Now.Ticks)
        {
            FireDueTimers();
        }
    }

    void IRunLoopHost.OnTimer()
    {
        lock (Gate)
        {
            _armedDeadline = TimeSpan.MaxValue;
        }

        FireDueTimers();
    }

    private void FireDueTimers()
    {
        List<CancellationTokenSource>? toCancel = null;
        lock (Gate)
        {
            TimeSpan now = Loop.Now;
            while (_timers.Count > 0 && _timers.Peek().DueTime <= now)
            {
                ITimerEntry entry = _timers.Pop();
                if (entry is Waiter waiter)
                {
                    waiter.TryComplete(WaitResult.Signaled);
                }
                else if (entry is CancelScopeImpl scope)
                {
                    scope.CancelLocked(reason: null, ref toCancel);
                }
            }

            TimeSpan earliest = _timers.EarliestDueTime;
            Volatile.Write(ref _earliestDueTicks, earliest.Ticks);
            if (earliest != TimeSpan.MaxValue && earliest < _armedDeadline)
            {
                _armedDeadline = earliest;
                Loop.SetTimer(earliest);
            }
        }

        CancelTokenSources(toCancel);
    }

    /// <summary>Cancels token sources collected under the gate; runs after the gate is released because token callbacks are user code.</summary>
    public static void CancelTokenSources(List<CancellationTokenSource>? sources)
    {
        if (sources is null)
        {
            return;
        }

        foreach (CancellationTokenSource source in sources)
        {
            source.Cancel();
        }
    }

    // ---------------------------------------------------------------- cancellable waits

    /// <summary>Links a waiter to its task so that cancellation wakes it; completes it at once if the task is already cancelled. Caller holds <see cref="Gate"/>.</summary>
    public static void RegisterCancellableLocked(BackendTask task, Waiter waiter)
    {
        waiter.CancellableTask = task;
        waiter.TaskPrev = null;
        waiter.TaskNext = task.WaitersHead;
        if (task.WaitersHead is not null)
        {
            task.WaitersHead.TaskPrev = waiter;
        }

        task.WaitersHead = waiter;
        if (task.Innermost.FindOutermostCancelledVisible() is { } blamed)
        {
            waiter.CancelledBy = blamed;
            waiter.TryComplete(WaitResult.Cancelled);
        }
    }

    /// <summary>Unlinks a waiter from its task. Caller holds <see cref="Gate"/>.</summary>
    public static void UnregisterCancellableLocked(Waiter waiter)
    {
        BackendTask? task = waiter.CancellableTask;
        if (task is null)
        {
            return;
        }

        if (waiter.TaskPrev is null)
        {
            task.WaitersHead = waiter.TaskNext;
        }
        else
        {
            waiter.TaskPrev.TaskNext = waiter.TaskNext;
        }

        if (waiter.TaskNext is not null)
        {
            waiter.TaskNext.TaskPrev = waiter.TaskPrev;
        }

        waiter.CancellableTask = null;
        waiter.TaskNext = waiter.TaskPrev = null;
    }

    /// <summary>
    /// Parks <paramref name="task"/> in <paramref name="queue"/> unless <paramref name="lot"/> lets it through at once.
    /// The returned operation completes when the primitive signals the waiter, or (when <paramref name="cancellable"/>)
    /// throws the cancellation that woke it; the waiter cleans itself up when awaited.
    /// </summary>
    public ValueTask Park(BackendTask task, WaiterQueue queue, IParkingLot lot, bool cancellable)
        => ParkWaiter(task, queue, lot, cancellable) is { } waiter ? waiter.AsOperation() : default;

    /// <summary>
    /// Like <see cref="Park"/>, for runtime code that chains the wait itself: returns the parked waiter (to resume with
    /// <see cref="Waiter.ResumeWith"/> and clean up with <see cref="Waiter.Recycle"/>), or null when <paramref name="lot"/>
    /// let the task through at once.
    /// </summary>
    public Waiter? ParkWaiter(BackendTask task, WaiterQueue queue, IParkingLot lot, bool cancellable)
    {
        Waiter waiter = RentWaiter();
        waiter.Task = task;
        lock (Gate)
        {
            if (lot.TryPassLocked(task))
            {
                ReturnWaiter(waiter);
                return null;
            }

            queue.Enqueue(waiter);
            if (cancellable)
            {
                RegisterCancellableLocked(task, waiter);
            }
        }

        return waiter;
    }

    /// <summary>Wakes every cancellable wait of <paramref name="task"/>. Caller holds <see cref="Gate"/>.</summary>
    public static void WakeCancelledLocked(BackendTask task)
    {
        CancelScopeImpl? blamed = task.Innermost.FindOutermostCancelledVisible();
        for (Waiter? waiter = task.WaitersHead; waiter is not null; waiter = waiter.TaskNext)
        {
            if (!waiter.IsCompleted)
            {
                waiter.CancelledBy = blamed;
                waiter.TryComplete(WaitResult.Cancelled);
            }
        }
    }

    // ---------------------------------------------------------------- root and system tasks

    /// <summary>Drives a root task to completion on the calling thread.</summary>
    public void RunRoot(BackendTask root)
    {
        _pendingRoot = root;
        Loop.Run(this);
    }

    void IRunLoopHost.Start()
    {
        if (_draining)
        {
            StartDrain();
            return;
        }

        BackendTask root = _pendingRoot!;
        _pendingRoot = null;
        root.Start();
    }

    /// <summary>Called when a root task completed: the run is over.</summary>
    public void OnRootCompleted() => Loop.Stop();

    public void AddSystemTask(BackendTask task)
    {
        lock (Gate)
        {
            _systemTasks.Add(task);
        }
    }

    public void OnSystemTaskCompleted(BackendTask task)
    {
        bool stop;
        lock (Gate)
        {
            _systemTasks.Remove(task);
            stop = _draining && _systemTasks.Count == 0;
        }

        if (task.HasUnobservedFailure)
        {
            ReportUnobserved(task.Failure!);
        }

        if (stop)
        {
            Loop.Stop();
        }
    }

    /// <summary>Cancels the remaining system tasks and drives the loop until they have all completed.</summary>
    public void DrainSystemTasks()
    {
        lock (Gate)
        {
            if (_systemTasks.Count == 0)
            {
                return;
            }

            _draining = true;
        }

        try
        {
            Loop.Run(this);
        }
        finally
        {
            _draining = false;
        }
    }

    private void StartDrain()
    {
        BackendTask[] tasks;
        lock (Gate)
        {
            if (_systemTasks.Count == 0)
            {
                Loop.Stop();
                return;
            }

            tasks = _systemTasks.ToArray();
        }

        foreach (BackendTask task in tasks)
        {
            task.TaskScope.Cancel("The run is ending.");
        }
    }

    public void ReportUnobserved(Exception exception)
    {
        if (_unobservedHandler is not null)
        {
            _unobservedHandler(exception);
            return;
        }

        _logger?.LogError(exception, "An exception escaped a backend task and was never observed.");
    }
}
