using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;

namespace EasyNetwork.Runtime.Tests.Reliability;

/// <summary>
/// A <see cref="DescriptorLimitedServer"/> child process seen from the test: started from this very assembly, ready
/// once it announced its port, its output lines queued for the test, stopped by closing its standard input (killed
/// if it does not stop in time).
/// </summary>
internal sealed class DescriptorLimitedChild : IAsyncDisposable
{
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly ConcurrentQueue<string> _output = new();

    private DescriptorLimitedChild(Process process) => _process = process;

    /// <summary>The port the child listens on (127.0.0.1).</summary>
    public int Port { get; private set; }

    /// <summary>The exit code, once <see cref="DisposeAsync"/> has stopped the child.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Whether the child is still running.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>What the child wrote on its standard error.</summary>
    public string Errors => string.Join(Environment.NewLine, _errors);

    /// <summary>What the child wrote on its standard output so far, for failure messages.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Starts the child on <paramref name="backend"/> with <paramref name="headroom"/> free descriptors and waits until it is ready.</summary>
    public static async Task<DescriptorLimitedChild> StartAsync(string backend, int headroom, TimeSpan timeout)
    {
        string assembly = Path.Combine(AppContext.BaseDirectory, "EasyNetwork.Runtime.Tests.dll");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The runtime itself must not need a new descriptor (or a new thread, whose creation failed with "Out of
        // memory." at the limit) while the child sits there: JIT every method at first call (no tier-up thread), keep
        // executable memory singly mapped, no background GC thread, and a fixed set of worker threads (values in hex)
        // that the child creates before it lowers its limit.
        info.Environment["DOTNET_TieredCompilation"] = "0";
        info.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        info.Environment["DOTNET_gcConcurrent"] = "0";
        info.Environment["DOTNET_ThreadPool_ForceMinWorkerThreads"] = DescriptorLimitedServer.WorkerThreads.ToString("x", CultureInfo.InvariantCulture);
        info.Environment["DOTNET_ThreadPool_ForceMaxWorkerThreads"] = DescriptorLimitedServer.WorkerThreads.ToString("x", CultureInfo.InvariantCulture);
        foreach (string argument in new[] { "exec", assembly, DescriptorLimitedServer.Command, backend, headroom.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        var child = new DescriptorLimitedChild(Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}."));
        child._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                child._lines.CompleteAdding();
            }
            else
            {
                child._output.Enqueue(e.Data);
                child._lines.Add(e.Data);
            }
        };
        child._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child._errors.Enqueue(e.Data);
            }
        };
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        string? ready = await child.WaitForLineAsync(static line => line.StartsWith(DescriptorLimitedServer.ReadyPrefix, StringComparison.Ordinal), timeout);
        if (ready is null)
        {
            await child.DisposeAsync();
            throw new InvalidOperationException($"The child server did not get ready: {child.Errors}");
        }

        string port = ready[DescriptorLimitedServer.ReadyPrefix.Length..].Split(' ')[0];
        child.Port = int.Parse(port, NumberStyles.None, CultureInfo.InvariantCulture);
        return child;
    }

    /// <summary>Waits for the next output line that matches, skipping the others; null when the child ended or the time ran out.</summary>
    public Task<string?> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
        => Task.Factory.StartNew(() =>
        {
            var stopwatch = Stopwatch.StartNew();
            while (true)
            {
                TimeSpan left = timeout - stopwatch.Elapsed;
                if (left <= TimeSpan.Zero || !_lines.TryTake(out string? line, left))
                {
                    return null;
                }

                if (match(line))
                {
                    return line;
                }
            }
        }, TaskCreationOptions.LongRunning);

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            await _process.WaitForExitAsync().WaitAsync(s_stopTimeout);
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        finally
        {
            ExitCode = _process.ExitCode;
            _process.Dispose();
            _lines.Dispose();
        }
    }
}
