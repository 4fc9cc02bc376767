using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace EasyNetwork.Net.Sockets;

/// <summary>
/// The staggered connection race of RFC 8305 (SPEC S8.2–S8.9), independent of what an attempt does so that the
/// ordering and the stagger can be tested without sockets.
/// </summary>
internal static class HappyEyeballs
{
    /// <summary>The default delay between attempts (S14.3).</summary>
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Orders the addresses for the race (S8.2): families alternate IPv6, IPv4, IPv6, …, starting with IPv6 when there
    /// is one, each family keeping the resolver's order, and the rest of the longer family follows.
    /// </summary>
    public static List<IPEndPoint> Interleave(IReadOnlyList<IPEndPoint> addresses)
    {
        var v6 = new List<IPEndPoint>();
        var others = new List<IPEndPoint>();
        foreach (IPEndPoint address in addresses)
        {
            (address.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : others).Add(address);
        }

        var ordered = new List<IPEndPoint>(addresses.Count);
        for (int i = 0; i < Math.Max(v6.Count, others.Count); i++)
        {
            if (i < v6.Count)
            {
                ordered.Add(v6[i]);
            }

            if (i < others.Count)
            {
                ordered.Add(others[i]);
            }
        }

        return ordered;
    }

    /// <summary>
    /// Runs the race: the first attempt at once, each next one when the previous failed or <paramref name="delay"/>
    /// passed since it started; the first success wins, the others are cancelled and a late success is discarded. A
    /// <see cref="SocketException"/> fails one attempt; any other exception fails the race (the winner, if any, is discarded).
    /// </summary>
    public static async ValueTask<TResult> RaceAsync<TTarget, TResult>(IAsyncBackend backend, IReadOnlyList<TTarget> targets, TimeSpan delay, Func<TTarget, ValueTask<TResult>> attempt, Action<TResult> discard)
        where TResult : class
    {
        var race = new Race<TTarget, TResult>(backend, targets, delay, attempt, discard);
        try
        {
            await backend.RunTaskGroupAsync(static (group, race) => race.StartAttemptsAsync(group), race);
        }
        catch
        {
            race.DiscardWinner();
            throw;
        }

        return race.Winner ?? throw race.Failure();
    }

    private sealed class Race<TTarget, TResult>(IAsyncBackend backend, IReadOnlyList<TTarget> targets, TimeSpan delay, Func<TTarget, ValueTask<TResult>> attempt, Action<TResult> discard)
        where TResult : class
    {
        private readonly Exception?[] _errors = new Exception?[targets.Count];
        private ITaskGroup? _group;
        private int _started;

        private TResult? _winner;

        public TResult? Winner => Volatile.Read(ref _winner);

        public async ValueTask StartAttemptsAsync(ITaskGroup group)
        {
            _group = group;
            for (int i = 0; i < targets.Count && Winner is null; i++)
            {
                IAsyncEvent failed = backend.CreateEvent();
                _started = i + 1;
                group.StartSoon(static s => s.Race.AttemptAsync(s.Index, s.Failed), (Race: this, Index: i, Failed: failed));
                if (i + 1 < targets.Count)
                {
                    // The next attempt starts when this one failed or the delay passed, whichever comes first (S8.3).
                    await backend.MoveOnAfterAsync(delay, static (_, failed) => failed.WaitAsync(), failed);
                }
            }
        }

        private async ValueTask AttemptAsync(int index, IAsyncEvent failed)
        {
            TResult result;
            try
            {
                result = await attempt(targets[index]);
            }
            catch (SocketException exception)
            {
                _errors[index] = exception;
                failed.Set();
                return;
            }

            if (Interlocked.CompareExchange(ref _winner, result, null) is not null)
            {
                // A later success loses (S8.6).
                discard(result);
                return;
            }

            _group!.CancelScope.Cancel("Another connection attempt won the race.");
        }

        public void DiscardWinner()
        {
            if (Interlocked.Exchange(ref _winner, null) is { } winner)
            {
                discard(winner);
            }
        }

        public Exception Failure()
        {
            var errors = new List<Exception>(_started);
            for (int i = 0; i < _started; i++)
            {
                if (_errors[i] is { } error)
                {
                    errors.Add(error);
                }
            }

            return AttemptFailures.Combine(errors, "Every connection attempt failed; the inner exceptions are in attempt order.");
        }
    }
}
