using System;
using System.Collections.Generic;
using System.Linq;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Conformance.Net;

/// <summary>SPEC §10: TLS over TCP, with a self-signed certificate made for the test and pinned by the client.</summary>
[Collection(NetworkCollection.Name)]
public sealed class TlsTests
{
    private static readonly byte[] s_hello = "hello, TLS"u8.ToArray();
    private static readonly SslApplicationProtocol s_protocol = new("test/1");
    private static readonly X509Certificate2 s_certificate = CreateCertificate();

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        // An ephemeral key cannot serve TLS on Linux: round-trip through PKCS#12 to get a usable one.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>Trusts exactly the test certificate: the only accepted error is its untrusted (self-signed) chain.</summary>
    private static bool IsPinned(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        => certificate is not null
           && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
           && certificate.GetCertHashString(HashAlgorithmName.SHA256) == s_certificate.GetCertHashString(HashAlgorithmName.SHA256);

    private static SslClientAuthenticationOptions ClientOptions()
        => new() { TargetHost = "localhost", RemoteCertificateValidationCallback = IsPinned, ApplicationProtocols = [s_protocol] };

    private static SslServerAuthenticationOptions ServerOptions()
        => new() { ServerCertificate = s_certificate, ApplicationProtocols = [s_protocol] };

    // On the virtual clock an idle run jumps to the next deadline, so a default timeout would expire during any real I/O
    // wait; tests whose subject is not a timeout use no limit there, and the defaults elsewhere.
    private static TimeSpan? Limit(string configuration) => BackendRuns.IsVirtual(configuration) ? Timeout.InfiniteTimeSpan : null;

    private static async ValueTask<ITlsStreamTransport> ConnectAsync(IAsyncBackend b, int port, string configuration)
    {
        IStreamTransport tcp = await b.ConnectTcpAsync("127.0.0.1", port);
        return await TlsStreamTransport.WrapAsync(tcp, ClientOptions(), Limit(configuration), Limit(configuration));
    }

    /// <summary>Serves <paramref name="handler"/> on a TLS listener on 127.0.0.1 while <paramref name="client"/> runs; then the serve is cancelled.</summary>
    private static async Task WithServerAsync(string configuration, Func<IAsyncBackend, ITlsStreamTransport, ValueTask> handler, Func<IAsyncBackend, int, ValueTask> client, RecordingLogger? logger = null)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(configuration, async b =>
        {
            IReadOnlyList<IListener<IStreamTransport>> listeners = await b.CreateTcpListenersAsync("127.0.0.1", 0, 16);
            await using var listener = new TlsListener(listeners[0], ServerOptions(), Limit(configuration), Limit(configuration));
            int port = ((IPEndPoint)listener.LocalEndPoint).Port;
            await b.RunTaskGroupAsync(static async (group, s) =>
            {
                group.StartSoon(static s => s.listener.ServeAsync(t => s.handler(s.b, t)), s);
                await s.client(s.b, s.port);
                group.CancelScope.Cancel();
            }, (b, listener, handler, client, port));
        }, logger is null ? null : new RunnerOptions { Logger = logger });
    }

    private static async ValueTask<byte[]> ReceiveToEndAsync(IStreamTransport transport)
    {
        var received = new List<byte>();
        var buffer = new byte[7];
        int n;
        while ((n = await transport.ReceiveAsync(buffer)) > 0)
        {
            received.AddRange(buffer[..n]);
        }

        return [.. received];
    }

    private static async ValueTask<byte[]> ReceiveExactlyAsync(IStreamTransport transport, int count)
    {
        var buffer = new byte[count];
        int total = 0;
        while (total < count)
        {
            int n = await transport.ReceiveAsync(buffer.AsMemory(total));
            Assert.NotEqual(0, n);
            total += n;
        }

        return buffer;
    }

