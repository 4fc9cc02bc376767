using System;
using System.Threading;

namespace EasyNetwork.Internal;

/// <summary>
/// A step of the runtime's own, scheduled on the run loop as <c>Schedule(<see cref="Callback"/>, step)</c>. The
/// thread pool backend queues such a step as its own work item, as the BCL does for async state machine boxes, where a
/// plain callback and state would cost a wrapper object per schedule.
/// </summary>
internal abstract class RunLoopStep : IThreadPoolWorkItem
{
    /// <summary>The callback that runs the step passed as its state.</summary>
    public static readonly Action<object?> Callback = static state => ((RunLoopStep)state!).RunStep();

    /// <summary>Runs the step on the loop.</summary>
    protected abstract void RunStep();

    void IThreadPoolWorkItem.Execute() => RunStep();
}
