using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Sdk;

namespace EasyNetwork.Packaging.Tests;

/// <summary>
/// Runs the .NET CLI as a child process with a bounded duration and an environment cleaned of what the <c>dotnet test</c>
/// host passes down: an inherited MSBuild location or node settings would make the child build with the host's MSBuild.
/// </summary>
internal static class DotnetCommand
{
    // Set by the CLI for its children; falls back to the PATH when the tests run under another host.
    private static readonly string s_executable = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>Runs <c>dotnet</c> with the given arguments and waits for it, killing its process tree on timeout.</summary>
    /// <param name="workingDirectory">The child's working directory.</param>
    /// <param name="arguments">The arguments after <c>dotnet</c>.</param>
    /// <param name="timeout">How long the child may run.</param>
    /// <param name="environment">Variables to set (or, with a null value, remove) after cleaning.</param>
    /// <returns>What the child did.</returns>
    public static async Task<CommandResult> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var startInfo = new ProcessStartInfo(s_executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        CleanEnvironment(startInfo.Environment);
        if (environment is not null)
        {
            foreach ((string name, string? value) in environment)
            {
                startInfo.Environment[name] = value;
            }
        }

        string commandLine = "dotnet " + string.Join(' ', arguments);
        var standardOutput = new StringBuilder();
        var standardError = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(standardOutput, e.Data);
        process.ErrorDataReceived += (_, e) => Append(standardError, e.Data);

        var stopwatch = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            var timedOut = new CommandResult(commandLine, -1, Read(standardOutput), Read(standardError), stopwatch.Elapsed);
            throw new XunitException(timedOut.Describe($"did not finish within {timeout.TotalSeconds:F0} s and was killed"));
        }

        return new CommandResult(commandLine, process.ExitCode, Read(standardOutput), Read(standardError), stopwatch.Elapsed);
    }

    private static void CleanEnvironment(IDictionary<string, string?> environment)
    {
        var inherited = new List<string>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            inherited.Add((string)entry.Key);
        }

        foreach (string name in inherited)
        {
            // MSBuildExtensionsPath, MSBuildSDKsPath, MSBUILD_EXE_PATH, MSBuildLoadMicrosoftTargetsReadOnly, ...: the host's MSBuild.
            if (name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("_MSBuild", StringComparison.OrdinalIgnoreCase)
                || name.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase)
                || name.Equals("NUGET_PACKAGES", StringComparison.OrdinalIgnoreCase))
            {
                environment.Remove(name);
            }
        }

        // No node or server may outlive the child: it would hold its output pipes open and keep files locked.
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        environment["UseSharedCompilation"] = "false";
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
