using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace EasyNetwork.Samples.Echo;

/// <summary>Parses the command line; every error names the option and the value it rejects.</summary>
internal static class EchoOptionParser
{
    /// <summary>The most client connections accepted.</summary>
    public const int MaxConnections = 10_000;

    /// <summary>The largest message accepted: the client sends a whole message before reading the echo, so it must fit the loopback socket buffers.</summary>
    public const int MaxMessageSize = 4 * 1024 * 1024;

    private static readonly TimeSpan s_maxDuration = TimeSpan.FromHours(1);

    /// <summary>Gets the usage text.</summary>
    public static string Usage { get; } = """
        Usage: dotnet run --project Samples/Echo -- [options]
               dotnet run --project Samples/Echo -- serve [serve options]

        Without a command: starts an echo server on 127.0.0.1 (port 0) and loads it with a built-in client, on each
        backend one after another, then prints requests/s, p50/p99 latency and bytes per backend.

        Options:
          --backend <name>     run this backend only (default: every built-in backend)
          --connections <n>    client connections, 1-10000 (default 10)
          --size <bytes>       message size, 1 B-4 MiB; k and m suffixes are 1024-based: 1024, 4k, 1m (default 1k)
          --duration <time>    total load time, split between the backends: 10, 10s, 500ms (default 10s)
          --tls                TLS with a self-signed certificate made in memory; the client pins it
          --unix [<path>]      a Unix stream socket instead of TCP (default path: in a new temporary directory);
                               the socket file is deleted afterwards
          -h, --help           print this help

        serve: serves until Ctrl+C.
          --port <p>           TCP port on 127.0.0.1, 0-65535 (default 0: any free port, printed at start)
          --backend <name>     the backend (default: threadpool)
          --tls, --unix [<path>]  as above

        Exit codes: 0 done, 1 failed, 2 bad command line.
        """;

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="knownBackends">The registered backend names; <c>--backend</c> must be one of them.</param>
    /// <param name="defaultBackends">The backends to run when <c>--backend</c> is not given.</param>
    /// <param name="options">The options, when the command line is valid.</param>
    /// <param name="error">What is wrong, when it is not.</param>
    /// <returns>Whether the command line is valid.</returns>
    public static bool TryParse(IReadOnlyList<string> args, IReadOnlyList<string> knownBackends, IReadOnlyList<string> defaultBackends, [NotNullWhen(true)] out EchoOptions? options, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(knownBackends);
        ArgumentNullException.ThrowIfNull(defaultBackends);
        options = null;
        var result = new EchoOptions();
        bool serve = args.Count > 0 && args[0] == "serve";
        string? loadOnlyOption = null;
        string? backend = null;
        bool portGiven = false;
        for (int i = serve ? 1 : 0; i < args.Count; i++)
        {
            string arg = args[i];
            (string name, string? inlineValue) = SplitInlineValue(arg);
            switch (name)
            {
                case "-h" or "--help":
                    options = result with { Command = EchoCommand.Help };
                    error = null;
                    return true;
                case "--tls":
                    result = result with { UseTls = true };
                    break;
                case "--unix":
                    string? path = inlineValue;
                    if (path is null && i + 1 < args.Count && !args[i + 1].StartsWith('-'))
                    {
                        path = args[++i];
                    }

                    if (path is { Length: 0 })
                    {
                        error = "--unix: the path is empty.";
                        return false;
                    }

                    result = result with { UseUnix = true, UnixPath = path };
                    break;
                case "--backend" or "--connections" or "--size" or "--duration" or "--port":
                    string? value = inlineValue ?? (i + 1 < args.Count ? args[++i] : null);
                    if (value is null)
                    {
                        error = $"{name} needs a value.";
                        return false;
                    }

                    if (!TryApply(name, value, knownBackends, ref result, out error))
                    {
                        return false;
                    }

                    backend = name == "--backend" ? value : backend;
                    portGiven |= name == "--port";
                    loadOnlyOption = name is "--connections" or "--size" or "--duration" ? name : loadOnlyOption;
                    break;
                case "serve":
                    error = "'serve' must come first.";
                    return false;
                default:
                    error = $"unknown option '{arg}'.";
                    return false;
            }
        }

        if (serve && loadOnlyOption is not null)
        {
            error = $"{loadOnlyOption} does not apply to serve.";
            return false;
        }

        if (!serve && portGiven)
        {
            error = "--port applies to serve only (the load run binds port 0).";
            return false;
        }

        IReadOnlyList<string> backends = backend is not null ? [backend]
            : serve ? [defaultBackends.Count > 0 ? defaultBackends[0] : AsyncBackendRegistry.DefaultName]
            : defaultBackends;
        options = result with { Command = serve ? EchoCommand.Serve : EchoCommand.Run, Backends = backends };
        error = null;
        return true;
    }

