using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml;
using VnGovSign.Timestamps;
using VnGovSign.Validation;

namespace VnGovSign.Formats.Xml;

/// <summary>
/// Validates every ds:Signature of an XML document: strict parsing (no DTD, same-document references
/// only, C14N/enveloped transforms only), reference digests, what each reference covers (by path) and
/// whether the profile's required element is among it (signature-wrapping defence), duplicate Ids,
/// the signature value with the certificate from KeyInfo/X509Data only, XAdES timestamps, and the
/// signer's path through Core's <see cref="CertificateValidator"/>.
/// </summary>
public sealed class XmlSignatureValidator
{
    /// <summary>Creates a validator.</summary>
    public XmlSignatureValidator(CertificateValidator certificates, TimeProvider? clock = null)
    {
        Certificates = certificates ?? throw new ArgumentNullException(nameof(certificates));
        Clock = clock ?? TimeProvider.System;
    }

    /// <summary>The path validator (trust store and policy).</summary>
    public CertificateValidator Certificates { get; }
    /// <summary>The clock for "now".</summary>
    public TimeProvider Clock { get; }

    /// <summary>Validates a document read from <paramref name="input"/>.</summary>
    public async Task<ValidationReport> ValidateAsync(Stream input, string documentName, CancellationToken cancellationToken = default)
    {
        using var ms = new MemoryStream();
        await input.CopyToAsync(ms, 81920, cancellationToken).ConfigureAwait(false);
        return await ValidateAsync(ms.ToArray(), documentName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Validates every signature of <paramref name="document"/>.</summary>
    /// <exception cref="InvalidInputException">The bytes are not well-formed XML.</exception>
    public async Task<ValidationReport> ValidateAsync(byte[] document, string documentName, CancellationToken cancellationToken = default)
    {
        XmlDocument doc;
        try { doc = XmlSource.Decode(document, documentName).Parse(); }
        catch (InvalidInputException e) when (e.MessageKey == "DtdRefused")
        {
            var refused = new ValidationReport(documentName, Array.Empty<SignatureReport>());
            refused.Messages.Add(new ReportMessage(XmlMessages.Resources, ReportSeverity.Error, "DtdInDocument"));
            return refused;
        }
        var ids = DsigProcessor.IndexIds(doc);
        var duplicates = ids.Where(kv => kv.Value.Count > 1).Select(kv => kv.Key).ToList();
        var signatures = doc.GetElementsByTagName("Signature", XmlDsig.Namespace).OfType<XmlElement>().ToList();
        var reports = new List<SignatureReport>();
        int n = 0;
        foreach (var s in signatures)
        {
            n++;
            reports.Add(await ValidateSignatureAsync(doc, s, n, ids, duplicates, cancellationToken).ConfigureAwait(false));
        }
        var report = new ValidationReport(documentName, reports);
        if (signatures.Count == 0) report.Messages.Add(new ReportMessage(XmlMessages.Resources, ReportSeverity.Error, "NoSignature"));
        return report;
    }

    private ReportMessage M(ReportSeverity s, string key, params object?[] args) => new(XmlMessages.Resources, s, key, args);

    private async Task<SignatureReport> ValidateSignatureAsync(XmlDocument doc, XmlElement signature, int index, Dictionary<string, List<XmlElement>> ids,
        IReadOnlyList<string> duplicates, CancellationToken ct)
    {
        var report = new SignatureReport
        {
            Id = signature.GetAttribute("Id") is { Length: > 0 } id ? id : index.ToString(CultureInfo.InvariantCulture),
            Format = "XMLDSig", Level = "", Indication = Indication.TotalPassed,
        };
        report.Details["path"] = PathOf(signature);
        SignatureModel model;
        try { model = SignatureModel.Parse(signature); }
        catch (SignatureRefusedException e)
        {
            report.Degrade(Indication.TotalFailed, SubIndication.FormatFailure);
            report.Messages.Add(M(ReportSeverity.Error, e.Key, e.Args));
            return report;
        }
        if (model.QualifyingProperties is not null) { report.Format = "XAdES"; report.Level = "B-B"; }
        foreach (var d in duplicates)
        {
            report.Degrade(Indication.TotalFailed, SubIndication.FormatFailure);
            report.Messages.Add(M(ReportSeverity.Error, "DuplicateId", d));
        }

        // Algorithms.
        var alg = XmlDsig.ParseSignatureUri(model.SignatureMethod);
        if (alg is null)
        {
            report.Degrade(Indication.TotalFailed, SubIndication.FormatFailure);
            report.Messages.Add(M(ReportSeverity.Error, "UnsupportedAlgorithm", model.SignatureMethod));
            return report;
        }
        bool sha1 = alg.Value.Hash == HashAlgorithmName.SHA1 || model.References.Any(r => r.Hash == HashAlgorithmName.SHA1);
        if (sha1)
        {
            if (Certificates.Policy.AllowSha1) report.Messages.Add(M(ReportSeverity.Warning, "Sha1Legacy"));
            else { report.Degrade(Indication.TotalFailed, SubIndication.CryptoConstraintsFailure); report.Messages.Add(M(ReportSeverity.Error, "Sha1Rejected")); }
        }

        // References: digests and what they cover.
        var covered = new List<XmlElement?>();
        var coveredText = new List<string>();
        foreach (var r in model.References)
        {
            XmlElement? target = null;
            if (r.Uri.Length > 0 && r.Uri != "#xpointer(/)")
            {
                string refId = r.Uri.Substring(1);
                if (!ids.TryGetValue(refId, out var holders))
                {
                    report.Degrade(Indication.TotalFailed, SubIndication.SignedDataNotFound);
                    report.Messages.Add(M(ReportSeverity.Error, "ReferenceNotFound", r.Uri));
                    continue;
                }
                if (holders.Count > 1) continue; // reported as a duplicate Id above
                target = holders[0];
            }
            byte[] digest;
            try { digest = DsigProcessor.ReferenceDigest(doc, signature, target, r.Transforms, r.Hash); }
            catch (Exception e) when (e is XmlException or CryptographicException or InvalidOperationException)
            {
                report.Degrade(Indication.TotalFailed, SubIndication.FormatFailure);
                report.Messages.Add(M(ReportSeverity.Error, "SignatureMalformed", report.Id, e.Message));
                continue;
            }
            string where = target is null ? "/" + doc.DocumentElement!.LocalName : PathOf(target);
            var excluded = r.Transforms.Where(t => t.ExcludedElement is not null).Select(t => t.ExcludedElement!).ToList();
            if (excluded.Count > 0) where += " (−" + string.Join(", −", excluded) + ")";
            covered.Add(target);
            if (!IsInside(target, signature)) coveredText.Add(where);
            if (!digest.AsSpan().SequenceEqual(r.DigestValue))
            {
                report.Degrade(Indication.TotalFailed, SubIndication.HashFailure);
                report.Messages.Add(M(ReportSeverity.Error, "ReferenceDigestMismatch", r.Uri.Length == 0 ? "\"\"" : r.Uri, where));
            }
        }
        report.Details["coveredElements"] = coveredText;
        report.Messages.Add(M(ReportSeverity.Info, "Covers", string.Join("; ", coveredText)));

        // Signer certificate: from X509Data only, never a bare KeyValue.
        if (model.Certificates.Count == 0)
        {
            report.Degrade(Indication.Indeterminate, SubIndication.NoSigningCertificateFound);
            report.Messages.Add(M(ReportSeverity.Error, "NoX509Certificate"));
            return report;
        }
        byte[] signedInfo = DsigProcessor.CanonicalizeElement(model.SignedInfo, model.CanonicalizationMethod, model.InclusivePrefixes);
        var signer = model.Certificates.FirstOrDefault(c => VerifyValue(c, alg.Value, signedInfo, model.SignatureValue));
        if (signer is null)
        {
            signer = model.Certificates[0];
            report.Degrade(Indication.TotalFailed, SubIndication.SigCryptoFailure);
            report.Messages.Add(M(ReportSeverity.Error, "SignatureValueInvalid"));
        }
        report.Signer = CertificateReport.From(signer);

        // Profile: where the signature sits decides what it must cover.
        var profile = DetectProfile(doc, signature, model, out var required, out string? requiredPath);
        report.Details["profile"] = profile;
        if (profile == "misplaced")
        {
            report.Degrade(Indication.TotalFailed, SubIndication.FormatFailure);
            report.Messages.Add(M(ReportSeverity.Error, "RequiredNotCovered", requiredPath, "?", string.Join("; ", coveredText)));
        }
        else if (requiredPath is not null && !covered.Any(c => ReferenceEquals(c, required)))
        {
            report.Degrade(Indication.TotalFailed, SubIndication.SigConstraintsFailure);
            report.Messages.Add(M(ReportSeverity.Error, "RequiredNotCovered", requiredPath, profile, string.Join("; ", coveredText)));
        }

        report.SigningTime = SigningTime(signature, model);
        var supplied = new ValidationData();
        var extra = model.Certificates.Where(c => !ReferenceEquals(c, signer)).ToList();
        if (model.QualifyingProperties is { } qp)
            await CheckXadesAsync(report, model, qp, signer, supplied, extra, ct).ConfigureAwait(false);
        if (report.Indication == Indication.TotalFailed) return report;
        if (report.Indication == Indication.TotalPassed) report.Messages.Add(M(ReportSeverity.Info, "SignatureIntact", profile));

        var at = Certificates.Policy.ValidationTime ?? report.TimestampTime ?? report.SigningTime ?? Clock.GetUtcNow();
        report.ValidationTime = at;
        var path = await Certificates.ValidateAsync(signer, at, extra, CertificateUsage.Signing, supplied, ct).ConfigureAwait(false);
        foreach (var c in path.Certificates) report.Certificates.Add(c);
        foreach (var m in path.Messages) report.Messages.Add(m);
        report.Degrade(path.Indication, path.SubIndication);
        if (report.Indication == Indication.TotalPassed) report.Add(ReportSeverity.Info, MessageKeys.SignatureValid);
        return report;
    }

    private async Task CheckXadesAsync(SignatureReport report, SignatureModel model, XmlElement qp, X509Certificate2 signer, ValidationData supplied,
        List<X509Certificate2> extra, CancellationToken ct)
    {
        var sp = qp.GetElementsByTagName("SignedProperties", XmlDsig.XadesNamespace).OfType<XmlElement>().FirstOrDefault();
        var spId = sp?.GetAttribute("Id");
        if (sp is null || string.IsNullOrEmpty(spId) || !model.References.Any(r => r.Uri == "#" + spId))
        {
            report.Degrade(Indication.TotalFailed, SubIndication.FormatFailure);
            report.Messages.Add(M(ReportSeverity.Error, "SignedPropertiesNotSigned"));
            return;
        }
        // SigningCertificateV2 must name the certificate that verified the signature.
        var cert = sp.GetElementsByTagName("Cert", XmlDsig.XadesNamespace).OfType<XmlElement>().FirstOrDefault();
        var dm = cert?.GetElementsByTagName("DigestMethod", XmlDsig.Namespace).OfType<XmlElement>().FirstOrDefault()?.GetAttribute("Algorithm");
        var dv = cert?.GetElementsByTagName("DigestValue", XmlDsig.Namespace).OfType<XmlElement>().FirstOrDefault()?.InnerText;
        if (XmlDsig.HashFromDigestUri(dm) is not { } ch || dv is null
            || !Digests.Compute(ch, signer.RawData).AsSpan().SequenceEqual(SafeBase64(dv)))
        {
            report.Degrade(Indication.TotalFailed, SubIndication.SigConstraintsFailure);
            report.Messages.Add(M(ReportSeverity.Error, "SigningCertificateMismatch"));
        }
        var usp = qp.GetElementsByTagName("UnsignedSignatureProperties", XmlDsig.XadesNamespace).OfType<XmlElement>().FirstOrDefault();
        if (usp is null) return;
        // 1. The embedded validation data first, so the timestamps' own paths (TSA, CAs) use it too.
        bool lt = false;
        foreach (var e in XmlSigner.Children(usp))
        {
            if (e.LocalName == "CertificateValues")
            {
                foreach (var c in XmlSigner.Children(e)) { var der = SafeBase64(c.InnerText); supplied.Certificates.Add(der); try { extra.Add(SignatureModel.LoadCertificate(der)); } catch (CryptographicException) { } }
                lt = true;
            }
            else if (e.LocalName == "RevocationValues")
            {
                foreach (var c in e.GetElementsByTagName("EncapsulatedCRLValue", XmlDsig.XadesNamespace).OfType<XmlElement>()) supplied.Crls.Add(SafeBase64(c.InnerText));
                foreach (var c in e.GetElementsByTagName("EncapsulatedOCSPValue", XmlDsig.XadesNamespace).OfType<XmlElement>()) supplied.OcspResponses.Add(SafeBase64(c.InnerText));
                lt = true;
            }
        }
        var timestampCertificates = Certificates;
        if (lt)
        {
            var data = new ValidationData();
            if (Certificates.Policy.SuppliedData is { } given) data.Merge(given);
            data.Merge(supplied);
            var trust = Certificates.Trust.WithIntermediates(extra.Where(c => !CertificateChains.IsSelfIssued(c)));
            timestampCertificates = new CertificateValidator(trust, Certificates.Policy with { SuppliedData = data }, null, Certificates.Cache, Certificates.Clock);
        }
        var tsv = new TimestampValidator(timestampCertificates);
        // 2. The timestamps.
        foreach (var e in XmlSigner.Children(usp))
        {
            if (e.LocalName is "SignatureTimeStamp" or "ArchiveTimeStamp")
            {
                bool archive = e.LocalName == "ArchiveTimeStamp";
                string c14n = XmlSigner.Children(e).FirstOrDefault(x => x.LocalName == "CanonicalizationMethod")?.GetAttribute("Algorithm") ?? XmlDsig.C14N;
                var enc = XmlSigner.Children(e).FirstOrDefault(x => x.LocalName == "EncapsulatedTimeStamp");
                string label = e.LocalName;
                TimestampToken token;
                try { token = TimestampToken.Parse(SafeBase64(enc?.InnerText ?? ""), label); }
                catch (Exception ex) when (ex is InvalidInputException or FormatException)
                {
                    report.Degrade(Indication.TotalFailed, SubIndication.FormatFailure);
                    report.Messages.Add(M(ReportSeverity.Error, "TimestampUnreadable", label, ex.Message));
                    continue;
                }
                if (!XmlDsig.IsC14N(c14n)) { report.Degrade(Indication.TotalFailed, SubIndication.FormatFailure); report.Messages.Add(M(ReportSeverity.Error, "TransformRefused", c14n)); continue; }
                byte[] input = archive ? Xades.ArchiveTimestampInput(model, e, c14n) : Xades.SignatureTimestampInput(model, c14n);
                var result = await tsv.ValidateAsync(token, Digests.Compute(token.HashAlgorithm, input), ct).ConfigureAwait(false);
                foreach (var m in result.Messages) report.Messages.Add(m);
                if (result.Indication == Indication.TotalFailed) report.Degrade(Indication.TotalFailed, result.SubIndication == SubIndication.None ? SubIndication.HashFailure : result.SubIndication);
                else if (result.Indication == Indication.Indeterminate) report.Degrade(Indication.Indeterminate, result.SubIndication);
                if (!archive)
                {
                    report.TimestampTime ??= token.GenTime;
                    if (report.Level == "B-B") report.Level = "B-T";
                }
                else if (lt && report.Level is "B-T" or "B-LT") report.Level = "B-LTA";
                extra.AddRange(token.Certificates);
            }
        }
        if (lt && report.Level == "B-T") report.Level = "B-LT";
    }

    private static byte[] SafeBase64(string s)
    {
        try { return Convert.FromBase64String(s.Trim()); } catch (FormatException) { return Array.Empty<byte>(); }
    }

    /// <summary>Which built-in profile the signature's place matches; the element it must cover.</summary>
    private static string DetectProfile(XmlDocument doc, XmlElement signature, SignatureModel model, out XmlElement? required, out string? requiredPath)
    {
        required = null; requiredPath = null;
        if (model.QualifyingProperties is not null) return "xades";
        var root = doc.DocumentElement!;
        bool family = false;
        foreach (var p in XmlSignatureProfile.All.Where(p => !p.Xades))
        {
            foreach (var rule in p.Content)
            {
                var anchors = p.AnchorAnywhere
                    ? doc.SelectNodes("//*")!.OfType<XmlElement>().Where(e => e.LocalName == rule.AnchorName && (rule.ContentName is null || XmlSigner.Children(e).Any(c => c.LocalName == rule.ContentName)))
                    : root.LocalName == rule.AnchorName ? new[] { root } : Array.Empty<XmlElement>();
                foreach (var anchor in anchors)
                {
                    family = true;
                    if (!IsInside(signature, anchor)) continue;
                    // Is the Signature a direct child of anchor/ContainerPath?
                    var container = signature.ParentNode as XmlElement;
                    var segs = p.ContainerPath.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
                    var e = container;
                    bool match = true;
                    for (int i = segs.Length - 1; i >= 0; i--)
                    {
                        if (e is null || e.LocalName != segs[i]) { match = false; break; }
                        e = e.ParentNode as XmlElement;
                    }
                    if (!match || !ReferenceEquals(e, anchor)) continue;
                    if (rule.ContentName is null) { required = null; requiredPath = "/" + root.LocalName; return RequireWholeDocument(model) ? p.Name : Fail(p.Name, out requiredPath, root); }
                    required = XmlSigner.Children(anchor).FirstOrDefault(c => c.LocalName == rule.ContentName);
                    requiredPath = required is null ? PathOf(anchor) + "/" + rule.ContentName : PathOf(required);
                    return p.Name;
                }
            }
        }
        if (family)
        {
            requiredPath = "Signature @ " + PathOf(signature);
            return "misplaced";
        }
        return "xmldsig";
    }

    private static bool RequireWholeDocument(SignatureModel model) => model.References.Any(r => r.Uri.Length == 0 || r.Uri == "#xpointer(/)");

    private static string Fail(string name, out string? requiredPath, XmlElement root) { requiredPath = "/" + root.LocalName; return name; }

    private static bool IsInside(XmlNode? node, XmlNode ancestor)
    {
        for (var p = node; p is not null; p = p.ParentNode) if (ReferenceEquals(p, ancestor)) return true;
        return false;
    }

    /// <summary>/Root/Child/Grandchild, with [n] where siblings share a name.</summary>
    internal static string PathOf(XmlElement element)
    {
        var parts = new List<string>();
        for (var e = element; e is not null; e = e.ParentNode as XmlElement)
        {
            string step = e.LocalName;
            if (e.ParentNode is XmlElement parent)
            {
                var same = XmlSigner.Children(parent).Where(c => c.LocalName == e.LocalName).ToList();
                if (same.Count > 1) step += "[" + (same.IndexOf(e) + 1).ToString(CultureInfo.InvariantCulture) + "]";
            }
            parts.Insert(0, step);
        }
        return "/" + string.Join("/", parts);
    }

    private static DateTimeOffset? SigningTime(XmlElement signature, SignatureModel model)
    {
        string? text = signature.GetElementsByTagName("SigningTime", XmlDsig.XadesNamespace).OfType<XmlElement>().FirstOrDefault()?.InnerText
                       ?? signature.GetElementsByTagName("*").OfType<XmlElement>().FirstOrDefault(e => e.LocalName is "SigningTime" or "DateTimeStamp")?.InnerText;
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text!.Trim();
        bool hasOffset = text.EndsWith("Z", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(text, @"[+-]\d\d:\d\d$");
        if (!hasOffset) text += "+07:00"; // Vietnamese profiles write local time without an offset
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
    }

    private static bool VerifyValue(X509Certificate2 certificate, (KeyAlgorithm Key, HashAlgorithmName Hash, RsaPadding Padding) alg, byte[] data, byte[] signature)
    {
        try
        {
            if (alg.Key == KeyAlgorithm.Rsa)
            {
                using var rsa = certificate.GetRSAPublicKey();
                return rsa is not null && rsa.VerifyData(data, signature, alg.Hash, alg.Padding == RsaPadding.Pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
            }
            using var ec = certificate.GetECDsaPublicKey();
            // XML-DSig carries ECDSA as r||s (IEEE P1363), which is the BCL's default form.
            return ec is not null && ec.VerifyData(data, signature, alg.Hash);
        }
        catch (CryptographicException) { return false; }
    }
}
