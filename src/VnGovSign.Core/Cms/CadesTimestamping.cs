using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Pkcs;
using VnGovSign.Timestamps;
using BcAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using SignerInfo = Org.BouncyCastle.Asn1.Cms.SignerInfo;
using SignedData = Org.BouncyCastle.Asn1.Cms.SignedData;
using ContentInfo = Org.BouncyCastle.Asn1.Cms.ContentInfo;

namespace VnGovSign.Cms;

/// <summary>B-T: the signature-time-stamp unsigned attribute over the SignerInfo's signature value.</summary>
public static class CadesTimestamping
{
    /// <summary>Asks <paramref name="tsa"/> for a timestamp over the signature value and adds it as an unsigned attribute.</summary>
    /// <exception cref="InvalidInputException">No TSA configured, or the CMS is malformed.</exception>
    public static async Task<byte[]> AddSignatureTimestampAsync(byte[] cms, ITimestampClient? tsa, HashAlgorithmName hash, CancellationToken cancellationToken = default)
    {
        if (tsa is null) throw new InvalidInputException(MessageKeys.TimestampUrlMissing);
        var parsed = CmsSignature.Parse(cms);
        var imprint = Digests.Compute(hash, parsed.SignatureValue);
        var token = await tsa.GetTimestampTokenAsync(imprint, hash, cancellationToken).ConfigureAwait(false);
        return AddUnsignedAttribute(cms, PkcsObjectIdentifiers.IdAASignatureTimeStampToken.Id, token);
    }

    /// <summary>Adds (appends) an unsigned attribute to the first SignerInfo; the signed part is untouched.</summary>
    public static byte[] AddUnsignedAttribute(byte[] cms, string attributeOid, byte[] attributeValueDer)
    {
        try
        {
            var ci = ContentInfo.GetInstance(Asn1Object.FromByteArray(cms));
            var sd = SignedData.GetInstance(ci.Content);
            var si = SignerInfo.GetInstance(sd.SignerInfos[0]);
            var v = new Asn1EncodableVector();
            if (si.UnsignedAttrs is { } existing) foreach (var a in existing) v.Add(a);
            v.Add(new BcAttribute(new DerObjectIdentifier(attributeOid), new DerSet(Asn1Object.FromByteArray(attributeValueDer))));
            var newSi = new SignerInfo(si.SignerID, si.DigestAlgorithm, si.SignedAttrs, si.SignatureAlgorithm,
                si.Signature, new DerSet(v));
            var signers = new Asn1EncodableVector(newSi);
            for (int i = 1; i < sd.SignerInfos.Count; i++) signers.Add(sd.SignerInfos[i]);
            var newSd = new SignedData(sd.DigestAlgorithms, sd.EncapContentInfo, sd.Certificates, sd.CRLs, new DerSet(signers));
            return new ContentInfo(CmsObjectIdentifiers.SignedData, newSd).GetEncoded(Asn1Encodable.Der);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidCastException)
        {
            throw new InvalidInputException(MessageKeys.CmsMalformed, e, "CMS", e.Message);
        }
    }
}
