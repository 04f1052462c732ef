using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cms;
using Org.BouncyCastle.Asn1.Ess;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using BcAttribute = Org.BouncyCastle.Asn1.Cms.Attribute;

namespace VnGovSign.Cms;

/// <summary>
/// Step 1 of a detached CAdES baseline signature: builds the signed attributes (content-type,
/// message-digest, signing-certificate-v2, optional signing-time) over a content digest and returns
/// the digest that the signer must sign. No key is touched here.
/// </summary>
/// <remarks>
/// A building block: it does not know the signing time the format writes (PAdES leaves signing-time out
/// and writes /M), so it does not run <see cref="SigningCertificateCheck"/>. <see cref="CadesSigner"/> and
/// every format's prepare step do, before calling it; a caller that uses it directly should too.
/// </remarks>
public static class CadesSignatureBuilder
{
    /// <summary>Prepares a signature over content whose digest (with <see cref="CmsSignatureParameters.Hash"/>) is <paramref name="contentDigest"/>.</summary>
    /// <param name="contentDigest">The digest of the detached content (e.g. a PDF's ByteRange).</param>
    /// <param name="signerCertificate">The certificate whose key will sign.</param>
    /// <param name="chain">CA certificates to embed (issuer first); may be empty.</param>
    /// <param name="keyAlgorithm">The signer's key family.</param>
    /// <param name="parameters">Hash, padding, signing time.</param>
    public static PreparedCmsSignature Prepare(ReadOnlySpan<byte> contentDigest, X509Certificate2 signerCertificate,
        IEnumerable<X509Certificate2> chain, KeyAlgorithm keyAlgorithm, CmsSignatureParameters parameters)
    {
        if (signerCertificate is null) throw new ArgumentNullException(nameof(signerCertificate));
        parameters ??= new CmsSignatureParameters();
        if (contentDigest.Length != Digests.Length(parameters.Hash))
            throw new InvalidInputException(MessageKeys.DigestLengthMismatch, contentDigest.Length, parameters.Hash.Name);

        var v = new Asn1EncodableVector
        {
            new BcAttribute(CmsAttributes.ContentType, new DerSet(CmsObjectIdentifiers.Data)),
            new BcAttribute(CmsAttributes.MessageDigest, new DerSet(new DerOctetString(contentDigest.ToArray()))),
            new BcAttribute(PkcsObjectIdentifiers.IdAASigningCertificateV2, new DerSet(SigningCertificateV2(signerCertificate))),
        };
        if (parameters.SigningTime is { } t)
            v.Add(new BcAttribute(CmsAttributes.SigningTime, new DerSet(new Org.BouncyCastle.Asn1.Cms.Time(t.UtcDateTime))));
        byte[] signedAttributes = new DerSet(v).GetEncoded(Asn1Encodable.Der); // DER sorts the SET

        var certificates = new List<byte[]>();
        if (parameters.EmbedCertificates)
        {
            certificates.Add(signerCertificate.RawData);
            foreach (var c in chain)
                if (!certificates.Any(x => x.AsSpan().SequenceEqual(c.RawData))) certificates.Add(c.RawData);
        }
        return new PreparedCmsSignature(parameters.Hash, parameters.Padding, keyAlgorithm, contentDigest.ToArray(),
            signedAttributes, signerCertificate.RawData, certificates);
    }

    private static SigningCertificateV2 SigningCertificateV2(X509Certificate2 certificate)
    {
        var bc = X509CertificateStructure.GetInstance(certificate.RawData);
        var issuerSerial = new IssuerSerial(new GeneralNames(new GeneralName(bc.Issuer)), bc.SerialNumber);
        // hashAlgorithm omitted: SHA-256 is the DEFAULT and DER leaves defaults out.
        var id = new EssCertIDv2(Digests.Sha256(certificate.RawData), issuerSerial);
        return new SigningCertificateV2(new[] { id });
    }
}
