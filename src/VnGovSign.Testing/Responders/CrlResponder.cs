using System.Net;
using VnGovSign.Testing.Http;

namespace VnGovSign.Testing.Responders;

/// <summary>
/// Serves a <see cref="TestPki"/>'s CRLs (/crl/root.crl, /crl/ca.crl, freshly signed on each request)
/// and its CA certificates (/certs/root.cer, /certs/ca.cer, for AIA caIssuers). Switches make the CRLs
/// stale, the server slow or failing, or the bytes malformed.
/// </summary>
public sealed class CrlResponder : ILoopbackEndpoint
{
    private readonly TestPki _pki;
    private int _requests;

    /// <summary>Creates the CRL endpoint (mount it; it also answers under /certs/ through <see cref="CertificatesEndpoint"/>).</summary>
    public CrlResponder(TestPki pki, TimeProvider? clock = null)
    {
        _pki = pki ?? throw new ArgumentNullException(nameof(pki));
        Clock = clock ?? TimeProvider.System;
        CertificatesEndpoint = new CertificateEndpoint(pki);
    }

    /// <inheritdoc />
    public string PathPrefix => "/crl/";
    /// <summary>The clock for thisUpdate.</summary>
    public TimeProvider Clock { get; set; }
    /// <summary>Normal, slow, failing or malformed.</summary>
    public ResponderBehavior Behavior { get; set; }
    /// <summary>The delay of <see cref="ResponderBehavior.Slow"/>.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Serve CRLs whose nextUpdate has passed (thisUpdate 14 days ago, nextUpdate 7 days ago).</summary>
    public bool Stale { get; set; }
    /// <summary>Requests answered.</summary>
    public int RequestCount => _requests;
    /// <summary>The /certs/ endpoint (root.cer, ca.cer).</summary>
    public ILoopbackEndpoint CertificatesEndpoint { get; }

    /// <summary>Resets every switch to its default.</summary>
    public void Reset() { Behavior = ResponderBehavior.Normal; Stale = false; Delay = TimeSpan.FromSeconds(5); }

    /// <summary>The CRL of <paramref name="caName"/> ("root" or "ca") as the switches make it now.</summary>
    public byte[] CurrentCrl(string caName)
    {
        var issuer = caName == "root" ? _pki.Root : _pki.SubCa;
        var now = Clock.GetUtcNow();
        lock (_pki)
            return Stale ? _pki.CreateCrl(issuer, now.AddDays(-14), now.AddDays(-7)) : _pki.CreateCrl(issuer, now.AddMinutes(-1), now.AddDays(7));
    }

    /// <inheritdoc />
    public async Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var name = (context.Request.Url?.AbsolutePath ?? "").Substring(PathPrefix.Length);
        if (name != "root.crl" && name != "ca.crl") { context.Response.StatusCode = 404; return; }
        switch (Behavior)
        {
            case ResponderBehavior.Fail: context.Response.StatusCode = 500; return;
            case ResponderBehavior.Malformed:
                await LoopbackHttp.WriteAsync(context.Response, 200, "application/pkix-crl", new byte[] { 0x30, 0x03, 0x02 }, cancellationToken).ConfigureAwait(false);
                return;
            case ResponderBehavior.Slow:
                try { await Task.Delay(Delay, cancellationToken).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
                break;
        }
        await LoopbackHttp.WriteAsync(context.Response, 200, "application/pkix-crl", CurrentCrl(name.Substring(0, name.Length - 4)), cancellationToken).ConfigureAwait(false);
    }

    private sealed class CertificateEndpoint : ILoopbackEndpoint
    {
        private readonly TestPki _pki;
        public CertificateEndpoint(TestPki pki) => _pki = pki;
        public string PathPrefix => "/certs/";
        public Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
        {
            var name = (context.Request.Url?.AbsolutePath ?? "").Substring(PathPrefix.Length);
            var cert = name switch { "root.cer" => _pki.Root, "ca.cer" => _pki.SubCa, _ => null };
            if (cert is null) { context.Response.StatusCode = 404; return Task.CompletedTask; }
            return LoopbackHttp.WriteAsync(context.Response, 200, "application/pkix-cert", cert.Certificate.RawData, cancellationToken);
        }
    }
}
