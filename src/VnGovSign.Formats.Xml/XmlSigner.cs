using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;

namespace VnGovSign.Formats.Xml;

/// <summary>
/// Signs XML documents under an <see cref="XmlSignatureProfile"/>. Two phases, so a token, an HSM or a
/// phone can sign: <see cref="Prepare"/> computes SignedInfo's digest, the signer signs it,
/// <see cref="CompleteAsync"/> inserts the SignatureValue (and, for XAdES, the timestamps and
/// validation data of higher levels). The input's bytes are never re-serialised: the output is the
/// original bytes with the Signature (and, when missing, its container and the content's Id) inserted.
/// </summary>
public sealed class XmlSigner
{
    internal const string SignatureValueSlot = "@@vgs-SignatureValue@@";
    internal const string UnsignedSlot = "@@vgs-UnsignedProperties@@";

    /// <summary>Creates a signer for <paramref name="profile"/>.</summary>
    public XmlSigner(XmlSignatureProfile profile, SignatureOptions? options = null)
    {
        Profile = profile ?? throw new ArgumentNullException(nameof(profile));
        Options = options ?? new SignatureOptions();
    }

    /// <summary>The profile.</summary>
    public XmlSignatureProfile Profile { get; }
    /// <summary>Level, hash, padding, timestamp client and clock.</summary>
    public SignatureOptions Options { get; }

    /// <summary>
    /// Where B-LT and B-LTA get the certificates, OCSP responses and CRLs of the signer's and the
    /// timestamp authority's paths (Core's collector, normally online). Required for those levels.
    /// </summary>
    public VnGovSign.Revocation.ValidationDataCollector? ValidationDataCollector { get; init; }

    /// <summary>Checks that the options fit the profile before anything is signed (a token is never asked in vain).</summary>
    /// <exception cref="InvalidInputException">A level above B-B for a plain XMLDSig profile, or a missing TSA or collector.</exception>
    public void CheckOptions()
    {
        if (Options.Level > SignatureLevel.BaselineB && !Profile.Xades)
            throw XmlMessages.Invalid("LevelNeedsXades", SignatureLevels.Name(Options.Level), Profile.Name);
        if (Options.Level >= SignatureLevel.BaselineT && Options.Timestamps is null)
            throw new InvalidInputException(MessageKeys.TimestampUrlMissing);
        if (Options.Level >= SignatureLevel.BaselineLT && ValidationDataCollector is null)
            throw XmlMessages.Invalid("CollectorMissing", SignatureLevels.Name(Options.Level));
    }

