using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using EasyNetwork.Net.Sockets;
using EasyNetwork.Runtime.Tests.Infrastructure;
using Xunit;

namespace EasyNetwork.Runtime.Tests.Conformance.Net;

/// <summary>
/// SPEC S8.2–S8.9: the Happy Eyeballs race. The stagger is tested with scripted attempts on the virtual clock, where
/// every instant is exact; real connects check the ordering and the local address on loopback.
/// </summary>
[Collection(NetworkCollection.Name)]
public sealed class HappyEyeballsTests
{
    private const string Virtual = "eventloop+virtual";

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    /// <summary>One scripted attempt: how long it takes, and whether it then fails, succeeds, or throws something else.</summary>
    private sealed record Script(TimeSpan Duration, string Outcome = "fail", bool Shielded = false);

    private sealed class Recorder(IAsyncBackend backend, Script[] scripts)
    {
        public List<(int Index, TimeSpan At)> Starts { get; } = new();

        public List<int> Discarded { get; } = new();

        public async ValueTask<object> AttemptAsync(int index)
        {
            Starts.Add((index, backend.CurrentTime()));
            Script script = scripts[index];
            if (script.Shielded)
            {
                await backend.ShieldAsync(TimeSpan.MaxValue, static (_, s) => s.backend.SleepAsync(s.Duration), (backend, script.Duration));
            }
            else
            {
                await backend.SleepAsync(script.Duration);
            }

            return script.Outcome switch
            {
                "fail" => throw new SocketException((int)SocketError.ConnectionRefused, $"attempt {index} refused"),
                "marker" => throw new MarkerException(),
                _ => index,
            };
        }

        public ValueTask<object> RaceAsync(TimeSpan delay)
            => HappyEyeballs.RaceAsync(backend, Enumerable.Range(0, scripts.Length).ToList(), delay, AttemptAsync, winner => Discarded.Add((int)winner));
    }

    [Fact]
    public void S8_2_families_alternate_starting_with_IPv6_each_in_resolver_order()
    {
        IPEndPoint a4 = new(IPAddress.Parse("192.0.2.1"), 1), b4 = new(IPAddress.Parse("192.0.2.2"), 1);
        IPEndPoint a6 = new(IPAddress.Parse("2001:db8::1"), 1), b6 = new(IPAddress.Parse("2001:db8::2"), 1), c6 = new(IPAddress.Parse("2001:db8::3"), 1);
        Assert.Equal([a6, a4, b6, b4, c6], HappyEyeballs.Interleave([a4, b4, a6, b6, c6]));
        Assert.Equal([a4, b4], HappyEyeballs.Interleave([a4, b4]));
        Assert.Equal([a6, a4, b4], HappyEyeballs.Interleave([a4, a6, b4]));
    }

    [Fact]
    public async Task S8_3_S8_6_each_attempt_starts_after_the_delay_and_the_first_success_wins()
        => await BackendRuns.RunAsync(Virtual, static async b =>
        {
            var recorder = new Recorder(b, [new(TimeSpan.FromSeconds(10)), new(Ms(100), "win"), new(Ms(10), "win")]);
            object winner = await recorder.RaceAsync(Ms(250));
            Assert.Equal(1, winner);
            Assert.Equal([(0, Ms(0)), (1, Ms(250))], recorder.Starts);
            Assert.Equal(Ms(350), b.CurrentTime());
            Assert.Empty(recorder.Discarded);
        });

    [Fact]
    public async Task S8_3_a_failure_starts_the_next_attempt_at_once()
        => await BackendRuns.RunAsync(Virtual, static async b =>
        {
            var recorder = new Recorder(b, [new(Ms(40)), new(Ms(30)), new(Ms(5), "win")]);
            Assert.Equal(2, await recorder.RaceAsync(Ms(250)));
            Assert.Equal([(0, Ms(0)), (1, Ms(40)), (2, Ms(70))], recorder.Starts);
        });

    [Fact]
    public async Task S8_4_an_infinite_delay_is_sequential_and_zero_starts_them_all_at_once()
        => await BackendRuns.RunAsync(Virtual, static async b =>
        {
            var sequential = new Recorder(b, [new(TimeSpan.FromSeconds(5)), new(Ms(1), "win")]);
            Assert.Equal(1, await sequential.RaceAsync(TimeSpan.MaxValue));
            Assert.Equal([(0, Ms(0)), (1, TimeSpan.FromSeconds(5))], sequential.Starts);

            TimeSpan start = b.CurrentTime();
            var together = new Recorder(b, [new(Ms(30)), new(Ms(20)), new(Ms(10), "win")]);
            Assert.Equal(2, await together.RaceAsync(TimeSpan.Zero));
            Assert.All(together.Starts, s => Assert.Equal(start, s.At));
        });

