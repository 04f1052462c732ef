using System.Net;
using System.Net.Sockets;
using VnGovSign.Testing.Http;

namespace VnGovSign.Testing.Responders;

/// <summary>
/// A test PKI's OCSP, CRL, CA-certificate and TSA endpoints on one <see cref="LoopbackServer"/>
/// listening on the port of the PKI's base URL (the certificates name their URLs under it).
/// <code>
/// using var responders = TestResponders.CreateAndStart(new TestPkiOptions { Seed = 7 });
/// var tsa = new Rfc3161Client(responders.TsaUri);   // VnGovSign.Timestamps
/// responders.Ocsp.Answer = OcspAnswer.Unknown;      // switch behaviours per test
/// </code>
/// </summary>
public sealed class TestResponders : IDisposable
{
    private TestResponders(TestPki pki, LoopbackServer server, OcspResponder ocsp, CrlResponder crl, TsaResponder tsa)
    {
        Pki = pki; Server = server; Ocsp = ocsp; Crl = crl; Tsa = tsa;
    }

    /// <summary>The PKI served.</summary>
    public TestPki Pki { get; }
    /// <summary>The HTTP server (127.0.0.1 only).</summary>
    public LoopbackServer Server { get; }
    /// <summary>The OCSP responder at BASE/ocsp.</summary>
    public OcspResponder Ocsp { get; }
    /// <summary>The CRL endpoint at BASE/crl/ (and CA certificates at BASE/certs/).</summary>
    public CrlResponder Crl { get; }
    /// <summary>The TSA at BASE/tsa.</summary>
    public TsaResponder Tsa { get; }

    /// <summary>The base URL (equal to the PKI's).</summary>
    public string BaseUrl => Pki.BaseUrl;
    /// <summary>The OCSP URL.</summary>
    public string OcspUrl => Pki.OcspUrl;
    /// <summary>The TSA URL.</summary>
    public string TsaUrl => Pki.TsaUrl;
    /// <summary>The TSA URL as a <see cref="Uri"/>.</summary>
    public Uri TsaUri => new(Pki.TsaUrl);

    /// <summary>Picks a free loopback port, creates a PKI whose URLs point at it, and starts its responders there.</summary>
    /// <param name="options">PKI options; their BaseUrl is replaced by the chosen port's.</param>
    /// <param name="clock">Clock of the responders (thisUpdate, genTime); system clock when null.</param>
    public static TestResponders CreateAndStart(TestPkiOptions? options = null, TimeProvider? clock = null)
    {
        options ??= new TestPkiOptions();
        for (int attempt = 0; ; attempt++)
        {
            int port = FreePort();
            var pki = TestPki.Create(options with { BaseUrl = "http://127.0.0.1:" + port });
            try { return Start(pki, clock); }
            catch (HttpListenerException) when (attempt < 3) { /* the port was taken meanwhile: try another */ }
        }
    }

    /// <summary>Starts the responders of <paramref name="pki"/> on the port of its base URL (which must be http://127.0.0.1:PORT).</summary>
    /// <exception cref="HttpListenerException">The port is in use.</exception>
    public static TestResponders Start(TestPki pki, TimeProvider? clock = null)
    {
        var ocsp = new OcspResponder(pki, clock: clock);
        var crl = new CrlResponder(pki, clock);
        var tsa = new TsaResponder(pki, clock: clock);
        var server = LoopbackServer.Start(PortOf(pki), ocsp, crl, crl.CertificatesEndpoint, tsa);
        return new TestResponders(pki, server, ocsp, crl, tsa);
    }

    /// <summary>The endpoints for a PKI (what <c>vngovsign pki serve</c> mounts).</summary>
    public static IEnumerable<ILoopbackEndpoint> Endpoints(TestPki pki, TimeProvider? clock = null)
    {
        var crl = new CrlResponder(pki, clock);
        return new ILoopbackEndpoint[] { new OcspResponder(pki, clock: clock), crl, crl.CertificatesEndpoint, new TsaResponder(pki, clock: clock) };
    }

    /// <summary>The port of a PKI's base URL.</summary>
    public static int PortOf(TestPki pki)
    {
        var uri = new Uri(pki.BaseUrl);
        return uri.IsDefaultPort ? 80 : uri.Port;
    }

    /// <summary>Resets every responder switch to normal.</summary>
    public void Reset() { Ocsp.Reset(); Crl.Reset(); Tsa.Reset(); }

    /// <summary>Stops the server.</summary>
    public void Dispose() => Server.Dispose();

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
