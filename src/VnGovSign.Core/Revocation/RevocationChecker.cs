using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.X509;
using VnGovSign.Validation;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace VnGovSign.Revocation;

/// <summary>Revocation status of one certificate.</summary>
internal enum RevocationState { Good, Revoked, Unknown }

/// <summary>What revocation checking found for one certificate, and the data that proved it.</summary>
internal sealed class RevocationOutcome
{
    public RevocationState State { get; set; } = RevocationState.Unknown;
    public string Source { get; set; } = "none";
    public DateTimeOffset? RevocationTime { get; set; }
    public int? Reason { get; set; }
    public byte[]? OcspResponse { get; set; }
    public byte[]? Crl { get; set; }
    public List<ReportMessage> Messages { get; } = new();
    /// <summary>An answer about this certificate was obtained but could not be used (unknown, stale, badly signed,
    /// unauthorised responder, malformed bytes, wrong nonce). False when no service could be reached at all.</summary>
    public bool AnswerRejected { get; set; }
    /// <summary>No source gave any answer: every responder and CRL server failed at the transport level (refused,
    /// timeout, HTTP error, OCSP non-successful status), none was named, or offline mode had no data. Soft-fail applies only here.</summary>
    public bool Unavailable => State == RevocationState.Unknown && !AnswerRejected;
}

/// <summary>
/// OCSP first, CRL as fallback: supplied/embedded data, then the cache, then the network (unless offline).
/// OCSP answers must be signed by the issuing CA or by a responder it certified with id-kp-OCSPSigning;
/// CRLs by the issuing CA; both must be fresh (nextUpdate not passed).
/// </summary>
internal sealed class RevocationChecker
{
    private readonly ValidationPolicy _policy;
    private readonly RevocationHttp _http;
    private readonly RevocationCache _cache;
    private readonly TimeProvider _clock;

    public RevocationChecker(ValidationPolicy policy, RevocationHttp http, RevocationCache cache, TimeProvider clock)
    {
        _policy = policy; _http = http; _cache = cache; _clock = clock;
    }

    public async Task<RevocationOutcome> CheckAsync(X509Certificate2 certificate, X509Certificate2 issuer, DateTimeOffset at, ValidationData? embedded, CancellationToken ct)
    {
        var cert = CertificateInfo.ToBc(certificate);
        var ca = CertificateInfo.ToBc(issuer);
        var outcome = new RevocationOutcome();
        var name = CertificateInfo.SimpleName(certificate);

        // 1. Data supplied by the user or embedded in the signature.
        var supplied = new ValidationData();
        if (_policy.SuppliedData is { } s) supplied.Merge(s);
        if (embedded is not null) supplied.Merge(embedded);
        foreach (var der in supplied.OcspResponses)
            if (TryOcsp(der, cert, ca, at, null, true, "embedded", outcome, name, "embedded-ocsp")) return outcome;
        foreach (var der in supplied.Crls)
            if (TryCrl(der, cert, ca, at, true, "embedded", outcome, "embedded-crl")) return outcome;
        if (_policy.Revocation != RevocationMode.Online) return outcome;

        // 2. The cache (answers kept until their nextUpdate).
        var now = _clock.GetUtcNow();
        string key = "ocsp|" + Hex.Upper(Digests.Sha256(ca.CertificateStructure.SubjectPublicKeyInfo.GetEncoded())) + "|" + cert.SerialNumber.ToString(16);
        if (_cache.TryGet<byte[]>(key, now, out var cachedOcsp) && TryOcsp(cachedOcsp, cert, ca, at, null, false, "cache", outcome, name, "ocsp")) return outcome;

        // 3. OCSP responders named in the certificate.
        foreach (var raw in CertificateInfo.AiaUrls(cert, X509ObjectIdentifiers.IdADOcsp))
        {
            var url = _http.Rewrite(raw);
            var certId = new CertificateID(CertificateID.DigestSha1, ca, cert.SerialNumber);
            var gen = new OcspReqGenerator();
            gen.AddRequest(certId);
            byte[]? nonce = null;
            if (_policy.OcspNonce)
            {
                nonce = new byte[16];
                using (var rng = System.Security.Cryptography.RandomNumberGenerator.Create()) rng.GetBytes(nonce);
                gen.SetRequestExtensions(new X509Extensions(new Dictionary<DerObjectIdentifier, Org.BouncyCastle.Asn1.X509.X509Extension>
                {
                    [OcspObjectIdentifiers.PkixOcspNonce] = new Org.BouncyCastle.Asn1.X509.X509Extension(false, new DerOctetString(new DerOctetString(nonce).GetEncoded())),
                }));
            }
            var (body, error) = await _http.SendAsync(url, gen.Generate().GetEncoded(), "application/ocsp-request", ct).ConfigureAwait(false);
            if (body is null)
            {
                outcome.Messages.Add(new ReportMessage(ReportSeverity.Warning, MessageKeys.OcspUnavailable, url, error));
                continue;
            }
            if (TryOcsp(body, cert, ca, at, nonce, false, url, outcome, name, "ocsp"))
            {
                _cache.Set(key, body, now, NextUpdateOf(body));
                return outcome;
            }
        }

        // 4. CRLs named in the certificate.
        foreach (var raw in CertificateInfo.CrlUrls(cert))
        {
            var url = _http.Rewrite(raw);
            string crlKey = "crl|" + url;
            if (!_cache.TryGet<byte[]>(crlKey, now, out var crl))
            {
                var (body, error) = await _http.SendAsync(url, null, null, ct).ConfigureAwait(false);
                if (body is null)
                {
                    outcome.Messages.Add(new ReportMessage(ReportSeverity.Warning, MessageKeys.CrlUnavailable, url, error));
                    continue;
                }
                crl = DerOf(body);
            }
            if (TryCrl(crl, cert, ca, at, false, url, outcome, "crl"))
            {
                try { _cache.Set(crlKey, crl, now, new X509CrlParser().ReadCrl(crl).NextUpdate is { } n ? new DateTimeOffset(n.ToUniversalTime(), TimeSpan.Zero) : null); }
                catch (Exception) { /* cached only when readable */ }
                return outcome;
            }
        }
        return outcome;
    }

