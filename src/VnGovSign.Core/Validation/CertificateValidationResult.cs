using System.Security.Cryptography.X509Certificates;
using VnGovSign.Trust;

namespace VnGovSign.Validation;

/// <summary>The outcome of validating one certificate's path at one time.</summary>
public sealed class CertificateValidationResult
{
    /// <summary>Main indication of the path.</summary>
    public Indication Indication { get; set; } = Indication.TotalPassed;
    /// <summary>Sub-indication (None when passed).</summary>
    public SubIndication SubIndication { get; set; }
    /// <summary>The path found, the certificate first and the anchor last (may be partial when none was found).</summary>
    public IList<X509Certificate2> Path { get; } = new List<X509Certificate2>();
    /// <summary>Per certificate of <see cref="Path"/>: what was found.</summary>
    public IList<CertificateReport> Certificates { get; } = new List<CertificateReport>();
    /// <summary>The anchor the path ends in, if trusted.</summary>
    public TrustAnchor? Anchor { get; set; }
    /// <summary>Messages explaining the outcome.</summary>
    public IList<ReportMessage> Messages { get; } = new List<ReportMessage>();
    /// <summary>The revocation data and certificates used (for LT levels to embed).</summary>
    public ValidationData DataUsed { get; } = new();

    /// <summary>Lowers the indication unless a worse one is set.</summary>
    public void Degrade(Indication indication, SubIndication sub)
    {
        if (SignatureReport.Rank(indication) > SignatureReport.Rank(Indication)) { Indication = indication; SubIndication = sub; }
    }
}

/// <summary>Certificates, CRLs and OCSP responses for long-term validation (DSS, CertificateValues/RevocationValues).</summary>
public sealed class ValidationData
{
    /// <summary>Certificates (DER).</summary>
    public IList<byte[]> Certificates { get; } = new List<byte[]>();
    /// <summary>CRLs (DER CertificateList).</summary>
    public IList<byte[]> Crls { get; } = new List<byte[]>();
    /// <summary>OCSP responses (DER OCSPResponse, as RFC 6960 and PAdES DSS carry them).</summary>
    public IList<byte[]> OcspResponses { get; } = new List<byte[]>();

    /// <summary>Adds what <paramref name="other"/> has and this lacks.</summary>
    public void Merge(ValidationData other)
    {
        AddAll(Certificates, other.Certificates); AddAll(Crls, other.Crls); AddAll(OcspResponses, other.OcspResponses);
    }

    private static void AddAll(IList<byte[]> into, IEnumerable<byte[]> items)
    {
        foreach (var i in items) if (!into.Any(x => x.AsSpan().SequenceEqual(i))) into.Add(i);
    }
}