    /// <summary>Echoes until the peer's close_notify; a peer that aborts (tests that abort on purpose) just ends it.</summary>
    private static async ValueTask EchoAsync(IAsyncBackend b, ITlsStreamTransport transport)
    {
        var buffer = new byte[64];
        try
        {
            int n;
            while ((n = await transport.ReceiveAsync(buffer)) > 0)
            {
                await transport.SendAllAsync(buffer.AsMemory(0, n));
            }
        }
        catch (Exception exception) when (exception is SocketException or IOException)
        {
        }
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S10_1_S10_9_a_pinned_round_trip_describes_the_session(string backend)
        => await WithServerAsync(backend, static async (b, server) =>
        {
            Assert.Null(server.RemoteCertificate);
            Assert.Equal(s_protocol, server.NegotiatedApplicationProtocol);
            await EchoAsync(b, server);
        }, async (b, port) =>
        {
            ITlsStreamTransport tls = await ConnectAsync(b, port, backend);
            IStreamTransport inner = tls.InnerTransport;
            Assert.Same(b, tls.Backend);
            Assert.Equal(inner.LocalEndPoint, tls.LocalEndPoint);
            Assert.Equal(inner.RemoteEndPoint, tls.RemoteEndPoint);
            Assert.Same(inner.Socket, tls.Socket);
            Assert.NotEqual(SslProtocols.None, tls.SslProtocol);
            Assert.Equal(s_protocol, tls.NegotiatedApplicationProtocol);
            Assert.Equal(s_certificate.GetCertHashString(HashAlgorithmName.SHA256), tls.RemoteCertificate!.GetCertHashString(HashAlgorithmName.SHA256));

            await tls.SendAllAsync(s_hello);
            Assert.Equal(s_hello, await ReceiveExactlyAsync(tls, s_hello.Length));
            await tls.SendAllAsync(new List<ReadOnlyMemory<byte>> { s_hello.AsMemory(0, 3), ReadOnlyMemory<byte>.Empty, s_hello.AsMemory(3) });
            Assert.Equal(s_hello, await ReceiveExactlyAsync(tls, s_hello.Length));

            await tls.CloseAsync();
            Assert.True(tls.IsClosing);
            Assert.True(inner.IsClosing);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S10_5_S10_6_after_the_peers_close_notify_every_receive_returns_0(string backend)
        => await WithServerAsync(backend, static async (b, server) =>
        {
            await server.SendAllAsync(s_hello);
            await server.CloseAsync();
        }, async (b, port) =>
        {
            await using ITlsStreamTransport tls = await ConnectAsync(b, port, backend);
            Assert.Equal(s_hello, await ReceiveToEndAsync(tls));
            Assert.Equal(0, await tls.ReceiveAsync(new byte[8]));
            Assert.Equal(0, await tls.ReceiveAsync(new byte[8]));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S10_2_S10_3_default_validation_rejects_the_self_signed_certificate_and_aborts_the_transport(string backend)
        => await WithServerAsync(backend, EchoAsync, async (b, port) =>
        {
            // TLS 1.3 lets the server finish first, so its handler may run: only the client's verdict is checked.
            IStreamTransport tcp = await b.ConnectTcpAsync("127.0.0.1", port);
            await Assert.ThrowsAsync<AuthenticationException>(async () => await TlsStreamTransport.WrapAsync(tcp, new SslClientAuthenticationOptions { TargetHost = "localhost" }, Limit(backend)));
            Assert.True(tcp.IsClosing);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S10_2_a_peer_that_never_answers_times_the_handshake_out_and_the_transport_is_aborted(string backend)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, static async b =>
        {
            using RawPeer peer = RawPeer.Listen();
            IStreamTransport tcp = await peer.ConnectAsync(b);
            TimeoutException timeout = await Assert.ThrowsAsync<TimeoutException>(async () => await TlsStreamTransport.WrapAsync(tcp, ClientOptions(), TimeSpan.FromMilliseconds(50)));
            Assert.IsType<CancelledException>(timeout.InnerException);
            Assert.True(tcp.IsClosing);
            peer.Socket.Dispose();

            // A cancellation of the caller ends the handshake the same way, as the cancellation.
            IStreamTransport second = await peer.ConnectAsync(b);
            CancelScope scope = await b.MoveOnAfterAsync(TimeSpan.FromMilliseconds(20), static async (_, tcp) => { await TlsStreamTransport.WrapAsync(tcp, ClientOptions(), Timeout.InfiniteTimeSpan); }, second);
            Assert.True(scope.CancelledCaught);
            Assert.True(second.IsClosing);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S10_3_S10_8_bad_arguments_are_rejected_before_the_transport_is_touched(string backend)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, static async b =>
        {
            using RawPeer peer = RawPeer.Listen();
            await using IStreamTransport tcp = await peer.ConnectAsync(b);
            Assert.Throws<ArgumentException>(() => { _ = TlsStreamTransport.WrapAsync(tcp, new SslClientAuthenticationOptions()); });
            Assert.Throws<ArgumentException>(() => { _ = TlsStreamTransport.WrapAsync(tcp, new SslClientAuthenticationOptions { TargetHost = string.Empty }); });
            Assert.Throws<ArgumentNullException>(() => { _ = TlsStreamTransport.WrapAsync(null!, ClientOptions()); });
            Assert.Throws<ArgumentNullException>(() => { _ = TlsStreamTransport.WrapAsync(tcp, null!); });
            ArgumentOutOfRangeException handshake = Assert.Throws<ArgumentOutOfRangeException>(() => { _ = TlsStreamTransport.WrapAsync(tcp, ClientOptions(), TimeSpan.FromSeconds(-1)); });
            Assert.Equal("handshakeTimeout", handshake.ParamName);
            Assert.Contains("-00:00:01", handshake.Message, StringComparison.Ordinal);
            ArgumentOutOfRangeException shutdown = Assert.Throws<ArgumentOutOfRangeException>(() => { _ = TlsStreamTransport.WrapAsync(tcp, ClientOptions(), null, TimeSpan.FromSeconds(-2)); });
            Assert.Equal("shutdownTimeout", shutdown.ParamName);
            Assert.False(tcp.IsClosing);

            IReadOnlyList<IListener<IStreamTransport>> listeners = await b.CreateTcpListenersAsync("127.0.0.1", 0, 4);
            await using IListener<IStreamTransport> listener = listeners[0];
            Assert.Throws<ArgumentException>(() => new TlsListener(listener, new SslServerAuthenticationOptions()));
            Assert.Throws<ArgumentOutOfRangeException>(() => new TlsListener(listener, ServerOptions(), TimeSpan.FromSeconds(-1)));
            Assert.Throws<ArgumentOutOfRangeException>(() => new TlsListener(listener, ServerOptions(), null, TimeSpan.FromSeconds(-1)));
            Assert.Throws<ArgumentNullException>(() => new TlsListener(null!, ServerOptions()));
            _ = new TlsListener(listener, ServerOptions(), Timeout.InfiniteTimeSpan, TimeSpan.MaxValue);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S10_7_S8_24_S8_26_send_eof_is_unsupported_close_wakes_a_pending_receive_and_later_calls_are_closed(string backend)
        => await WithServerAsync(backend, EchoAsync, async (b, port) =>
        {
            ITlsStreamTransport tls = await ConnectAsync(b, port, backend);
            Assert.IsType<UnsupportedOperationException>(await Catch.ExceptionAsync(() => tls.SendEofAsync()));

            ValueTask<int> pending = tls.ReceiveAsync(new byte[16]);
            await tls.CloseAsync();
            Assert.True(tls.IsClosing);
            await Assert.ThrowsAsync<ClosedResourceException>(async () => await pending);
            await tls.CloseAsync();
            await tls.DisposeAsync();

            Assert.IsType<ClosedResourceException>(await Catch.ExceptionAsync(() => tls.ReceiveAsync(new byte[1])));
            Assert.IsType<ClosedResourceException>(await Catch.ExceptionAsync(() => tls.SendAllAsync(s_hello)));
            Assert.IsType<ClosedResourceException>(await Catch.ExceptionAsync(() => tls.SendEofAsync()));
            Assert.True(tls.InnerTransport.IsClosing);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S10_6_S8_23_a_second_reader_or_writer_is_busy_and_the_first_is_unaffected(string backend)
        => await WithServerAsync(backend, static async (b, server) =>
        {
            // Answers once, then reads nothing more: the client's big send stays in flight.
            var one = new byte[1];
            Assert.Equal(1, await server.ReceiveAsync(one));
            await server.SendAllAsync(s_hello);
            await b.SleepForeverAsync();
        }, async (b, port) =>
        {
            ITlsStreamTransport tls = await ConnectAsync(b, port, backend);
            var buffer = new byte[64];
            ValueTask<int> first = tls.ReceiveAsync(buffer);
            Assert.IsType<BusyResourceException>(await Catch.ExceptionAsync(() => tls.ReceiveAsync(new byte[8])));
            await tls.SendAllAsync(new byte[] { 1 });
            int n = await first;
            Assert.InRange(n, 1, s_hello.Length);
            Assert.Equal(s_hello[..n], buffer[..n]);

            ValueTask sending = tls.SendAllAsync(new byte[32 << 20]);
            Assert.False(sending.IsCompleted);
            Assert.IsType<BusyResourceException>(await Catch.ExceptionAsync(() => tls.SendAllAsync(s_hello)));
            await tls.CloseForcefullyAsync();
            await Assert.ThrowsAsync<ClosedResourceException>(async () => await sending);
            Assert.True(tls.InnerTransport.IsClosing);
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S10_6_S8_17_a_cancelled_receive_loses_no_decrypted_data(string backend)
        => await WithServerAsync(backend, static async (b, server) =>
        {
            var go = new byte[1];
            Assert.Equal(1, await server.ReceiveAsync(go));
            await server.SendAllAsync(s_hello);
            await EchoAsync(b, server);
        }, async (b, port) =>
        {
            await using ITlsStreamTransport tls = await ConnectAsync(b, port, backend);
            var buffer = new byte[64];
            for (int round = 0; round < 3; round++)
            {
                // Nothing to read: the move-on expires while the receive is pending (instantly on the virtual clock).
                CancelScope scope = await b.MoveOnAfterAsync(TimeSpan.FromMilliseconds(20), static async (_, s) => { await s.tls.ReceiveAsync(s.buffer); }, (tls, buffer));
                Assert.True(scope.CancelledCaught);
            }

            // A receive in a cancelled scope raises before touching the stream.
            CancelScope cancelled = await b.OpenCancelScope().RunAsync(static async (scope, tls) =>
            {
                scope.Cancel();
                await tls.ReceiveAsync(new byte[8]);
            }, tls);
            Assert.True(cancelled.CancelledCaught);

            await tls.SendAllAsync(new byte[] { 1 });
            Assert.Equal(s_hello, await ReceiveExactlyAsync(tls, s_hello.Length));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S10_5_S8_25_a_close_in_a_cancelled_scope_aborts_and_raises_but_dispose_does_not(string backend)
        => await WithServerAsync(backend, EchoAsync, async (b, port) =>
        {
            ITlsStreamTransport tls = await ConnectAsync(b, port, backend);
            await StreamTransportTests.AssertCancelledCloseAbortsAsync(b, tls);
            Assert.True(tls.InnerTransport.IsClosing);
            await StreamTransportTests.AssertCancelledDisposeDoesNotRaiseAsync(b, await ConnectAsync(b, port, backend));
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S10_4_the_listener_logs_a_failed_handshake_skips_its_handler_and_serves_the_next_client(string backend)
    {
        var logger = new RecordingLogger();
        int served = 0;
        await WithServerAsync(backend, async (b, server) =>
        {
            Interlocked.Increment(ref served);
            await EchoAsync(b, server);
        }, async (b, port) =>
        {
            IAsyncEvent warned = b.CreateEvent();
            logger.OnEntry = level =>
            {
                if (level == LogLevel.Warning)
                {
                    warned.Set();
                }
            };

            // Not a TLS client: the server's handshake fails on the garbage and closes the connection.
            await using (IStreamTransport plain = await b.ConnectTcpAsync("127.0.0.1", port))
            {
                await plain.SendAllAsync("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
                await warned.WaitAsync();
            }

            await using ITlsStreamTransport tls = await ConnectAsync(b, port, backend);
            await tls.SendAllAsync(s_hello);
            Assert.Equal(s_hello, await ReceiveExactlyAsync(tls, s_hello.Length));
        }, logger);

        Assert.Equal(1, served);
        (LogLevel Level, string Message, Exception? Exception) warning = Assert.Single(logger.Entries, static e => e.Level == LogLevel.Warning);
        Assert.Contains("TLS handshake", warning.Message, StringComparison.Ordinal);
        Assert.NotNull(warning.Exception);
        Assert.DoesNotContain(logger.Entries, static e => e.Level >= LogLevel.Error);
    }
}
