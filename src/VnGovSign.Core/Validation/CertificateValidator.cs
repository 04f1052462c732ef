using System.Collections.Concurrent;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkix;
using VnGovSign.Revocation;
using VnGovSign.Trust;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using BcTrustAnchor = Org.BouncyCastle.Pkix.TrustAnchor;
using TrustAnchor = VnGovSign.Trust.TrustAnchor;

namespace VnGovSign.Validation;

/// <summary>
/// Builds a certificate's path to a trust anchor and validates it at a given time: RFC 5280 §6 (on
/// BouncyCastle's PKIX, revocation off: signatures, validity, basic constraints and path length, key
/// usage of CAs, name constraints, certificate policies, critical extensions), the purpose of the end
/// certificate (signing, timestamping, OCSP signing), then revocation of every non-anchor certificate
/// (OCSP first, CRL as fallback; supplied data first; cache; offline and soft/hard-fail per policy).
/// Missing issuers are fetched from AIA caIssuers when the policy allows.
/// </summary>
public sealed class CertificateValidator
{
    private const int MaxDepth = 10;
    private readonly RevocationHttp _http;
    private readonly RevocationChecker _revocation;
    private readonly RevocationCache _cache;
    private readonly ConcurrentDictionary<(string Child, string Issuer), bool> _signatureCache = new();

    /// <summary>Creates a validator over a trust store and a policy.</summary>
    public CertificateValidator(TrustStore trust, ValidationPolicy? policy = null)
        : this(trust, policy, null) { }

    /// <summary>Creates a validator with an HTTP client for OCSP/CRL/AIA, a revocation cache (a new one when null) and a clock.</summary>
    public CertificateValidator(TrustStore trust, ValidationPolicy? policy, HttpClient? http, RevocationCache? cache = null, TimeProvider? clock = null)
    {
        Trust = trust ?? throw new ArgumentNullException(nameof(trust));
        Policy = policy ?? ValidationPolicy.Default;
        Clock = clock ?? TimeProvider.System;
        _cache = cache ?? new RevocationCache();
        _http = new RevocationHttp(http, Policy);
        _revocation = new RevocationChecker(Policy, _http, _cache, Clock);
    }

    /// <summary>The trust store.</summary>
    public TrustStore Trust { get; }
    /// <summary>The policy.</summary>
    public ValidationPolicy Policy { get; }
    /// <summary>The clock ("now" for freshness of revocation data).</summary>
    public TimeProvider Clock { get; }
    /// <summary>The revocation cache in use.</summary>
    public RevocationCache Cache => _cache;

