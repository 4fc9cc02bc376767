using System;
using System.Collections.Generic;
using Xunit;

namespace EasyNetwork.Samples.Echo.Tests;

/// <summary>The echo sample's command line: what it accepts, and that every rejection names the bad value.</summary>
public sealed class EchoOptionParserTests
{
    private static readonly string[] s_known = ["eventloop", "threadpool"];
    private static readonly string[] s_defaults = ["threadpool", "eventloop"];

    private static EchoOptions Parse(params string[] args)
    {
        Assert.True(EchoOptionParser.TryParse(args, s_known, s_defaults, out EchoOptions? options, out string? error), error);
        return options;
    }

    private static string Reject(params string[] args)
    {
        Assert.False(EchoOptionParser.TryParse(args, s_known, s_defaults, out _, out string? error));
        return error;
    }

    [Fact]
    public void No_arguments_run_every_default_backend_with_the_defaults()
    {
        EchoOptions options = Parse();
        Assert.Equal(EchoCommand.Run, options.Command);
        Assert.Equal(s_defaults, options.Backends);
        Assert.Equal(EchoOptions.DefaultConnections, options.Connections);
        Assert.Equal(EchoOptions.DefaultMessageSize, options.MessageSize);
        Assert.Equal(EchoOptions.DefaultDuration, options.Duration);
        Assert.False(options.UseTls);
        Assert.False(options.UseUnix);
    }

    [Fact]
    public void Load_options_are_read_in_both_spellings()
    {
        EchoOptions options = Parse("--backend", "eventloop", "--connections=32", "--size", "4k", "--duration=500ms", "--tls", "--unix");
        Assert.Equal(["eventloop"], options.Backends);
        Assert.Equal(32, options.Connections);
        Assert.Equal(4096, options.MessageSize);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Duration);
        Assert.True(options.UseTls);
        Assert.True(options.UseUnix);
        Assert.Null(options.UnixPath);
    }

    [Fact]
    public void Serve_takes_port_unix_path_and_defaults_to_the_first_default_backend()
    {
        EchoOptions options = Parse("serve", "--port", "7007", "--unix", "/tmp/e.sock", "--tls");
        Assert.Equal(EchoCommand.Serve, options.Command);
        Assert.Equal(["threadpool"], options.Backends);
        Assert.Equal(7007, options.Port);
        Assert.Equal("/tmp/e.sock", options.UnixPath);
        Assert.True(options.UseTls);
    }

    [Theory]
    [InlineData("-h")]
    [InlineData("--help")]
    [InlineData("serve", "--help")]
    [InlineData("--size", "3", "--help", "--bogus")]
    public void Help_wins(params string[] args) => Assert.Equal(EchoCommand.Help, Parse(args).Command);

    [Theory]
    [InlineData("1", 1)]
    [InlineData("1024", 1024)]
    [InlineData("1k", 1024)]
    [InlineData("10KiB", 10 * 1024)]
    [InlineData("100kb", 100 * 1024)]
    [InlineData("4m", 4 * 1024 * 1024)]
    [InlineData("7b", 7)]
    public void Sizes(string text, int expected)
    {
        Assert.True(EchoOptionParser.TryParseSize(text, out int size));
        Assert.Equal(expected, size);
    }

    [Theory]
    [InlineData("10", 10_000)]
    [InlineData("2.5s", 2_500)]
    [InlineData("250ms", 250)]
    [InlineData("3600", 3_600_000)]
    public void Durations(string text, int expectedMilliseconds)
    {
        Assert.True(EchoOptionParser.TryParseDuration(text, out TimeSpan duration));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), duration);
    }

    public static TheoryData<string[], string> BadCommandLines => new()
    {
        { ["--connections", "0"], "'0'" },
        { ["--connections", "10001"], "'10001'" },
        { ["--connections", "ten"], "'ten'" },
        { ["--size", "0"], "'0'" },
        { ["--size", "5m"], "'5m'" },
        { ["--size", "12q"], "'12q'" },
        { ["--size", "-4"], "'-4'" },
        { ["--duration", "0"], "'0'" },
        { ["--duration", "-1s"], "'-1s'" },
        { ["--duration", "2h"], "'2h'" },
        { ["--duration", "3601"], "'3601'" },
        { ["--duration", "NaN"], "'NaN'" },
        { ["--backend", "uvloop"], "'uvloop'" },
        { ["--backend", "ThreadPool"], "'ThreadPool'" },
        { ["--size"], "--size needs a value" },
        { ["--frobnicate"], "'--frobnicate'" },
        { ["--port", "7"], "--port" },
        { ["serve", "--port", "65536"], "'65536'" },
        { ["serve", "--duration", "1"], "--duration" },
        { ["--tls", "serve"], "'serve' must come first" },
        { ["--unix="], "--unix" },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public void Bad_values_are_named_in_the_error(string[] args, string expectedInError)
        => Assert.Contains(expectedInError, Reject(args), StringComparison.Ordinal);

    [Fact]
    public void The_usage_mentions_every_option()
    {
        foreach (string option in (IEnumerable<string>)["--backend", "--connections", "--size", "--duration", "--tls", "--unix", "--port", "serve", "--help"])
        {
            Assert.Contains(option, EchoOptionParser.Usage, StringComparison.Ordinal);
        }
    }
}
