using System.Net;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Security;
using VnGovSign.Testing.Http;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace VnGovSign.Testing.Responders;

/// <summary>
/// An RFC 6960 OCSP responder for a <see cref="TestPki"/> (POST and GET), answering for certificates
/// issued by its root and sub-CA. Switches make it answer good/revoked/unknown, sign with an
/// unauthorised key, be slow, fail or return malformed bytes.
/// </summary>
public sealed class OcspResponder : ILoopbackEndpoint
{
    private readonly TestPki _pki;
    private readonly SecureRandom _random = new();
    private int _requests;

    /// <summary>Creates a responder for <paramref name="pki"/> at <paramref name="pathPrefix"/>.</summary>
    public OcspResponder(TestPki pki, string pathPrefix = "/ocsp", TimeProvider? clock = null)
    {
        _pki = pki ?? throw new ArgumentNullException(nameof(pki));
        PathPrefix = pathPrefix;
        Clock = clock ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string PathPrefix { get; }
    /// <summary>The clock for thisUpdate/producedAt.</summary>
    public TimeProvider Clock { get; set; }
    /// <summary>Normal, slow, failing or malformed.</summary>
    public ResponderBehavior Behavior { get; set; }
    /// <summary>The delay of <see cref="ResponderBehavior.Slow"/>.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>What status to answer.</summary>
    public OcspAnswer Answer { get; set; }
    /// <summary>Who signs.</summary>
    public OcspResponderKey Signer { get; set; }
    /// <summary>How long an answer stays fresh (nextUpdate − thisUpdate); null: no nextUpdate.</summary>
    public TimeSpan? Validity { get; set; } = TimeSpan.FromHours(12);
    /// <summary>Shifts thisUpdate (negative: an old answer, for staleness tests).</summary>
    public TimeSpan Age { get; set; } = TimeSpan.Zero;
    /// <summary>Echo the request's nonce (true) or leave it out.</summary>
    public bool EchoNonce { get; set; } = true;
    /// <summary>Requests answered.</summary>
    public int RequestCount => _requests;

    /// <summary>Resets every switch to its default.</summary>
    public void Reset()
    {
        Behavior = ResponderBehavior.Normal; Answer = OcspAnswer.Actual; Signer = OcspResponderKey.Delegated;
        Validity = TimeSpan.FromHours(12); Age = TimeSpan.Zero; EchoNonce = true; Delay = TimeSpan.FromSeconds(5);
    }

    /// <inheritdoc />
    public async Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        byte[] body;
        if (context.Request.HttpMethod == "GET")
        {
            var rest = Uri.UnescapeDataString((context.Request.Url?.AbsolutePath ?? "").Substring(PathPrefix.Length).TrimStart('/'));
            try { body = Convert.FromBase64String(rest); }
            catch (FormatException) { context.Response.StatusCode = 400; return; }
        }
        else body = await LoopbackHttp.ReadBodyAsync(context.Request, cancellationToken).ConfigureAwait(false);

        switch (Behavior)
        {
            case ResponderBehavior.Fail: context.Response.StatusCode = 500; return;
            case ResponderBehavior.Malformed:
                await LoopbackHttp.WriteAsync(context.Response, 200, "application/ocsp-response", new byte[] { 0x30, 0x82, 0x05, 0x00, 0x0A, 0x01 }, cancellationToken).ConfigureAwait(false);
                return;
            case ResponderBehavior.Slow:
                try { await Task.Delay(Delay, cancellationToken).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
                break;
        }
        byte[] answer = Respond(body);
        await LoopbackHttp.WriteAsync(context.Response, 200, "application/ocsp-response", answer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers a DER OCSPRequest with a DER OCSPResponse (usable without HTTP).</summary>
    public byte[] Respond(byte[] requestDer)
    {
        OcspReq request;
        try { request = new OcspReq(requestDer); }
        catch (Exception) { return new OCSPRespGenerator().Generate(OCSPRespGenerator.MalformedRequest, null).GetEncoded(); }
        var items = request.GetRequestList();
        if (items.Length == 0) return new OCSPRespGenerator().Generate(OCSPRespGenerator.MalformedRequest, null).GetEncoded();

        var now = Clock.GetUtcNow();
        var thisUpdate = now.Add(Age);
        // All requests of one OCSPRequest are for one issuer in practice; the first decides who signs.
        var issuer = IssuerOf(items[0].GetCertID());
        if (issuer is null) return new OCSPRespGenerator().Generate(OCSPRespGenerator.Unauthorized, null).GetEncoded();

        TestIdentity signer = Signer switch
        {
            OcspResponderKey.Ca => issuer,
            OcspResponderKey.Unauthorized => _pki.Leader,
            _ => ReferenceEquals(issuer, _pki.SubCa) ? _pki.Ocsp : issuer,
        };
        var gen = new BasicOcspRespGenerator(new RespID(signer.BcCertificate.SubjectDN));
        foreach (var item in items)
        {
            var id = item.GetCertID();
            CertificateStatus? status = StatusOf(id, IssuerOf(id));
            gen.AddResponse(id, status, thisUpdate.UtcDateTime, Validity is { } v ? thisUpdate.Add(v).UtcDateTime : null, null);
        }
        var nonce = request.GetExtensionValue(OcspObjectIdentifiers.PkixOcspNonce);
        if (EchoNonce && nonce is not null)
        {
            gen.SetResponseExtensions(new X509Extensions(new Dictionary<DerObjectIdentifier, X509Extension>
            {
                [OcspObjectIdentifiers.PkixOcspNonce] = new X509Extension(false, nonce),
            }));
        }
        BcCertificate[] chain = ReferenceEquals(signer, issuer) ? new[] { signer.BcCertificate } : new[] { signer.BcCertificate };
        BasicOcspResp basic;
        lock (_random)
            basic = gen.Generate(new Asn1SignatureFactory("SHA256WITHRSA", signer.PrivateKey, _random), chain, now.UtcDateTime);
        return new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic).GetEncoded();
    }

    private TestIdentity? IssuerOf(CertificateID id)
    {
        foreach (var ca in new[] { _pki.SubCa, _pki.Root })
            if (id.MatchesIssuer(ca.BcCertificate)) return ca;
        return null;
    }

    private CertificateStatus? StatusOf(CertificateID id, TestIdentity? issuer)
    {
        var now = Clock.GetUtcNow();
        switch (Answer)
        {
            case OcspAnswer.Good: return CertificateStatus.Good;
            case OcspAnswer.Unknown: return new UnknownStatus();
            case OcspAnswer.Revoked:
                var known = _pki.RevokedSerials.FirstOrDefault(r => r.Serial.Equals(id.SerialNumber));
                return new RevokedStatus((known.Serial is null ? now.AddHours(-1) : known.Time).UtcDateTime, CrlReason.KeyCompromise);
        }
        if (issuer is null) return new UnknownStatus();
        if (ReferenceEquals(issuer, _pki.SubCa))
            foreach (var (serial, time) in _pki.RevokedSerials)
                if (serial.Equals(id.SerialNumber)) return new RevokedStatus(time.UtcDateTime, CrlReason.KeyCompromise);
        return CertificateStatus.Good;
    }
}
