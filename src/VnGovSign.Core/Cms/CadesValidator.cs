using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using VnGovSign.Timestamps;
using VnGovSign.Validation;

namespace VnGovSign.Cms;

/// <summary>
/// Validates a CAdES/CMS signature: parse → integrity → signer's path at the right time → report.
/// Formats that carry CMS (PAdES) call <see cref="ValidateAsync(CmsSignature, byte[], CancellationToken)"/>
/// with their own content digest and add what only they know (ByteRange coverage).
/// </summary>
public sealed class CadesValidator
{
    /// <summary>Creates a validator.</summary>
    public CadesValidator(CertificateValidator certificates, TimeProvider? clock = null)
    {
        Certificates = certificates ?? throw new ArgumentNullException(nameof(certificates));
        Clock = clock ?? TimeProvider.System;
    }

    /// <summary>The path validator (trust store and policy).</summary>
    public CertificateValidator Certificates { get; }
    /// <summary>The clock for "now".</summary>
    public TimeProvider Clock { get; }

    /// <summary>Validates a detached CMS over <paramref name="content"/>.</summary>
    public async Task<ValidationReport> ValidateDetachedAsync(byte[] cms, Stream content, string documentName, CancellationToken cancellationToken = default)
    {
        CmsSignature parsed;
        try { parsed = CmsSignature.Parse(cms, documentName); }
        catch (InvalidInputException e)
        {
            var failed = new SignatureReport { Id = "1", Format = "CAdES", Indication = Indication.TotalFailed, SubIndication = SubIndication.FormatFailure };
            failed.Messages.Add(new ReportMessage(ReportSeverity.Error, e.MessageKey, e.MessageArguments.ToArray()));
            return new ValidationReport(documentName, new[] { failed });
        }
        byte[] digest = await Digests.ComputeAsync(parsed.DigestAlgorithm, content, cancellationToken).ConfigureAwait(false);
        var report = await ValidateAsync(parsed, digest, cancellationToken).ConfigureAwait(false);
        return new ValidationReport(documentName, new[] { report });
    }

