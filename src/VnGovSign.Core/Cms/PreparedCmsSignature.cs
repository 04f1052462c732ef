using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.X509;
using SignerInfo = Org.BouncyCastle.Asn1.Cms.SignerInfo;
using SignedData = Org.BouncyCastle.Asn1.Cms.SignedData;
using ContentInfo = Org.BouncyCastle.Asn1.Cms.ContentInfo;

namespace VnGovSign.Cms;

/// <summary>
/// A prepared CAdES signature: the signed attributes are fixed and <see cref="Digest"/> is what the
/// signer signs. <see cref="Complete"/> (step 3) assembles the CMS SignedData around the value.
/// </summary>
public sealed class PreparedCmsSignature : IPreparedSignature
{
    private readonly byte[] _digest;

    internal PreparedCmsSignature(HashAlgorithmName hash, RsaPadding padding, KeyAlgorithm keyAlgorithm, byte[] contentDigest,
        byte[] signedAttributes, byte[] signerCertificate, IReadOnlyList<byte[]> certificates)
    {
        Hash = hash; Padding = padding; KeyAlgorithm = keyAlgorithm; ContentDigest = contentDigest;
        SignedAttributes = signedAttributes; SignerCertificate = signerCertificate; Certificates = certificates;
        _digest = Digests.Compute(hash, signedAttributes);
    }

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Digest => _digest;
    /// <inheritdoc />
    public HashAlgorithmName Hash { get; }
    /// <inheritdoc />
    public RsaPadding Padding { get; }
    /// <summary>The signer's key family.</summary>
    public KeyAlgorithm KeyAlgorithm { get; }
    /// <summary>The digest of the detached content (the message-digest attribute).</summary>
    public byte[] ContentDigest { get; }
    /// <summary>The DER SET of signed attributes whose hash is <see cref="Digest"/>.</summary>
    public byte[] SignedAttributes { get; }
    /// <summary>The signer's DER certificate.</summary>
    public byte[] SignerCertificate { get; }
    /// <summary>DER certificates to embed (signer first).</summary>
    public IReadOnlyList<byte[]> Certificates { get; }

    /// <summary>
    /// Step 3: checks <paramref name="signatureValue"/> against the signer's public key (a wrong key
    /// or a broken device must not yield a file that only fails later) and returns the DER CMS
    /// ContentInfo with detached content.
    /// </summary>
    /// <param name="signatureValue">As an <see cref="ISigner"/> returns it (r‖s for ECDSA).</param>
    /// <exception cref="SigningException">The value does not verify with the signer's certificate.</exception>
    public byte[] Complete(byte[] signatureValue)
    {
        if (signatureValue is null || signatureValue.Length == 0) throw new SigningException(MessageKeys.SignatureValueInvalid, null);
        using var cert = new X509Certificate2(SignerCertificate);
        if (!SignatureAlgorithms.VerifyDigest(cert, Hash, Padding, _digest, signatureValue))
            throw new SigningException(MessageKeys.SignatureValueInvalid, null);
        byte[] value = KeyAlgorithm == KeyAlgorithm.Ecdsa ? EcdsaSignatureFormat.ToDer(signatureValue) : signatureValue;

        var bcCert = X509CertificateStructure.GetInstance(SignerCertificate);
        var digestAlg = new AlgorithmIdentifier(new DerObjectIdentifier(Digests.Oid(Hash)), DerNull.Instance);
        var signerInfo = new SignerInfo(
            new SignerIdentifier(new IssuerAndSerialNumber(bcCert.Issuer, bcCert.SerialNumber.Value)),
            digestAlg,
            Asn1Set.GetInstance(SignedAttributes),
            SignatureAlgorithms.For(KeyAlgorithm, Hash, Padding),
            new DerOctetString(value),
            null);
        var certs = new Asn1EncodableVector();
        foreach (var c in Certificates) certs.Add(X509CertificateStructure.GetInstance(c));
        var signedData = new SignedData(
            new DerSet(digestAlg),
            new ContentInfo(CmsObjectIdentifiers.Data, null),
            Certificates.Count > 0 ? new DerSet(certs) : null,
            null,
            new DerSet(signerInfo));
        return new ContentInfo(CmsObjectIdentifiers.SignedData, signedData).GetEncoded(Asn1Encodable.Der);
    }

    /// <inheritdoc />
    public byte[] Serialize()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("type", "cades-detached");
            w.WriteString("hash", Hash.Name);
            w.WriteString("padding", Padding.ToString());
            w.WriteString("key", KeyAlgorithm.ToString());
            w.WriteBase64String("contentDigest", ContentDigest);
            w.WriteBase64String("signedAttributes", SignedAttributes);
            w.WriteBase64String("signerCertificate", SignerCertificate);
            w.WriteStartArray("certificates");
            foreach (var c in Certificates) w.WriteBase64StringValue(c);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    /// <summary>Restores what <see cref="Serialize"/> wrote.</summary>
    /// <exception cref="InvalidInputException">The bytes are not a serialised prepared CMS signature.</exception>
    public static PreparedCmsSignature Deserialize(byte[] state)
    {
        try
        {
            using var doc = JsonDocument.Parse(state);
            var r = doc.RootElement;
            if (r.GetProperty("type").GetString() != "cades-detached") throw new FormatException("type");
            var hash = Digests.Parse(r.GetProperty("hash").GetString()!);
            var padding = (RsaPadding)Enum.Parse(typeof(RsaPadding), r.GetProperty("padding").GetString()!);
            var key = (KeyAlgorithm)Enum.Parse(typeof(KeyAlgorithm), r.GetProperty("key").GetString()!);
            var certs = r.GetProperty("certificates").EnumerateArray().Select(e => e.GetBytesFromBase64()).ToList();
            return new PreparedCmsSignature(hash, padding, key, r.GetProperty("contentDigest").GetBytesFromBase64(),
                r.GetProperty("signedAttributes").GetBytesFromBase64(), r.GetProperty("signerCertificate").GetBytesFromBase64(), certs);
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidInputException(MessageKeys.PreparedStateInvalid, e, e.Message);
        }
    }
}
