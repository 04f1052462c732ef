using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace VnGovSign.Formats.OpenXml;

/// <summary>Builds the XML of one signature part in the structure Office 2010–2021/365 writes.</summary>
internal static class SignatureDocument
{
    private static readonly XNamespace Ds = OpcNames.DsNamespace;
    private static readonly XNamespace Mdssi = OpcNames.DigitalSignatureNamespace;
    private static readonly XNamespace Xd = OpcNames.XadesNamespace;
    private static readonly XNamespace Office = OpcNames.OfficeDigSigNamespace;

    public const string SignatureId = "idPackageSignature";
    public const string PackageObjectId = "idPackageObject";
    public const string OfficeObjectId = "idOfficeObject";
    public const string SignedPropertiesId = "idSignedProperties";

    /// <summary>Builds the signature with its digests filled in and an empty SignatureValue.</summary>
    public static XmlDocument Build(IReadOnlyList<ManifestEntry> manifest, HashAlgorithmName hash, KeyAlgorithm key,
        X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain, DateTimeOffset signingTime, string? comments)
    {
        string digestUri = XmlDsig.DigestUri(hash);
        string time = signingTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        var manifestEl = new XElement(Ds + "Manifest");
        foreach (var e in manifest)
        {
            var reference = new XElement(Ds + "Reference", new XAttribute("URI", e.PartName + "?ContentType=" + e.ContentType));
            if (e.RelationshipIds is { } ids)
            {
                var rt = new XElement(Ds + "Transform", new XAttribute("Algorithm", OpcNames.RelationshipTransformAlgorithm));
                foreach (var id in ids) rt.Add(new XElement(Mdssi + "RelationshipReference", new XAttribute("SourceId", id)));
                reference.Add(new XElement(Ds + "Transforms", rt, new XElement(Ds + "Transform", new XAttribute("Algorithm", XmlDsig.C14N))));
            }
            reference.Add(new XElement(Ds + "DigestMethod", new XAttribute("Algorithm", digestUri)),
                new XElement(Ds + "DigestValue", Convert.ToBase64String(e.Digest)));
            manifestEl.Add(reference);
        }

        var packageObject = new XElement(Ds + "Object", new XAttribute("Id", PackageObjectId),
            new XAttribute(XNamespace.Xmlns + "mdssi", OpcNames.DigitalSignatureNamespace),
            manifestEl,
            new XElement(Ds + "SignatureProperties",
                new XElement(Ds + "SignatureProperty", new XAttribute("Id", "idSignatureTime"), new XAttribute("Target", "#" + SignatureId),
                    new XElement(Mdssi + "SignatureTime",
                        new XElement(Mdssi + "Format", "YYYY-MM-DDThh:mm:ssTZD"),
                        new XElement(Mdssi + "Value", time)))));

        var officeObject = new XElement(Ds + "Object", new XAttribute("Id", OfficeObjectId),
            new XElement(Ds + "SignatureProperties",
                new XElement(Ds + "SignatureProperty", new XAttribute("Id", "idOfficeV1Details"), new XAttribute("Target", "#" + SignatureId),
                    new XElement(Office + "SignatureInfoV1", new XAttribute("xmlns", OpcNames.OfficeDigSigNamespace),
                        new XElement(Office + "SetupID"),
                        new XElement(Office + "SignatureText"),
                        new XElement(Office + "SignatureImage"),
                        new XElement(Office + "SignatureComments", comments ?? ""),
                        new XElement(Office + "WindowsVersion", "10.0"),
                        new XElement(Office + "OfficeVersion", "16.0"),
                        new XElement(Office + "ApplicationVersion", "16.0"),
                        new XElement(Office + "Monitors", "1"),
                        new XElement(Office + "HorizontalResolution", "1920"),
                        new XElement(Office + "VerticalResolution", "1080"),
                        new XElement(Office + "ColorDepth", "32"),
                        new XElement(Office + "SignatureProviderId", "{00000000-0000-0000-0000-000000000000}"),
                        new XElement(Office + "SignatureProviderUrl"),
                        new XElement(Office + "SignatureProviderDetails", "9"),
                        new XElement(Office + "SignatureType", "1"),
                        new XElement(Office + "ManifestHashAlgorithm", digestUri)))));

        var certDigest = Digests.Compute(hash, certificate.RawData);
        var qualifying = new XElement(Ds + "Object",
            new XElement(Xd + "QualifyingProperties", new XAttribute(XNamespace.Xmlns + "xd", OpcNames.XadesNamespace),
                new XAttribute("Target", "#" + SignatureId),
                new XElement(Xd + "SignedProperties", new XAttribute("Id", SignedPropertiesId),
                    new XElement(Xd + "SignedSignatureProperties",
                        new XElement(Xd + "SigningTime", time),
                        new XElement(Xd + "SigningCertificate",
                            new XElement(Xd + "Cert",
                                new XElement(Xd + "CertDigest",
                                    new XElement(Ds + "DigestMethod", new XAttribute("Algorithm", digestUri)),
                                    new XElement(Ds + "DigestValue", Convert.ToBase64String(certDigest))),
                                new XElement(Xd + "IssuerSerial",
                                    new XElement(Ds + "X509IssuerName", certificate.IssuerName.Name),
                                    new XElement(Ds + "X509SerialNumber", SerialDecimal(certificate))))),
                        new XElement(Xd + "SignaturePolicyIdentifier", new XElement(Xd + "SignaturePolicyImplied"))))));

        var keyInfo = new XElement(Ds + "KeyInfo", new XElement(Ds + "X509Data",
            new[] { certificate }.Concat(chain.Where(c => !c.RawData.AsSpan().SequenceEqual(certificate.RawData)))
                .Select(c => new XElement(Ds + "X509Certificate", Convert.ToBase64String(c.RawData)))));

        XElement Ref(string id, string type, bool c14n) => new(Ds + "Reference", new XAttribute("Type", type), new XAttribute("URI", "#" + id),
            c14n ? new XElement(Ds + "Transforms", new XElement(Ds + "Transform", new XAttribute("Algorithm", XmlDsig.C14N))) : null,
            new XElement(Ds + "DigestMethod", new XAttribute("Algorithm", digestUri)),
            new XElement(Ds + "DigestValue", ""));

        var signedInfo = new XElement(Ds + "SignedInfo",
            new XElement(Ds + "CanonicalizationMethod", new XAttribute("Algorithm", XmlDsig.C14N)),
            new XElement(Ds + "SignatureMethod", new XAttribute("Algorithm", XmlDsig.SignatureUri(key, hash))),
            Ref(PackageObjectId, XmlDsig.ObjectType, false),
            Ref(OfficeObjectId, XmlDsig.ObjectType, false),
            Ref(SignedPropertiesId, XmlDsig.SignedPropertiesType, true));

        var signature = new XElement(Ds + "Signature", new XAttribute("xmlns", OpcNames.DsNamespace), new XAttribute("Id", SignatureId),
            signedInfo, new XElement(Ds + "SignatureValue", ""), keyInfo, packageObject, officeObject, qualifying);

        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + signature.ToString(SaveOptions.DisableFormatting);
        var doc = SafeXml.Load(Encoding.UTF8.GetBytes(text));
        FillReferenceDigests(doc, hash);
        return doc;
    }

