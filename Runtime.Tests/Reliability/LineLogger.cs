using System;
using Microsoft.Extensions.Logging;

namespace EasyNetwork.Runtime.Tests.Reliability;

/// <summary>Writes each log entry as one line, <c>log LEVEL MESSAGE</c>, on standard output, for a parent process to read.</summary>
internal sealed class LineLogger : ILogger
{
    /// <summary>The prefix of a log line.</summary>
    public const string Prefix = "log ";

    private readonly object _gate = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
        => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);

        // The message only: a stack trace would open symbol files, and this logger runs out of descriptors on purpose.
        string line = Prefix + logLevel + " " + formatter(state, exception).Replace('\n', ' ');
        lock (_gate)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}
