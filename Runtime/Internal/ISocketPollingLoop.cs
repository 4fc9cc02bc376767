using EasyNetwork.Net.Sockets;

namespace EasyNetwork.Internal;

/// <summary>
/// A run loop that waits for socket readiness itself (the <c>eventloop</c> backend on Linux): stream transports of its
/// runs make non-blocking calls and park on the loop's own readiness set instead of handing each operation to the .NET
/// socket engine's thread and back.
/// </summary>
internal interface ISocketPollingLoop
{
    /// <summary>The loop's readiness set, created on first use; null when the platform has none (the transport then uses .NET's asynchronous socket calls).</summary>
    SocketPoller? GetSocketPoller();
}
