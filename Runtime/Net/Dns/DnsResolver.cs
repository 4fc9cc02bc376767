using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Internal;
using EasyNetwork.Net.Sockets;

namespace EasyNetwork.Net.Dns;

/// <summary>
/// getaddrinfo / getnameinfo for every backend (SPEC §7): IP literals are answered synchronously without a resolver call;
/// names go to the asynchronous resolver, bound to the caller's cancel scope so that a cancelled lookup is abandoned.
/// </summary>
internal static class DnsResolver
{
    private static readonly IPAddress[] s_passiveAddresses = [IPAddress.Any, IPAddress.IPv6Any];
    private static readonly IPAddress[] s_loopbackAddresses = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    public static ValueTask<IReadOnlyList<AddressInfo>> GetAddrInfoAsync(string? host, int port, AddressFamily family, SocketType socketType, ProtocolType protocol, AddressInfoFlags flags)
    {
        // Arguments first: an argument error wins even inside a cancelled scope (S2.7).
        SocketArguments.ThrowIfBadPort(port, nameof(port));
        SocketArguments.ThrowIfBadFamily(family, nameof(family));

        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.GetAddrInfoAsync");
        task.ThrowIfCancelled();

        if (host is null)
        {
            IPAddress[] addresses = (flags & AddressInfoFlags.Passive) != 0 ? s_passiveAddresses : s_loopbackAddresses;
            return new ValueTask<IReadOnlyList<AddressInfo>>(Build(host, addresses, port, family, socketType, protocol, flags, canonicalName: string.Empty));
        }

        if (IPAddress.TryParse(host, out IPAddress? literal))
        {
            // Numeric fast path (S7.2): built here, synchronously, no hop and no resolver call.
            return new ValueTask<IReadOnlyList<AddressInfo>>(Build(host, [literal], port, family, socketType, protocol, flags, canonicalName: string.Empty));
        }

        if ((flags & AddressInfoFlags.NumericHost) != 0)
        {
            throw new SocketException((int)SocketError.HostNotFound, $"'{host}' is not an IP address literal, and NumericHost forbids a lookup.");
        }

        return ResolveAsync(task, host, port, family, socketType, protocol, flags);
    }

    private static async ValueTask<IReadOnlyList<AddressInfo>> ResolveAsync(BackendTask task, string host, int port, AddressFamily family, SocketType socketType, ProtocolType protocol, AddressInfoFlags flags)
    {
        CancellationToken token = task.Innermost.Token;
        string canonicalName = string.Empty;
        IPAddress[] addresses;
        if ((flags & AddressInfoFlags.CanonicalName) != 0)
        {
            Task<IPHostEntry> lookup = System.Net.Dns.GetHostEntryAsync(host, family, token);
            await RuntimeCore.WaitForTaskAsync(task, lookup);
            IPHostEntry entry = await NameHostOnFailure(lookup, host);
            canonicalName = entry.HostName;
            addresses = entry.AddressList;
        }
        else
        {
            Task<IPAddress[]> lookup = System.Net.Dns.GetHostAddressesAsync(host, family, token);

            // A cancellable wait: cancelling the caller abandons the lookup; its late result is discarded (S7.3).
            await RuntimeCore.WaitForTaskAsync(task, lookup);
            addresses = await NameHostOnFailure(lookup, host);
        }

        return Build(host, addresses, port, family, socketType, protocol, flags, canonicalName);
    }

    /// <summary>The resolver's own message does not say which name failed: keep its error code and name the host.</summary>
    private static async Task<T> NameHostOnFailure<T>(Task<T> lookup, string host)
    {
        try
        {
            return await lookup;
        }
        catch (SocketException exception)
        {
            throw new SocketException((int)exception.SocketErrorCode, $"Resolving host '{host}' failed: {exception.Message}");
        }
    }

    private static AddressInfo[] Build(string? host, IPAddress[] addresses, int port, AddressFamily family, SocketType socketType, ProtocolType protocol, AddressInfoFlags flags, string canonicalName)
    {
        bool addressConfig = (flags & AddressInfoFlags.AddressConfig) != 0;
        var results = new List<AddressInfo>(addresses.Length * 2);
        foreach (IPAddress address in addresses)
        {
            if (family != AddressFamily.Unspecified && address.AddressFamily != family)
            {
                continue;
            }

            if (addressConfig && !IsUsable(address.AddressFamily))
            {
                continue;
            }

            var endPoint = new IPEndPoint(address, port);
            if (socketType is SocketType.Unknown or SocketType.Stream && protocol is ProtocolType.Unknown or ProtocolType.Tcp)
            {
                results.Add(new AddressInfo(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp, canonicalName, endPoint));
            }

            if (socketType is SocketType.Unknown or SocketType.Dgram && protocol is ProtocolType.Unknown or ProtocolType.Udp)
            {
                results.Add(new AddressInfo(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp, canonicalName, endPoint));
            }
        }

        if (results.Count == 0)
        {
            // An empty result is a resolution failure that names the host (S7.4).
            throw new SocketException((int)SocketError.HostNotFound, $"No address found for host '{host ?? "<null>"}' (family {family}, socket type {socketType}, protocol {protocol}).");
        }

        return results.ToArray();
    }

    private static bool IsUsable(AddressFamily family)
        => family switch
        {
            AddressFamily.InterNetwork => Socket.OSSupportsIPv4,
            AddressFamily.InterNetworkV6 => Socket.OSSupportsIPv6,
            _ => false,
        };

    public static ValueTask<NameInfo> GetNameInfoAsync(IPEndPoint endPoint, NameInfoFlags flags)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        BackendTask task = BackendTask.GetCurrent("IAsyncBackend.GetNameInfoAsync");
        task.ThrowIfCancelled();

        // .NET has no service database lookup: the service is always the port number.
        string service = endPoint.Port.ToString(CultureInfo.InvariantCulture);
        if ((flags & NameInfoFlags.NumericHost) != 0)
        {
            return new ValueTask<NameInfo>(new NameInfo(endPoint.Address.ToString(), service));
        }

        return ReverseAsync(task, endPoint, flags, service);
    }

    private static async ValueTask<NameInfo> ReverseAsync(BackendTask task, IPEndPoint endPoint, NameInfoFlags flags, string service)
    {
        Task<IPHostEntry> lookup = System.Net.Dns.GetHostEntryAsync(endPoint.Address.ToString(), task.Innermost.Token);
        await RuntimeCore.WaitForTaskAsync(task, lookup);
        try
        {
            IPHostEntry entry = await lookup;
            string name = entry.HostName;
            if ((flags & NameInfoFlags.NoFullyQualifiedDomain) != 0 && name.IndexOf('.', StringComparison.Ordinal) is > 0 and int dot)
            {
                name = name[..dot];
            }

            return new NameInfo(name, service);
        }
        catch (SocketException) when ((flags & NameInfoFlags.NameRequired) == 0)
        {
            // No name: fall back to the numeric host unless a name is required (S7.7).
            return new NameInfo(endPoint.Address.ToString(), service);
        }
    }
}
