using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using VnGovSign.IO;
using VnGovSign.Revocation;

namespace VnGovSign.Formats.Xml;

/// <summary>
/// Raises the level of the XAdES signatures already in an XML document (ETSI EN 319 132-1 baseline):
/// B-T adds a SignatureTimeStamp over ds:SignatureValue; B-LT adds CertificateValues and
/// RevocationValues for the signer's and the TSA's paths; B-LTA adds those and an ArchiveTimeStamp.
/// Only the unsigned properties are written; every other byte of the document is copied as it was
/// (encoding, BOM, whitespace and line endings included).
/// </summary>
public sealed class XadesExtender
{
    /// <summary>Creates an extender; <paramref name="options"/> gives the TSA (<see cref="SignatureOptions.Timestamps"/>) and the hash for timestamps.</summary>
    public XadesExtender(SignatureOptions? options = null) => Options = options ?? new SignatureOptions();

    /// <summary>The options (the level is given to each call, not taken from here).</summary>
    public SignatureOptions Options { get; }

    /// <summary>
    /// Where B-LT and B-LTA get the certificates, OCSP responses and CRLs of the signer's and the TSA's
    /// paths (Core's collector, normally online), as <see cref="XmlSigner.ValidationDataCollector"/> does when signing.
    /// Required when a signature below B-LT is raised to B-LT or B-LTA.
    /// </summary>
    public ValidationDataCollector? ValidationDataCollector { get; init; }