    private static (string Name, string? InlineValue) SplitInlineValue(string arg)
    {
        int equals = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=', StringComparison.Ordinal) : -1;
        return equals < 0 ? (arg, null) : (arg[..equals], arg[(equals + 1)..]);
    }

    private static bool TryApply(string name, string value, IReadOnlyList<string> knownBackends, ref EchoOptions result, [NotNullWhen(false)] out string? error)
    {
        // Each option: whether the value is valid, the options with it applied, and the error naming it otherwise.
        (bool valid, EchoOptions applied, string message) = name switch
        {
            "--backend" => (knownBackends.Contains(value, StringComparer.Ordinal), result with { Backends = [value] },
                $"--backend: unknown backend '{value}'; known backends: {string.Join(", ", knownBackends)}."),
            "--connections" => (TryParseWhole(value, 1, MaxConnections, out int connections), result with { Connections = connections },
                $"--connections: '{value}' is not a whole number from 1 to {MaxConnections}."),
            "--size" => (TryParseSize(value, out int size), result with { MessageSize = size },
                $"--size: '{value}' is not a size from 1 B to 4 MiB (examples: 1024, 4k, 1m)."),
            "--duration" => (TryParseDuration(value, out TimeSpan duration), result with { Duration = duration },
                $"--duration: '{value}' is not a duration above 0 and up to 1 hour (examples: 10, 10s, 500ms)."),
            _ => (TryParseWhole(value, 0, 65535, out int port), result with { Port = port },
                $"--port: '{value}' is not a port from 0 to 65535."),
        };
        result = valid ? applied : result;
        error = valid ? null : message;
        return valid;
    }

    private static bool TryParseWhole(string text, int min, int max, out int value)
        => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    /// <summary>Parses a byte count with an optional 1024-based suffix (k, kb, kib, m, mb, mib; b for bytes).</summary>
    /// <param name="text">The text.</param>
    /// <param name="size">The size in bytes.</param>
    /// <returns>Whether <paramref name="text"/> is a size from 1 B to <see cref="MaxMessageSize"/>.</returns>
    public static bool TryParseSize(string text, out int size)
    {
        ArgumentNullException.ThrowIfNull(text);
        size = 0;
        int digits = CountLeadingDigits(text);
        long multiplier = text[digits..].ToLowerInvariant() switch
        {
            "" or "b" => 1,
            "k" or "kb" or "kib" => 1024,
            "m" or "mb" or "mib" => 1024 * 1024,
            _ => 0,
        };
        if (digits == 0 || digits > 9 || multiplier == 0)
        {
            return false;
        }

        long bytes = long.Parse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture) * multiplier;
        if (bytes is < 1 or > MaxMessageSize)
        {
            return false;
        }

        size = (int)bytes;
        return true;
    }

    /// <summary>Parses a duration: a decimal number of seconds, optionally followed by <c>s</c> or <c>ms</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="duration">The duration.</param>
    /// <returns>Whether <paramref name="text"/> is a duration above zero and up to one hour.</returns>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        duration = TimeSpan.Zero;
        (string number, double unitMilliseconds) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 1.0)
            : text.EndsWith('s') || text.EndsWith('S') ? (text[..^1], 1000.0)
            : (text, 1000.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value))
        {
            return false;
        }

        double milliseconds = value * unitMilliseconds;
        if (!(milliseconds > 0) || milliseconds > s_maxDuration.TotalMilliseconds)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }

    private static int CountLeadingDigits(string text)
    {
        int count = 0;
        while (count < text.Length && char.IsAsciiDigit(text[count]))
        {
            count++;
        }

        return count;
    }
}
