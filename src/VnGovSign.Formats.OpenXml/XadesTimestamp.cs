using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using VnGovSign.Revocation;
using VnGovSign.Timestamps;
using VnGovSign.Validation;

namespace VnGovSign.Formats.OpenXml;

/// <summary>
/// XAdES unsigned properties: SignatureTimeStamp (B-T, an RFC 3161 token over the canonical
/// ds:SignatureValue element) and CertificateValues/RevocationValues (B-LT).
/// </summary>
internal static class XadesTimestamp
{
    public static async Task<byte[]> AddSignatureTimestampAsync(XmlDocument doc, ITimestampClient tsa, HashAlgorithmName hash, CancellationToken ct)
    {
        var ns = SignatureDocument.NamespaceManager(doc);
        var value = (XmlElement)doc.SelectSingleNode("/ds:Signature/ds:SignatureValue", ns)!;
        var imprint = Digests.Compute(hash, XmlDsig.Canonicalize(value));
        var token = await tsa.GetTimestampTokenAsync(imprint, hash, ct).ConfigureAwait(false);
        var ts = Xd(doc, "SignatureTimeStamp");
        ts.SetAttribute("Id", "idSignatureTimeStamp");
        var cm = doc.CreateElement("CanonicalizationMethod", OpcNames.DsNamespace);
        cm.SetAttribute("Algorithm", XmlDsig.C14N);
        ts.AppendChild(cm);
        ts.AppendChild(Xd(doc, "EncapsulatedTimeStamp", Convert.ToBase64String(token)));
        UnsignedSignatureProperties(doc).AppendChild(ts);
        return token;
    }

    /// <summary>B-LT: the certificates and OCSP responses/CRLs of the signer's path (and the TSA's), as XAdES carries them.</summary>
    public static async Task AddValidationDataAsync(XmlDocument doc, ValidationDataCollector collector, X509Certificate2 signer,
        IReadOnlyList<X509Certificate2> chain, byte[]? timestampToken, CancellationToken ct)
    {
        var data = await collector.CollectAsync(signer, chain, ct).ConfigureAwait(false);
        if (timestampToken is not null)
        {
            var token = TimestampToken.Parse(timestampToken, "SignatureTimeStamp");
            if (token.TsaCertificate is { } tsa) data.Merge(await collector.CollectAsync(tsa, token.Certificates, ct).ConfigureAwait(false));
        }
        var usp = UnsignedSignatureProperties(doc);
        var certValues = Xd(doc, "CertificateValues");
        foreach (var c in data.Certificates.Where(c => !c.AsSpan().SequenceEqual(signer.RawData)))
            certValues.AppendChild(Xd(doc, "EncapsulatedX509Certificate", Convert.ToBase64String(c)));
        usp.AppendChild(certValues);
        var revValues = Xd(doc, "RevocationValues");
        if (data.Crls.Count > 0)
        {
            var crls = Xd(doc, "CRLValues");
            foreach (var c in data.Crls) crls.AppendChild(Xd(doc, "EncapsulatedCRLValue", Convert.ToBase64String(c)));
            revValues.AppendChild(crls);
        }
        if (data.OcspResponses.Count > 0)
        {
            var ocsps = Xd(doc, "OCSPValues");
            foreach (var o in data.OcspResponses) ocsps.AppendChild(Xd(doc, "EncapsulatedOCSPValue", Convert.ToBase64String(o)));
            revValues.AppendChild(ocsps);
        }
        usp.AppendChild(revValues);
    }

    /// <summary>Reads CertificateValues and RevocationValues back into Core's model.</summary>
    public static ValidationData? ReadValidationData(XmlDocument doc, XmlNamespaceManager ns)
    {
        var usp = doc.SelectSingleNode("/ds:Signature/ds:Object/xd:QualifyingProperties/xd:UnsignedProperties/xd:UnsignedSignatureProperties", ns);
        if (usp?.SelectSingleNode("xd:RevocationValues", ns) is null) return null;
        var data = new ValidationData();
        static byte[]? B64(XmlNode n) { try { return Convert.FromBase64String(n.InnerText.Trim()); } catch (FormatException) { return null; } }
        foreach (XmlNode n in usp.SelectNodes("xd:CertificateValues/xd:EncapsulatedX509Certificate", ns)!) if (B64(n) is { } b) data.Certificates.Add(b);
        foreach (XmlNode n in usp.SelectNodes("xd:RevocationValues/xd:CRLValues/xd:EncapsulatedCRLValue", ns)!) if (B64(n) is { } b) data.Crls.Add(b);
        foreach (XmlNode n in usp.SelectNodes("xd:RevocationValues/xd:OCSPValues/xd:EncapsulatedOCSPValue", ns)!) if (B64(n) is { } b) data.OcspResponses.Add(b);
        return data;
    }

    private static XmlElement UnsignedSignatureProperties(XmlDocument doc)
    {
        var ns = SignatureDocument.NamespaceManager(doc);
        var qp = (XmlElement)doc.SelectSingleNode("/ds:Signature/ds:Object/xd:QualifyingProperties", ns)!;
        if (qp.SelectSingleNode("xd:UnsignedProperties/xd:UnsignedSignatureProperties", ns) is XmlElement existing) return existing;
        var unsigned = Xd(doc, "UnsignedProperties");
        var usp = Xd(doc, "UnsignedSignatureProperties");
        unsigned.AppendChild(usp);
        qp.AppendChild(unsigned);
        return usp;
    }

    private static XmlElement Xd(XmlDocument doc, string name, string? text = null)
    {
        var el = doc.CreateElement("xd", name, OpcNames.XadesNamespace);
        if (text is not null) el.InnerText = text;
        return el;
    }

    /// <summary>Checks a signature timestamp with Core: token integrity, its imprint over the canonical SignatureValue, the TSA's path at genTime.</summary>
    public static async Task<TimestampValidationResult> ValidateAsync(byte[] token, XmlElement signatureValue, CertificateValidator validator, CancellationToken ct)
    {
        var parsed = TimestampToken.Parse(token, "SignatureTimeStamp");
        var expected = Digests.Compute(parsed.HashAlgorithm, XmlDsig.Canonicalize(signatureValue));
        return await new TimestampValidator(validator).ValidateAsync(parsed, expected, ct).ConfigureAwait(false);
    }
}
