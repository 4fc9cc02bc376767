using System;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Tasks;

namespace EasyNetwork.Benchmarks.Echo;

/// <summary>
/// A server child process seen from the harness: started pinned, with the variant's environment, known ready by the
/// <c>port=N</c> line it writes, and stopped by closing its standard input.
/// </summary>
public sealed class ServerChild : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private ServerChild(Process process) => _process = process;

    /// <summary>Gets the port the server listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>Starts the server of <paramref name="variant"/> and waits until it listens.</summary>
    /// <param name="variant">The server.</param>
    /// <returns>The running child.</returns>
    /// <exception cref="InvalidOperationException">The child stopped or said nothing within 30 s; the message holds its error output.</exception>
    public static async Task<ServerChild> StartAsync(EchoServerVariant variant)
    {
        ArgumentNullException.ThrowIfNull(variant);
        ProcessStartInfo info = CpuPinning.StartSelf(CpuPinning.IsAvailable ? CpuPinning.ServerCore : -1, "echo-server", "--kind", variant.Kind.ToString().ToLowerInvariant());
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;

        // Read once at process start by the socket engine, hence a child process per variant.
        info.Environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = variant.InlineCompletions ? "1" : "0";
        var child = new ServerChild(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}."));
        child._process.ErrorDataReceived += (_, e) =>
        {
            lock (child._errors)
            {
                child._errors.AppendLine(e.Data);
            }
        };
        child._process.BeginErrorReadLine();
        CpuPinning.PinAfterStart(child._process, CpuPinning.ServerCore);
        string? line;
        try
        {
            line = await child._process.StandardOutput.ReadLineAsync().WaitAsync(s_startTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            line = null;
        }

        if (line is null || !line.StartsWith(EchoServerProcess.PortLinePrefix, StringComparison.Ordinal))
        {
            await child.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"The {variant.Label} server did not start: {child.FirstError() ?? line ?? "no output"}");
        }

        child.Port = int.Parse(line.AsSpan(EchoServerProcess.PortLinePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture);
        return child;
    }

    /// <summary>Gets the processor time the child has used so far, user and kernel, over all its threads.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Stops the child: closes its standard input, and kills it if it has not exited 10 s later.</summary>
    /// <returns>A task that completes when the child has exited.</returns>
#pragma warning disable EN0001 // Process management outside any backend run: there is no cancel scope to shield from.
    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(s_stopTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        finally
        {
            _process.Dispose();
        }
    }
#pragma warning restore EN0001

    private string? FirstError()
    {
        lock (_errors)
        {
            foreach (string line in _errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (line.Contains("error", StringComparison.OrdinalIgnoreCase) || line.Contains("Exception", StringComparison.Ordinal))
                {
                    return line;
                }
            }

            return _errors.Length > 0 ? _errors.ToString().Trim() : null;
        }
    }
}
