using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Revocation;

/// <summary>
/// Gathers what long-term validation needs to embed for a certificate (PAdES DSS, XAdES
/// CertificateValues/RevocationValues, CAdES/OOXML LT): the certificates of its path (DER) and an OCSP
/// response (DER OCSPResponse) or CRL for every certificate of the path that is not a trust anchor.
/// </summary>
public sealed class ValidationDataCollector
{
    private readonly CertificateValidator _validator;

    /// <summary>Creates a collector over a trust store and a policy (online, normally).</summary>
    public ValidationDataCollector(TrustStore trust, ValidationPolicy policy, HttpClient? http = null)
    {
        _validator = new CertificateValidator(trust, policy, http);
    }

    /// <summary>Creates a collector over a configured validator (its trust store, policy, HTTP client, cache and clock).</summary>
    public ValidationDataCollector(CertificateValidator validator)
    {
        _validator = validator ?? throw new ArgumentNullException(nameof(validator));
    }

    /// <summary>Validates <paramref name="certificate"/> now and returns the data used.</summary>
    /// <exception cref="ServiceUnavailableException">No revocation data could be obtained for a certificate of the path.</exception>
    /// <exception cref="InvalidInputException">No path to a trust anchor could be built.</exception>
    public async Task<ValidationData> CollectAsync(X509Certificate2 certificate, IEnumerable<X509Certificate2> extraCertificates, CancellationToken ct = default)
    {
        var result = await _validator.ValidateAsync(certificate, _validator.Policy.ValidationTime ?? _validator.Clock.GetUtcNow(),
            extraCertificates, CertificateUsage.Any, null, ct).ConfigureAwait(false);
        if (result.Anchor is null)
            throw new InvalidInputException(MessageKeys.NoChain, certificate.Subject);
        if (result.Certificates.Any(c => c.TrustAnchor is null && c.RevocationStatus == "unknown"))
        {
            var missing = result.Certificates.First(c => c.TrustAnchor is null && c.RevocationStatus == "unknown");
            throw new ServiceUnavailableException(MessageKeys.RevocationUnknown, null, missing.Subject);
        }
        return result.DataUsed;
    }
}
