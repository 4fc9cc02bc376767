namespace EasyNetwork.Benchmarks.Echo;

/// <summary>Which echo server a child process runs.</summary>
public enum EchoServerKind
{
    /// <summary>The plain <see cref="System.Net.Sockets.Socket"/> + async/await baseline.</summary>
    Plain,

    /// <summary>The EasyNetwork echo server (Samples/Echo) on the <c>threadpool</c> backend.</summary>
    ThreadPool,

    /// <summary>The EasyNetwork echo server (Samples/Echo) on the <c>eventloop</c> backend.</summary>
    EventLoop,
}
