using System.Security.Cryptography;
using System.Security.Cryptography.Xml;
using System.Xml;

namespace VnGovSign.Formats.Xml;

/// <summary>Namespace and algorithm identifiers of XML-DSig and XAdES.</summary>
public static class XmlDsig
{
    /// <summary>http://www.w3.org/2000/09/xmldsig#</summary>
    public const string Namespace = "http://www.w3.org/2000/09/xmldsig#";
    /// <summary>XAdES 1.3.2 namespace.</summary>
    public const string XadesNamespace = "http://uri.etsi.org/01903/v1.3.2#";
    /// <summary>XAdES 1.4.1 namespace (ArchiveTimeStamp).</summary>
    public const string Xades141Namespace = "http://uri.etsi.org/01903/v1.4.1#";
    /// <summary>Inclusive C14N 1.0.</summary>
    public const string C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
    /// <summary>Inclusive C14N 1.0 with comments.</summary>
    public const string C14NWithComments = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
    /// <summary>Exclusive C14N.</summary>
    public const string ExcC14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
    /// <summary>Exclusive C14N with comments.</summary>
    public const string ExcC14NWithComments = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
    /// <summary>Enveloped-signature transform.</summary>
    public const string Enveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
    /// <summary>XPath filtering transform (accepted only for the fixed signature-exclusion expressions this package writes).</summary>
    public const string XPath = "http://www.w3.org/TR/1999/REC-xpath-19991116";
    /// <summary>Reference type of a SignatureProperties object.</summary>
    public const string SignaturePropertiesType = "http://www.w3.org/2000/09/xmldsig#SignatureProperties";
    /// <summary>Reference type of XAdES SignedProperties.</summary>
    public const string SignedPropertiesType = "http://uri.etsi.org/01903#SignedProperties";

    /// <summary>The DigestMethod URI of a hash.</summary>
    public static string DigestUri(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA1" => "http://www.w3.org/2000/09/xmldsig#sha1",
        "SHA256" => "http://www.w3.org/2001/04/xmlenc#sha256",
        "SHA384" => "http://www.w3.org/2001/04/xmldsig-more#sha384",
        "SHA512" => "http://www.w3.org/2001/04/xmlenc#sha512",
        _ => throw XmlMessages.Invalid("UnsupportedAlgorithm", hash.Name ?? "?"),
    };

    /// <summary>The hash of a DigestMethod URI, or null when unknown.</summary>
    public static HashAlgorithmName? HashFromDigestUri(string? uri) => uri switch
    {
        "http://www.w3.org/2000/09/xmldsig#sha1" => HashAlgorithmName.SHA1,
        "http://www.w3.org/2001/04/xmlenc#sha256" => HashAlgorithmName.SHA256,
        "http://www.w3.org/2001/04/xmldsig-more#sha384" => HashAlgorithmName.SHA384,
        "http://www.w3.org/2001/04/xmlenc#sha512" => HashAlgorithmName.SHA512,
        _ => null,
    };

    /// <summary>The SignatureMethod URI for a key, hash and padding.</summary>
    public static string SignatureUri(KeyAlgorithm key, HashAlgorithmName hash, RsaPadding padding)
    {
        string h = hash.Name switch { "SHA1" => "sha1", "SHA256" => "sha256", "SHA384" => "sha384", "SHA512" => "sha512", _ => throw XmlMessages.Invalid("UnsupportedAlgorithm", hash.Name ?? "?") };
        if (key == KeyAlgorithm.Ecdsa) return "http://www.w3.org/2001/04/xmldsig-more#ecdsa-" + h;
        if (padding == RsaPadding.Pss) return "http://www.w3.org/2007/05/xmldsig-more#" + h + "-rsa-MGF1";
        return h == "sha1" ? "http://www.w3.org/2000/09/xmldsig#rsa-sha1" : "http://www.w3.org/2001/04/xmldsig-more#rsa-" + h;
    }