    /// <summary>Validates <paramref name="certificate"/> at <paramref name="at"/>.</summary>
    /// <param name="certificate">The end-entity certificate.</param>
    /// <param name="at">The validation time (signing time or timestamp time for past signatures).</param>
    /// <param name="extraCertificates">Certificates found in the signature, used to complete the path.</param>
    /// <param name="usage">What the certificate must be good for.</param>
    /// <param name="supplied">Embedded or supplied revocation data.</param>
    /// <param name="cancellationToken">Cancels network fetches.</param>
    public async Task<CertificateValidationResult> ValidateAsync(X509Certificate2 certificate, DateTimeOffset at,
        IEnumerable<X509Certificate2>? extraCertificates = null, CertificateUsage usage = CertificateUsage.Signing,
        ValidationData? supplied = null, CancellationToken cancellationToken = default)
    {
        if (certificate is null) throw new ArgumentNullException(nameof(certificate));
        var result = new CertificateValidationResult();
        var pool = new List<X509Certificate2>();
        void AddToPool(X509Certificate2 c) { if (!pool.Any(p => p.RawData.AsSpan().SequenceEqual(c.RawData))) pool.Add(c); }
        foreach (var a in Trust.Anchors) AddToPool(a.Certificate);
        foreach (var c in extraCertificates ?? Array.Empty<X509Certificate2>()) AddToPool(c);
        foreach (var c in Trust.Intermediates) AddToPool(c);
        if (supplied is not null)
            foreach (var der in supplied.Certificates)
                try { AddToPool(new X509Certificate2(der)); } catch (System.Security.Cryptography.CryptographicException) { /* skip unreadable */ }

        var path = await BuildPathAsync(certificate, pool, result, cancellationToken).ConfigureAwait(false);
        foreach (var c in path) result.Path.Add(c);
        var anchor = Trust.FindAnchor(path[path.Count - 1]);
        result.Anchor = anchor;
        foreach (var c in path)
        {
            var r = CertificateReport.From(c);
            r.TrustAnchor = Trust.FindAnchor(c)?.Name;
            result.Certificates.Add(r);
        }
        foreach (var c in path) result.DataUsed.Certificates.Add(c.RawData);

        if (anchor is null)
        {
            var last = path[path.Count - 1];
            var lastBc = Bc(last);
            bool selfSigned = lastBc.IssuerDN.Equivalent(lastBc.SubjectDN, true) && Verifies(last, last);
            result.Degrade(Indication.Indeterminate, SubIndication.NoCertificateChainFound);
            result.Messages.Add(selfSigned
                ? new ReportMessage(ReportSeverity.Error, MessageKeys.UntrustedRoot, certificate.Subject, last.Subject)
                : new ReportMessage(ReportSeverity.Error, MessageKeys.UnknownIssuer, last.Subject, last.Issuer));
            result.Messages.Add(new ReportMessage(ReportSeverity.Error, MessageKeys.NoChain, certificate.Subject));
            CheckPurpose(certificate, usage, result);
            return result;
        }

        bool validityFailed = CheckValidity(path, at, result);
        RunPkix(path, at, validityFailed, result);
        CheckPurpose(certificate, usage, result);
        await CheckRevocationAsync(path, at, usage, supplied, result, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private static BcCertificate Bc(X509Certificate2 c) => CertificateInfo.ToBc(c);

    private bool Verifies(X509Certificate2 child, X509Certificate2 issuer) =>
        _signatureCache.GetOrAdd((child.Thumbprint, issuer.Thumbprint), _ =>
        {
            try { Bc(child).Verify(Bc(issuer).GetPublicKey()); return true; }
            catch (Exception) { return false; }
        });

    private bool IsIssuer(X509Certificate2 child, X509Certificate2 candidate)
    {
        var c = Bc(child); var i = Bc(candidate);
        return c.IssuerDN.Equivalent(i.SubjectDN, true) && Verifies(child, candidate);
    }

    /// <summary>Depth-first search for a path to an anchor; returns the path found or the longest partial one.</summary>
    private async Task<List<X509Certificate2>> BuildPathAsync(X509Certificate2 leaf, List<X509Certificate2> pool, CertificateValidationResult result, CancellationToken ct)
    {
        var best = new List<X509Certificate2> { leaf };
        var fetched = new HashSet<string>(StringComparer.Ordinal);
        async Task<List<X509Certificate2>?> Search(List<X509Certificate2> path)
        {
            var current = path[path.Count - 1];
            if (Trust.FindAnchor(current) is not null) return path;
            if (path.Count > best.Count) best = path;
            if (path.Count >= MaxDepth) return null;
            var candidates = pool.Where(c => !path.Any(p => p.RawData.AsSpan().SequenceEqual(c.RawData)) && IsIssuer(current, c))
                .OrderBy(c => Trust.FindAnchor(c) is null ? 1 : 0).ToList();
            if (candidates.Count == 0 && Policy.Revocation == RevocationMode.Online && Policy.FetchMissingIssuers)
            {
                foreach (var raw in CertificateInfo.AiaUrls(Bc(current), X509ObjectIdentifiers.IdADCAIssuers))
                {
                    var url = _http.Rewrite(raw);
                    if (!fetched.Add(url)) continue;
                    foreach (var c in await FetchIssuerAsync(url, ct).ConfigureAwait(false))
                        if (!pool.Any(p => p.RawData.AsSpan().SequenceEqual(c.RawData)) && IsIssuer(current, c))
                        {
                            pool.Add(c);
                            candidates.Add(c);
                            result.Messages.Add(new ReportMessage(ReportSeverity.Info, MessageKeys.IssuerFetched, c.Subject, url));
                        }
                }
            }
            foreach (var c in candidates)
            {
                var found = await Search(new List<X509Certificate2>(path) { c }).ConfigureAwait(false);
                if (found is not null) return found;
            }
            return null;
        }
        return await Search(new List<X509Certificate2> { leaf }).ConfigureAwait(false) ?? best;
    }

    private async Task<IReadOnlyList<X509Certificate2>> FetchIssuerAsync(string url, CancellationToken ct)
    {
        string key = "aia|" + url;
        var now = Clock.GetUtcNow();
        if (!_cache.TryGet<byte[]>(key, now, out var body))
        {
            var (fetched, _) = await _http.SendAsync(url, null, null, ct).ConfigureAwait(false);
            if (fetched is null) return Array.Empty<X509Certificate2>();
            body = fetched;
            _cache.Set(key, body, now, null);
        }
        try
        {
            var list = new List<X509Certificate2>();
            foreach (Org.BouncyCastle.X509.X509Certificate c in new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificates(body))
                list.Add(new X509Certificate2(c.GetEncoded()));
            return list;
        }
        catch (Exception) { return Array.Empty<X509Certificate2>(); }
    }

    /// <summary>Validity at <paramref name="at"/> of every certificate but the anchor (RFC 5280 does not check the anchor's).</summary>
    private static bool CheckValidity(IList<X509Certificate2> path, DateTimeOffset at, CertificateValidationResult result)
    {
        bool failed = false;
        for (int i = 0; i < path.Count - 1; i++)
        {
            var c = path[i];
            var notBefore = c.NotBefore.ToUniversalTime();
            var notAfter = c.NotAfter.ToUniversalTime();
            if (at.UtcDateTime < notBefore)
            {
                failed = true;
                result.Degrade(Indication.TotalFailed, SubIndication.NotYetValid);
                result.Messages.Add(new ReportMessage(ReportSeverity.Error, MessageKeys.CertificateNotYetValid, c.Subject, notBefore));
            }
            else if (at.UtcDateTime > notAfter)
            {
                failed = true;
                result.Degrade(Indication.Indeterminate, SubIndication.OutOfBoundsNoPoe);
                result.Messages.Add(new ReportMessage(ReportSeverity.Error, MessageKeys.CertificateExpired, c.Subject, notAfter));
            }
        }
        return failed;
    }

    /// <summary>RFC 5280 §6.1 on BouncyCastle's PKIX validator with revocation off (revocation is ours).</summary>
    private void RunPkix(IList<X509Certificate2> path, DateTimeOffset at, bool validityFailed, CertificateValidationResult result)
    {
        if (path.Count < 2) return; // the certificate is itself an anchor
        var certs = path.Take(path.Count - 1).Select(Bc).ToList();
        var anchors = new HashSet<BcTrustAnchor> { new(Bc(path[path.Count - 1]), null) };
        var parameters = new PkixParameters(anchors)
        {
            IsRevocationEnabled = false,
            Date = at.UtcDateTime,
            IsExplicitPolicyRequired = Policy.ExplicitPolicyRequired,
            IsPolicyMappingInhibited = Policy.InhibitPolicyMapping,
            IsAnyPolicyInhibited = Policy.InhibitAnyPolicy,
        };
        if (Policy.InitialPolicies.Count > 0) parameters.SetInitialPolicies(new HashSet<string>(Policy.InitialPolicies));
        parameters.AddCertPathChecker(new HandledExtensionsChecker());
        try
        {
            new PkixCertPathValidator().Validate(new PkixCertPath(certs), parameters);
        }
        catch (PkixCertPathValidatorException e)
        {
            var text = Flatten(e);
            var lower = text.ToLowerInvariant();
            var at1 = e.Index >= 0 && e.Index < path.Count ? path[e.Index] : path[0];
            if (validityFailed && (lower.Contains("expired") || lower.Contains("not valid") || lower.Contains("validity"))) return;
            if (lower.Contains("path length") || lower.Contains("pathlen"))
                Fail(result, Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.PathLengthExceeded, at1.Subject);
            else if (lower.Contains("subtree") || lower.Contains("name constraint") || lower.Contains("permitted") || lower.Contains("excluded"))
                Fail(result, Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.NameConstraintsViolated, at1.Subject);
            else if (lower.Contains("policy") || lower.Contains("policies"))
                Fail(result, Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.PolicyConstraintsFailed, text);
            else if (lower.Contains("not a ca") || lower.Contains("keycertsign") || lower.Contains("key usage") || lower.Contains("keyusage") || lower.Contains("key signing") || lower.Contains("basic constraints"))
                Fail(result, Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.CaNotAllowed, at1.Subject);
            else if (lower.Contains("signature"))
                Fail(result, Indication.TotalFailed, SubIndication.SigCryptoFailure, MessageKeys.CertificateSignatureInvalid, at1.Subject);
            else
                Fail(result, Indication.Indeterminate, SubIndication.CertificateChainGeneralFailure, MessageKeys.PathInvalid, at1.Subject, text);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or Org.BouncyCastle.Security.Certificates.CertificateException)
        {
            Fail(result, Indication.Indeterminate, SubIndication.CertificateChainGeneralFailure, MessageKeys.PathInvalid, path[0].Subject, e.Message);
        }
    }

    private static string Flatten(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException) parts.Add(x.Message);
        return string.Join(": ", parts.Distinct());
    }

    private static void Fail(CertificateValidationResult result, Indication indication, SubIndication sub, string key, params object?[] args)
    {
        result.Degrade(indication, sub);
        result.Messages.Add(new ReportMessage(ReportSeverity.Error, key, args));
    }

    /// <summary>Signing-purpose checks on the end certificate.</summary>
    private void CheckPurpose(X509Certificate2 certificate, CertificateUsage usage, CertificateValidationResult result)
    {
        var c = Bc(certificate);
        switch (usage)
        {
            case CertificateUsage.Signing:
                var ku = c.GetKeyUsage();
                if (ku is not null && !(ku.Length > 0 && ku[0]) && !(ku.Length > 1 && ku[1]))
                    Fail(result, Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.KeyUsageNotForSigning, certificate.Subject);
                break;
            case CertificateUsage.Timestamping:
                if (!CertificateInfo.HasEku(c, CertificateInfo.TimeStampingOid, out bool critical) || !critical)
                    Fail(result, Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.EkuTimestampingMissing, certificate.Subject);
                break;
            case CertificateUsage.OcspSigning:
                if (!CertificateInfo.HasEku(c, CertificateInfo.OcspSigningOid, out _))
                    Fail(result, Indication.Indeterminate, SubIndication.ChainConstraintsFailure, MessageKeys.EkuOcspSigningMissing, certificate.Subject);
                break;
        }
    }

    private async Task CheckRevocationAsync(IList<X509Certificate2> path, DateTimeOffset at, CertificateUsage usage, ValidationData? supplied,
        CertificateValidationResult result, CancellationToken ct)
    {
        for (int i = 0; i < path.Count - 1; i++)
        {
            var c = path[i];
            var report = result.Certificates[i];
            if (Policy.Revocation == RevocationMode.None)
            {
                report.RevocationStatus = "not-checked";
                result.Messages.Add(new ReportMessage(ReportSeverity.Warning, MessageKeys.RevocationNotChecked, c.Subject));
                continue;
            }
            if (i == 0 && usage == CertificateUsage.OcspSigning && CertificateInfo.HasOcspNoCheck(Bc(c)))
            {
                report.RevocationStatus = "not-checked";
                report.RevocationSource = "ocsp-nocheck";
                continue;
            }
            var outcome = await _revocation.CheckAsync(c, path[i + 1], at, supplied, ct).ConfigureAwait(false);
            foreach (var m in outcome.Messages) result.Messages.Add(m);
            if (outcome.OcspResponse is { } o) result.DataUsed.OcspResponses.Add(o);
            if (outcome.Crl is { } crl && !result.DataUsed.Crls.Any(x => x.AsSpan().SequenceEqual(crl))) result.DataUsed.Crls.Add(crl);
            report.RevocationSource = outcome.Source;
            switch (outcome.State)
            {
                case RevocationState.Good:
                    report.RevocationStatus = "good";
                    break;
                case RevocationState.Revoked:
                    report.RevocationStatus = "revoked";
                    report.RevocationTime = outcome.RevocationTime;
                    if (outcome.RevocationTime is { } t && t > at)
                        result.Messages.Add(new ReportMessage(ReportSeverity.Warning, MessageKeys.RevokedAfterValidationTime, c.Subject, t.UtcDateTime, at.UtcDateTime));
                    else
                        Fail(result, Indication.TotalFailed, SubIndication.Revoked, MessageKeys.CertificateRevoked, c.Subject, outcome.RevocationTime?.UtcDateTime, outcome.Source);
                    break;
                default:
                    report.RevocationStatus = "unknown";
                    if (outcome.Unavailable && Policy.SoftFail)
                    {
                        // Soft-fail (the default): no service could be reached at all, so nothing says the certificate
                        // is revoked; the result stands with a warning (docs/decisions.md, "Revocation: soft-fail").
                        report.RevocationSource = "unavailable";
                        result.Messages.Add(new ReportMessage(ReportSeverity.Warning, MessageKeys.RevocationUnavailableSoftFail, c.Subject));
                    }
                    else if (outcome.Unavailable)
                        Fail(result, Indication.Indeterminate, SubIndication.TryLater, MessageKeys.RevocationUnknownHardFail, c.Subject);
                    else
                        // An answer came but says "unknown" or could not be trusted (stale, unauthorised, malformed): never soft-failed.
                        Fail(result, Indication.Indeterminate, SubIndication.TryLater, MessageKeys.RevocationUnknown, c.Subject);
                    break;
            }
        }
    }

    /// <summary>Declares the extensions this validator checks itself (EKU, ocsp-nocheck) so PKIX does not reject them as unhandled critical extensions.</summary>
    private sealed class HandledExtensionsChecker : PkixCertPathChecker
    {
        private static readonly HashSet<string> Handled = new() { X509Extensions.ExtendedKeyUsage.Id, CertificateInfo.OcspNoCheckOid };
        public override void Init(bool forward) { }
        public override bool IsForwardCheckingSupported() => true;
        public override ISet<string> GetSupportedExtensions() => Handled;
        public override void Check(BcCertificate cert, ISet<string> unresolvedCritExts)
        {
            foreach (var h in Handled) unresolvedCritExts.Remove(h);
        }
    }
}
