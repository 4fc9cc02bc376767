using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Xunit;

namespace EasyNetwork.Samples.Echo.Tests;

/// <summary>The sample's certificate pinning: its own certificate passes, nothing else does.</summary>
public sealed class EchoTlsTests
{
    [Fact]
    public void The_pinned_self_signed_certificate_is_accepted()
    {
        using EchoTls tls = EchoTls.Create();
        var certificate = (X509Certificate2)tls.ServerOptions.ServerCertificate!;
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal("localhost", tls.ClientOptions.TargetHost);
        Assert.True(tls.ValidatePinned(this, certificate, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.True(tls.ValidatePinned(this, certificate, null, SslPolicyErrors.None));
    }

    [Fact]
    public void Another_certificate_a_name_mismatch_or_none_is_refused()
    {
        using EchoTls tls = EchoTls.Create();
        using EchoTls other = EchoTls.Create();
        X509Certificate pinned = tls.ServerOptions.ServerCertificate!;
        Assert.False(tls.ValidatePinned(this, other.ServerOptions.ServerCertificate, null, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(tls.ValidatePinned(this, pinned, null, SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.False(tls.ValidatePinned(this, null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
    }
}