    /// <summary>Parses a SignatureMethod URI; null when unknown.</summary>
    public static (KeyAlgorithm Key, HashAlgorithmName Hash, RsaPadding Padding)? ParseSignatureUri(string? uri)
    {
        if (uri is null) return null;
        if (uri == "http://www.w3.org/2000/09/xmldsig#rsa-sha1") return (KeyAlgorithm.Rsa, HashAlgorithmName.SHA1, RsaPadding.Pkcs1);
        HashAlgorithmName? H(string s) => s switch { "sha1" => HashAlgorithmName.SHA1, "sha256" => HashAlgorithmName.SHA256, "sha384" => HashAlgorithmName.SHA384, "sha512" => HashAlgorithmName.SHA512, _ => null };
        const string more = "http://www.w3.org/2001/04/xmldsig-more#";
        if (uri.StartsWith(more + "rsa-", StringComparison.Ordinal) && H(uri.Substring(more.Length + 4)) is { } rh) return (KeyAlgorithm.Rsa, rh, RsaPadding.Pkcs1);
        if (uri.StartsWith(more + "ecdsa-", StringComparison.Ordinal) && H(uri.Substring(more.Length + 6)) is { } eh) return (KeyAlgorithm.Ecdsa, eh, RsaPadding.Pkcs1);
        const string pss = "http://www.w3.org/2007/05/xmldsig-more#";
        if (uri.StartsWith(pss, StringComparison.Ordinal) && uri.EndsWith("-rsa-MGF1", StringComparison.Ordinal)
            && H(uri.Substring(pss.Length, uri.Length - pss.Length - 9)) is { } ph) return (KeyAlgorithm.Rsa, ph, RsaPadding.Pss);
        return null;
    }

    internal static bool IsC14N(string? uri) => uri is C14N or C14NWithComments or ExcC14N or ExcC14NWithComments;

    /// <summary>The fixed XPath expression that leaves an element (by local name) and its content out of a reference.</summary>
    internal static string ExclusionXPath(string localName) => "not(ancestor-or-self::*[local-name()='" + localName + "'])";

    private static readonly System.Text.RegularExpressions.Regex ExclusionPattern =
        new(@"^\s*not\(ancestor-or-self::\*\[local-name\(\)\s*=\s*'([A-Za-z_][A-Za-z0-9._-]*)'\]\)\s*$");

    /// <summary>The local name excluded by one of our fixed XPath expressions; null for any other expression.</summary>
    internal static string? ParseExclusionXPath(string expression)
    {
        var m = ExclusionPattern.Match(expression);
        return m.Success ? m.Groups[1].Value : null;
    }
}

/// <summary>One transform of a reference as this package understands it.</summary>
internal sealed record TransformSpec(string Algorithm, string? InclusivePrefixes = null, string? ExcludedElement = null);

/// <summary>
/// Reference processing and canonicalisation on a DOM in which the Signature already sits, so the
/// namespace context is exactly what a verifier sees. Only same-document references and the
/// transforms of <see cref="TransformSpec"/> exist here: nothing can load a file or a URL.
/// </summary>
internal static class DsigProcessor
{
    /// <summary>Elements with an Id/id/ID attribute, by value (each list holds duplicates too).</summary>
    public static Dictionary<string, List<XmlElement>> IndexIds(XmlDocument doc)
    {
        var map = new Dictionary<string, List<XmlElement>>(StringComparer.Ordinal);
        foreach (XmlElement e in doc.SelectNodes("//*")!)
        {
            foreach (XmlAttribute a in e.Attributes)
            {
                if (a.NamespaceURI.Length != 0 || (a.LocalName != "Id" && a.LocalName != "id" && a.LocalName != "ID")) continue;
                if (!map.TryGetValue(a.Value, out var list)) map[a.Value] = list = new List<XmlElement>();
                list.Add(e);
            }
        }
        return map;
    }

    /// <summary>The octets a reference digests (after its transforms).</summary>
    /// <param name="doc">The document holding <paramref name="signature"/>.</param>
    /// <param name="signature">The ds:Signature the reference belongs to (for the enveloped transform).</param>
    /// <param name="target">The referenced element, or null for URI="" (the whole document).</param>
    /// <param name="transforms">The transforms in order.</param>
    public static byte[] ReferenceOctets(XmlDocument doc, XmlElement signature, XmlElement? target, IReadOnlyList<TransformSpec> transforms)
    {
        using var ms = new MemoryStream();
        if (TryWriteReference(doc, signature, target, transforms, ms)) return ms.ToArray();
        return DotNetReferenceOctets(doc, signature, target, transforms);
    }

