using System.Diagnostics;
using System.Globalization;

namespace EasyNetwork.Samples.Echo;

/// <summary>
/// Prints the load's progress while it runs: one line rewritten in place (<c>\r</c>) on a terminal, a plain line
/// per second when the output is redirected (so logs stay readable).
/// </summary>
internal sealed class ProgressReporter
{
    private static readonly TimeSpan s_terminalInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_redirectedInterval = TimeSpan.FromSeconds(1);

    private readonly string _backend;
    private readonly IReadOnlyList<ConnectionStatistics> _connections;
    private readonly TimeSpan _duration;
    private readonly TextWriter _output;
    private readonly bool _inPlace;
    private long _startTimestamp;
    private int _lastLength;

    /// <summary>Creates a reporter.</summary>
    /// <param name="backend">The backend name, shown on the line.</param>
    /// <param name="connections">The statistics it sums up.</param>
    /// <param name="duration">The planned load time.</param>
    /// <param name="output">Where to write.</param>
    /// <param name="inPlace">Whether to rewrite one line (a terminal) rather than print a line each time.</param>
    public ProgressReporter(string backend, IReadOnlyList<ConnectionStatistics> connections, TimeSpan duration, TextWriter output, bool inPlace)
    {
        _backend = backend;
        _connections = connections;
        _duration = duration;
        _output = output;
        _inPlace = inPlace;
    }

    /// <summary>Prints the progress periodically until cancelled.</summary>
    /// <param name="backend">The backend to sleep on.</param>
    /// <returns>A task that ends only with the cancellation.</returns>
    public async ValueTask RunAsync(IAsyncBackend backend)
    {
        _startTimestamp = Stopwatch.GetTimestamp();
        TimeSpan interval = _inPlace ? s_terminalInterval : s_redirectedInterval;
        while (true)
        {
            await backend.SleepAsync(interval);
            Print();
        }
    }

    /// <summary>Ends the in-place line so that the next output starts on a fresh line.</summary>
    public void Finish()
    {
        if (_inPlace && _lastLength > 0)
        {
            _output.Write('\r');
            _output.Write(new string(' ', _lastLength));
            _output.Write('\r');
            _lastLength = 0;
        }
    }

    private void Print()
    {
        long requests = 0, bytes = 0;
        foreach (ConnectionStatistics connection in _connections)
        {
            requests += connection.Requests;
            bytes += connection.BytesReceived;
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(_startTimestamp);
        double seconds = Math.Max(elapsed.TotalSeconds, 1e-3);
        string line = string.Create(CultureInfo.InvariantCulture,
            $"[{_backend}] {elapsed.TotalSeconds,4:F1} s / {_duration.TotalSeconds:F1} s  {requests,10:N0} requests  {requests / seconds,9:N0} req/s  {EchoFormat.FormatBytes((long)(bytes / seconds))}/s received");
        if (_inPlace)
        {
            // Pad over the previous line's tail: the new line may be shorter.
            _output.Write('\r');
            _output.Write(line.PadRight(_lastLength));
            _lastLength = line.Length;
        }
        else
        {
            _output.WriteLine(line);
        }

        _output.Flush();
    }
}