    private static void FillReferenceDigests(XmlDocument doc, HashAlgorithmName hash)
    {
        var ns = NamespaceManager(doc);
        foreach (XmlElement r in doc.SelectNodes("/ds:Signature/ds:SignedInfo/ds:Reference", ns)!)
        {
            var target = XmlDsig.FindById(doc, r.GetAttribute("URI").Substring(1))!;
            r.SelectSingleNode("ds:DigestValue", ns)!.InnerText = Convert.ToBase64String(Digests.Compute(hash, XmlDsig.Canonicalize(target)));
        }
    }

    /// <summary>The canonical SignedInfo: what the signature value signs.</summary>
    public static byte[] CanonicalSignedInfo(XmlDocument doc) =>
        XmlDsig.Canonicalize((XmlElement)doc.SelectSingleNode("/ds:Signature/ds:SignedInfo", NamespaceManager(doc))!);

    public static XmlNamespaceManager NamespaceManager(XmlDocument doc)
    {
        var ns = new XmlNamespaceManager(doc.NameTable);
        ns.AddNamespace("ds", OpcNames.DsNamespace);
        ns.AddNamespace("xd", OpcNames.XadesNamespace);
        ns.AddNamespace("mdssi", OpcNames.DigitalSignatureNamespace);
        ns.AddNamespace("o", OpcNames.OfficeDigSigNamespace);
        return ns;
    }

    /// <summary>The serial number as the decimal integer XML-DSig's X509SerialNumber wants.</summary>
    public static string SerialDecimal(X509Certificate2 certificate)
    {
        // GetSerialNumber is little-endian; a trailing zero byte keeps the integer unsigned.
        var le = certificate.GetSerialNumber().Concat(new byte[] { 0 }).ToArray();
        return new BigInteger(le).ToString(CultureInfo.InvariantCulture);
    }

    public static byte[] Serialize(XmlDocument doc)
    {
        using var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
            doc.Save(w);
        return ms.ToArray();
    }
}
