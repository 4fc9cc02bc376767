using System.Threading;

namespace EasyNetwork.Internal;

/// <summary>
/// A run loop that queues an <see cref="IThreadPoolWorkItem"/> as it is (the <c>threadpool</c> backend): a pooled
/// object that is its own work item is scheduled without the wrapper <see cref="EasyNetwork.Backends.IRunLoop.Schedule"/>
/// allocates around a delegate and its state.
/// </summary>
internal interface IWorkItemLoop
{
    /// <summary>Queues <paramref name="item"/> to run soon, as <see cref="EasyNetwork.Backends.IRunLoop.Schedule"/> does.</summary>
    /// <param name="item">The work to run.</param>
    void Schedule(IThreadPoolWorkItem item);
}
