using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using BcAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;
using SignerInfo = Org.BouncyCastle.Asn1.Cms.SignerInfo;
using SignedData = Org.BouncyCastle.Asn1.Cms.SignedData;
using ContentInfo = Org.BouncyCastle.Asn1.Cms.ContentInfo;

namespace VnGovSign.Cms;

/// <summary>
/// A parsed CMS SignedData with one SignerInfo (the form every format in VnGovSign writes):
/// what was signed, by whom, and the raw pieces needed to check it.
/// </summary>
public sealed class CmsSignature
{
    private readonly SignerInfo _signerInfo;

    private CmsSignature(SignedData signedData, SignerInfo signerInfo, IReadOnlyList<X509Certificate2> certificates, byte[] encoded)
    {
        _signerInfo = signerInfo;
        Certificates = certificates;
        Encoded = encoded;
        DigestAlgorithm = Digests.FromOid(signerInfo.DigestAlgorithm.Algorithm.Id);
        SignatureAlgorithm = signerInfo.SignatureAlgorithm;
        SignatureValue = signerInfo.Signature.GetOctets();
        var content = signedData.EncapContentInfo;
        EncapsulatedContent = content.Content is Asn1OctetString os ? os.GetOctets() : null;
        ContentType = content.ContentType.Id;
        if (signerInfo.SignedAttrs is { } attrs)
        {
            SignedAttributes = attrs.GetEncoded(Asn1Encodable.Der);
            var table = new Org.BouncyCastle.Asn1.Cms.AttributeTable(attrs);
            if (table[CmsAttributes.MessageDigest] is BcAttribute md)
                MessageDigest = Asn1OctetString.GetInstance(md.AttrValues[0]).GetOctets();
            if (table[CmsAttributes.SigningTime] is BcAttribute st)
                SigningTime = new DateTimeOffset(Org.BouncyCastle.Asn1.Cms.Time.GetInstance(st.AttrValues[0]).ToDateTime().ToUniversalTime(), TimeSpan.Zero);
            SigningCertificateHashes = ReadSigningCertificate(table);
        }
        SignerCertificate = FindSigner(signerInfo.SignerID, certificates);
        if (signerInfo.UnsignedAttrs is { } unsigned)
        {
            var tokens = new List<byte[]>();
            foreach (var a in unsigned)
            {
                var attr = BcAttribute.GetInstance(a);
                if (attr.AttrType.Id == PkcsObjectIdentifiers.IdAASignatureTimeStampToken.Id)
                    foreach (var v in attr.AttrValues) tokens.Add(v.ToAsn1Object().GetEncoded(Asn1Encodable.Der));
            }
            SignatureTimestampTokens = tokens;
        }
    }

    /// <summary>The DER (or BER) bytes parsed.</summary>
    public byte[] Encoded { get; }
    /// <summary>The eContentType (id-data for detached documents, id-ct-TSTInfo for timestamps).</summary>
    public string ContentType { get; }
    /// <summary>Encapsulated content when the CMS is not detached.</summary>
    public byte[]? EncapsulatedContent { get; }
    /// <summary>All certificates the CMS carries.</summary>
    public IReadOnlyList<X509Certificate2> Certificates { get; }
    /// <summary>The certificate named by the SignerInfo's sid, when the CMS carries it.</summary>
    public X509Certificate2? SignerCertificate { get; private set; }
    /// <summary>The digest algorithm of the SignerInfo.</summary>
    public HashAlgorithmName DigestAlgorithm { get; }
    /// <summary>The OID of the signature algorithm.</summary>
    public string SignatureAlgorithmOid => SignatureAlgorithm.Algorithm.Id;
    internal AlgorithmIdentifier SignatureAlgorithm { get; }
    /// <summary>The signature value as stored (DER for ECDSA).</summary>
    public byte[] SignatureValue { get; }
    /// <summary>The DER SET of signed attributes (what the signature covers); null when absent.</summary>
    public byte[]? SignedAttributes { get; }
    /// <summary>The message-digest attribute.</summary>
    public byte[]? MessageDigest { get; }
    /// <summary>The signing-time attribute (the signer's claim, not proof).</summary>
    public DateTimeOffset? SigningTime { get; }
    /// <summary>(hash algorithm, certificate hash, serial or null) from signing-certificate(-v2); null when absent.</summary>
    public IReadOnlyList<(HashAlgorithmName Hash, byte[] CertificateHash, byte[]? Serial)>? SigningCertificateHashes { get; }
    /// <summary>DER TimeStampTokens in the signature-time-stamp unsigned attribute (B-T).</summary>
    public IReadOnlyList<byte[]> SignatureTimestampTokens { get; } = Array.Empty<byte[]>();

