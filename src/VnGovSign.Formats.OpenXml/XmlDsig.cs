using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace VnGovSign.Formats.OpenXml;

/// <summary>Algorithm URIs and Canonical XML of one element in its document's context.</summary>
internal static class XmlDsig
{
    public const string C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
    public const string ObjectType = "http://www.w3.org/2000/09/xmldsig#Object";
    public const string SignedPropertiesType = "http://uri.etsi.org/01903#SignedProperties";

    public static string DigestUri(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA1" => "http://www.w3.org/2000/09/xmldsig#sha1",
        "SHA256" => "http://www.w3.org/2001/04/xmlenc#sha256",
        "SHA384" => "http://www.w3.org/2001/04/xmldsig-more#sha384",
        "SHA512" => "http://www.w3.org/2001/04/xmlenc#sha512",
        _ => throw new InvalidInputException(MessageKeys.UnsupportedAlgorithm, hash.Name),
    };

    public static HashAlgorithmName? DigestFromUri(string uri) => uri switch
    {
        "http://www.w3.org/2000/09/xmldsig#sha1" => HashAlgorithmName.SHA1,
        "http://www.w3.org/2001/04/xmlenc#sha256" => HashAlgorithmName.SHA256,
        "http://www.w3.org/2001/04/xmldsig-more#sha384" => HashAlgorithmName.SHA384,
        "http://www.w3.org/2001/04/xmlenc#sha512" => HashAlgorithmName.SHA512,
        _ => null,
    };

    public static string SignatureUri(KeyAlgorithm key, HashAlgorithmName hash)
    {
        string h = hash.Name switch
        {
            "SHA1" => "sha1", "SHA256" => "sha256", "SHA384" => "sha384", "SHA512" => "sha512",
            _ => throw new InvalidInputException(MessageKeys.UnsupportedAlgorithm, hash.Name),
        };
        if (key == KeyAlgorithm.Rsa)
            return h == "sha1" ? "http://www.w3.org/2000/09/xmldsig#rsa-sha1" : "http://www.w3.org/2001/04/xmldsig-more#rsa-" + h;
        return "http://www.w3.org/2001/04/xmldsig-more#ecdsa-" + h;
    }

    public static (KeyAlgorithm Key, HashAlgorithmName Hash)? SignatureFromUri(string uri) => uri switch
    {
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1" => (KeyAlgorithm.Rsa, HashAlgorithmName.SHA1),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" => (KeyAlgorithm.Rsa, HashAlgorithmName.SHA256),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" => (KeyAlgorithm.Rsa, HashAlgorithmName.SHA384),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" => (KeyAlgorithm.Rsa, HashAlgorithmName.SHA512),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1" => (KeyAlgorithm.Ecdsa, HashAlgorithmName.SHA1),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" => (KeyAlgorithm.Ecdsa, HashAlgorithmName.SHA256),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" => (KeyAlgorithm.Ecdsa, HashAlgorithmName.SHA384),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512" => (KeyAlgorithm.Ecdsa, HashAlgorithmName.SHA512),
        _ => null,
    };

    /// <summary>
    /// Inclusive Canonical XML 1.0 (without comments) of <paramref name="element"/> as a node-set
    /// reference (<c>URI="#id"</c>) yields it: the element's subtree with every namespace in scope
    /// from its ancestors declared on it, as XML-DSig §4.3.3.3 and C14N §2.4 say.
    /// </summary>
    public static byte[] Canonicalize(XmlElement element)
    {
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var copy = (XmlElement)doc.ImportNode(element, deep: true);
        doc.AppendChild(copy);
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (XmlAttribute a in element.Attributes)
            if (IsNamespaceDeclaration(a)) declared.Add(a.Name);
        for (var p = element.ParentNode as XmlElement; p is not null; p = p.ParentNode as XmlElement)
        {
            foreach (XmlAttribute a in p.Attributes)
            {
                if (!IsNamespaceDeclaration(a) || !declared.Add(a.Name)) continue;
                var attr = doc.CreateAttribute(a.Prefix, a.LocalName, a.NamespaceURI);
                attr.Value = a.Value;
                copy.Attributes.Append(attr);
            }
        }
        var t = new XmlDsigC14NTransform(includeComments: false);
        t.LoadInput(doc);
        using var output = (Stream)t.GetOutput(typeof(Stream));
        using var ms = new MemoryStream();
        output.CopyTo(ms);
        return ms.ToArray();
    }

    private static bool IsNamespaceDeclaration(XmlAttribute a) => a.Name == "xmlns" || a.Prefix == "xmlns";

    /// <summary>Finds the element whose Id (or id) attribute is <paramref name="id"/>; null when none or several.</summary>
    public static XmlElement? FindById(XmlDocument doc, string id)
    {
        XmlElement? found = null;
        foreach (var el in doc.GetElementsByTagName("*").OfType<XmlElement>())
        {
            var v = el.HasAttribute("Id") ? el.GetAttribute("Id") : el.HasAttribute("id") ? el.GetAttribute("id") : null;
            if (v != id) continue;
            if (found is not null) return null; // duplicate Ids invite signature wrapping: refuse
            found = el;
        }
        return found;
    }
}
