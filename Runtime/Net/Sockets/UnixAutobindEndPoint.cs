using System.Net;
using System.Net.Sockets;

namespace EasyNetwork.Net.Sockets;

/// <summary>
/// The Linux autobind address: a Unix address with no path at all (just the family), which makes <c>bind</c> pick a
/// unique abstract name. <see cref="UnixDomainSocketEndPoint"/> rejects an empty path, so this is the only way to ask
/// .NET for it. The bound name reads back as an ordinary (abstract) <see cref="UnixDomainSocketEndPoint"/>.
/// </summary>
internal sealed class UnixAutobindEndPoint : EndPoint
{
    /// <summary>The single instance: the address carries no state.</summary>
    public static readonly UnixAutobindEndPoint Instance = new();

    // Any valid path: Create only uses it to pick the endpoint type that parses the socket's real address.
    private static readonly UnixDomainSocketEndPoint s_parser = new("\0autobind");

    private UnixAutobindEndPoint()
    {
    }

    /// <inheritdoc/>
    public override AddressFamily AddressFamily => AddressFamily.Unix;

    // The address is the family alone (sizeof(sa_family_t)): that length is what triggers autobind.
    /// <inheritdoc/>
    public override SocketAddress Serialize() => new(AddressFamily.Unix, 2);

    /// <inheritdoc/>
    public override EndPoint Create(SocketAddress socketAddress) => s_parser.Create(socketAddress);

    /// <inheritdoc/>
    public override string ToString() => "(autobind)";
}
