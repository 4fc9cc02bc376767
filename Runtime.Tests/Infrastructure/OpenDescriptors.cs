using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Infrastructure;

/// <summary>
/// Counts the process's open socket descriptors (Linux <c>/proc/self/fd</c>) so socket tests can prove they leak none.
/// Other descriptors are ignored: the runtime maps assemblies and symbol files lazily while tests run.
/// </summary>
public sealed class OpenDescriptors : IDisposable
{
    private static readonly object s_warmUpGate = new();
    private static bool s_warmedUp;
    private readonly int _start;
    private readonly string[] _before;
    private Exception? _lastException;

    private OpenDescriptors()
    {
        WarmUp();
        _before = Describe();
        _start = _before.Length;

        // A leak assertion in Dispose would replace a test failure already in flight: keep the last exception seen so
        // the leak message still shows it (it may also be one the test expected and caught).
        AppDomain.CurrentDomain.FirstChanceException += OnFirstChanceException;
    }

    private void OnFirstChanceException(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e) => _lastException = e.Exception;

    /// <summary>Whether descriptors can be counted on this platform.</summary>
    public static bool Supported => Directory.Exists("/proc/self/fd");

    /// <summary>Starts a check; disposing it asserts that the count is back to its start.</summary>
    public static OpenDescriptors Check() => new();

    /// <summary>The number of open socket descriptors, or -1 where they cannot be counted.</summary>
    public static int Count() => Supported ? Describe().Length : -1;

    /// <summary>The number of every open descriptor of the process (files, pipes, sockets...), or -1 where they cannot be counted.</summary>
    public static int CountAll() => Supported ? Directory.GetFiles("/proc/self/fd").Length : -1;

    private static string[] Describe()
        => Supported
            ? Directory.GetFiles("/proc/self/fd")
                .Select(static fd => $"{Path.GetFileName(fd)}->{new FileInfo(fd).LinkTarget}")
                .Where(static entry => entry.Contains("->socket:", StringComparison.Ordinal))
                .ToArray()
            : [];

    public void Dispose()
    {
        AppDomain.CurrentDomain.FirstChanceException -= OnFirstChanceException;
        if (_start >= 0)
        {
            string[] after = Describe();
            Assert.True(after.Length <= _start, $"Descriptors leaked: {after.Length} open after the test, {_start} before; new: {string.Join(", ", after.Except(_before))}. Last exception thrown during the test (perhaps an expected one): {_lastException?.ToString() ?? "none"}");
        }
    }

    // The socket engine opens its own descriptors (epoll, a wake-up pipe) on first use; open them before counting.
    private static void WarmUp()
    {
        lock (s_warmUpGate)
        {
            if (s_warmedUp)
            {
                return;
            }

            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(listener.LocalEndPoint!);
            using Socket server = listener.Accept();
            s_warmedUp = true;
        }
    }
}