    private static byte[] DerOf(byte[] body)
    {
        var pem = Trust.CertificateFiles.PemBlocks(body, "X509 CRL");
        return pem.Count > 0 ? pem[0] : body;
    }

    private static DateTimeOffset? NextUpdateOf(byte[] ocsp)
    {
        try
        {
            var basic = (BasicOcspResp)new OcspResp(ocsp).GetResponseObject();
            var min = basic.Responses.Select(r => r.NextUpdate).Where(n => n is not null).Select(n => n!.Value).DefaultIfEmpty(DateTime.MinValue).Min();
            return min == DateTime.MinValue ? null : new DateTimeOffset(min.ToUniversalTime(), TimeSpan.Zero);
        }
        catch (Exception) { return null; }
    }

    /// <summary>Accepts a status that is fresh enough for <paramref name="at"/>; a revocation is accepted whatever its age.</summary>
    private bool Fresh(DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, DateTimeOffset at, bool supplied, bool isOcsp)
    {
        var skew = _policy.ClockSkew;
        if (supplied)
            // Issued after the validation time, or still current at it.
            return thisUpdate >= at - skew || (nextUpdate is { } n && n + skew >= at);
        var now = _clock.GetUtcNow();
        if (thisUpdate > now + skew) return false;
        if (nextUpdate is { } next) return next + skew >= now;
        return !isOcsp || thisUpdate >= now - _policy.MaxOcspAge;
    }

