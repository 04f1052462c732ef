using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace VnGovSign.Revocation;

/// <summary>Reads the extensions validation needs (AIA, CRL distribution points, EKU, ocsp-nocheck).</summary>
internal static class CertificateInfo
{
    public const string OcspNoCheckOid = "1.3.6.1.5.5.7.48.1.5";
    public const string TimeStampingOid = "1.3.6.1.5.5.7.3.8";
    public const string OcspSigningOid = "1.3.6.1.5.5.7.3.9";

    // BouncyCastle validates an RSA modulus (primality tests) the first time a parsed certificate's public
    // key is asked for: ~20 ms for RSA-2048. Parsed certificates are therefore shared process-wide (by the
    // SHA-256 of their DER), so each key is validated once, not at every revocation check.
    private const int MaxParsed = 4096;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, BcCertificate> Parsed = new(StringComparer.Ordinal);

    public static BcCertificate ToBc(X509Certificate2 c) => Cached(c.RawData);

    public static BcCertificate Cached(BcCertificate c) => Cached(c.GetEncoded());

    public static BcCertificate Cached(byte[] der)
    {
        var key = Convert.ToBase64String(Digests.Sha256(der));
        if (Parsed.TryGetValue(key, out var known)) return known;
        var parsed = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(der);
        if (parsed is null) return parsed!;
        if (Parsed.Count >= MaxParsed) Parsed.Clear();
        return Parsed.GetOrAdd(key, parsed);
    }

    public static IReadOnlyList<string> AiaUrls(BcCertificate c, DerObjectIdentifier method)
    {
        var result = new List<string>();
        try
        {
            var ext = c.GetExtensionValue(X509Extensions.AuthorityInfoAccess);
            if (ext is null) return result;
            var aia = AuthorityInformationAccess.GetInstance(Asn1Object.FromByteArray(ext.GetOctets()));
            foreach (var ad in aia.GetAccessDescriptions())
                if (ad.AccessMethod.Equals(method) && ad.AccessLocation.TagNo == GeneralName.UniformResourceIdentifier)
                    result.Add(DerIA5String.GetInstance(ad.AccessLocation.Name).GetString());
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException) { /* malformed AIA: no URLs */ }
        return result;
    }

    public static IReadOnlyList<string> CrlUrls(BcCertificate c)
    {
        var result = new List<string>();
        try
        {
            var ext = c.GetExtensionValue(X509Extensions.CrlDistributionPoints);
            if (ext is null) return result;
            var cdp = CrlDistPoint.GetInstance(Asn1Object.FromByteArray(ext.GetOctets()));
            foreach (var dp in cdp.GetDistributionPoints())
                if (dp.DistributionPointName is { Type: DistributionPointName.FullName } name)
                    foreach (var gn in GeneralNames.GetInstance(name.Name).GetNames())
                        if (gn.TagNo == GeneralName.UniformResourceIdentifier) result.Add(DerIA5String.GetInstance(gn.Name).GetString());
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException) { /* malformed CDP: no URLs */ }
        return result;
    }

    public static bool HasEku(BcCertificate c, string oid, out bool critical)
    {
        critical = c.GetCriticalExtensionOids()?.Contains(X509Extensions.ExtendedKeyUsage.Id) == true;
        var ekus = c.GetExtendedKeyUsage();
        return ekus is not null && ekus.Any(e => e.Id == oid);
    }

    public static bool HasOcspNoCheck(BcCertificate c) => c.GetExtensionValue(new DerObjectIdentifier(OcspNoCheckOid)) is not null;

    public static string SimpleName(X509Certificate2 c)
    {
        var n = c.GetNameInfo(X509NameType.SimpleName, false);
        return string.IsNullOrEmpty(n) ? c.Subject : n;
    }
}
