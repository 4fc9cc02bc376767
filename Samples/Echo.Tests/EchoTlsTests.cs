using System;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
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

    [Fact]
    public async Task A_loopback_handshake_trusts_the_pinned_certificate() => await HandshakeAsync(server: EchoTls.Create(), client: EchoTls.Create(), pinSameCertificate: true);

    [Fact]
    public async Task A_loopback_handshake_refuses_another_certificate()
        => await Assert.ThrowsAsync<AuthenticationException>(() => HandshakeAsync(server: EchoTls.Create(), client: EchoTls.Create(), pinSameCertificate: false));

    // Runs SslStream on both ends of a loopback connection, the client pinning the server's certificate or another one.
    private static async Task HandshakeAsync(EchoTls server, EchoTls client, bool pinSameCertificate)
    {
        using (server)
        using (client)
        {
            EchoTls pinned = pinSameCertificate ? server : client;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(1);
            using var clientSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await clientSocket.ConnectAsync(listener.LocalEndPoint!, timeout.Token);
            using Socket serverSocket = await listener.AcceptAsync(timeout.Token);
            await using var serverStream = new SslStream(new NetworkStream(serverSocket));
            await using var clientStream = new SslStream(new NetworkStream(clientSocket));
            Task serverHandshake = serverStream.AuthenticateAsServerAsync(server.ServerOptions, timeout.Token);
            try
            {
                await clientStream.AuthenticateAsClientAsync(pinned.ClientOptions, timeout.Token);
                await serverHandshake;
                Assert.True(clientStream.IsAuthenticated);
                Assert.Equal(server.ServerOptions.ServerCertificate!.GetCertHashString(), clientStream.RemoteCertificate!.GetCertHashString());
            }
            catch (AuthenticationException)
            {
                // The client refused; the server may have finished already (TLS 1.3) or fail now: either way, not outlive the test.
                clientSocket.Close();
                await serverHandshake.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                throw;
            }
        }
    }
}
