using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EasyNetwork.Generator.Analysis;

/// <summary>The <c>.editorconfig</c> options of the usage rules (ANALYZERS §2.7), read once per syntax tree.</summary>
/// <param name="CatchExceptionIsCleanup"><c>en_analyzers.en0001.catch_exception_is_cleanup</c> (default <see langword="true"/>).</param>
/// <param name="CleanupTimeoutSeconds"><c>en_analyzers.cleanup_timeout</c> (default 5).</param>
/// <param name="RequireDeadline"><c>en_analyzers.en0001.require_deadline</c> (default <see langword="false"/>).</param>
internal sealed record UsageOptions(bool CatchExceptionIsCleanup, int CleanupTimeoutSeconds, bool RequireDeadline)
{
    /// <summary>The key of <see cref="BackendCode"/>.</summary>
    public const string BackendCodeKey = "en_analyzers.backend_code";

    /// <summary>The key of <see cref="ForeignTasks"/>.</summary>
    public const string ForeignTasksKey = "en_analyzers.en0002.foreign_tasks";

    /// <summary>The key of <see cref="RequireDeadline"/>.</summary>
    public const string RequireDeadlineKey = "en_analyzers.en0001.require_deadline";

    /// <summary>The key of <see cref="CatchExceptionIsCleanup"/>.</summary>
    public const string CatchExceptionIsCleanupKey = "en_analyzers.en0001.catch_exception_is_cleanup";

    /// <summary>The key of <see cref="CleanupTimeoutSeconds"/>.</summary>
    public const string CleanupTimeoutKey = "en_analyzers.cleanup_timeout";

    /// <summary>The key of <see cref="Checkpoints"/>.</summary>
    public const string CheckpointsKey = "en_analyzers.checkpoints";

    /// <summary>The key of <see cref="ScopeCheckpointsOnAllPaths"/>.</summary>
    public const string En0012ModeKey = "en_analyzers.en0012.mode";

    /// <summary>The key of <see cref="LoopCheckpointsOnAllPaths"/>.</summary>
    public const string En0014ModeKey = "en_analyzers.en0014.mode";

    /// <summary>The key of <see cref="TimeoutParameterNames"/>.</summary>
    public const string TimeoutParameterNamesKey = "en_analyzers.en0015.parameter_names";

    /// <summary>The default of <see cref="TimeoutParameterNames"/>.</summary>
    public const string DefaultTimeoutParameterNames = "timeout,*Timeout,timeoutMs,millisecondsTimeout";

    /// <summary>Gets the defaults.</summary>
    public static UsageOptions Default { get; } = new(CatchExceptionIsCleanup: true, CleanupTimeoutSeconds: 5, RequireDeadline: false);

    /// <summary>Gets <c>en_analyzers.backend_code</c> (default <see cref="BackendCodeMode.Referencing"/>).</summary>
    public BackendCodeMode BackendCode { get; init; } = BackendCodeMode.Referencing;

    /// <summary>Gets <c>en_analyzers.en0002.foreign_tasks</c> (default <see langword="false"/>).</summary>
    public bool ForeignTasks { get; init; }

    /// <summary>Gets <c>en_analyzers.checkpoints</c> (default <see cref="CheckpointMode.AnyAwait"/>).</summary>
    public CheckpointMode Checkpoints { get; init; } = CheckpointMode.AnyAwait;

    /// <summary>Gets whether <c>en_analyzers.en0012.mode</c> is <c>not_all_paths</c> (default <c>no_checkpoint</c>).</summary>
    public bool ScopeCheckpointsOnAllPaths { get; init; }

    /// <summary>Gets whether <c>en_analyzers.en0014.mode</c> is <c>not_all_paths</c> (default <c>no_checkpoint</c>).</summary>
    public bool LoopCheckpointsOnAllPaths { get; init; }

    /// <summary>Gets <c>en_analyzers.en0015.parameter_names</c>: name patterns (<c>*</c> matches any run of characters), compared case-insensitively.</summary>
    public ImmutableArray<string> TimeoutParameterNames { get; init; } = ParsePatterns(DefaultTimeoutParameterNames);