    private bool TryOcsp(byte[] der, BcCertificate cert, BcCertificate ca, DateTimeOffset at, byte[]? nonce, bool supplied, string from,
        RevocationOutcome outcome, string name, string source)
    {
        BasicOcspResp basic;
        try
        {
            var resp = new OcspResp(der);
            if (resp.Status != 0)
            {
                // tryLater, internalError…: the service is there but cannot answer — as unavailable as a refused connection.
                if (!supplied) outcome.Messages.Add(new ReportMessage(ReportSeverity.Warning, MessageKeys.OcspResponseInvalid, from, "responseStatus " + resp.Status));
                return false;
            }
            basic = (BasicOcspResp)resp.GetResponseObject();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (!supplied)
            {
                outcome.AnswerRejected = true;
                outcome.Messages.Add(new ReportMessage(ReportSeverity.Warning, MessageKeys.OcspResponseInvalid, from, e.Message));
            }
            return false;
        }
        SingleResp? single = null;
        foreach (var r in basic.Responses)
        {
            var id = r.GetCertID();
            bool matches;
            try { matches = id.SerialNumber.Equals(cert.SerialNumber) && id.MatchesIssuer(ca); }
            catch (Exception) { matches = false; }
            if (matches) { single = r; break; }
        }
        if (single is null) return false; // an answer about another certificate (normal for supplied data)

        // Who signed: the CA itself, or a responder the CA certified for OCSP signing.
        bool signedOk;
        string signerName;
        string verifiedKey = VerifiedKey("ocsp", der, ca);
        try
        {
            if (Verified.ContainsKey(verifiedKey)) signedOk = true; // these bytes were verified against this CA before
            else if (basic.ResponderId.Equals(new RespID(ca.SubjectDN)) || basic.ResponderId.Equals(new RespID(ca.GetPublicKey())))
            {
                signerName = ca.SubjectDN.ToString();
                signedOk = basic.Verify(ca.GetPublicKey());
            }
            else
            {
                var responder = basic.GetCertificates()?.EnumerateMatches(null).Select(CertificateInfo.Cached)
                    .FirstOrDefault<BcCertificate>(c => basic.ResponderId.Equals(new RespID(c.SubjectDN)) || basic.ResponderId.Equals(new RespID(c.GetPublicKey())));
                signerName = responder?.SubjectDN.ToString() ?? "?";
                if (responder is null || !IssuedBy(responder, ca) || !CertificateInfo.HasEku(responder, CertificateInfo.OcspSigningOid, out _)
                    || !responder.IsValid(basic.ProducedAt))
                {
                    outcome.AnswerRejected = true;
                    outcome.Messages.Add(new ReportMessage(ReportSeverity.Warning, MessageKeys.OcspUnauthorized, from, signerName));
                    return false;
                }
                signedOk = basic.Verify(responder.GetPublicKey());
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            outcome.AnswerRejected = true;
            outcome.Messages.Add(new ReportMessage(ReportSeverity.Warning, MessageKeys.OcspResponseInvalid, from, e.Message));
            return false;
        }
        if (!signedOk)
        {
            outcome.AnswerRejected = true;
            outcome.Messages.Add(new ReportMessage(ReportSeverity.Warning, MessageKeys.OcspResponseInvalid, from, "signature"));
            return false;
        }
        Remember(verifiedKey);
        if (nonce is not null && basic.GetExtensionValue(OcspObjectIdentifiers.PkixOcspNonce) is { } echoed)
        {
            var inner = Asn1OctetString.GetInstance(Asn1Object.FromByteArray(echoed.GetOctets())).GetOctets();
            if (!inner.AsSpan().SequenceEqual(nonce))
            {
                outcome.AnswerRejected = true;
                outcome.Messages.Add(new ReportMessage(ReportSeverity.Warning, MessageKeys.OcspResponseInvalid, from, "nonce"));
                return false;
            }
        }

        var status = single.GetCertStatus();
        var thisUpdate = new DateTimeOffset(single.ThisUpdate.ToUniversalTime(), TimeSpan.Zero);
        DateTimeOffset? nextUpdate = single.NextUpdate is { } nu ? new DateTimeOffset(nu.ToUniversalTime(), TimeSpan.Zero) : null;
        if (status is RevokedStatus revoked)
        {
            outcome.State = RevocationState.Revoked;
            outcome.RevocationTime = new DateTimeOffset(revoked.RevocationTime.ToUniversalTime(), TimeSpan.Zero);
            outcome.Reason = revoked.HasRevocationReason ? revoked.RevocationReason : null;
            outcome.Source = source; outcome.OcspResponse = der;
            return true;
        }
        if (status is UnknownStatus)
        {
            outcome.AnswerRejected = true;
            outcome.Messages.Add(new ReportMessage(ReportSeverity.Warning, MessageKeys.OcspStatusUnknown, from, name));
            return false;
        }
        if (!Fresh(thisUpdate, nextUpdate, at, supplied, isOcsp: true))
        {
            outcome.AnswerRejected = true;
            outcome.Messages.Add(new ReportMessage(ReportSeverity.Warning, MessageKeys.OcspStale, from, thisUpdate.UtcDateTime, (nextUpdate ?? thisUpdate).UtcDateTime));
            return false;
        }
        outcome.State = RevocationState.Good;
        outcome.Source = source; outcome.OcspResponse = der;
        return true;
    }

    private bool TryCrl(byte[] der, BcCertificate cert, BcCertificate ca, DateTimeOffset at, bool supplied, string from, RevocationOutcome outcome, string source)
    {
        X509Crl crl;
        try { crl = new X509CrlParser().ReadCrl(der) ?? throw new IOException("empty"); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (!supplied) outcome.AnswerRejected = true; // a supplied file may simply be another CA's
            outcome.Messages.Add(new ReportMessage(ReportSeverity.Warning, MessageKeys.CrlInvalid, from, e.Message));
            return false;
        }
        if (!crl.IssuerDN.Equivalent(ca.SubjectDN, true)) return false; // another CA's CRL
        if (crl.GetExtensionValue(X509Extensions.DeltaCrlIndicator) is not null) return false; // delta CRLs: not used
        string crlKey = VerifiedKey("crl", der, ca);
        try { if (!Verified.ContainsKey(crlKey)) { crl.Verify(ca.GetPublicKey()); Remember(crlKey); } }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            outcome.AnswerRejected = true;
            outcome.Messages.Add(new ReportMessage(ReportSeverity.Warning, MessageKeys.CrlInvalid, from, "signature: " + e.Message));
            return false;
        }
        var entry = crl.GetRevokedCertificate(cert.SerialNumber);
        if (entry is not null)
        {
            int? reason = null;
            try
            {
                if (entry.GetExtensionValue(X509Extensions.ReasonCode) is { } rc)
                    reason = DerEnumerated.GetInstance(Asn1Object.FromByteArray(rc.GetOctets())).IntValueExact;
            }
            catch (Exception) { /* reason is informative only */ }
            if (reason != CrlReason.RemoveFromCrl)
            {
                outcome.State = RevocationState.Revoked;
                outcome.RevocationTime = new DateTimeOffset(entry.RevocationDate.ToUniversalTime(), TimeSpan.Zero);
                outcome.Reason = reason;
                outcome.Source = source; outcome.Crl = der;
                return true;
            }
        }
        var thisUpdate = new DateTimeOffset(crl.ThisUpdate.ToUniversalTime(), TimeSpan.Zero);
        DateTimeOffset? nextUpdate = crl.NextUpdate is { } n ? new DateTimeOffset(n.ToUniversalTime(), TimeSpan.Zero) : null;
        if (!Fresh(thisUpdate, nextUpdate, at, supplied, isOcsp: false))
        {
            outcome.AnswerRejected = true;
            outcome.Messages.Add(new ReportMessage(ReportSeverity.Warning, MessageKeys.CrlStale, from, (nextUpdate ?? thisUpdate).UtcDateTime));
            return false;
        }
        outcome.State = RevocationState.Good;
        outcome.Source = source; outcome.Crl = der;
        return true;
    }

    // Signature checks of OCSP responses and CRLs already verified against the same CA (a cached answer is
    // used again and again); only successes are remembered. Freshness and status are judged at every use.
    private const int MaxVerified = 4096;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Verified = new(StringComparer.Ordinal);

    private static string VerifiedKey(string kind, byte[] der, BcCertificate ca) =>
        kind + "|" + Convert.ToBase64String(Digests.Sha256(der)) + "|" + Convert.ToBase64String(Digests.Sha256(ca.GetEncoded()));

    private static void Remember(string key)
    {
        if (Verified.Count >= MaxVerified) Verified.Clear();
        Verified[key] = true;
    }

    private static bool IssuedBy(BcCertificate child, BcCertificate issuer)
    {
        if (!child.IssuerDN.Equivalent(issuer.SubjectDN, true)) return false;
        try { child.Verify(issuer.GetPublicKey()); return true; }
        catch (Exception) { return false; }
    }
}