    [Fact]
    public async Task S8_6_a_later_success_is_discarded()
        => await BackendRuns.RunAsync(Virtual, static async b =>
        {
            // Attempt 1 cannot be cancelled (shielded) and succeeds after attempt 0 won.
            var recorder = new Recorder(b, [new(Ms(300), "win"), new(Ms(100), "win", Shielded: true)]);
            Assert.Equal(0, await recorder.RaceAsync(Ms(250)));
            Assert.Equal([1], recorder.Discarded);
        });

    [Fact]
    public async Task S8_7_every_failure_is_aggregated_in_attempt_order_and_one_is_unwrapped()
        => await BackendRuns.RunAsync(Virtual, static async b =>
        {
            var several = new Recorder(b, [new(Ms(500)), new(Ms(10)), new(Ms(300))]);
            AggregateException all = await Assert.ThrowsAsync<AggregateException>(async () => await several.RaceAsync(Ms(250)));
            Assert.Equal(["attempt 0 refused", "attempt 1 refused", "attempt 2 refused"], all.InnerExceptions.Select(static e => e.Message));

            var one = new Recorder(b, [new(Ms(10))]);
            SocketException single = await Assert.ThrowsAsync<SocketException>(async () => await one.RaceAsync(Ms(250)));
            Assert.Equal("attempt 0 refused", single.Message);
        });

    [Fact]
    public async Task S8_8_another_exception_fails_the_race_and_the_winner_is_discarded()
        => await BackendRuns.RunAsync(Virtual, static async b =>
        {
            var recorder = new Recorder(b, [new(Ms(300), "win"), new(Ms(100), "marker", Shielded: true)]);
            await Assert.ThrowsAsync<MarkerException>(async () => await recorder.RaceAsync(Ms(250)));
            Assert.Equal([0], recorder.Discarded);
        });

    [Fact]
    public async Task S8_9_cancelling_the_race_cancels_every_attempt()
        => await BackendRuns.RunAsync(Virtual, static async b =>
        {
            var recorder = new Recorder(b, [new(TimeSpan.FromSeconds(10)), new(TimeSpan.FromSeconds(10)), new(TimeSpan.FromSeconds(10))]);
            CancelScope scope = await b.MoveOnAfterAsync(Ms(600), static async (_, r) => { await r.RaceAsync(Ms(250)); }, recorder);
            Assert.True(scope.CancelledCaught);
            Assert.Equal(3, recorder.Starts.Count);
            Assert.Equal(Ms(600), b.CurrentTime());
        });

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_1_S8_5_a_real_connect_binds_the_local_address_of_the_same_family(string backend)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, static async b =>
        {
            using RawPeer peer = RawPeer.Listen();
            await using (IStreamTransport transport = await b.ConnectTcpAsync("127.0.0.1", peer.Port, localAddress: new IPEndPoint(IPAddress.Loopback, 0)))
            {
                await peer.AcceptAsync(b);
                Assert.Equal(IPAddress.Loopback, ((IPEndPoint)transport.LocalEndPoint).Address);
            }

            SocketException missing = await Assert.ThrowsAsync<SocketException>(async () => await b.ConnectTcpAsync("127.0.0.1", peer.Port, localAddress: new IPEndPoint(IPAddress.IPv6Loopback, 0)));
            Assert.Equal(SocketError.AddressNotAvailable, missing.SocketErrorCode);
            Assert.Contains("InterNetwork", missing.Message, StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(BackendRuns.Names), MemberType = typeof(BackendRuns))]
    public async Task S8_2_S8_7_localhost_reaches_an_IPv4_only_server_after_the_IPv6_attempt_fails(string backend)
    {
        using OpenDescriptors descriptors = OpenDescriptors.Check();
        await BackendRuns.RunAsync(backend, static async b =>
        {
            using RawPeer peer = RawPeer.Listen();
            await using IStreamTransport transport = await b.ConnectTcpAsync("localhost", peer.Port);
            await peer.AcceptAsync(b);
            Assert.Equal(IPAddress.Loopback, ((IPEndPoint)transport.RemoteEndPoint).Address);
        });
    }
}
