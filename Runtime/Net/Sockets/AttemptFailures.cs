using System;
using System.Collections.Generic;
using System.Runtime.ExceptionServices;

namespace EasyNetwork.Net.Sockets;

/// <summary>The failure of a set of attempts (connects, binds): one error unwrapped, several aggregated in order (S8.7, S8.35, S13.8).</summary>
internal static class AttemptFailures
{
    /// <summary>
    /// Rethrows a single error with its original stack, or returns an <see cref="AggregateException"/> of
    /// <paramref name="errors"/> (in attempt order) for the caller to throw.
    /// </summary>
    public static AggregateException Combine(List<Exception> errors, string message)
    {
        if (errors.Count == 1)
        {
            ExceptionDispatchInfo.Throw(errors[0]);
        }

        return new AggregateException(message, errors);
    }
}
