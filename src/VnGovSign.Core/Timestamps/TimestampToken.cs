using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Tsp;
using Org.BouncyCastle.Cms;

namespace VnGovSign.Timestamps;

/// <summary>
/// A parsed RFC 3161 TimeStampToken (a CMS SignedData over a TSTInfo): what was stamped, when, by whom.
/// Parsing checks the structure only; <see cref="TimestampValidator"/> checks signature, TSA and imprint.
/// </summary>
public sealed class TimestampToken
{
    private TimestampToken(byte[] encoded, CmsSignedData signedData, TstInfo info, string source)
    {
        Encoded = encoded;
        SignedData = signedData;
        Info = info;
        Source = source;
        GenTime = new DateTimeOffset(info.GenTime.ToDateTime().ToUniversalTime(), TimeSpan.Zero);
        HashAlgorithm = Digests.FromOid(info.MessageImprint.HashAlgorithm.Algorithm.Id);
        MessageImprint = info.MessageImprint.GetHashedMessage();
        SerialNumber = info.SerialNumber.Value.ToString(16).ToUpperInvariant();
        PolicyOid = info.Policy.Id;
        Nonce = info.Nonce?.Value.ToByteArray();
        var certs = new List<X509Certificate2>();
        foreach (var c in signedData.GetCertificates().EnumerateMatches(null)) certs.Add(new X509Certificate2(c.GetEncoded()));
        Certificates = certs;
        TsaCertificate = FindSignerCertificate(certs);
    }

    /// <summary>The DER TimeStampToken (CMS ContentInfo), as embedded in signatures.</summary>
    public byte[] Encoded { get; }
    /// <summary>The time the TSA vouches for (TSTInfo genTime, UTC).</summary>
    public DateTimeOffset GenTime { get; }
    /// <summary>The hash algorithm of the message imprint.</summary>
    public HashAlgorithmName HashAlgorithm { get; }
    /// <summary>The digest that was stamped.</summary>
    public byte[] MessageImprint { get; }
    /// <summary>The TSA's serial number of the token (hex).</summary>
    public string SerialNumber { get; }
    /// <summary>The TSA policy OID.</summary>
    public string PolicyOid { get; }
    /// <summary>The nonce echoed from the request, when there was one (big-endian two's complement).</summary>
    public byte[]? Nonce { get; }
    /// <summary>The TSA certificate, when the token carries it (found by the SignerInfo's identifier).</summary>
    public X509Certificate2? TsaCertificate { get; private set; }
    /// <summary>Every certificate carried by the token.</summary>
    public IReadOnlyList<X509Certificate2> Certificates { get; }
    /// <summary>Where the token came from (for messages).</summary>
    public string Source { get; }

    internal CmsSignedData SignedData { get; }
    internal TstInfo Info { get; }

    /// <summary>Parses a DER TimeStampToken.</summary>
    /// <exception cref="InvalidInputException">Not a timestamp token.</exception>
    public static TimestampToken Parse(byte[] der, string source = "timestamp")
    {
        if (der is null) throw new ArgumentNullException(nameof(der));
        try
        {
            var sd = new CmsSignedData(der);
            if (sd.SignedContentType.Id != PkcsObjectIdentifiers.IdCTTstInfo.Id)
                throw new InvalidInputException(MessageKeys.TimestampMalformed, source, "content type " + sd.SignedContentType.Id);
            var encap = Org.BouncyCastle.Asn1.Cms.SignedData.GetInstance(Org.BouncyCastle.Asn1.Cms.ContentInfo.GetInstance(Asn1Object.FromByteArray(der)).Content).EncapContentInfo;
            var content = (encap.Content as Asn1OctetString)?.GetOctets() ?? throw new InvalidInputException(MessageKeys.TimestampMalformed, source, "no TSTInfo");
            var info = TstInfo.GetInstance(Asn1Object.FromByteArray(content));
            if (sd.GetSignerInfos().Count != 1) throw new InvalidInputException(MessageKeys.TimestampMalformed, source, "not exactly one SignerInfo");
            return new TimestampToken(der, sd, info, source);
        }
        catch (Exception e) when (e is not InvalidInputException && e is not OutOfMemoryException)
        {
            throw new InvalidInputException(MessageKeys.TimestampMalformed, e, source, e.Message);
        }
    }

    /// <summary>Uses <paramref name="candidates"/> (e.g. the trust store's intermediates) when the token carries no TSA certificate.</summary>
    internal void ResolveTsaCertificate(IEnumerable<X509Certificate2> candidates)
    {
        TsaCertificate ??= FindSignerCertificate(candidates);
    }

    private X509Certificate2? FindSignerCertificate(IEnumerable<X509Certificate2> candidates)
    {
        var signer = SignedData.GetSignerInfos().GetSigners().First();
        var parser = new Org.BouncyCastle.X509.X509CertificateParser();
        foreach (var c in candidates)
        {
            try { if (signer.SignerID.Match(parser.ReadCertificate(c.RawData))) return c; }
            catch (Exception) { /* unreadable candidate: skip */ }
        }
        return null;
    }
}
