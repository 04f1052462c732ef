using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Tsp;
using VnGovSign.Cms;
using VnGovSign.Timestamps;
using VnGovSign.Validation;

namespace VnGovSign.Formats.OpenXml;

/// <summary>XAdES SignatureTimeStamp (B-T): an RFC 3161 token over the canonical ds:SignatureValue element.</summary>
internal static class XadesTimestamp
{
    public static async Task AddSignatureTimestampAsync(XmlDocument doc, ITimestampClient tsa, HashAlgorithmName hash, CancellationToken ct)
    {
        var ns = SignatureDocument.NamespaceManager(doc);
        var value = (XmlElement)doc.SelectSingleNode("/ds:Signature/ds:SignatureValue", ns)!;
        var imprint = Digests.Compute(hash, XmlDsig.Canonicalize(value));
        var token = await tsa.GetTimestampTokenAsync(imprint, hash, ct).ConfigureAwait(false);
        var qp = (XmlElement)doc.SelectSingleNode("/ds:Signature/ds:Object/xd:QualifyingProperties", ns)!;
        var unsigned = doc.CreateElement("xd", "UnsignedProperties", OpcNames.XadesNamespace);
        var usp = doc.CreateElement("xd", "UnsignedSignatureProperties", OpcNames.XadesNamespace);
        var ts = doc.CreateElement("xd", "SignatureTimeStamp", OpcNames.XadesNamespace);
        ts.SetAttribute("Id", "idSignatureTimeStamp");
        var cm = doc.CreateElement("CanonicalizationMethod", OpcNames.DsNamespace);
        cm.SetAttribute("Algorithm", XmlDsig.C14N);
        var enc = doc.CreateElement("xd", "EncapsulatedTimeStamp", OpcNames.XadesNamespace);
        enc.InnerText = Convert.ToBase64String(token);
        ts.AppendChild(cm); ts.AppendChild(enc); usp.AppendChild(ts); unsigned.AppendChild(usp); qp.AppendChild(unsigned);
    }

    /// <summary>What checking a signature timestamp found.</summary>
    internal sealed record Result(bool Valid, DateTimeOffset? Time, string? Problem, CmsSignature? Token);

    /// <summary>Checks a token: CMS integrity, TSTInfo imprint over the SignatureValue, and the TSA's path at genTime.</summary>
    public static async Task<(Result Result, CertificateValidationResult? Path)> ValidateAsync(byte[] token, XmlElement signatureValue,
        CertificateValidator validator, CancellationToken ct)
    {
        CmsSignature cms;
        TstInfo info;
        try
        {
            cms = CmsSignature.Parse(token, "SignatureTimeStamp");
            info = TstInfo.GetInstance(Asn1Object.FromByteArray(cms.EncapsulatedContent ?? throw new InvalidDataException("no TSTInfo")));
        }
        catch (Exception e) when (e is InvalidInputException or IOException or ArgumentException or InvalidCastException)
        {
            return (new Result(false, null, e.Message, null), null);
        }
        cms.ResolveSigner(validator.Trust.Intermediates);
        var time = new DateTimeOffset(info.GenTime.ToDateTime().ToUniversalTime(), TimeSpan.Zero);
        var integrity = cms.CheckIntegrity(Digests.Compute(cms.DigestAlgorithm, cms.EncapsulatedContent!));
        if (!integrity.MessageDigestMatches || !integrity.SignatureValid) return (new Result(false, time, "token signature", cms), null);
        var imprintHash = Digests.FromOid(info.MessageImprint.HashAlgorithm.Algorithm.Id);
        var expected = Digests.Compute(imprintHash, XmlDsig.Canonicalize(signatureValue));
        if (!expected.AsSpan().SequenceEqual(info.MessageImprint.GetHashedMessage()))
            return (new Result(false, time, "messageImprint", cms), null);
        if (cms.SignerCertificate is not X509Certificate2 tsaCert) return (new Result(false, time, "TSA certificate", cms), null);
        var path = await validator.ValidateAsync(tsaCert, time, cms.Certificates, CertificateUsage.Timestamping, null, ct).ConfigureAwait(false);
        return (new Result(true, time, null, cms), path);
    }
}
