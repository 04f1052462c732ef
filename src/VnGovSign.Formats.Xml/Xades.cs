using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace VnGovSign.Formats.Xml;

/// <summary>XAdES (ETSI EN 319 132-1) baseline properties: B-B signed properties, B-T/B-LT/B-LTA unsigned ones.</summary>
internal static class Xades
{
    public const string Prefix = "xades";

    /// <summary>ds:Object/QualifyingProperties with SignedProperties (SigningTime, SigningCertificateV2) and the unsigned slot.</summary>
    public static string SignedPropertiesObject(string signatureId, string signedPropertiesId, X509Certificate2 certificate, DateTimeOffset now, HashAlgorithmName hash)
    {
        var sb = new StringBuilder(2048);
        sb.Append("<Object><xades:QualifyingProperties xmlns:xades=\"").Append(XmlDsig.XadesNamespace).Append("\" Target=\"#").Append(XmlSigner.Esc(signatureId)).Append("\">");
        sb.Append("<xades:SignedProperties Id=\"").Append(XmlSigner.Esc(signedPropertiesId)).Append("\"><xades:SignedSignatureProperties>");
        sb.Append("<xades:SigningTime>").Append(now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append("</xades:SigningTime>");
        sb.Append("<xades:SigningCertificateV2><xades:Cert><xades:CertDigest><DigestMethod Algorithm=\"").Append(XmlDsig.DigestUri(hash))
          .Append("\"/><DigestValue>").Append(Convert.ToBase64String(Digests.Compute(hash, certificate.RawData))).Append("</DigestValue></xades:CertDigest>");
        sb.Append("<xades:IssuerSerialV2>").Append(Convert.ToBase64String(IssuerSerial(certificate))).Append("</xades:IssuerSerialV2></xades:Cert></xades:SigningCertificateV2>");
        sb.Append("</xades:SignedSignatureProperties></xades:SignedProperties>");
        sb.Append(XmlSigner.UnsignedSlot);
        sb.Append("</xades:QualifyingProperties></Object>");
        return sb.ToString();
    }

    /// <summary>DER IssuerSerial (RFC 5035) of a certificate, as IssuerSerialV2 carries it.</summary>
    public static byte[] IssuerSerial(X509Certificate2 certificate)
    {
        var bc = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(certificate.RawData);
        return new IssuerSerial(new GeneralNames(new GeneralName(bc.IssuerDN)), new DerInteger(bc.SerialNumber)).GetDerEncoded();
    }

    public static string Wrap(string inner) =>
        "<xades:UnsignedProperties><xades:UnsignedSignatureProperties>" + inner + "</xades:UnsignedSignatureProperties></xades:UnsignedProperties>";

    public static string EncapsulatedTimestamp(string element, string id, byte[] token, string ns = "xades") =>
        "<" + ns + ":" + element + (ns == "xades" ? "" : " xmlns:" + ns + "=\"" + XmlDsig.Xades141Namespace + "\"") + " Id=\"" + id + "\"><CanonicalizationMethod Algorithm=\"" + XmlDsig.ExcC14N
        + "\"/><xades:EncapsulatedTimeStamp>" + Convert.ToBase64String(token) + "</xades:EncapsulatedTimeStamp></" + ns + ":" + element + ">";

    /// <summary>The data a SignatureTimeStamp stamps: the canonical ds:SignatureValue element.</summary>
    public static byte[] SignatureTimestampInput(SignatureModel sig, string c14n) =>
        DsigProcessor.CanonicalizeElement(sig.SignatureValueElement, c14n);

    /// <summary>
    /// The data an ArchiveTimeStamp stamps (EN 319 132-1 §5.5.2): every reference's octets, then the
    /// canonical SignedInfo, SignatureValue, KeyInfo, the unsigned signature properties before it, and
    /// the ds:Objects other than the one holding QualifyingProperties.
    /// </summary>
    public static byte[] ArchiveTimestampInput(SignatureModel sig, XmlElement? archiveTimestamp, string c14n)
    {
        var doc = sig.Signature.OwnerDocument!;
        var ids = DsigProcessor.IndexIds(doc);
        using var ms = new MemoryStream();
        void Put(byte[] b) => ms.Write(b, 0, b.Length);
        foreach (var r in sig.References)
        {
            XmlElement? target = r.Uri.Length == 0 || r.Uri == "#xpointer(/)" ? null : ids[r.Uri.Substring(1)][0];
            Put(DsigProcessor.ReferenceOctets(doc, sig.Signature, target, r.Transforms));
        }
        Put(DsigProcessor.CanonicalizeElement(sig.SignedInfo, c14n));
        Put(DsigProcessor.CanonicalizeElement(sig.SignatureValueElement, c14n));
        if (sig.KeyInfo is not null) Put(DsigProcessor.CanonicalizeElement(sig.KeyInfo, c14n));
        var usp = sig.QualifyingProperties?.GetElementsByTagName("UnsignedSignatureProperties", XmlDsig.XadesNamespace).OfType<XmlElement>().FirstOrDefault();
        if (usp is not null)
            foreach (var e in XmlSigner.Children(usp))
            {
                if (ReferenceEquals(e, archiveTimestamp)) break;
                Put(DsigProcessor.CanonicalizeElement(e, c14n));
            }
        foreach (var o in XmlSigner.Children(sig.Signature).Where(e => e.LocalName == "Object" && e.NamespaceURI == XmlDsig.Namespace))
            if (o.GetElementsByTagName("QualifyingProperties", XmlDsig.XadesNamespace).Count == 0) Put(DsigProcessor.CanonicalizeElement(o, c14n));
        return ms.ToArray();
    }

    /// <summary>Adds SignatureTimeStamp (B-T), CertificateValues and RevocationValues (B-LT) and ArchiveTimeStamp (B-LTA).</summary>
    public static async Task<string> AddUnsignedAsync(PreparedXmlSignature prepared, string template, SignatureOptions options,
        VnGovSign.Revocation.ValidationDataCollector? collector, CancellationToken ct)
    {
        var tsa = options.Timestamps ?? throw new InvalidInputException(MessageKeys.TimestampUrlMissing);
        var hash = options.Hash == HashAlgorithmName.SHA1 ? HashAlgorithmName.SHA256 : options.Hash;
        string inner = "";
        SignatureModel Current() => SignatureModel.Parse(XmlSigner.FindSignature(XmlSource.Parse(prepared.Compose(template.Replace(XmlSigner.UnsignedSlot, Wrap(inner))), prepared.Name), prepared.SignatureId));

        var sig = Current();
        byte[] token = await tsa.GetTimestampTokenAsync(Digests.Compute(hash, SignatureTimestampInput(sig, XmlDsig.ExcC14N)), hash, ct).ConfigureAwait(false);
        inner += EncapsulatedTimestamp("SignatureTimeStamp", prepared.SignatureId + "-SignatureTimeStamp", token);
        if (options.Level >= SignatureLevel.BaselineLT)
        {
            var data = await XadesValidationData.CollectAsync(collector ?? throw XmlMessages.Invalid("CollectorMissing", SignatureLevels.Name(options.Level)),
                prepared.Certificate, prepared.Chain, token, ct).ConfigureAwait(false);
            inner += CertificateValues(data.Certificates) + RevocationValues(data.Crls, data.OcspResponses);
        }
        if (options.Level >= SignatureLevel.BaselineLTA)
        {
            sig = Current();
            byte[] archive = await tsa.GetTimestampTokenAsync(Digests.Compute(hash, ArchiveTimestampInput(sig, null, XmlDsig.ExcC14N)), hash, ct).ConfigureAwait(false);
            inner += EncapsulatedTimestamp("ArchiveTimeStamp", prepared.SignatureId + "-ArchiveTimeStamp", archive, "xadesv141");
        }
        return template.Replace(XmlSigner.UnsignedSlot, Wrap(inner));
    }

    public static string CertificateValues(IEnumerable<byte[]> certificates)
    {
        var sb = new StringBuilder("<xades:CertificateValues>");
        foreach (var c in certificates) sb.Append("<xades:EncapsulatedX509Certificate>").Append(Convert.ToBase64String(c)).Append("</xades:EncapsulatedX509Certificate>");
        return sb.Append("</xades:CertificateValues>").ToString();
    }

    public static string RevocationValues(IList<byte[]> crls, IList<byte[]> ocsps)
    {
        var sb = new StringBuilder("<xades:RevocationValues>");
        if (crls.Count > 0)
        {
            sb.Append("<xades:CRLValues>");
            foreach (var c in crls) sb.Append("<xades:EncapsulatedCRLValue>").Append(Convert.ToBase64String(c)).Append("</xades:EncapsulatedCRLValue>");
            sb.Append("</xades:CRLValues>");
        }
        if (ocsps.Count > 0)
        {
            sb.Append("<xades:OCSPValues>");
            foreach (var o in ocsps) sb.Append("<xades:EncapsulatedOCSPValue>").Append(Convert.ToBase64String(o)).Append("</xades:EncapsulatedOCSPValue>");
            sb.Append("</xades:OCSPValues>");
        }
        return sb.Append("</xades:RevocationValues>").ToString();
    }
}
