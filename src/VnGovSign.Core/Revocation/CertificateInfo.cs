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

    public static BcCertificate ToBc(X509Certificate2 c) => new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(c.RawData);

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