    /// <summary>Extends <paramref name="inputPath"/> into <paramref name="outputPath"/> (written whole or not at all; the input is only read).</summary>
    /// <exception cref="InvalidInputException">The input cannot be read, is not XML, has no XAdES signature, or is already at or above <paramref name="level"/>.</exception>
    /// <exception cref="ServiceUnavailableException">The TSA or a revocation service did not answer.</exception>
    public async Task ExtendAsync(string inputPath, string outputPath, SignatureLevel level, CancellationToken cancellationToken = default)
    {
        byte[] input;
        try
        {
            using var fs = new FileStream(inputPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            using var ms = new MemoryStream();
            await fs.CopyToAsync(ms, 81920, cancellationToken).ConfigureAwait(false);
            input = ms.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException(MessageKeys.FileNotReadable, e, inputPath, e.Message);
        }
        var extended = await ExtendAsync(input, level, Path.GetFileName(inputPath), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllBytesAsync(outputPath, extended, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Extends the document read from <paramref name="input"/>; the result goes to <paramref name="output"/> only once it is complete.</summary>
    /// <exception cref="InvalidInputException">Not XML, no XAdES signature, or already at or above <paramref name="level"/>.</exception>
    /// <exception cref="ServiceUnavailableException">The TSA or a revocation service did not answer.</exception>
    public async Task ExtendAsync(Stream input, Stream output, SignatureLevel level, CancellationToken cancellationToken = default)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        if (output is null) throw new ArgumentNullException(nameof(output));
        using var ms = new MemoryStream();
        await input.CopyToAsync(ms, 81920, cancellationToken).ConfigureAwait(false);
        var extended = await ExtendAsync(ms.ToArray(), level, "document", cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(extended, 0, extended.Length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Extends every XAdES signature of <paramref name="document"/> that is below <paramref name="level"/>
    /// and returns the new bytes; <paramref name="name"/> names the document in errors.
    /// </summary>
    /// <exception cref="InvalidInputException">
    /// Not XML or has a DTD; no XAdES signature (<c>NotXades</c>); every XAdES signature already at or above
    /// <paramref name="level"/> (<c>ExtendLevelNotHigher</c>); a signature covered by another signature
    /// (<c>ExtendCoveredByOther</c>); a missing TSA or collector; a malformed signature.
    /// </exception>
    /// <exception cref="ServiceUnavailableException">The TSA or a revocation service did not answer.</exception>
    public async Task<byte[]> ExtendAsync(byte[] document, SignatureLevel level, string name = "document", CancellationToken cancellationToken = default)
    {
        if (document is null) throw new ArgumentNullException(nameof(document));
        var src = XmlSource.Decode(document, name);
        var doc = src.Parse();
        var signatures = AllSignatures(doc);
        var xades = new List<int>();
        for (int i = 0; i < signatures.Count; i++)
            if (Qualifying(signatures[i]) is not null) xades.Add(i);
        if (xades.Count == 0) throw XmlMessages.Invalid("NotXades", name);

        // Everything that can be refused is refused before the TSA or a responder is asked.
        var todo = new List<int>();
        foreach (int i in xades)
        {
            if (CurrentLevel(signatures[i]) < level) todo.Add(i);
        }
        if (todo.Count == 0)
            throw XmlMessages.Invalid("ExtendLevelNotHigher", Label(signatures[xades[0]], xades[0]), SignatureLevels.Name(CurrentLevel(signatures[xades[0]])), SignatureLevels.Name(level));
        foreach (int i in todo)
        {
            Parse(signatures[i]);
            if (CoveredBy(doc, signatures[i], signatures) is { } other)
                throw XmlMessages.Invalid("ExtendCoveredByOther", Label(signatures[i], i), Label(other, signatures.IndexOf(other)));
            var current = CurrentLevel(signatures[i]);
            if (current < SignatureLevel.BaselineT || level == SignatureLevel.BaselineLTA)
                _ = Options.Timestamps ?? throw new InvalidInputException(MessageKeys.TimestampUrlMissing);
            if (current < SignatureLevel.BaselineLT && level >= SignatureLevel.BaselineLT && ValidationDataCollector is null)
                throw XmlMessages.Invalid("ExtendCollectorMissing", SignatureLevels.Name(level));
        }

        byte[] bytes = document;
        foreach (int i in todo) bytes = await ExtendOneAsync(bytes, name, i, level, cancellationToken).ConfigureAwait(false);
        return bytes;
    }

    /// <summary>The level a XAdES signature has by what its unsigned properties hold (no validation: the validator judges them).</summary>
    internal static SignatureLevel CurrentLevel(XmlElement signature)
    {
        var usp = UnsignedSignatureProperties(signature);
        if (usp is null) return SignatureLevel.BaselineB;
        var names = XmlSigner.Children(usp).Select(e => e.LocalName).ToList();
        if (!names.Contains("SignatureTimeStamp")) return SignatureLevel.BaselineB;
        if (!names.Contains("CertificateValues") && !names.Contains("RevocationValues")) return SignatureLevel.BaselineT;
        return names.Contains("ArchiveTimeStamp") ? SignatureLevel.BaselineLTA : SignatureLevel.BaselineLT;
    }

    private async Task<byte[]> ExtendOneAsync(byte[] bytes, string name, int index, SignatureLevel level, CancellationToken ct)
    {
        var src = XmlSource.Decode(bytes, name);
        var doc = src.Parse();
        var signature = AllSignatures(doc)[index];
        var model = Parse(signature);
        var current = CurrentLevel(signature);
        var hash = Options.Hash == HashAlgorithmName.SHA1 ? HashAlgorithmName.SHA256 : Options.Hash;
        var ids = DsigProcessor.IndexIds(doc);
        string baseId = signature.GetAttribute("Id") is { Length: > 0 } sid ? sid : "sig";
        var pieces = new List<string>();

        byte[]? newSignatureTimestamp = null;
        if (current < SignatureLevel.BaselineT)
        {
            var tsa = Options.Timestamps ?? throw new InvalidInputException(MessageKeys.TimestampUrlMissing);
            newSignatureTimestamp = await tsa.GetTimestampTokenAsync(Digests.Compute(hash, Xades.SignatureTimestampInput(model, XmlDsig.ExcC14N)), hash, ct).ConfigureAwait(false);
            pieces.Add(Xades.EncapsulatedTimestamp("SignatureTimeStamp", XmlSigner.Unique(baseId + "-SignatureTimeStamp", ids), newSignatureTimestamp));
        }
        if (current < SignatureLevel.BaselineLT && level >= SignatureLevel.BaselineLT)
        {
            var collector = ValidationDataCollector ?? throw XmlMessages.Invalid("ExtendCollectorMissing", SignatureLevels.Name(level));
            var tokens = ExistingSignatureTimestamps(signature).ToList();
            if (newSignatureTimestamp is not null) tokens.Add(newSignatureTimestamp);
            var (signer, chain) = SignerOf(model, signature);
            var data = await XadesValidationData.CollectAsync(collector, signer, chain, tokens, ct).ConfigureAwait(false);
            pieces.Add(Xades.CertificateValues(data.Certificates));
            pieces.Add(Xades.RevocationValues(data.Crls, data.OcspResponses));
        }
        if (level == SignatureLevel.BaselineLTA)
        {
            // The archive timestamp covers the unsigned properties written so far: stamp the document as it will be.
            var withValues = XmlSource.Parse(src.Apply(new[] { Insertion(src, signature, pieces) }), name);
            var model2 = Parse(AllSignatures(withValues)[index]);
            var tsa = Options.Timestamps ?? throw new InvalidInputException(MessageKeys.TimestampUrlMissing);
            byte[] archive = await tsa.GetTimestampTokenAsync(Digests.Compute(hash, Xades.ArchiveTimestampInput(model2, null, XmlDsig.ExcC14N)), hash, ct).ConfigureAwait(false);
            pieces.Add(Xades.EncapsulatedTimestamp("ArchiveTimeStamp", XmlSigner.Unique(baseId + "-ArchiveTimeStamp", ids), archive, "xadesv141"));
        }
        return src.ApplyToBytes(new[] { Insertion(src, signature, pieces) });
    }

    /// <summary>
    /// The one edit that appends <paramref name="pieces"/> to the signature's UnsignedSignatureProperties,
    /// creating UnsignedProperties/UnsignedSignatureProperties when missing; namespace declarations are
    /// added where the xades prefix (or XML-DSig as the default namespace) is not already in scope.
    /// </summary>
    private static TextEdit Insertion(XmlSource src, XmlElement signature, IReadOnlyList<string> pieces)
    {
        var qp = Qualifying(signature)!;
        var up = XmlSigner.Children(qp).FirstOrDefault(e => e.LocalName == "UnsignedProperties" && e.NamespaceURI == XmlDsig.XadesNamespace);
        var usp = up is null ? null : XmlSigner.Children(up).FirstOrDefault(e => e.LocalName == "UnsignedSignatureProperties" && e.NamespaceURI == XmlDsig.XadesNamespace);
        if (usp is not null) return src.Locate(usp).AppendChild(string.Concat(pieces.Select(p => Declare(p, usp))));
        const string uspOpen = "<xades:UnsignedSignatureProperties>", uspClose = "</xades:UnsignedSignatureProperties>";
        if (up is not null) return src.Locate(up).AppendChild(Declare(uspOpen, up) + string.Concat(pieces) + uspClose);
        return src.Locate(qp).AppendChild(Declare("<xades:UnsignedProperties>", qp) + uspOpen + string.Concat(pieces) + uspClose + "</xades:UnsignedProperties>");
    }

    /// <summary>Adds xmlns:xades and xmlns (XML-DSig) to the first start tag of <paramref name="markup"/> when <paramref name="parent"/> does not bind them.</summary>
    private static string Declare(string markup, XmlElement parent)
    {
        string decl = "";
        if (parent.GetNamespaceOfPrefix("xades") != XmlDsig.XadesNamespace) decl += " xmlns:xades=\"" + XmlDsig.XadesNamespace + "\"";
        if (parent.GetNamespaceOfPrefix("") != XmlDsig.Namespace) decl += " xmlns=\"" + XmlDsig.Namespace + "\"";
        if (decl.Length == 0) return markup;
        int at = markup.IndexOfAny(new[] { ' ', '>' }, 1);
        return markup.Substring(0, at) + decl + markup.Substring(at);
    }

    private static List<XmlElement> AllSignatures(XmlDocument doc) =>
        doc.GetElementsByTagName("Signature", XmlDsig.Namespace).OfType<XmlElement>().ToList();

    private static XmlElement? Qualifying(XmlElement signature) =>
        XmlSigner.Children(signature).Where(o => o.LocalName == "Object" && o.NamespaceURI == XmlDsig.Namespace)
            .SelectMany(XmlSigner.Children).FirstOrDefault(e => e.LocalName == "QualifyingProperties" && e.NamespaceURI == XmlDsig.XadesNamespace);

    private static XmlElement? UnsignedSignatureProperties(XmlElement signature) =>
        Qualifying(signature) is { } qp
        && XmlSigner.Children(qp).FirstOrDefault(e => e.LocalName == "UnsignedProperties" && e.NamespaceURI == XmlDsig.XadesNamespace) is { } up
            ? XmlSigner.Children(up).FirstOrDefault(e => e.LocalName == "UnsignedSignatureProperties" && e.NamespaceURI == XmlDsig.XadesNamespace)
            : null;

    private static IEnumerable<byte[]> ExistingSignatureTimestamps(XmlElement signature)
    {
        if (UnsignedSignatureProperties(signature) is not { } usp) yield break;
        foreach (var sts in XmlSigner.Children(usp).Where(e => e.LocalName == "SignatureTimeStamp"))
            foreach (var enc in XmlSigner.Children(sts).Where(e => e.LocalName == "EncapsulatedTimeStamp"))
            {
                byte[] der;
                try { der = Convert.FromBase64String(enc.InnerText.Trim()); }
                catch (FormatException) { throw XmlMessages.Invalid("TimestampUnreadable", "SignatureTimeStamp", "base64"); }
                yield return der;
            }
    }

    /// <summary>The certificate SigningCertificateV2 names (among KeyInfo's), and the other KeyInfo certificates as its chain.</summary>
    private static (X509Certificate2 Signer, IReadOnlyList<X509Certificate2> Chain) SignerOf(SignatureModel model, XmlElement signature)
    {
        if (model.Certificates.Count == 0) throw XmlMessages.Invalid("NoX509Certificate");
        var cert = model.QualifyingProperties?.GetElementsByTagName("Cert", XmlDsig.XadesNamespace).OfType<XmlElement>().FirstOrDefault();
        var dm = cert?.GetElementsByTagName("DigestMethod", XmlDsig.Namespace).OfType<XmlElement>().FirstOrDefault()?.GetAttribute("Algorithm");
        var dv = cert?.GetElementsByTagName("DigestValue", XmlDsig.Namespace).OfType<XmlElement>().FirstOrDefault()?.InnerText.Trim();
        X509Certificate2? signer = null;
        if (XmlDsig.HashFromDigestUri(dm) is { } h && dv is not null)
            signer = model.Certificates.FirstOrDefault(c => Convert.ToBase64String(Digests.Compute(h, c.RawData)) == dv);
        if (signer is null) throw XmlMessages.Invalid("SigningCertificateMismatch");
        return (signer, model.Certificates.Where(c => !ReferenceEquals(c, signer)).ToList());
    }

    private static SignatureModel Parse(XmlElement signature)
    {
        try { return SignatureModel.Parse(signature); }
        catch (SignatureRefusedException e)
        {
            throw new InvalidInputException(XmlMessages.Resources, e.Key, e, e.Args);
        }
    }

    /// <summary>
    /// Another signature whose references include <paramref name="signature"/> (a whole-document or
    /// ancestor reference that neither its enveloped transform nor an exclusion XPath takes it out of):
    /// adding unsigned properties would change what that signature digests.
    /// </summary>
    private static XmlElement? CoveredBy(XmlDocument doc, XmlElement signature, IReadOnlyList<XmlElement> all)
    {
        var ids = DsigProcessor.IndexIds(doc);
        foreach (var other in all)
        {
            if (ReferenceEquals(other, signature)) continue;
            SignatureModel m;
            try { m = SignatureModel.Parse(other); }
            catch (SignatureRefusedException) { continue; } // refused by the validator anyway
            foreach (var r in m.References)
            {
                XmlNode target;
                if (r.Uri.Length == 0 || r.Uri == "#xpointer(/)") target = doc;
                else if (ids.TryGetValue(r.Uri.Substring(1), out var holders) && holders.Count == 1) target = holders[0];
                else continue;
                if (!IsInside(signature, target)) continue;
                if (r.Transforms.Any(t => t.Algorithm == XmlDsig.Enveloped) && IsInside(signature, other)) continue; // taken out with the other signature
                var excluded = r.Transforms.Where(t => t.ExcludedElement is not null).Select(t => t.ExcludedElement!).ToList();
                bool excludedHere = false;
                for (XmlNode? p = signature; p is XmlElement e; p = p.ParentNode)
                    if (excluded.Contains(e.LocalName)) { excludedHere = true; break; }
                if (!excludedHere) return other;
            }
        }
        return null;
    }

    private static bool IsInside(XmlNode node, XmlNode ancestor)
    {
        for (XmlNode? p = node; p is not null; p = p.ParentNode) if (ReferenceEquals(p, ancestor)) return true;
        return false;
    }

    private static string Label(XmlElement signature, int index) =>
        signature.GetAttribute("Id") is { Length: > 0 } id ? id : "#" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
