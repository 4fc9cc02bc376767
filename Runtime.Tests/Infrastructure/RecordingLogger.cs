using System;
using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace EasyNetwork.Runtime.Tests.Infrastructure;

/// <summary>An <see cref="ILogger"/> that keeps every entry, for tests that check what a run logged. Thread-safe.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly List<(LogLevel Level, string Message, Exception? Exception)> _entries = [];

    /// <summary>A copy of the entries written so far, in order.</summary>
    public IReadOnlyList<(LogLevel Level, string Message, Exception? Exception)> Entries
    {
        get
        {
            lock (_entries)
            {
                return _entries.ToArray();
            }
        }
    }

    /// <summary>Called after each entry is recorded, on the logging thread (for a test to wake up on it).</summary>
    public Action<LogLevel>? OnEntry { get; set; }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
        => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (_entries)
        {
            _entries.Add((logLevel, formatter(state, exception), exception));
        }

        OnEntry?.Invoke(logLevel);
    }
}
