using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;

namespace VnGovSign.Formats.Xml;

/// <summary>A parsed ds:Reference.</summary>
internal sealed record ParsedReference(XmlElement Element, string Uri, string? Type, IReadOnlyList<TransformSpec> Transforms, HashAlgorithmName Hash, byte[] DigestValue);

/// <summary>
/// A ds:Signature read strictly: only same-document URIs, only the transforms this package allows
/// (C14N, enveloped, our fixed exclusion XPath); anything else is a <see cref="SignatureRefusedException"/>.
/// </summary>
internal sealed class SignatureModel
{
    public XmlElement Signature { get; init; } = default!;
    public XmlElement SignedInfo { get; init; } = default!;
    public string CanonicalizationMethod { get; init; } = default!;
    public string? InclusivePrefixes { get; init; } = default!;
    public string SignatureMethod { get; init; } = default!;
    public XmlElement SignatureValueElement { get; init; } = default!;
    public byte[] SignatureValue { get; init; } = default!;
    public IReadOnlyList<ParsedReference> References { get; init; } = default!;
    public IReadOnlyList<X509Certificate2> Certificates { get; init; } = default!;
    public XmlElement? KeyInfo { get; init; }
    public XmlElement? QualifyingProperties { get; init; }

    public string Id => Signature.GetAttribute("Id");

    public static SignatureModel Parse(XmlElement signature)
    {
        var si = One(signature, "SignedInfo");
        var cm = One(si, "CanonicalizationMethod");
        string c14n = cm.GetAttribute("Algorithm");
        if (!XmlDsig.IsC14N(c14n)) throw new SignatureRefusedException("TransformRefused", c14n);
        var sm = One(si, "SignatureMethod").GetAttribute("Algorithm");
        var sv = One(signature, "SignatureValue");
        byte[] value = B64(sv.InnerText, "SignatureValue");
        var refs = new List<ParsedReference>();
        foreach (var r in XmlSigner.Children(si).Where(e => e.LocalName == "Reference" && e.NamespaceURI == XmlDsig.Namespace))
        {
            if (!r.HasAttribute("URI")) throw new SignatureRefusedException("ExternalReference", "(no URI)");
            string uri = r.GetAttribute("URI");
            if (uri.Length > 0 && uri[0] != '#') throw new SignatureRefusedException("ExternalReference", uri);
            if (uri.StartsWith("#xpointer(", StringComparison.Ordinal) && uri != "#xpointer(/)") throw new SignatureRefusedException("ExternalReference", uri);
            var transforms = new List<TransformSpec>();
            if (XmlSigner.Children(r).FirstOrDefault(e => e.LocalName == "Transforms") is { } ts)
            {
                foreach (var t in XmlSigner.Children(ts))
                {
                    string alg = t.GetAttribute("Algorithm");
                    if (alg == XmlDsig.Enveloped) transforms.Add(new TransformSpec(alg));
                    else if (XmlDsig.IsC14N(alg)) transforms.Add(new TransformSpec(alg, PrefixList(t)));
                    else if (alg == XmlDsig.XPath && XmlSigner.Children(t).FirstOrDefault(e => e.LocalName == "XPath") is { } xp
                             && XmlDsig.ParseExclusionXPath(xp.InnerText) is { } excluded)
                        transforms.Add(new TransformSpec(alg, ExcludedElement: excluded));
                    else throw new SignatureRefusedException("TransformRefused", alg);
                }
            }
            var dm = One(r, "DigestMethod").GetAttribute("Algorithm");
            var hash = XmlDsig.HashFromDigestUri(dm) ?? throw new SignatureRefusedException("UnsupportedAlgorithm", dm);
            refs.Add(new ParsedReference(r, uri, r.HasAttribute("Type") ? r.GetAttribute("Type") : null, transforms, hash, B64(One(r, "DigestValue").InnerText, "DigestValue")));
        }
        if (refs.Count == 0) throw new SignatureRefusedException("SignatureMalformed", signature.GetAttribute("Id"), "no Reference");
        var certs = new List<X509Certificate2>();
        var keyInfo = XmlSigner.Children(signature).FirstOrDefault(e => e.LocalName == "KeyInfo" && e.NamespaceURI == XmlDsig.Namespace);
        if (keyInfo is not null)
            foreach (var xd in XmlSigner.Children(keyInfo).Where(e => e.LocalName == "X509Data" && e.NamespaceURI == XmlDsig.Namespace))
                foreach (var xc in XmlSigner.Children(xd).Where(e => e.LocalName == "X509Certificate"))
                {
                    try { certs.Add(LoadCertificate(B64(xc.InnerText, "X509Certificate"))); }
                    catch (CryptographicException) { throw new SignatureRefusedException("SignatureMalformed", signature.GetAttribute("Id"), "X509Certificate"); }
                }
        var qp = signature.GetElementsByTagName("QualifyingProperties", XmlDsig.XadesNamespace).OfType<XmlElement>().FirstOrDefault();
        return new SignatureModel
        {
            Signature = signature, SignedInfo = si, CanonicalizationMethod = c14n, InclusivePrefixes = PrefixList(cm), SignatureMethod = sm,
            SignatureValueElement = sv, SignatureValue = value, References = refs, Certificates = certs, KeyInfo = keyInfo, QualifyingProperties = qp,
        };
    }

    private static string? PrefixList(XmlElement t) =>
        XmlSigner.Children(t).FirstOrDefault(e => e.LocalName == "InclusiveNamespaces") is { } inc ? inc.GetAttribute("PrefixList") : null;

    private static XmlElement One(XmlElement parent, string localName) =>
        XmlSigner.Children(parent).FirstOrDefault(e => e.LocalName == localName && e.NamespaceURI == XmlDsig.Namespace)
        ?? throw new SignatureRefusedException("SignatureMalformed", parent.OwnerDocument?.DocumentElement?.LocalName ?? "", "no " + localName);

    private static byte[] B64(string text, string what)
    {
        try { return Convert.FromBase64String(text.Trim()); }
        catch (FormatException) { throw new SignatureRefusedException("SignatureMalformed", what, "base64"); }
    }

    internal static X509Certificate2 LoadCertificate(byte[] der) =>
#if NET9_0_OR_GREATER
        X509CertificateLoader.LoadCertificate(der);
#else
        new(der);
#endif
}

/// <summary>A signature that is refused before any cryptography (its message key is one of <see cref="XmlMessages"/>).</summary>
internal sealed class SignatureRefusedException : Exception
{
    public SignatureRefusedException(string key, params object?[] args) : base(key) { Key = key; Args = args; }
    public string Key { get; }
    public object?[] Args { get; }
}
