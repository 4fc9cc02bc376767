using System.Threading;
using System.Threading.Tasks;

namespace EasyNetwork.Runtime.Tests.Reliability;

/// <summary>A reusable-by-phase barrier for backend tasks: the last of <c>count</c> tasks to arrive at a phase releases them all.</summary>
internal sealed class ClientBarrier
{
    private readonly int _count;
    private readonly int[] _arrived = new int[2];
    private readonly IAsyncEvent[] _released;

    public ClientBarrier(IAsyncBackend backend, int count)
    {
        _count = count;
        _released = [backend.CreateEvent(), backend.CreateEvent()];
    }

    /// <summary>Arrives at <paramref name="phase"/> (0 or 1) and waits until every task has arrived there.</summary>
    public ValueTask ArriveAndWaitAsync(int phase)
    {
        if (Interlocked.Increment(ref _arrived[phase]) == _count)
        {
            _released[phase].Set();
        }

        return _released[phase].WaitAsync();
    }
}