    /// <summary>Parses DER/BER CMS bytes.</summary>
    /// <param name="cms">The CMS ContentInfo.</param>
    /// <param name="source">Names the input in errors (a file, a PDF object, an XML element).</param>
    /// <exception cref="InvalidInputException">Not a CMS SignedData, or no SignerInfo.</exception>
    public static CmsSignature Parse(byte[] cms, string source = "CMS")
    {
        if (cms is null || cms.Length == 0) throw new InvalidInputException(MessageKeys.CmsMalformed, source, "empty");
        try
        {
            var obj = Asn1Object.FromByteArray(cms);
            var ci = ContentInfo.GetInstance(obj);
            if (ci.ContentType.Id != CmsObjectIdentifiers.SignedData.Id)
                throw new InvalidInputException(MessageKeys.CmsMalformed, source, "contentType " + ci.ContentType.Id);
            var sd = SignedData.GetInstance(ci.Content);
            if (sd.SignerInfos.Count == 0) throw new InvalidInputException(MessageKeys.CmsNoSigner, source);
            var certs = new List<X509Certificate2>();
            if (sd.Certificates is { } set)
                foreach (var c in set)
                    if (c.ToAsn1Object() is Asn1Sequence) certs.Add(new X509Certificate2(c.ToAsn1Object().GetEncoded(Asn1Encodable.Der)));
            return new CmsSignature(sd, SignerInfo.GetInstance(sd.SignerInfos[0]), certs, cms);
        }
        catch (InvalidInputException) { throw; }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidCastException or InvalidOperationException
                                       or CryptographicException or FormatException or NullReferenceException or IndexOutOfRangeException)
        {
            throw new InvalidInputException(MessageKeys.CmsMalformed, e, source, e.Message);
        }
    }

    /// <summary>Uses <paramref name="candidates"/> to find the signer when the CMS does not carry its certificate.</summary>
    public void ResolveSigner(IEnumerable<X509Certificate2> candidates)
    {
        SignerCertificate ??= FindSigner(_signerInfo.SignerID, candidates.ToList());
    }

    /// <summary>
    /// Checks what integrity needs and nothing about trust: the content digest against the
    /// message-digest attribute, the signature value over the signed attributes, and that the
    /// signing-certificate attribute names the certificate used.
    /// </summary>
    /// <param name="contentDigest">Digest of the detached content made with <see cref="DigestAlgorithm"/>.</param>
    public CmsIntegrity CheckIntegrity(byte[] contentDigest)
    {
        bool digestOk = MessageDigest is not null && contentDigest.AsSpan().SequenceEqual(MessageDigest);
        if (SignerCertificate is null) return new CmsIntegrity(digestOk, false, null);
        bool sigOk;
        try
        {
            // Without signed attributes the signature covers the content itself; that form is not
            // produced by anything we accept, and it cannot be checked from a digest alone.
            sigOk = SignedAttributes is not null &&
                    SignatureAlgorithms.Verify(SignerCertificate, SignatureAlgorithm, DigestAlgorithm, SignedAttributes, SignatureValue);
        }
        catch (Exception e) when (e is CryptographicException or InvalidInputException or ArgumentException) { sigOk = false; }
        bool? certOk = null;
        if (SigningCertificateHashes is { Count: > 0 } ids)
        {
            var (hash, value, serial) = ids[0];
            certOk = Digests.Compute(hash, SignerCertificate.RawData).AsSpan().SequenceEqual(value)
                     && (serial is null || serial.AsSpan().SequenceEqual(SerialBytes(SignerCertificate)));
        }
        return new CmsIntegrity(digestOk, sigOk, certOk);
    }

    private static byte[] SerialBytes(X509Certificate2 c) =>
        X509CertificateStructure.GetInstance(c.RawData).SerialNumber.Value.ToByteArray();

    private static IReadOnlyList<(HashAlgorithmName, byte[], byte[]?)>? ReadSigningCertificate(Org.BouncyCastle.Asn1.Cms.AttributeTable table)
    {
        var list = new List<(HashAlgorithmName, byte[], byte[]?)>();
        if (table[PkcsObjectIdentifiers.IdAASigningCertificateV2] is BcAttribute v2)
        {
            foreach (var id in SigningCertificateV2.GetInstance(v2.AttrValues[0]).GetCerts())
            {
                var alg = id.HashAlgorithm is null ? HashAlgorithmName.SHA256 : Digests.FromOid(id.HashAlgorithm.Algorithm.Id);
                list.Add((alg, id.GetCertHash(), id.IssuerSerial?.Serial.Value.ToByteArray()));
            }
            return list;
        }
        if (table[PkcsObjectIdentifiers.IdAASigningCertificate] is BcAttribute v1)
        {
            foreach (var id in SigningCertificate.GetInstance(v1.AttrValues[0]).GetCerts())
                list.Add((HashAlgorithmName.SHA1, id.GetCertHash(), id.IssuerSerial?.Serial.Value.ToByteArray()));
            return list;
        }
        return null;
    }

    private static X509Certificate2? FindSigner(SignerIdentifier sid, IReadOnlyList<X509Certificate2> certs)
    {
        if (sid.ID is Asn1OctetString ski)
        {
            byte[] wanted = ski.GetOctets();
            return certs.FirstOrDefault(c =>
            {
                var ext = X509CertificateStructure.GetInstance(c.RawData).TbsCertificate.Extensions?.GetExtension(X509Extensions.SubjectKeyIdentifier);
                return ext is not null && SubjectKeyIdentifier.GetInstance(ext.GetParsedValue()).GetKeyIdentifier().AsSpan().SequenceEqual(wanted);
            });
        }
        var ias = Org.BouncyCastle.Asn1.Cms.IssuerAndSerialNumber.GetInstance(sid.ID);
        return certs.FirstOrDefault(c =>
        {
            var s = X509CertificateStructure.GetInstance(c.RawData);
            return s.SerialNumber.Value.Equals(ias.SerialNumber.Value) && s.Issuer.Equivalent(ias.Issuer);
        });
    }
}

/// <summary>The integrity facts of a CMS signature.</summary>
/// <param name="MessageDigestMatches">The content's digest equals the message-digest attribute.</param>
/// <param name="SignatureValid">The signature value verifies over the signed attributes with the signer's key.</param>
/// <param name="SigningCertificateMatches">The signing-certificate(-v2) attribute names the signer's certificate; null when absent.</param>
public sealed record CmsIntegrity(bool MessageDigestMatches, bool SignatureValid, bool? SigningCertificateMatches);
