using System.Net;
using VnGovSign.Testing;
using VnGovSign.Testing.Http;
using VnGovSign.Testing.Responders;

namespace VnGovSign.Core.Tests;

/// <summary>
/// One test PKI with its OCSP, CRL and TSA responders on 127.0.0.1, shared by the classes of the
/// "responders" collection (they run one after another, so switching a responder affects one test).
/// The responders' clock is fixed at <see cref="PkiFixture.Now"/>.
/// </summary>
public sealed class RespondersFixture : IDisposable
{
    public RespondersFixture()
    {
        Responders = TestResponders.CreateAndStart(new TestPkiOptions { Seed = 3161, Now = PkiFixture.Now }, Clock);
    }

    public static FixedClock Clock { get; } = new(PkiFixture.Now);
    public TestResponders Responders { get; }
    public TestPki Pki => Responders.Pki;

    /// <summary>Every switch back to normal, the clocks back to <see cref="PkiFixture.Now"/>.</summary>
    public void Reset()
    {
        Responders.Reset();
        Responders.Ocsp.Clock = Clock;
        Responders.Crl.Clock = Clock;
        Responders.Tsa.Clock = Clock;
    }

    public void Dispose() => Responders.Dispose();

    /// <summary>A loopback port nothing listens on (connection refused).</summary>
    public static int ClosedPort()
    {
        var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}

[CollectionDefinition("responders")]
public sealed class RespondersCollection : ICollectionFixture<RespondersFixture> { }

/// <summary>An endpoint that always answers the same bytes (a replayed OCSP or TSA response).</summary>
public sealed class FixedAnswer : ILoopbackEndpoint
{
    private int _requests;
    public FixedAnswer(string pathPrefix, string contentType, byte[] body) { PathPrefix = pathPrefix; ContentType = contentType; Body = body; }
    public string PathPrefix { get; }
    public string ContentType { get; }
    public byte[] Body { get; }
    public int RequestCount => _requests;

    public async Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        await LoopbackHttp.ReadBodyAsync(context.Request, cancellationToken);
        await LoopbackHttp.WriteAsync(context.Response, 200, ContentType, Body, cancellationToken);
    }
}
