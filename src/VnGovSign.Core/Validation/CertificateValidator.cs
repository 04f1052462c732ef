using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.X509;
using VnGovSign.Trust;

namespace VnGovSign.Validation;

/// <summary>
/// Builds and validates a certificate's path to a trust anchor at a given time.
/// (Foundation version: name chaining, signatures, validity; full RFC 5280 and revocation come next.)
/// </summary>
public sealed class CertificateValidator
{
    /// <summary>Creates a validator over a trust store and a policy.</summary>
    public CertificateValidator(TrustStore trust, ValidationPolicy? policy = null)
    {
        Trust = trust ?? throw new ArgumentNullException(nameof(trust));
        Policy = policy ?? ValidationPolicy.Default;
    }

    /// <summary>The trust store.</summary>
    public TrustStore Trust { get; }
    /// <summary>The policy.</summary>
    public ValidationPolicy Policy { get; }

    /// <summary>Validates <paramref name="certificate"/> at <paramref name="at"/>.</summary>
    /// <param name="certificate">The end-entity certificate.</param>
    /// <param name="at">The validation time (signing time or timestamp time for past signatures).</param>
    /// <param name="extraCertificates">Certificates found in the signature, used to complete the path.</param>
    /// <param name="usage">What the certificate must be good for.</param>
    /// <param name="supplied">Embedded or supplied revocation data.</param>
    /// <param name="cancellationToken">Cancels network fetches.</param>
    public Task<CertificateValidationResult> ValidateAsync(X509Certificate2 certificate, DateTimeOffset at,
        IEnumerable<X509Certificate2>? extraCertificates = null, CertificateUsage usage = CertificateUsage.Signing,
        ValidationData? supplied = null, CancellationToken cancellationToken = default)
    {
        var result = new CertificateValidationResult();
        var pool = (extraCertificates ?? Array.Empty<X509Certificate2>()).Concat(Trust.Intermediates).ToList();
        var current = certificate;
        result.Path.Add(current);
        var parser = new X509CertificateParser();
        while (Trust.FindAnchor(current) is null)
        {
            var issuer = Trust.Anchors.Select(a => a.Certificate).Concat(pool)
                .FirstOrDefault(c => c.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData) && Verifies(parser, current, c));
            if (issuer is null || result.Path.Count > 10)
            {
                result.Degrade(Indication.Indeterminate, SubIndication.NoCertificateChainFound);
                result.Messages.Add(new ReportMessage(ReportSeverity.Error, MessageKeys.NoChain, current.Subject));
                break;
            }
            result.Path.Add(issuer);
            current = issuer;
        }
        result.Anchor = Trust.FindAnchor(current);
        foreach (var c in result.Path)
        {
            var r = CertificateReport.From(c);
            r.TrustAnchor = Trust.FindAnchor(c)?.Name;
            result.Certificates.Add(r);
            if (at.UtcDateTime > c.NotAfter.ToUniversalTime())
            {
                result.Degrade(Indication.Indeterminate, SubIndication.OutOfBoundsNoPoe);
                result.Messages.Add(new ReportMessage(ReportSeverity.Error, MessageKeys.CertificateExpired, c.Subject, c.NotAfter.ToUniversalTime()));
            }
            else if (at.UtcDateTime < c.NotBefore.ToUniversalTime())
            {
                result.Degrade(Indication.Indeterminate, SubIndication.NotYetValid);
                result.Messages.Add(new ReportMessage(ReportSeverity.Error, MessageKeys.CertificateNotYetValid, c.Subject, c.NotBefore.ToUniversalTime()));
            }
        }
        return Task.FromResult(result);
    }

    private static bool Verifies(X509CertificateParser parser, X509Certificate2 child, X509Certificate2 issuer)
    {
        try
        {
            parser.ReadCertificate(child.RawData).Verify(parser.ReadCertificate(issuer.RawData).GetPublicKey());
            return true;
        }
        catch (Exception) { return false; }
    }
}
