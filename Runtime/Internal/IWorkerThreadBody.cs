namespace EasyNetwork.Internal;

/// <summary>The part of a runtime operation that runs on a thread-pool worker, queued through its <see cref="WorkerThreadItem"/>.</summary>
internal interface IWorkerThreadBody
{
    /// <summary>Runs on the worker.</summary>
    void ExecuteOnWorker();
}
