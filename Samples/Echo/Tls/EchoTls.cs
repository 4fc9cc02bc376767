using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EasyNetwork.Samples.Echo;

/// <summary>
/// The TLS seam of the sample: a self-signed certificate made in memory for the server, and a client that trusts that
/// one certificate only (pinned by its SHA-256 hash), never any certificate.
/// </summary>
internal sealed class EchoTls : IDisposable
{
    private const string HostName = "localhost";

    private readonly X509Certificate2 _certificate;
    private readonly byte[] _pinnedHash;

    private EchoTls(X509Certificate2 certificate)
    {
        _certificate = certificate;
        _pinnedHash = certificate.GetCertHash(HashAlgorithmName.SHA256);
        ServerOptions = new SslServerAuthenticationOptions { ServerCertificate = certificate };
        ClientOptions = new SslClientAuthenticationOptions { TargetHost = HostName, RemoteCertificateValidationCallback = ValidatePinned };
    }

    /// <summary>Gets the server's options: the self-signed certificate.</summary>
    public SslServerAuthenticationOptions ServerOptions { get; }

    /// <summary>Gets the client's options: host <c>localhost</c>, and only the pinned certificate is accepted.</summary>
    public SslClientAuthenticationOptions ClientOptions { get; }

    /// <summary>Creates a self-signed certificate for <c>localhost</c> and <c>127.0.0.1</c>, valid for a day, never stored.</summary>
    /// <returns>The TLS setup; dispose it to release the certificate.</returns>
    public static EchoTls Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={HostName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(HostName);
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 ephemeral = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        // A PKCS#12 round trip gives a key every platform's TLS stack can use (Windows rejects ephemeral keys).
        return new EchoTls(X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null));
    }

    /// <summary>
    /// Accepts the server's certificate only when it is the pinned one. A self-signed certificate has no trusted chain,
    /// so that error alone is expected; a name mismatch or a missing certificate is refused.
    /// </summary>
    /// <param name="sender">The TLS stream.</param>
    /// <param name="certificate">The server's certificate.</param>
    /// <param name="chain">Its chain.</param>
    /// <param name="errors">What the platform found wrong.</param>
    /// <returns>Whether to accept it.</returns>
    public bool ValidatePinned(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        => certificate is not null
            && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
            && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), _pinnedHash);

    /// <summary>Serves TLS on <paramref name="listener"/>: each connection's handshake runs in its own task.</summary>
    /// <param name="listener">The plain listener.</param>
    /// <returns>The TLS listener.</returns>
    public IListener<IStreamTransport> WrapListener(IListener<IStreamTransport> listener)
    {
        return new TlsListener(listener, ServerOptions);
    }

    /// <summary>Runs the client handshake over <paramref name="transport"/>.</summary>
    /// <param name="transport">The connected plain transport.</param>
    /// <returns>The TLS transport.</returns>
    public ValueTask<ITlsStreamTransport> WrapClientAsync(IStreamTransport transport)
    {
        return TlsStreamTransport.WrapAsync(transport, ClientOptions);
    }

    /// <inheritdoc/>
    public void Dispose() => _certificate.Dispose();
}