    /// <summary>Reads the options of one tree from <paramref name="options"/>; unknown or malformed values keep the defaults.</summary>
    /// <param name="options">The tree's options.</param>
    /// <returns>The options.</returns>
    public static UsageOptions Read(AnalyzerConfigOptions options)
    {
        bool catchExceptionIsCleanup = Default.CatchExceptionIsCleanup;
        if (options.TryGetValue(CatchExceptionIsCleanupKey, out string? value) && bool.TryParse(value?.Trim(), out bool parsed))
        {
            catchExceptionIsCleanup = parsed;
        }

        int cleanupTimeout = Default.CleanupTimeoutSeconds;
        if (options.TryGetValue(CleanupTimeoutKey, out value)
            && int.TryParse(value?.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int seconds)
            && seconds > 0)
        {
            cleanupTimeout = seconds;
        }

        bool requireDeadline = Default.RequireDeadline;
        if (options.TryGetValue(RequireDeadlineKey, out value) && bool.TryParse(value?.Trim(), out parsed))
        {
            requireDeadline = parsed;
        }

        BackendCodeMode backendCode = BackendCodeMode.Referencing;
        if (options.TryGetValue(BackendCodeKey, out value))
        {
            string? trimmed = value?.Trim();
            if (string.Equals(trimmed, "annotated", StringComparison.OrdinalIgnoreCase))
            {
                backendCode = BackendCodeMode.Annotated;
            }
            else if (string.Equals(trimmed, "all", StringComparison.OrdinalIgnoreCase))
            {
                backendCode = BackendCodeMode.All;
            }
        }

        bool foreignTasks = false;
        if (options.TryGetValue(ForeignTasksKey, out value) && bool.TryParse(value?.Trim(), out parsed))
        {
            foreignTasks = parsed;
        }

        CheckpointMode checkpoints = CheckpointMode.AnyAwait;
        if (options.TryGetValue(CheckpointsKey, out value) && string.Equals(value?.Trim(), "observing", StringComparison.OrdinalIgnoreCase))
        {
            checkpoints = CheckpointMode.Observing;
        }

        ImmutableArray<string> timeoutParameterNames = Default.TimeoutParameterNames;
        if (options.TryGetValue(TimeoutParameterNamesKey, out value) && value is not null)
        {
            timeoutParameterNames = ParsePatterns(value);
        }

        return new UsageOptions(catchExceptionIsCleanup, cleanupTimeout, requireDeadline)
        {
            BackendCode = backendCode,
            ForeignTasks = foreignTasks,
            Checkpoints = checkpoints,
            ScopeCheckpointsOnAllPaths = IsNotAllPaths(options, En0012ModeKey),
            LoopCheckpointsOnAllPaths = IsNotAllPaths(options, En0014ModeKey),
            TimeoutParameterNames = timeoutParameterNames,
        };
    }

    /// <summary>Gets whether <paramref name="name"/> matches one of <paramref name="patterns"/>: case-insensitive, <c>*</c> for any run of characters.</summary>
    /// <param name="name">A parameter name.</param>
    /// <param name="patterns">The patterns.</param>
    /// <returns>Whether one matches.</returns>
    public static bool MatchesAny(string name, ImmutableArray<string> patterns)
    {
        foreach (string pattern in patterns)
        {
            if (Matches(name, 0, pattern, 0))
            {
                return true;
            }
        }

        return false;
    }

    // A comma list; blanks around names and empty entries are ignored.
    private static ImmutableArray<string> ParsePatterns(string list)
    {
        ImmutableArray<string>.Builder patterns = ImmutableArray.CreateBuilder<string>();
        foreach (string entry in list.Split(','))
        {
            string trimmed = entry.Trim();
            if (trimmed.Length > 0)
            {
                patterns.Add(trimmed);
            }
        }

        return patterns.ToImmutable();
    }

    private static bool Matches(string name, int n, string pattern, int p)
    {
        for (; p < pattern.Length; p++, n++)
        {
            if (pattern[p] == '*')
            {
                // Try every length for the run; names are short, so the backtracking stays cheap.
                for (int rest = n; rest <= name.Length; rest++)
                {
                    if (Matches(name, rest, pattern, p + 1))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (n >= name.Length || char.ToUpperInvariant(name[n]) != char.ToUpperInvariant(pattern[p]))
            {
                return false;
            }
        }

        return n == name.Length;
    }

    // 'not_all_paths'; anything else keeps the default 'no_checkpoint'.
    private static bool IsNotAllPaths(AnalyzerConfigOptions options, string key)
        => options.TryGetValue(key, out string? value) && string.Equals(value?.Trim(), "not_all_paths", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The values of <c>en_analyzers.backend_code</c> (ANALYZERS §2.6).</summary>
internal enum BackendCodeMode
{
    /// <summary>Code whose body references a library API, scope and task bodies, and <c>[StructuredConcurrency]</c> code.</summary>
    Referencing,

    /// <summary>Only <c>[StructuredConcurrency]</c> code.</summary>
    Annotated,

    /// <summary>Every method.</summary>
    All,
}

/// <summary>A per-compilation cache of <see cref="UsageOptions"/> by syntax tree. Thread-safe.</summary>
internal sealed class AnalyzerOptionsReader
{
    private readonly ConcurrentDictionary<SyntaxTree, UsageOptions> _cache = new();
    private readonly AnalyzerConfigOptionsProvider _provider;

    /// <summary>Initializes the cache.</summary>
    /// <param name="provider">The compilation's options provider.</param>
    public AnalyzerOptionsReader(AnalyzerConfigOptionsProvider provider) => _provider = provider ?? throw new ArgumentNullException(nameof(provider));

    /// <summary>Gets the options of <paramref name="tree"/>.</summary>
    /// <param name="tree">The tree.</param>
    /// <returns>Its options.</returns>
    public UsageOptions Get(SyntaxTree tree) => _cache.GetOrAdd(tree, t => UsageOptions.Read(_provider.GetOptions(t)));
}
