using System.Threading;

namespace EasyNetwork.Internal;

/// <summary>
/// The thread-pool work item of a pooled operation whose own <see cref="IThreadPoolWorkItem"/> already runs its loop
/// steps (<see cref="RunLoopStep"/>): made once per operation, so queueing the worker half allocates nothing.
/// </summary>
internal sealed class WorkerThreadItem(IWorkerThreadBody body) : IThreadPoolWorkItem
{
    public void Execute() => body.ExecuteOnWorker();
}
