using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using VnGovSign.Validation;

namespace VnGovSign.Formats.OpenXml;

/// <summary>
/// Validates every package signature of a .docx/.xlsx/.pptx: each SignedInfo reference, the
/// SignatureValue, every Manifest digest (relationships parts through the Relationship transform),
/// the XAdES SigningCertificate, the signature timestamp, and the signer's certificate path. Reports
/// parts that the signature does not cover, and fails when a signed part changed, a signed
/// relationship was removed, or a relationship of a type Office signs was added to a signed
/// relationships part.
/// </summary>
public sealed class OoxmlValidator
{
    /// <summary>Creates a validator over Core's path validator (trust store and policy).</summary>
    public OoxmlValidator(CertificateValidator certificates, TimeProvider? clock = null)
    {
        Certificates = certificates ?? throw new ArgumentNullException(nameof(certificates));
        Clock = clock ?? TimeProvider.System;
    }

    /// <summary>The path validator.</summary>
    public CertificateValidator Certificates { get; }
    /// <summary>The clock for "now".</summary>
    public TimeProvider Clock { get; }

    /// <summary>Validates the file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidInputException">The file cannot be read or is not an OOXML package.</exception>
    public async Task<ValidationReport> ValidateAsync(string path, CancellationToken cancellationToken = default)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException(MessageKeys.FileNotReadable, e, path, e.Message);
        }
        return await ValidateAsync(bytes, Path.GetFileName(path), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Validates a package read from <paramref name="package"/>.</summary>
    public async Task<ValidationReport> ValidateAsync(Stream package, string documentName, CancellationToken cancellationToken = default)
    {
        using var ms = new MemoryStream();
        await package.CopyToAsync(ms, 81920, cancellationToken).ConfigureAwait(false);
        return await ValidateAsync(ms.ToArray(), documentName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Validates package bytes.</summary>
    public async Task<ValidationReport> ValidateAsync(byte[] package, string documentName, CancellationToken cancellationToken = default)
    {
        using var ms = new MemoryStream(package, writable: false);
        using var pkg = OpcPackage.Open(ms, documentName);
        var reports = new List<SignatureReport>();
        var origin = pkg.Relationships("/").FirstOrDefault(r => r.Type == OpcNames.OriginRelationshipType && !r.External)?.TargetPartName;
        if (origin is not null)
        {
            foreach (var rel in pkg.Relationships(origin).Where(r => r.Type == OpcNames.SignatureRelationshipType && !r.External))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var partName = rel.TargetPartName ?? rel.Target;
                if (!pkg.Exists(partName))
                {
                    var missing = new SignatureReport { Id = partName, Format = "OOXML", Indication = Indication.TotalFailed, SubIndication = SubIndication.FormatFailure };
                    missing.Messages.Add(Msg(ReportSeverity.Error, "SignaturePartMissing", partName));
                    reports.Add(missing);
                    continue;
                }
                reports.Add(await ValidateSignatureAsync(pkg, partName, cancellationToken).ConfigureAwait(false));
            }
        }
        var report = new ValidationReport(documentName, reports);
        if (reports.Count == 0) report.Messages.Add(Msg(ReportSeverity.Error, "NoSignatures"));
        return report;
    }

    private static ReportMessage Msg(ReportSeverity severity, string key, params object?[] args) => new(OoxmlMessages.Resources, severity, key, args);

    private async Task<SignatureReport> ValidateSignatureAsync(OpcPackage pkg, string partName, CancellationToken ct)
    {
        var report = new SignatureReport { Id = partName, Format = "OOXML", Level = "B-B", Indication = Indication.TotalPassed };
        void Fail(Indication i, SubIndication s, string key, params object?[] args)
        {
            report.Degrade(i, s);
            report.Messages.Add(Msg(ReportSeverity.Error, key, args));
        }

        XmlDocument doc;
        try { doc = pkg.LoadXml(partName); }
        catch (InvalidInputException e)
        {
            Fail(Indication.TotalFailed, SubIndication.FormatFailure, "SignatureMalformed", partName, e.InnerException?.Message ?? e.Message);
            return report;
        }
        var ns = SignatureDocument.NamespaceManager(doc);
        var signature = doc.DocumentElement;
        var signedInfo = doc.SelectSingleNode("/ds:Signature/ds:SignedInfo", ns) as XmlElement;
        var valueEl = doc.SelectSingleNode("/ds:Signature/ds:SignatureValue", ns) as XmlElement;
        if (signature is null || signature.LocalName != "Signature" || signature.NamespaceURI != OpcNames.DsNamespace || signedInfo is null || valueEl is null)
        {
            Fail(Indication.TotalFailed, SubIndication.FormatFailure, "SignatureMalformed", partName, "ds:Signature/ds:SignedInfo");
            return report;
        }
        if (signature.HasAttribute("Id")) report.Id = partName + "#" + signature.GetAttribute("Id");

        // SignedInfo.
        var c14n = signedInfo.SelectSingleNode("ds:CanonicalizationMethod", ns) as XmlElement;
        var sigMethod = (signedInfo.SelectSingleNode("ds:SignatureMethod", ns) as XmlElement)?.GetAttribute("Algorithm") ?? "";
        var algorithm = XmlDsig.SignatureFromUri(sigMethod);
        if (c14n?.GetAttribute("Algorithm") != XmlDsig.C14N)
        {
            Fail(Indication.TotalFailed, SubIndication.FormatFailure, "UnsupportedAlgorithmUri", c14n?.GetAttribute("Algorithm") ?? "CanonicalizationMethod");
            return report;
        }
        if (algorithm is null)
        {
            Fail(Indication.TotalFailed, SubIndication.CryptoConstraintsFailure, "UnsupportedAlgorithmUri", sigMethod);
            return report;
        }
        var referenced = new List<XmlElement>();
        foreach (XmlElement r in signedInfo.SelectNodes("ds:Reference", ns)!)
        {
            var uri = r.GetAttribute("URI");
            var target = uri.StartsWith("#", StringComparison.Ordinal) ? XmlDsig.FindById(doc, uri.Substring(1)) : null;
            if (target is null)
            {
                Fail(Indication.TotalFailed, SubIndication.FormatFailure, "UnsupportedReference", uri);
                continue;
            }
            var transforms = r.SelectNodes("ds:Transforms/ds:Transform", ns)!.OfType<XmlElement>().Select(t => t.GetAttribute("Algorithm")).ToList();
            if (transforms.Any(t => t != XmlDsig.C14N))
            {
                Fail(Indication.TotalFailed, SubIndication.FormatFailure, "UnsupportedTransform", uri, string.Join(", ", transforms));
                continue;
            }
            if (!CheckDigest(r, ns, XmlDsig.Canonicalize(target), report, uri)) Fail(Indication.TotalFailed, SubIndication.HashFailure, "ReferenceDigestMismatch", uri);
            referenced.Add(target);
        }
        // XAdES properties the signature value does not cover (a second, unreferenced SignedProperties) would let
        // anyone claim another signing time or certificate: refuse them.
        foreach (XmlElement sp in doc.SelectNodes("//xd:SignedProperties", ns)!)
            if (!referenced.Contains(sp)) Fail(Indication.TotalFailed, SubIndication.FormatFailure, "SignedPropertiesNotSigned", sp.GetAttribute("Id"));
        // XAdES allows one QualifyingProperties: a second one could carry timestamps or validation values beside the signed one.
        var qualifying = doc.SelectNodes("//xd:QualifyingProperties", ns)!.Count;
        if (qualifying > 1) Fail(Indication.TotalFailed, SubIndication.FormatFailure, "SeveralQualifyingProperties", qualifying);

        // SigningTime of the signed XAdES properties, else mdssi:SignatureTime of the signed package object:
        // never from an element the signature value does not cover.
        var signedProperties = referenced.FirstOrDefault(e => e.LocalName == "SignedProperties" && e.NamespaceURI == OpcNames.XadesNamespace);
        var timeText = signedProperties?.SelectSingleNode("xd:SignedSignatureProperties/xd:SigningTime", ns)?.InnerText;
        if (timeText is null)
            foreach (var target in referenced)
                if (target.SelectSingleNode("ds:SignatureProperties/ds:SignatureProperty/mdssi:SignatureTime/mdssi:Value", ns) is { } v) { timeText = v.InnerText; break; }
        if (timeText is not null && DateTimeOffset.TryParse(timeText.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var st))
            report.SigningTime = st.ToUniversalTime();

        // Certificates in KeyInfo; the signer is the one XAdES SigningCertificate names, else the first.
        var certs = new List<X509Certificate2>();
        foreach (XmlElement c in doc.SelectNodes("/ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509Certificate", ns)!)
        {
            try { certs.Add(new X509Certificate2(Convert.FromBase64String(c.InnerText.Trim()))); }
            catch (Exception e) when (e is FormatException or CryptographicException) { /* reported below when no signer is left */ }
        }
        var certDigests = ReadSigningCertificateDigests(signedProperties, ns);
        X509Certificate2? signer = null;
        bool? signingCertMatches = null;
        if (certDigests.Count > 0)
        {
            signer = certs.FirstOrDefault(c => certDigests.Any(d => Digests.Compute(d.Hash, c.RawData).AsSpan().SequenceEqual(d.Value)));
            signingCertMatches = signer is not null;
        }
        signer ??= certs.FirstOrDefault();
        if (signer is null)
        {
            Fail(Indication.Indeterminate, SubIndication.NoSigningCertificateFound, "NoKeyInfoCertificate", partName);
            return report;
        }
        report.Signer = CertificateReport.From(signer);

        // SignatureValue over the canonical SignedInfo.
        byte[] value;
        try { value = Convert.FromBase64String(valueEl.InnerText.Trim()); }
        catch (FormatException) { value = Array.Empty<byte>(); }
        var keyAlg = signer.GetRSAPublicKey() is not null ? KeyAlgorithm.Rsa : KeyAlgorithm.Ecdsa;
        if (keyAlg != algorithm.Value.Key || !SignatureValues.VerifyDigest(signer, algorithm.Value.Hash,
                Digests.Compute(algorithm.Value.Hash, XmlDsig.Canonicalize(signedInfo)), value))
            Fail(Indication.TotalFailed, SubIndication.SigCryptoFailure, "SignatureValueInvalid");
        if (algorithm.Value.Hash == HashAlgorithmName.SHA1)
        {
            if (Certificates.Policy.AllowSha1) report.Add(ReportSeverity.Warning, MessageKeys.Sha1Used);
            else { report.Degrade(Indication.TotalFailed, SubIndication.CryptoConstraintsFailure); report.Add(ReportSeverity.Error, MessageKeys.Sha1Rejected); }
        }
        if (signingCertMatches == false) Fail(Indication.TotalFailed, SubIndication.SigConstraintsFailure, "SigningCertificateMismatch");
        else if (signingCertMatches is null) report.Messages.Add(Msg(ReportSeverity.Warning, "SigningCertificateMissing"));

        // The Manifest must sit in a signed Object, or the package content is not protected at all.
        var manifests = doc.SelectNodes("/ds:Signature/ds:Object/ds:Manifest", ns)!.OfType<XmlElement>().ToList();
        if (manifests.Count == 0 || manifests.Any(m => !referenced.Contains((XmlElement)m.ParentNode!)))
        {
            Fail(Indication.TotalFailed, SubIndication.FormatFailure, "PackageObjectNotSigned");
            return report;
        }
        var covered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var m in manifests)
            foreach (XmlElement r in m.SelectNodes("ds:Reference", ns)!)
                CheckManifestReference(pkg, r, ns, report, covered, Fail);

        // A relationships part that did not exist (or held nothing signed) when the signature was made, hung on a
        // signed part: a relationship of a type Office signs in it brings in content the signer never saw (many
        // are implicit, e.g. a worksheet's comments, so the signed part itself need not change).
        foreach (var relsPart in pkg.PartNames.Where(p => !covered.Contains(p) && !PackageManifest.IsSignaturePart(p)).ToList())
        {
            if (OpcPackage.SourceOf(relsPart) is not { } source || !covered.Contains(source)) continue;
            IReadOnlyList<OpcRelationship> added;
            try { added = pkg.Relationships(source); }
            catch (InvalidInputException) { continue; } // malformed and not signed: listed as not covered below
            foreach (var rel in added.Where(r => OpcNames.OfficeSignedRelationshipTypes.Contains(r.Type)))
                Fail(Indication.TotalFailed, SubIndication.HashFailure, "RelationshipAdded", relsPart, rel.Id, rel.Target);
        }

        var uncovered = pkg.PartNames.Where(p => !covered.Contains(p) && !PackageManifest.IsSignaturePart(p)
                                                 && !p.Equals("/[Content_Types].xml", StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p, StringComparer.Ordinal).ToList();
        report.Details["signedParts"] = covered.OrderBy(p => p, StringComparer.Ordinal).ToList();
        report.Details["uncoveredParts"] = uncovered;
        if (uncovered.Count > 0) report.Messages.Add(Msg(ReportSeverity.Info, "UncoveredParts", uncovered.Count, string.Join(", ", uncovered)));

        // B-LT: certificate and revocation values travel with the signature (read first: the timestamp's
        // path is checked with them too).
        var extraCerts = new List<X509Certificate2>(certs);
        var supplied = XadesTimestamp.ReadValidationData(doc, ns);
        if (supplied is not null)
        {
            foreach (var der in supplied.Certificates)
            {
                try { extraCerts.Add(new X509Certificate2(der)); }
                catch (CryptographicException) { }
            }
        }

        // B-T: the signature timestamp.
        var tsNode = doc.SelectSingleNode("/ds:Signature/ds:Object/xd:QualifyingProperties/xd:UnsignedProperties/xd:UnsignedSignatureProperties/xd:SignatureTimeStamp/xd:EncapsulatedTimeStamp", ns);
        if (tsNode is not null && report.Indication != Indication.TotalFailed)
        {
            try
            {
                var ts = await XadesTimestamp.ValidateAsync(Convert.FromBase64String(tsNode.InnerText.Trim()), valueEl, WithEmbedded(supplied), ct).ConfigureAwait(false);
                foreach (var m in ts.Messages) report.Messages.Add(m);
                if (ts.Indication == Indication.TotalFailed) Fail(Indication.TotalFailed, ts.SubIndication, "TimestampInvalid", ts.SubIndication);
                else
                {
                    report.Level = "B-T";
                    report.TimestampTime = ts.GenTime;
                    report.Degrade(ts.Indication, ts.SubIndication);
                }
            }
            catch (Exception e) when (e is FormatException or InvalidInputException)
            {
                Fail(Indication.TotalFailed, SubIndication.FormatFailure, "TimestampInvalid", e.Message);
            }
        }
        if (supplied is not null && report.Level == "B-T") report.Level = "B-LT";
        if (report.Indication == Indication.TotalFailed) return report;

        // Certificate path: at the timestamp's time when there is one, else now (ETSI basic validation).
        var at = Certificates.Policy.ValidationTime ?? report.TimestampTime ?? Clock.GetUtcNow();
        report.ValidationTime = at;
        var path = await Certificates.ValidateAsync(signer, at, extraCerts, CertificateUsage.Signing, supplied, ct).ConfigureAwait(false);
        foreach (var c in path.Certificates) report.Certificates.Add(c);
        foreach (var m in path.Messages) report.Messages.Add(m);
        report.Degrade(path.Indication, path.SubIndication);
        if (report.Indication == Indication.TotalPassed) report.Messages.Add(Msg(ReportSeverity.Info, "OoxmlSignatureValid"));
        return report;
    }

    /// <summary>
    /// Core's <see cref="VnGovSign.Timestamps.TimestampValidator"/> takes no embedded data, so the TSA's path is checked by a
    /// validator whose policy supplies the signature's CertificateValues/RevocationValues (same trust,
    /// policy, cache and clock; Core still makes every revocation decision).
    /// </summary>
    private CertificateValidator WithEmbedded(ValidationData? embedded)
    {
        if (embedded is null) return Certificates;
        var data = new ValidationData();
        if (Certificates.Policy.SuppliedData is { } user) data.Merge(user);
        data.Merge(embedded);
        return new CertificateValidator(Certificates.Trust, Certificates.Policy with { SuppliedData = data }, null, Certificates.Cache, Certificates.Clock);
    }

    private static bool CheckDigest(XmlElement reference, XmlNamespaceManager ns, byte[] data, SignatureReport report, string uri) =>
        CheckDigest(reference, ns, hash => Digests.Compute(hash, data), report);

    /// <summary>Compares a reference's DigestValue with <paramref name="digest"/>'s result for the reference's DigestMethod
    /// (a part is hashed as it is inflated, never held whole in memory).</summary>
    private static bool CheckDigest(XmlElement reference, XmlNamespaceManager ns, Func<HashAlgorithmName, byte[]> digest, SignatureReport report)
    {
        var method = (reference.SelectSingleNode("ds:DigestMethod", ns) as XmlElement)?.GetAttribute("Algorithm") ?? "";
        var hash = XmlDsig.DigestFromUri(method);
        if (hash is null)
        {
            report.Degrade(Indication.TotalFailed, SubIndication.CryptoConstraintsFailure);
            report.Messages.Add(Msg(ReportSeverity.Error, "UnsupportedAlgorithmUri", method));
            return true; // reported already
        }
        byte[] expected;
        try { expected = Convert.FromBase64String(reference.SelectSingleNode("ds:DigestValue", ns)?.InnerText.Trim() ?? ""); }
        catch (FormatException) { return false; }
        return digest(hash.Value).AsSpan().SequenceEqual(expected);
    }

    private delegate void FailAction(Indication i, SubIndication s, string key, params object?[] args);

    private static void CheckManifestReference(OpcPackage pkg, XmlElement r, XmlNamespaceManager ns, SignatureReport report,
        HashSet<string> covered, FailAction fail)
    {
        var uri = r.GetAttribute("URI");
        int q = uri.IndexOf('?');
        var partName = Uri.UnescapeDataString(q < 0 ? uri : uri.Substring(0, q));
        string? signedType = null;
        if (q >= 0)
            foreach (var kv in uri.Substring(q + 1).Split('&'))
                if (kv.StartsWith("ContentType=", StringComparison.Ordinal)) signedType = Uri.UnescapeDataString(kv.Substring("ContentType=".Length));
        if (!partName.StartsWith("/", StringComparison.Ordinal))
        {
            fail(Indication.TotalFailed, SubIndication.FormatFailure, "UnsupportedReference", uri);
            return;
        }
        covered.Add(partName);
        if (!pkg.Exists(partName))
        {
            fail(Indication.TotalFailed, SubIndication.SignedDataNotFound, "PartMissing", partName);
            return;
        }
        var actualType = pkg.ContentType(partName);
        if (signedType is not null && !string.Equals(signedType, actualType, StringComparison.OrdinalIgnoreCase))
            fail(Indication.TotalFailed, SubIndication.HashFailure, "ContentTypeChanged", partName, signedType, actualType);

        var transforms = r.SelectNodes("ds:Transforms/ds:Transform", ns)!.OfType<XmlElement>().ToList();
        if (transforms.Count == 0)
        {
            bool same = CheckDigest(r, ns, hash =>
            {
                // A part whose compressed data is corrupt is not the part that was signed.
                try
                {
                    using var part = pkg.OpenPart(partName);
                    return PackageManifest.HashStream(hash, part);
                }
                catch (Exception e) when (e is InvalidDataException or IOException) { return Array.Empty<byte>(); }
            }, report);
            if (!same) fail(Indication.TotalFailed, SubIndication.HashFailure, "PartChanged", partName);
            return;
        }
        else if (transforms[0].GetAttribute("Algorithm") == OpcNames.RelationshipTransformAlgorithm
                 && transforms.Skip(1).All(t => t.GetAttribute("Algorithm") == XmlDsig.C14N) && transforms.Count <= 2)
        {
            var ids = transforms[0].SelectNodes("mdssi:RelationshipReference", ns)!.OfType<XmlElement>().Select(e => e.GetAttribute("SourceId")).ToList();
            var types = transforms[0].SelectNodes("mdssi:RelationshipsGroupReference", ns)!.OfType<XmlElement>().Select(e => e.GetAttribute("SourceType")).ToList();
            XmlDocument rels;
            try { rels = pkg.LoadXml(partName); }
            catch (InvalidInputException)
            {
                fail(Indication.TotalFailed, SubIndication.HashFailure, "RelationshipsChanged", partName);
                return;
            }
            var data = RelationshipTransform.Apply(rels, ids, types);
            // A relationship of a type Office signs, added after signing, brings in content the signer never saw.
            if (OpcPackage.SourceOf(partName) is { } source)
                foreach (var rel in pkg.Relationships(source))
                    if (!ids.Contains(rel.Id) && !types.Contains(rel.Type) && OpcNames.OfficeSignedRelationshipTypes.Contains(rel.Type))
                        fail(Indication.TotalFailed, SubIndication.HashFailure, "RelationshipAdded", partName, rel.Id, rel.Target);
            if (!CheckDigest(r, ns, data, report, uri)) fail(Indication.TotalFailed, SubIndication.HashFailure, "RelationshipsChanged", partName);
            return;
        }
        else
        {
            fail(Indication.TotalFailed, SubIndication.FormatFailure, "UnsupportedTransform", uri,
                string.Join(", ", transforms.Select(t => t.GetAttribute("Algorithm"))));
            return;
        }
    }

    private static List<(HashAlgorithmName Hash, byte[] Value)> ReadSigningCertificateDigests(XmlElement? signedProperties, XmlNamespaceManager ns)
    {
        var list = new List<(HashAlgorithmName, byte[])>();
        if (signedProperties is null) return list;
        var nodes = signedProperties.SelectNodes("xd:SignedSignatureProperties/xd:SigningCertificate/xd:Cert/xd:CertDigest | xd:SignedSignatureProperties/xd:SigningCertificateV2/xd:Cert/xd:CertDigest", ns)!;
        foreach (XmlElement d in nodes)
        {
            var hash = XmlDsig.DigestFromUri((d.SelectSingleNode("ds:DigestMethod", ns) as XmlElement)?.GetAttribute("Algorithm") ?? "");
            if (hash is null) continue;
            try { list.Add((hash.Value, Convert.FromBase64String(d.SelectSingleNode("ds:DigestValue", ns)?.InnerText.Trim() ?? ""))); }
            catch (FormatException) { }
        }
        return list;
    }
}
