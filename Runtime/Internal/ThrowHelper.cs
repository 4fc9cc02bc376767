using System;
using System.Diagnostics.CodeAnalysis;

namespace EasyNetwork.Internal;

/// <summary>Throw sites kept out of hot methods so those stay small and inlinable.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowNotInTask(string operation)
        => throw new InvalidOperationException($"{operation} must be called from a backend task (inside a run); the calling code is not running in one. Worker threads and foreign threads use a threads portal instead.");

    [DoesNotReturn]
    public static void ThrowNotOnLoopThread(string operation)
        => throw new InvalidOperationException($"{operation} was called from a thread that does not run this run's tasks (for example inside Task.Run, which carries the task's context to a pool thread). Call it from the task itself, or from another thread through a threads portal.");

    [DoesNotReturn]
    public static void ThrowWrongRun(string operation)
        => throw new InvalidOperationException($"{operation} was called from a task of another run; a primitive serves the tasks of one run only.");

    [DoesNotReturn]
    public static void ThrowNegativeDelay(TimeSpan delay, string paramName)
        => throw new ArgumentOutOfRangeException(paramName, delay, $"The delay must not be negative (got {delay}); use Timeout.InfiniteTimeSpan or TimeSpan.MaxValue to wait forever.");

    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);

    /// <summary>A portal thread whose run-side work ended cancelled (S6.16): the type a cancelled future's <c>GetResult</c> throws.</summary>
    [DoesNotReturn]
    public static void ThrowRunSideCancelled() => throw new System.Threading.Tasks.TaskCanceledException();

    [DoesNotReturn]
    public static T ThrowInvalidOperation<T>(string message) => throw new InvalidOperationException(message);
}
