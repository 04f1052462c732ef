using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Cms;
using VnGovSign.Validation;

namespace VnGovSign.Timestamps;

/// <summary>The outcome of validating one timestamp token.</summary>
public sealed class TimestampValidationResult
{
    /// <summary>Main indication.</summary>
    public Indication Indication { get; set; } = Indication.TotalPassed;
    /// <summary>Sub-indication (None when passed).</summary>
    public SubIndication SubIndication { get; set; }
    /// <summary>The token's genTime.</summary>
    public DateTimeOffset GenTime { get; set; }
    /// <summary>The TSA certificate, when found.</summary>
    public X509Certificate2? TsaCertificate { get; set; }
    /// <summary>The TSA's path, TSA first.</summary>
    public IList<CertificateReport> Certificates { get; } = new List<CertificateReport>();
    /// <summary>Messages explaining the outcome.</summary>
    public IList<ReportMessage> Messages { get; } = new List<ReportMessage>();
    /// <summary>Certificates and revocation data used for the TSA's path (for LT levels).</summary>
    public ValidationData DataUsed { get; } = new();

    /// <summary>Lowers the indication unless a worse one is set.</summary>
    public void Degrade(Indication indication, SubIndication sub)
    {
        if (SignatureReport.Rank(indication) > SignatureReport.Rank(Indication)) { Indication = indication; SubIndication = sub; }
    }
}

/// <summary>
/// Validates an RFC 3161 token: the message imprint against what was stamped, the CMS signature and
/// its ESS signing-certificate reference, the TSA certificate's id-kp-timeStamping (critical), and the
/// TSA's path to a trust anchor at genTime.
/// </summary>
public sealed class TimestampValidator
{
    /// <summary>Creates a validator using <paramref name="certificates"/> for the TSA's path.</summary>
    public TimestampValidator(CertificateValidator certificates) =>
        Certificates = certificates ?? throw new ArgumentNullException(nameof(certificates));

    /// <summary>The path validator (trust store and policy).</summary>
    public CertificateValidator Certificates { get; }

    /// <summary>Validates <paramref name="token"/> stamped over <paramref name="expectedImprint"/> (a digest made with the token's HashAlgorithm).</summary>
    public async Task<TimestampValidationResult> ValidateAsync(TimestampToken token, byte[] expectedImprint, CancellationToken ct = default)
    {
        if (token is null) throw new ArgumentNullException(nameof(token));
        var result = new TimestampValidationResult { GenTime = token.GenTime };
        if (expectedImprint is null || !token.MessageImprint.AsSpan().SequenceEqual(expectedImprint))
        {
            result.Degrade(Indication.TotalFailed, SubIndication.HashFailure);
            result.Messages.Add(new ReportMessage(ReportSeverity.Error, MessageKeys.TimestampImprintMismatch, token.Source));
        }
        if (token.HashAlgorithm == System.Security.Cryptography.HashAlgorithmName.SHA1 && !Certificates.Policy.AllowSha1)
        {
            result.Degrade(Indication.TotalFailed, SubIndication.CryptoConstraintsFailure);
            result.Messages.Add(new ReportMessage(ReportSeverity.Error, MessageKeys.Sha1Rejected));
        }

        token.ResolveTsaCertificate(Certificates.Trust.Intermediates.Concat(Certificates.Trust.Anchors.Select(a => a.Certificate)));
        var tsa = token.TsaCertificate;
        result.TsaCertificate = tsa;
        if (tsa is null)
        {
            result.Degrade(Indication.Indeterminate, SubIndication.NoSigningCertificateFound);
            result.Messages.Add(new ReportMessage(ReportSeverity.Error, MessageKeys.TimestampNoTsaCertificate, token.Source));
            return result;
        }

        var bcCert = Revocation.CertificateInfo.ToBc(tsa);
        var signer = token.SignedData.GetSignerInfos().GetSigners().First();
        bool signatureOk;
        try { signatureOk = signer.Verify(bcCert); }
        catch (Exception e) when (e is CmsException or InvalidOperationException or ArgumentException or Org.BouncyCastle.Security.SecurityUtilityException) { signatureOk = false; }
        if (!signatureOk)
        {
            result.Degrade(Indication.TotalFailed, SubIndication.SigCryptoFailure);
            result.Messages.Add(new ReportMessage(ReportSeverity.Error, MessageKeys.TimestampSignatureInvalid, token.Source));
        }
        if (!EssReferenceMatches(signer, tsa))
        {
            result.Degrade(Indication.TotalFailed, SubIndication.SigConstraintsFailure);
            result.Messages.Add(new ReportMessage(ReportSeverity.Error, MessageKeys.TimestampSigningCertificateMismatch, token.Source));
        }

        var path = await Certificates.ValidateAsync(tsa, token.GenTime, token.Certificates, CertificateUsage.Timestamping, null, ct).ConfigureAwait(false);
        foreach (var c in path.Certificates) result.Certificates.Add(c);
        foreach (var m in path.Messages) result.Messages.Add(m);
        result.DataUsed.Merge(path.DataUsed);
        result.Degrade(path.Indication, path.SubIndication);
        if (result.Indication == Indication.TotalPassed)
            result.Messages.Add(new ReportMessage(ReportSeverity.Info, MessageKeys.TimestampValid, token.GenTime.UtcDateTime, tsa.GetNameInfo(X509NameType.SimpleName, false)));
        return result;
    }

    /// <summary>RFC 3161 §2.4.1 / RFC 5816: the token must name its TSA certificate in signing-certificate(-v2).</summary>
    private static bool EssReferenceMatches(SignerInformation signer, X509Certificate2 tsa)
    {
        var attrs = signer.SignedAttributes;
        if (attrs is null) return false;
        if (attrs[PkcsObjectIdentifiers.IdAASigningCertificateV2] is { } v2)
        {
            var sc = SigningCertificateV2.GetInstance(v2.AttrValues[0]);
            var first = sc.GetCerts()[0];
            var alg = first.HashAlgorithm.Algorithm.Id;
            var hash = Digests.FromOid(alg);
            return Digests.Compute(hash, tsa.RawData).AsSpan().SequenceEqual(first.GetCertHash());
        }
        if (attrs[PkcsObjectIdentifiers.IdAASigningCertificate] is { } v1)
        {
            var sc = SigningCertificate.GetInstance(v1.AttrValues[0]);
            return Digests.Compute(System.Security.Cryptography.HashAlgorithmName.SHA1, tsa.RawData).AsSpan().SequenceEqual(sc.GetCerts()[0].GetCertHash());
        }
        return false;
    }
}
