namespace EasyNetwork.Benchmarks.Echo;

/// <summary>One server the harness measures.</summary>
/// <param name="Label">The name in the report.</param>
/// <param name="Kind">Which server the child process runs.</param>
/// <param name="InlineCompletions">Whether the child runs with <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> (socket continuations on the epoll thread).</param>
public sealed record EchoServerVariant(string Label, EchoServerKind Kind, bool InlineCompletions)
{
    /// <summary>The plain server with the runtime's defaults: the reference of the first ratio.</summary>
    public static EchoServerVariant PlainDefault { get; } = new("plain Socket", EchoServerKind.Plain, InlineCompletions: false);

    /// <summary>The plain server with inline socket completions: the reference of the second ratio.</summary>
    public static EchoServerVariant PlainInline { get; } = new("plain Socket, inline completions", EchoServerKind.Plain, InlineCompletions: true);

    /// <summary>Gets every server, the two references first.</summary>
    public static EchoServerVariant[] All { get; } =
    [
        PlainDefault,
        PlainInline,
        new("EasyNetwork threadpool", EchoServerKind.ThreadPool, InlineCompletions: false),
        new("EasyNetwork eventloop", EchoServerKind.EventLoop, InlineCompletions: false),
    ];
}
