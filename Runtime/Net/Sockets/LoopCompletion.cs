using System;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;
using System.Threading.Tasks.Sources;
using EasyNetwork.Internal;

namespace EasyNetwork.Net.Sockets;

/// <summary>
/// The reusable awaitable a transport hands out for its one pending receive (or send): <see cref="SocketOperationRelay"/>
/// and the caller's awaitable in one object. The socket operation's completion is brought to the run loop (inline when
/// the completing thread may run the run's tasks, else through the loop's queue), and there the caller's continuation
/// runs inline, ignoring the scheduling context: posting through the run's SynchronizationContext would allocate per
/// wait, and so would the relay's pooled box around it (sporadically, when it completes on another pool thread).
/// </summary>
/// <remarks>
/// One operation at a time: the transport's busy flags guarantee the previous result was taken before the next
/// <see cref="Track(ValueTask{int})"/>. The owner's <c>finish</c> callback sees the outcome on the run loop, first: it
/// maps errors (or returns the result to keep) and clears the busy flag, so no async method (and no box) is needed.
/// </remarks>
internal sealed class LoopCompletion : IValueTaskSource<int>, IValueTaskSource
{
    private static readonly Action<object?> s_complete = static state => ((LoopCompletion)state!).Complete();

    /// <summary>A finish callback for an operation that already maps its own errors: the result, or the error rethrown with its stack.</summary>
    public static readonly Func<int, Exception?, int> PassThrough = static (result, error) =>
    {
        if (error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }

        return result;
    };

    private readonly RunState _run;
    private readonly Action _onCompleted;
    private readonly Func<int, Exception?, int> _finish;
    private ManualResetValueTaskSourceCore<int> _core;
    private ValueTask<int> _operation;
    private ValueTask _operationWithoutResult;
    private bool _tracksWithoutResult;

    /// <param name="finish">Called on completion with the result or the error; returns the result or throws the error to report.</param>
    /// <param name="run">The run whose loop resumes the caller.</param>
    public LoopCompletion(RunState run, Func<int, Exception?, int> finish)
    {
        _run = run;
        _finish = finish;
        _onCompleted = OnCompleted;
    }

    /// <summary>An awaitable that completes with <paramref name="operation"/>, after the owner's finish callback.</summary>
    public ValueTask<int> Track(ValueTask<int> operation) => new(this, Start(operation));

    /// <summary>Like <see cref="Track(ValueTask{int})"/>, for an operation whose caller wants no result.</summary>
    public ValueTask TrackWithoutResult(ValueTask<int> operation) => new(this, Start(operation));

    /// <summary>Like <see cref="Track(ValueTask{int})"/>, for an operation without a result (the finish callback sees 0).</summary>
    public ValueTask TrackWithoutResult(ValueTask operation)
    {
        short version = Reset();
        _operationWithoutResult = operation;
        _tracksWithoutResult = true;

        // An operation already complete calls back at once, so the awaitable returned is already complete too.
        operation.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onCompleted);
        return new ValueTask(this, version);
    }

    private short Start(ValueTask<int> operation)
    {
        short version = Reset();
        _operation = operation;
        _tracksWithoutResult = false;
        operation.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(_onCompleted);
        return version;
    }

    private short Reset()
    {
        _core.Reset();
        return _core.Version;
    }

    private void OnCompleted()
    {
        if (_run.Loop.IsLoopThread)
        {
            Complete();
        }
        else
        {
            _run.Loop.Schedule(s_complete, this);
        }
    }

    private void Complete()
    {
        int result = 0;
        Exception? error = null;
        try
        {
#pragma warning disable EN0009 // runs from the operation's completion callback: the operation is complete, so GetResult does not block
            if (_tracksWithoutResult)
            {
                _operationWithoutResult.GetAwaiter().GetResult();
            }
            else
            {
                result = _operation.GetAwaiter().GetResult();
            }
#pragma warning restore EN0009
        }
        catch (Exception exception)
        {
            error = exception;
        }

        _operation = default;
        _operationWithoutResult = default;
        try
        {
            _core.SetResult(_finish(result, error));
        }
        catch (Exception exception)
        {
            _core.SetException(exception);
        }
    }

    public int GetResult(short token) => _core.GetResult(token);

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags & ~ValueTaskSourceOnCompletedFlags.UseSchedulingContext);
}