    /// <summary>Validates a parsed CMS whose detached content has digest <paramref name="contentDigest"/> (made with its DigestAlgorithm).</summary>
    public async Task<SignatureReport> ValidateAsync(CmsSignature cms, byte[] contentDigest, CancellationToken cancellationToken = default)
    {
        var report = new SignatureReport { Id = "1", Format = "CAdES", Indication = Indication.TotalPassed, Level = "B-B", SigningTime = cms.SigningTime };
        if (cms.SignatureTimestampTokens.Count > 0) report.Level = "B-T";
        cms.ResolveSigner(Certificates.Trust.Intermediates);
        if (cms.SignerCertificate is null)
        {
            report.Degrade(Indication.Indeterminate, SubIndication.NoSigningCertificateFound);
            report.Add(ReportSeverity.Error, MessageKeys.NoSignerCertificate);
            return report;
        }
        report.Signer = CertificateReport.From(cms.SignerCertificate);

        if (cms.DigestAlgorithm == HashAlgorithmName.SHA1)
        {
            if (Certificates.Policy.AllowSha1) report.Add(ReportSeverity.Warning, MessageKeys.Sha1Used);
            else { report.Degrade(Indication.TotalFailed, SubIndication.CryptoConstraintsFailure); report.Add(ReportSeverity.Error, MessageKeys.Sha1Rejected); }
        }

        var integrity = cms.CheckIntegrity(contentDigest);
        if (!integrity.MessageDigestMatches)
        {
            report.Degrade(Indication.TotalFailed, SubIndication.HashFailure);
            report.Add(ReportSeverity.Error, MessageKeys.HashFailure);
        }
        if (!integrity.SignatureValid)
        {
            report.Degrade(Indication.TotalFailed, SubIndication.SigCryptoFailure);
            report.Add(ReportSeverity.Error, MessageKeys.SigCryptoFailure);
        }
        if (integrity.SigningCertificateMatches == false)
        {
            report.Degrade(Indication.TotalFailed, SubIndication.SigConstraintsFailure);
            report.Add(ReportSeverity.Error, MessageKeys.SigningCertificateMismatch);
        }
        else if (integrity.SigningCertificateMatches is null)
            report.Add(ReportSeverity.Warning, MessageKeys.SigningCertificateAttributeMissing);
        if (report.Indication == Indication.TotalFailed) return report;

        // The signature-time-stamp (B-T) is the proof of existence: the path is validated at its genTime.
        // Without one, the path is checked now, as ETSI's basic validation does.
        var at = Certificates.Policy.ValidationTime ?? Clock.GetUtcNow();
        bool proofOfExistence = false;
        if (cms.SignatureTimestampTokens.Count > 0)
        {
            TimestampValidationResult? ts = null;
            try
            {
                var token = TimestampToken.Parse(cms.SignatureTimestampTokens[0], "signature-time-stamp");
                var imprint = Digests.Compute(token.HashAlgorithm, cms.SignatureValue);
                ts = await new TimestampValidator(Certificates).ValidateAsync(token, imprint, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidInputException e)
            {
                report.Degrade(Indication.TotalFailed, SubIndication.FormatFailure);
                report.Messages.Add(new ReportMessage(ReportSeverity.Error, e.MessageKey, e.MessageArguments.ToArray()));
            }
            if (ts is not null)
            {
                report.TimestampTime = ts.GenTime;
                foreach (var m in ts.Messages) report.Messages.Add(m);
                if (ts.Indication == Indication.TotalPassed)
                {
                    at = ts.GenTime;
                    proofOfExistence = true;
                    if (cms.SigningTime is { } claimed && (claimed - ts.GenTime).Duration() > TimeSpan.FromHours(7))
                        report.Add(ReportSeverity.Warning, MessageKeys.SigningTimeSkew, claimed.UtcDateTime, ts.GenTime.UtcDateTime);
                }
                else
                {
                    report.Add(ReportSeverity.Error, MessageKeys.SignatureTimestampInvalid);
                    report.Degrade(ts.Indication == Indication.TotalFailed ? Indication.TotalFailed : Indication.Indeterminate,
                        ts.Indication == Indication.TotalFailed ? ts.SubIndication : SubIndication.NoPoe);
                    if (report.Indication == Indication.TotalFailed) return report;
                }
            }
        }
        report.ValidationTime = at;
        var path = await Certificates.ValidateAsync(cms.SignerCertificate, at, cms.Certificates, CertificateUsage.Signing, null, cancellationToken).ConfigureAwait(false);
        foreach (var c in path.Certificates) report.Certificates.Add(c);
        foreach (var m in path.Messages) report.Messages.Add(m);
        var indication = path.Indication;
        var sub = path.SubIndication;
        var signerCert = path.Certificates.Count > 0 ? path.Certificates[0] : null;
        if (sub == SubIndication.Revoked && !proofOfExistence && signerCert?.RevocationTime is { } revokedAt
            && cms.SigningTime is { } claimedTime && claimedTime < revokedAt)
        {
            // Claimed before the revocation, but nothing proves it: ETSI's REVOKED_NO_POE.
            indication = Indication.Indeterminate; sub = SubIndication.RevokedNoPoe;
            report.Add(ReportSeverity.Error, MessageKeys.RevokedNoPoe, cms.SignerCertificate.Subject, revokedAt.UtcDateTime);
        }
        else if (sub == SubIndication.OutOfBoundsNoPoe && proofOfExistence && at.UtcDateTime > cms.SignerCertificate.NotAfter.ToUniversalTime())
        {
            indication = Indication.TotalFailed; sub = SubIndication.Expired;
            report.Add(ReportSeverity.Error, MessageKeys.CertificateExpiredAtTimestamp, cms.SignerCertificate.Subject, cms.SignerCertificate.NotAfter.ToUniversalTime());
        }
        report.Degrade(indication, sub);
        if (report.Indication == Indication.TotalPassed) report.Add(ReportSeverity.Info, MessageKeys.SignatureValid);
        return report;
    }
}
