using System.Security.Cryptography.X509Certificates;

namespace VnGovSign;

/// <summary>Small helpers for ordering certificates without a trust decision.</summary>
public static class CertificateChains
{
    /// <summary>
    /// Orders <paramref name="candidates"/> from the leaf's issuer upwards by issuer/subject name
    /// (raw DER, never the text form, which differs between .NET and OpenSSL for some attributes);
    /// certificates that are not on that path are appended after it.
    /// </summary>
    public static IReadOnlyList<X509Certificate2> OrderIssuerFirst(X509Certificate2 leaf, IEnumerable<X509Certificate2> candidates)
    {
        var pool = candidates.Where(c => !c.RawData.AsSpan().SequenceEqual(leaf.RawData)).ToList();
        var ordered = new List<X509Certificate2>();
        var current = leaf;
        while (true)
        {
            if (IsSelfIssued(current)) break;
            var issuer = pool.FirstOrDefault(c => c.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData));
            if (issuer is null) break;
            ordered.Add(issuer);
            pool.Remove(issuer);
            current = issuer;
        }
        ordered.AddRange(pool);
        return ordered;
    }

    /// <summary>True when subject and issuer names are equal (a root or a self-issued certificate).</summary>
    public static bool IsSelfIssued(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
}
