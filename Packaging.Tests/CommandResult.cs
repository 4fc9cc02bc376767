using System;
using Xunit.Sdk;

namespace EasyNetwork.Packaging.Tests;

/// <summary>What a finished child process did: its command line, exit code, output and duration.</summary>
/// <param name="CommandLine">The command as run, for failure messages.</param>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="StandardOutput">Everything written to standard output.</param>
/// <param name="StandardError">Everything written to standard error.</param>
/// <param name="Elapsed">Wall-clock time from start to exit.</param>
internal sealed record CommandResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    /// <summary>Gets both streams, for assertions on diagnostics and for failure messages.</summary>
    public string Output => StandardOutput + Environment.NewLine + StandardError;

    /// <summary>Fails the test with the whole output unless the process exited with 0.</summary>
    /// <returns>This result, for chaining.</returns>
    public CommandResult AssertSucceeded()
    {
        if (ExitCode != 0)
        {
            throw new XunitException(Describe($"exited with {ExitCode}"));
        }

        return this;
    }

    /// <summary>Describes the command and its output, for a failure message.</summary>
    /// <param name="problem">What went wrong.</param>
    /// <returns>The description.</returns>
    public string Describe(string problem)
        => $"`{CommandLine}` {problem} after {Elapsed.TotalSeconds:F1} s.{Environment.NewLine}--- stdout ---{Environment.NewLine}{StandardOutput}{Environment.NewLine}--- stderr ---{Environment.NewLine}{StandardError}";
}