    /// <summary>Signs <paramref name="input"/> and writes the signed document to <paramref name="output"/>.</summary>
    /// <exception cref="SigningException">The signer's certificate is expired, not yet valid or not for signing (<see cref="SigningCertificateCheck"/>): nothing is written.</exception>
    public async Task SignAsync(Stream input, Stream output, ISigner signer, CancellationToken cancellationToken = default)
    {
        if (signer is null) throw new ArgumentNullException(nameof(signer));
        SigningCertificateCheck.Ensure(signer.Certificate, Options.Clock.GetUtcNow());
        using var ms = new MemoryStream();
        await input.CopyToAsync(ms, 81920, cancellationToken).ConfigureAwait(false);
        var signed = await SignAsync(ms.ToArray(), signer, "document", cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(signed, 0, signed.Length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Signs a document held in memory; <paramref name="name"/> names it in errors.</summary>
    public async Task<byte[]> SignAsync(byte[] document, ISigner signer, string name = "document", CancellationToken cancellationToken = default)
    {
        if (signer is null) throw new ArgumentNullException(nameof(signer));
        var prepared = Prepare(document, signer.Certificate, signer.Chain, signer.KeyAlgorithm, name);
        byte[] value = await signer.SignDigestAsync(prepared.Digest, prepared.Hash, prepared.Padding, cancellationToken).ConfigureAwait(false);
        return await CompleteAsync(prepared, value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Phase one: places the Signature, computes every reference and returns SignedInfo's digest
    /// (<see cref="PreparedXmlSignature.Digest"/>) for the signer.
    /// </summary>
    /// <exception cref="InvalidInputException">The document is not XML, has a DTD, or does not fit the profile.</exception>
    /// <exception cref="SigningException">The certificate is expired or not yet valid at the signing time written into the
    /// signature, or not for signing (<see cref="SigningCertificateCheck"/>).</exception>
    public PreparedXmlSignature Prepare(byte[] document, X509Certificate2 certificate, IReadOnlyList<X509Certificate2>? chain, KeyAlgorithm keyAlgorithm, string name = "document")
    {
        if (certificate is null) throw new ArgumentNullException(nameof(certificate));
        var now = Options.Clock.GetUtcNow();
        SigningCertificateCheck.Ensure(certificate, now);
        CheckOptions();
        var src = XmlSource.Decode(document, name);
        var doc = src.Parse();
        var edits = new List<TextEdit>();
        var (anchor, rule) = FindAnchor(doc, name);
        var ids = DsigProcessor.IndexIds(doc);

        // 1. What is signed.
        string? contentId = null;
        if (rule?.ContentName is { } contentName)
        {
            var content = Children(anchor).FirstOrDefault(e => e.LocalName == contentName)
                          ?? throw XmlMessages.Invalid("ElementMissing", anchor.LocalName + "/" + contentName, Profile.Name);
            var idAttr = new[] { rule.IdAttribute, "Id", "id", "ID" }.FirstOrDefault(a => content.HasAttribute(a));
            if (idAttr is not null) contentId = content.GetAttribute(idAttr);
            else
            {
                contentId = Unique(rule.DefaultId, ids);
                var span = src.Locate(content);
                edits.Add(new TextEdit(span.Start + 1 + span.QualifiedName.Length, 0, " " + rule.IdAttribute + "=\"" + Esc(contentId) + "\""));
            }
            if (ids.TryGetValue(contentId, out var holders) && holders.Count > 1) throw XmlMessages.Invalid("DuplicateIdInput", contentId);
        }
        var extra = new List<string>();
        foreach (var extraName in Profile.ExtraReferences)
        {
            var e = Children(anchor).FirstOrDefault(x => x.LocalName == extraName)
                    ?? throw XmlMessages.Invalid("ElementMissing", anchor.LocalName + "/" + extraName, Profile.Name);
            string id = e.GetAttribute("Id");
            if (id.Length == 0) throw XmlMessages.Invalid("ElementMissing", anchor.LocalName + "/" + extraName + "/@Id", Profile.Name);
            extra.Add(id);
        }

        // 2. Where the Signature goes.
        XmlElement container = anchor;
        var missing = new List<string>();
        foreach (var seg in Profile.ContainerPath.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries))
        {
            if (missing.Count == 0 && Children(container).FirstOrDefault(e => e.LocalName == seg) is { } next) { container = next; continue; }
            if (!Profile.CreateContainer) throw XmlMessages.Invalid("ElementMissing", Profile.ContainerPath, Profile.Name);
            missing.Add(seg);
        }
        if (missing.Count == 0 && !Profile.Xades && Children(container).Any(e => e.LocalName == "Signature" && e.NamespaceURI == XmlDsig.Namespace))
            throw XmlMessages.Invalid("ContainerOccupied", Profile.ContainerPath, Profile.Name);
        string prefix = anchor.Prefix.Length > 0 ? anchor.Prefix + ":" : "";
        string open = string.Concat(missing.Select(m => "<" + prefix + m + ">"));
        string close = string.Concat(Enumerable.Reverse(missing).Select(m => "</" + prefix + m + ">"));
        var containerSpan = src.Locate(container);

        // 3. The Signature, with slots for digests and the signature value.
        var hash = Options.Hash;
        string sigId = Unique(Profile.SignatureId.Length > 0 ? Profile.SignatureId : "sig", ids);
        var parts = new SignatureParts(Profile, hash, XmlDsig.SignatureUri(keyAlgorithm, hash, Options.Padding), sigId, Unique(Profile.ObjectId, ids),
            Profile.PropertiesId is null ? null : Unique(Profile.PropertiesId, ids), Unique(sigId + "-SignedProperties", ids));
        parts.AddContentReference(contentId);
        foreach (var id in extra) parts.AddIdReference(id);
        string template = parts.Build(certificate, chain ?? Array.Empty<X509Certificate2>(), now);

        string Compose(string signatureMarkup) => src.Apply(Edits(signatureMarkup));
        List<TextEdit> Edits(string signatureMarkup) => edits.Concat(new[] { containerSpan.AppendChild(open + signatureMarkup + close) }).ToList();

        // 4. Reference digests on the document as a verifier will see it.
        var doc1 = XmlSource.Parse(Compose(template), name);
        var sig1 = FindSignature(doc1, sigId);
        var ids1 = DsigProcessor.IndexIds(doc1);
        var signedInfo = Child(sig1, "SignedInfo");
        var digestValues = Children(signedInfo).Where(e => e.LocalName == "Reference" && e.NamespaceURI == XmlDsig.Namespace)
            .Select(e => Child(e, "DigestValue")).ToList();
        for (int i = 0; i < parts.References.Count; i++)
        {
            var r = parts.References[i];
            XmlElement? target = r.Id is null ? null : ids1[r.Id][0];
            string value = Convert.ToBase64String(DsigProcessor.ReferenceDigest(doc1, sig1, target, r.Transforms, hash));
            template = template.Replace(SignatureParts.DigestSlot(i), value);
            // No reference covers SignedInfo (the enveloped transform or its target leaves it out), so the DOM
            // can take the value in place: SignedInfo below is then what a new parse of the template would give.
            digestValues[i].InnerText = value;
        }

        // 5. SignedInfo's digest (on the same DOM: a second parse of a 5 MB document cost ~15% of signing it).
        byte[] c14n = DsigProcessor.CanonicalizeElement(signedInfo, Profile.Canonicalization);
        byte[] digest = Digests.Compute(hash, c14n);
        return new PreparedXmlSignature(document, name, edits, containerSpan, open, close, template, sigId, digest, hash, Options.Padding, keyAlgorithm,
            certificate, chain ?? Array.Empty<X509Certificate2>());
    }

    /// <summary>
    /// Phase two: inserts the signature value; for XAdES B-T and above also asks the timestamp
    /// authority and embeds validation data. Returns the signed document's bytes.
    /// </summary>
    /// <exception cref="InvalidInputException">The signature value does not fit the key.</exception>
    public async Task<byte[]> CompleteAsync(PreparedXmlSignature prepared, byte[] signatureValue, CancellationToken cancellationToken = default)
    {
        if (prepared is null) throw new ArgumentNullException(nameof(prepared));
        if (signatureValue is null || signatureValue.Length < 32 || signatureValue.Length > 1024)
            throw XmlMessages.Invalid("SignatureValueSize", signatureValue?.Length ?? 0);
        string template = prepared.Template.Replace(SignatureValueSlot, Convert.ToBase64String(signatureValue));
        if (Profile.Xades && Options.Level > SignatureLevel.BaselineB)
            template = await Xades.AddUnsignedAsync(prepared, template, Options, ValidationDataCollector, cancellationToken).ConfigureAwait(false);
        template = template.Replace(UnsignedSlot, "");
        var src = XmlSource.Decode(prepared.Document, prepared.Name);
        return src.ApplyToBytes(prepared.Edits(template));
    }

    private (XmlElement Anchor, XmlContentRule? Rule) FindAnchor(XmlDocument doc, string name)
    {
        var root = doc.DocumentElement ?? throw XmlMessages.Invalid("NotXml", name, "no root element");
        if (Profile.Content.Count == 0) return (root, null);
        foreach (var rule in Profile.Content)
        {
            if (!Profile.AnchorAnywhere) { if (root.LocalName == rule.AnchorName) return (root, rule); continue; }
            foreach (XmlElement e in doc.SelectNodes("//*")!)
                if (e.LocalName == rule.AnchorName && (rule.ContentName is null || Children(e).Any(c => c.LocalName == rule.ContentName))) return (e, rule);
        }
        throw XmlMessages.Invalid("RootMismatch", Profile.Name, root.LocalName, string.Join(", ", Profile.Content.Select(r => r.AnchorName).Distinct()));
    }

    internal static IEnumerable<XmlElement> Children(XmlElement e) => e.ChildNodes.OfType<XmlElement>();

    internal static XmlElement Child(XmlElement e, string localName, string ns = XmlDsig.Namespace) =>
        Children(e).First(c => c.LocalName == localName && c.NamespaceURI == ns);

    internal static XmlElement FindSignature(XmlDocument doc, string id) =>
        doc.GetElementsByTagName("Signature", XmlDsig.Namespace).OfType<XmlElement>().First(s => s.GetAttribute("Id") == id);

    internal static string Unique(string id, Dictionary<string, List<XmlElement>> taken)
    {
        if (!taken.ContainsKey(id)) return id;
        for (int i = 2; ; i++) if (!taken.ContainsKey(id + "-" + i.ToString(CultureInfo.InvariantCulture))) return id + "-" + i.ToString(CultureInfo.InvariantCulture);
    }

    internal static string Esc(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
            sb.Append(c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", '"' => "&quot;", '\r' => "&#xD;", _ => c.ToString() });
        return sb.ToString();
    }
}

/// <summary>A reference being built.</summary>
internal sealed record ReferenceSpec(string? Id, string Uri, IReadOnlyList<TransformSpec> Transforms, string? Type);

/// <summary>Writes the ds:Signature markup of a profile.</summary>
internal sealed class SignatureParts
{
    private readonly XmlSignatureProfile _p;
    private readonly HashAlgorithmName _hash;
    private readonly string _signatureMethod;

    public SignatureParts(XmlSignatureProfile profile, HashAlgorithmName hash, string signatureMethod, string signatureId, string objectId, string? propertiesId, string signedPropertiesId)
    {
        _p = profile; _hash = hash; _signatureMethod = signatureMethod;
        SignatureId = signatureId; ObjectId = objectId; PropertiesId = propertiesId; SignedPropertiesId = signedPropertiesId;
        if (profile.SigningTime == SigningTimeStyle.SignatureProperty)
            AddLater(new ReferenceSpec(propertiesId ?? objectId, "#" + (propertiesId ?? objectId), C14NOnly(), XmlDsig.SignaturePropertiesType));
        if (profile.Xades)
            AddLater(new ReferenceSpec(signedPropertiesId, "#" + signedPropertiesId, C14NOnly(), XmlDsig.SignedPropertiesType));
    }

    private readonly List<ReferenceSpec> _later = new();
    private void AddLater(ReferenceSpec r) => _later.Add(r);
    private List<TransformSpec> C14NOnly() => new() { new TransformSpec(_p.Canonicalization) };

    public string SignatureId { get; }
    public string ObjectId { get; }
    public string? PropertiesId { get; }
    public string SignedPropertiesId { get; }
    public List<ReferenceSpec> References { get; } = new();

    public static string DigestSlot(int i) => "@@vgs-Digest" + i.ToString(CultureInfo.InvariantCulture) + "@@";

    public void AddContentReference(string? id)
    {
        var t = new List<TransformSpec> { new(XmlDsig.Enveloped) };
        foreach (var name in _p.ExcludedElements) t.Add(new TransformSpec(XmlDsig.XPath, ExcludedElement: name));
        t.Add(new TransformSpec(_p.Canonicalization));
        References.Add(new ReferenceSpec(id, id is null ? "" : "#" + id, t, null));
    }

    public void AddIdReference(string id) => References.Add(new ReferenceSpec(id, "#" + id, C14NOnly(), null));

    public string Build(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain, DateTimeOffset now)
    {
        References.AddRange(_later);
        _later.Clear();
        var sb = new StringBuilder(4096);
        sb.Append("<Signature xmlns=\"").Append(XmlDsig.Namespace).Append("\" Id=\"").Append(XmlSigner.Esc(SignatureId)).Append("\">");
        sb.Append("<SignedInfo><CanonicalizationMethod Algorithm=\"").Append(_p.Canonicalization).Append("\"/>");
        sb.Append("<SignatureMethod Algorithm=\"").Append(_signatureMethod).Append("\"/>");
        for (int i = 0; i < References.Count; i++)
        {
            var r = References[i];
            sb.Append("<Reference");
            if (r.Type is not null) sb.Append(" Type=\"").Append(r.Type).Append('"');
            sb.Append(" URI=\"").Append(XmlSigner.Esc(r.Uri)).Append("\"><Transforms>");
            foreach (var t in r.Transforms)
            {
                sb.Append("<Transform Algorithm=\"").Append(t.Algorithm).Append('"');
                if (t.ExcludedElement is not null) sb.Append("><XPath>").Append(XmlSigner.Esc(XmlDsig.ExclusionXPath(t.ExcludedElement))).Append("</XPath></Transform>");
                else sb.Append("/>");
            }
            sb.Append("</Transforms><DigestMethod Algorithm=\"").Append(XmlDsig.DigestUri(_hash)).Append("\"/><DigestValue>")
              .Append(DigestSlot(i)).Append("</DigestValue></Reference>");
        }
        sb.Append("</SignedInfo><SignatureValue>").Append(XmlSigner.SignatureValueSlot).Append("</SignatureValue>");
        sb.Append("<KeyInfo>");
        if (_p.IncludeKeyValue && certificate.GetRSAPublicKey() is { } rsa)
        {
            using (rsa)
            {
                var pub = rsa.ExportParameters(false);
                sb.Append("<KeyValue><RSAKeyValue><Modulus>").Append(Convert.ToBase64String(pub.Modulus!)).Append("</Modulus><Exponent>")
                  .Append(Convert.ToBase64String(pub.Exponent!)).Append("</Exponent></RSAKeyValue></KeyValue>");
            }
        }
        sb.Append("<X509Data>");
        if (_p.IncludeSubjectName) sb.Append("<X509SubjectName>").Append(XmlSigner.Esc(certificate.Subject)).Append("</X509SubjectName>");
        sb.Append("<X509Certificate>").Append(Convert.ToBase64String(certificate.RawData)).Append("</X509Certificate>");
        // The issuing CAs (never the root) so a verifier can build the path without fetching.
        foreach (var c in chain.Where(c => !CertificateChains.IsSelfIssued(c)))
            sb.Append("<X509Certificate>").Append(Convert.ToBase64String(c.RawData)).Append("</X509Certificate>");
        sb.Append("</X509Data></KeyInfo>");
        if (_p.SigningTime == SigningTimeStyle.SignatureProperty)
        {
            string local = now.ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
            sb.Append("<Object Id=\"").Append(XmlSigner.Esc(ObjectId)).Append("\"><SignatureProperties");
            if (PropertiesId is not null) sb.Append(" Id=\"").Append(XmlSigner.Esc(PropertiesId)).Append('"');
            sb.Append("><SignatureProperty Target=\"#").Append(XmlSigner.Esc(SignatureId)).Append("\"><SigningTime>").Append(local)
              .Append("</SigningTime></SignatureProperty></SignatureProperties></Object>");
        }
        if (_p.Xades) sb.Append(Xades.SignedPropertiesObject(SignatureId, SignedPropertiesId, certificate, now, _hash));
        sb.Append("</Signature>");
        return sb.ToString();
    }
}