    /// <summary>The digest of a reference's octets, canonicalised straight into the hash.</summary>
    public static byte[] ReferenceDigest(XmlDocument doc, XmlElement signature, XmlElement? target, IReadOnlyList<TransformSpec> transforms, HashAlgorithmName hash)
    {
        using (var h = Digests.Create(hash))
        using (var s = new HashingStream(h))
        {
            if (TryWriteReference(doc, signature, target, transforms, s)) return h.GetHashAndReset();
        }
        return Digests.Compute(hash, DotNetReferenceOctets(doc, signature, target, transforms));
    }

    /// <summary>The reference through <see cref="Canonicalizer"/>; false when it leaves the input to .NET (output then void).</summary>
    internal static bool TryWriteReference(XmlDocument doc, XmlElement signature, XmlElement? target, IReadOnlyList<TransformSpec> transforms, Stream output)
    {
        bool enveloped = transforms.Any(t => t.Algorithm == XmlDsig.Enveloped);
        var excluded = transforms.Where(t => t.ExcludedElement is not null).Select(t => t.ExcludedElement!).ToList();
        var c14n = transforms.LastOrDefault(t => XmlDsig.IsC14N(t.Algorithm)) ?? new TransformSpec(XmlDsig.C14N);
        var (exclusive, comments) = Mode(c14n.Algorithm, false);
        // The enveloped transform removes the Signature only where it lies inside what is referenced.
        XmlElement? omit = enveloped && (target is null || IsDescendantOrSelf(signature, target)) ? signature : null;
        return Canonicalizer.TryWrite((XmlNode?)target ?? doc, exclusive, comments, exclusive ? c14n.InclusivePrefixes : null, output, omit, excluded);
    }

    /// <summary>
    /// Which canonicaliser <see cref="DotNetCanonicalize"/> runs for an algorithm: exclusive or inclusive,
    /// with or without comments (the WithComments URIs decide; plain C14N follows <paramref name="comments"/>).
    /// </summary>
    private static (bool Exclusive, bool Comments) Mode(string algorithm, bool comments) => algorithm switch
    {
        XmlDsig.ExcC14N => (true, false),
        XmlDsig.ExcC14NWithComments => (true, true),
        XmlDsig.C14NWithComments => (false, true),
        _ => (false, comments),
    };

    /// <summary>The reference as .NET's transforms render it (the fallback, and the tests' oracle).</summary>
    internal static byte[] DotNetReferenceOctets(XmlDocument doc, XmlElement signature, XmlElement? target, IReadOnlyList<TransformSpec> transforms)
    {
        bool enveloped = transforms.Any(t => t.Algorithm == XmlDsig.Enveloped);
        var excluded = transforms.Where(t => t.ExcludedElement is not null).Select(t => t.ExcludedElement!).ToList();
        var c14n = transforms.LastOrDefault(t => XmlDsig.IsC14N(t.Algorithm)) ?? new TransformSpec(XmlDsig.C14N);
        bool comments = target is not null && false; // same-document references drop comments (XML-DSig 4.3.3.3)
        if (target is null)
        {
            // Whole document: take the signature (and excluded elements) out, canonicalise, put them back.
            var removed = new List<(XmlNode Node, XmlNode Parent, XmlNode? Next)>();
            try
            {
                if (enveloped) Remove(signature, removed);
                foreach (var name in excluded)
                    foreach (var e in doc.SelectNodes("//*")!.Cast<XmlElement>().Where(x => x.LocalName == name).ToList())
                        if (IsAttached(e)) Remove(e, removed);
                return DotNetCanonicalize(doc, c14n, comments);
            }
            finally
            {
                for (int i = removed.Count - 1; i >= 0; i--)
                {
                    var (node, parent, next) = removed[i];
                    if (next is null) parent.AppendChild(node); else parent.InsertBefore(node, next);
                }
            }
        }
        var copy = Isolate(target, Mode(c14n.Algorithm, false).Exclusive);
        var root = copy.DocumentElement!;
        if (enveloped && IsDescendantOrSelf(signature, target))
        {
            var path = PathFrom(target, signature);
            var inCopy = Follow(root, path);
            inCopy?.ParentNode?.RemoveChild(inCopy);
        }
        foreach (var name in excluded)
            foreach (var e in copy.SelectNodes("//*")!.Cast<XmlElement>().Where(x => x.LocalName == name).ToList())
                e.ParentNode?.RemoveChild(e);
        return DotNetCanonicalize(copy, c14n, comments);
    }

