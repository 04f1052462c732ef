using System.Net;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Tsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tsp;
using Org.BouncyCastle.Utilities.Collections;
using VnGovSign.Testing.Http;
using BcAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace VnGovSign.Testing.Responders;

/// <summary>
/// An RFC 3161 timestamp authority for a <see cref="TestPki"/> (POST application/timestamp-query).
/// Tokens are signed by the PKI's TSA (SHA-256, signing-certificate-v2, nonce echoed, certificates
/// included when certReq is set). Switches make it slow, fail, answer malformed bytes, reject, stamp
/// the wrong imprint, or sign with a certificate lacking id-kp-timeStamping.
/// </summary>
public sealed class TsaResponder : ILoopbackEndpoint
{
    /// <summary>The TSA policy OID written into tokens (a test arc).</summary>
    public const string PolicyOid = "1.3.6.1.4.1.99999.3161.1";

    private readonly TestPki _pki;
    private readonly SecureRandom _random = new();
    private long _serial = 1;
    private int _requests;

    /// <summary>Creates a TSA for <paramref name="pki"/> at <paramref name="pathPrefix"/>.</summary>
    public TsaResponder(TestPki pki, string pathPrefix = "/tsa", TimeProvider? clock = null)
    {
        _pki = pki ?? throw new ArgumentNullException(nameof(pki));
        PathPrefix = pathPrefix;
        Clock = clock ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string PathPrefix { get; }
    /// <summary>The clock for genTime.</summary>
    public TimeProvider Clock { get; set; }
    /// <summary>Normal, slow, failing or malformed.</summary>
    public ResponderBehavior Behavior { get; set; }
    /// <summary>The delay of <see cref="ResponderBehavior.Slow"/>.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>What the token says.</summary>
    public TsaAnswer Answer { get; set; }
    /// <summary>Answer HTTP 500 to this many requests first, then normally (for bounded-retry tests).</summary>
    public int FailFirst { get; set; }
    /// <summary>Requests received.</summary>
    public int RequestCount => _requests;

    /// <summary>Resets every switch to its default.</summary>
    public void Reset() { Behavior = ResponderBehavior.Normal; Answer = TsaAnswer.Normal; FailFirst = 0; Delay = TimeSpan.FromSeconds(5); }

    /// <inheritdoc />
    public async Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        int n = Interlocked.Increment(ref _requests);
        var body = await LoopbackHttp.ReadBodyAsync(context.Request, cancellationToken).ConfigureAwait(false);
        if (n <= FailFirst) { context.Response.StatusCode = 500; return; }
        switch (Behavior)
        {
            case ResponderBehavior.Fail: context.Response.StatusCode = 500; return;
            case ResponderBehavior.Malformed:
                await LoopbackHttp.WriteAsync(context.Response, 200, "application/timestamp-reply", new byte[] { 0x30, 0x84, 0x01 }, cancellationToken).ConfigureAwait(false);
                return;
            case ResponderBehavior.Slow:
                try { await Task.Delay(Delay, cancellationToken).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
                break;
        }
        await LoopbackHttp.WriteAsync(context.Response, 200, "application/timestamp-reply", Respond(body), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Answers a DER TimeStampReq with a DER TimeStampResp (usable without HTTP).</summary>
    public byte[] Respond(byte[] requestDer)
    {
        TimeStampReq req;
        try { req = TimeStampReq.GetInstance(Asn1Object.FromByteArray(requestDer)); }
        catch (Exception) { return Failure(PkiFailureInfo.BadDataFormat); }
        if (Answer == TsaAnswer.Rejection) return Failure(PkiFailureInfo.SystemFailure);

        var imprint = req.MessageImprint;
        if (Answer == TsaAnswer.WrongImprint)
        {
            var wrong = (byte[])imprint.GetHashedMessage().Clone();
            wrong[0] ^= 0xFF;
            imprint = new MessageImprint(imprint.HashAlgorithm, wrong);
        }
        var signer = Answer == TsaAnswer.NoTimestampingEku ? _pki.Leader : _pki.Tsa;
        var genTime = Clock.GetUtcNow();
        var genTimeUtc = new DateTime(genTime.UtcTicks - genTime.UtcTicks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        var info = new TstInfo(new DerObjectIdentifier(PolicyOid), imprint, DerInteger.ValueOf(Interlocked.Increment(ref _serial)),
            new Asn1GeneralizedTime(genTimeUtc), null, null, req.Nonce,
            new GeneralName(signer.BcCertificate.SubjectDN), null);

        var essCertId = new EssCertIDv2(DigestUtilities.CalculateDigest("SHA256", signer.BcCertificate.GetEncoded()),
            new IssuerSerial(new GeneralNames(new GeneralName(signer.BcCertificate.IssuerDN)), new DerInteger(signer.BcCertificate.SerialNumber)));
        var attrs = new Org.BouncyCastle.Asn1.Cms.AttributeTable(new Asn1EncodableVector(
            new BcAttribute(PkcsObjectIdentifiers.IdAASigningCertificateV2, new DerSet(new SigningCertificateV2(new[] { essCertId })))));
        var gen = new CmsSignedDataGenerator(_random);
        gen.AddSigner(signer.PrivateKey, signer.BcCertificate, CmsSignedGenerator.DigestSha256, attrs, null);
        if (req.CertReq?.IsTrue == true)
            gen.AddCertificates(CollectionUtilities.CreateStore(new BcCertificate[] { signer.BcCertificate, _pki.SubCa.BcCertificate }));
        CmsSignedData sd;
        lock (_random)
            sd = gen.Generate(new CmsProcessableByteArray(PkcsObjectIdentifiers.IdCTTstInfo, info.GetEncoded(Asn1Encodable.Der)), true);
        var token = Org.BouncyCastle.Asn1.Cms.ContentInfo.GetInstance(Asn1Object.FromByteArray(sd.GetEncoded(Asn1Encodable.Der)));
        return new TimeStampResp(new PkiStatusInfo((int)PkiStatus.Granted), token).GetEncoded(Asn1Encodable.Der);
    }

    private static byte[] Failure(int failInfo) =>
        new TimeStampResp(new PkiStatusInfo((int)PkiStatus.Rejection, null, new PkiFailureInfo(failInfo)), null).GetEncoded(Asn1Encodable.Der);
}