    /// <summary>Canonical form of an element in its context (for SignedInfo, SignatureValue, timestamps).</summary>
    public static byte[] CanonicalizeElement(XmlElement element, string algorithm, string? inclusivePrefixes = null)
    {
        var (exclusive, comments) = Mode(algorithm, algorithm.EndsWith("WithComments", StringComparison.Ordinal));
        using var ms = new MemoryStream();
        if (Canonicalizer.TryWrite(element, exclusive, comments, exclusive ? inclusivePrefixes : null, ms)) return ms.ToArray();
        return DotNetCanonicalizeElement(element, algorithm, inclusivePrefixes);
    }

    /// <summary>The element as .NET's transforms render it (the fallback, and the tests' oracle).</summary>
    internal static byte[] DotNetCanonicalizeElement(XmlElement element, string algorithm, string? inclusivePrefixes = null)
        => DotNetCanonicalize(Isolate(element, Mode(algorithm, false).Exclusive), new TransformSpec(algorithm, inclusivePrefixes), algorithm.EndsWith("WithComments", StringComparison.Ordinal));

    private static bool IsAttached(XmlNode n) { for (var p = n; p is not null; p = p.ParentNode) if (p is XmlDocument) return true; return false; }

    private static void Remove(XmlNode node, List<(XmlNode, XmlNode, XmlNode?)> removed)
    {
        var parent = node.ParentNode!;
        removed.Add((node, parent, node.NextSibling));
        parent.RemoveChild(node);
    }

    private static bool IsDescendantOrSelf(XmlNode node, XmlNode ancestor)
    {
        for (var p = node; p is not null; p = p.ParentNode) if (ReferenceEquals(p, ancestor)) return true;
        return false;
    }

    private static List<int> PathFrom(XmlNode ancestor, XmlNode node)
    {
        var path = new List<int>();
        for (var p = node; !ReferenceEquals(p, ancestor); p = p.ParentNode!)
        {
            int i = 0;
            for (var s = p.PreviousSibling; s is not null; s = s.PreviousSibling) i++;
            path.Insert(0, i);
        }
        return path;
    }

    private static XmlNode? Follow(XmlNode root, List<int> path)
    {
        XmlNode? n = root;
        foreach (int i in path) n = n?.ChildNodes.Count > i ? n.ChildNodes[i] : null;
        return n;
    }

    /// <summary>
    /// A copy of the element as the root of its own document, carrying the namespace declarations
    /// (and, for inclusive C14N, the xml:* attributes) in scope from its ancestors, which is what C14N of a
    /// document subset renders. Exclusive C14N inherits no xml:* attributes (REC-xml-exc-c14n §3); copying
    /// them there made digests that xmlsec1 rejects.
    /// </summary>
    private static XmlDocument Isolate(XmlElement element, bool exclusive)
    {
        var copy = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        var root = (XmlElement)copy.ImportNode(element, true);
        copy.AppendChild(root);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (XmlAttribute a in element.Attributes) if (IsNs(a) || a.Prefix == "xml") seen.Add(a.Name);
        for (var p = element.ParentNode as XmlElement; p is not null; p = p.ParentNode as XmlElement)
        {
            foreach (XmlAttribute a in p.Attributes)
            {
                if (!(IsNs(a) || (a.Prefix == "xml" && !exclusive)) || !seen.Add(a.Name)) continue;
                if (a.Name == "xmlns" && a.Value.Length == 0) continue;
                root.SetAttributeNode((XmlAttribute)copy.ImportNode(a, true));
            }
        }
        return copy;
    }

    private static bool IsNs(XmlAttribute a) => a.Prefix == "xmlns" || a.Name == "xmlns";

    /// <summary>.NET's transform over a document (the fallback, and the tests' oracle).</summary>
    internal static byte[] DotNetCanonicalize(XmlDocument doc, TransformSpec c14n, bool comments)
    {
        Transform t = c14n.Algorithm switch
        {
            XmlDsig.ExcC14N => new XmlDsigExcC14NTransform(false, c14n.InclusivePrefixes),
            XmlDsig.ExcC14NWithComments => new XmlDsigExcC14NTransform(true, c14n.InclusivePrefixes),
            XmlDsig.C14NWithComments => new XmlDsigC14NTransform(true),
            _ => new XmlDsigC14NTransform(comments),
        };
        t.LoadInput(doc);
        using var s = (Stream)t.GetOutput(typeof(Stream));
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
