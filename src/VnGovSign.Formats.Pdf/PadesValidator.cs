using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using VnGovSign.Cms;
using VnGovSign.Formats.Pdf.Parsing;
using VnGovSign.Formats.Pdf.Writing;
using VnGovSign.Timestamps;
using VnGovSign.Validation;

namespace VnGovSign.Formats.Pdf;

/// <summary>
/// Validates every signature and document timestamp of a PDF: /ByteRange sanity, digest and signature
/// value (Core's CAdES validation), certificate path, timestamps, whether the signature covers the whole
/// document, and what later revisions changed beyond what is allowed (later signatures, DSS, document
/// timestamps, form filling). The result is Core's <see cref="ValidationReport"/>; PDF facts go into
/// <see cref="SignatureReport.Details"/>: <c>coversWholeDocument</c>, <c>modifiedAfterSigning</c>,
/// <c>modifications</c>, <c>byteRange</c>, <c>fieldName</c>, <c>subFilter</c>.
/// </summary>
public sealed class PadesValidator
{
    /// <summary>Creates a validator over a path validator (trust store and policy).</summary>
    public PadesValidator(CertificateValidator certificates, TimeProvider? clock = null)
    {
        Certificates = certificates ?? throw new ArgumentNullException(nameof(certificates));
        Clock = clock ?? TimeProvider.System;
    }

    /// <summary>The path validator.</summary>
    public CertificateValidator Certificates { get; }

    /// <summary>The clock for "now".</summary>
    public TimeProvider Clock { get; }

    /// <summary>Validates the PDF at <paramref name="path"/>.</summary>
    public async Task<ValidationReport> ValidateAsync(string path, CancellationToken cancellationToken = default)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return await ValidateAsync(fs, Path.GetFileName(path), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Validates the PDF in <paramref name="pdf"/> (seekable).</summary>
    /// <exception cref="InvalidInputException">Not a readable PDF (malformed, encrypted).</exception>
    public async Task<ValidationReport> ValidateAsync(Stream pdf, string documentName, CancellationToken cancellationToken = default)
    {
        var file = PdfFile.Open(pdf, documentName);
        var sigs = PdfSignatureInfo.Find(file);
        var reports = new List<SignatureReport>();
        var trailing = TrailingGarbage(file);
        int? docMdp = Writing.SignatureRevision.DocMdp(file);
        var dssEnd = DssRevisionEnd(file);
        var validator = WithDss(file);
        foreach (var sig in sigs)
            reports.Add(await ValidateOneAsync(file, sig, sigs, docMdp, dssEnd, trailing, validator, cancellationToken).ConfigureAwait(false));
        var report = new ValidationReport(documentName, reports);
        if (sigs.Count == 0) report.Messages.Add(new ReportMessage(PdfMessages.Resources, ReportSeverity.Error, "PdfNoSignatures", documentName));
        if (file.Resolve(file.Catalog["DSS"]) is PdfDictionary dss)
        {
            int Count(string k) => (file.Resolve(dss[k]) as PdfArray)?.Count ?? 0;
            report.Messages.Add(new ReportMessage(PdfMessages.Resources, ReportSeverity.Info, "PdfDssPresent", Count("Certs"), Count("OCSPs"), Count("CRLs")));
        }
        return report;
    }

    private async Task<SignatureReport> ValidateOneAsync(PdfFile file, PdfSignatureInfo sig, List<PdfSignatureInfo> all, int? docMdp,
        long? dssEnd, long trailing, CertificateValidator validator, CancellationToken ct)
    {
        var report = new SignatureReport { Id = sig.FieldName, Format = "PAdES", Indication = Indication.TotalPassed, Level = "B-B" };
        report.Details["fieldName"] = sig.FieldName;
        report.Details["subFilter"] = sig.SubFilter;
        if (sig.ByteRange is { } br0) report.Details["byteRange"] = "[" + string.Join(" ", br0.Select(x => x.ToString(CultureInfo.InvariantCulture))) + "]";
        if (sig.Problem is not null || sig.ByteRange is null)
        {
            Fail(report, SubIndication.FormatFailure, "PdfContentsMissing", sig.FieldName + ": " + sig.Problem);
            return report;
        }
        var br = sig.ByteRange;
        string? brProblem =
            br[0] != 0 ? "does not start at 0" :
            br[1] <= 0 || br[2] < br[1] || br[3] < 0 ? "segments out of order" :
            br[1] != sig.ContentsStart || br[2] != sig.ContentsEnd ? "the gap is not exactly the /Contents string" :
            br[2] + br[3] > file.Length ? "extends beyond the end of the file" : null;
        if (brProblem is not null)
        {
            Fail(report, SubIndication.FormatFailure, "PdfByteRangeInvalid", brProblem);
            return report;
        }
        report.Messages.Add(new ReportMessage(PdfMessages.Resources, ReportSeverity.Info, "PdfByteRangeOk"));

        if (sig.IsDocumentTimestamp) await ValidateDocumentTimestampAsync(file, sig, report, validator, ct).ConfigureAwait(false);
        else if (sig.SubFilter is "ETSI.CAdES.detached" or "adbe.pkcs7.detached")
            await ValidateCmsAsync(file, sig, report, validator, ct).ConfigureAwait(false);
        else
        {
            Fail(report, SubIndication.FormatFailure, "PdfUnsupportedSubFilter", sig.SubFilter);
            return report;
        }

        // What happened after this signature.
        bool whole = sig.CoveredEnd == file.Length;
        report.Details["coversWholeDocument"] = whole;
        var modifications = Modifications(file, sig, docMdp);
        if (trailing > Math.Max(sig.CoveredEnd, file.LastEofEnd) || (trailing > 0 && sig.CoveredEnd >= file.LastEofEnd))
            modifications.Add((file.Length - Math.Max(sig.CoveredEnd, file.LastEofEnd)).ToString(CultureInfo.InvariantCulture) + " bytes appended after the last revision are not covered by any signature");
        report.Details["modifiedAfterSigning"] = modifications.Count > 0;
        report.Details["modifications"] = modifications;
        if (whole) report.Messages.Add(new ReportMessage(PdfMessages.Resources, ReportSeverity.Info, "PdfCoversWholeDocument"));
        else if (modifications.Count == 0)
            report.Messages.Add(new ReportMessage(PdfMessages.Resources, ReportSeverity.Info, "PdfLaterRevisions",
                file.Sections.Count(s => s.Offset >= sig.CoveredEnd)));
        foreach (var m in modifications)
            report.Messages.Add(new ReportMessage(PdfMessages.Resources, ReportSeverity.Error, "PdfModified", m));
        if (modifications.Count > 0) report.Degrade(Indication.TotalFailed, SubIndication.FormatFailure);

        if (!sig.IsDocumentTimestamp)
        {
            if (sig.Dictionary["Reference"] is not null && docMdp is { } p && file.ResolveDictionary(file.ResolveDictionary(file.Catalog["Perms"])?["DocMDP"]) is not null
                && (file.Catalog["Perms"] is not null) && ReferenceNumber(file) == sig.ObjectNumber)
            {
                report.Details["certification"] = p;
                report.Messages.Add(new ReportMessage(PdfMessages.Resources, ReportSeverity.Info, "PdfCertified", p));
            }
            // Levels: LT when a DSS was added after the signature, LTA when a document timestamp follows that DSS.
            if (report.Level == "B-T" && dssEnd is { } de && de > sig.CoveredEnd)
            {
                report.Level = "B-LT";
                if (all.Any(s => s.IsDocumentTimestamp && s.CoveredEnd >= de && s.Problem is null)) report.Level = "B-LTA";
            }
        }
        return report;
    }

    private static int ReferenceNumber(PdfFile f) =>
        (f.ResolveDictionary(f.Catalog["Perms"])?["DocMDP"] as PdfReference)?.Number ?? -1;

    private async Task ValidateCmsAsync(PdfFile file, PdfSignatureInfo sig, SignatureReport report, CertificateValidator validator, CancellationToken ct)
    {
        CmsSignature cms;
        try { cms = CmsSignature.Parse(sig.Contents, file.Name + " /" + sig.FieldName); }
        catch (InvalidInputException e)
        {
            report.Degrade(Indication.TotalFailed, SubIndication.FormatFailure);
            report.Messages.Add(new ReportMessage(ReportSeverity.Error, e.MessageKey, e.MessageArguments.ToArray()));
            return;
        }
        var digest = await DigestAsync(file, sig.ByteRange!, cms.DigestAlgorithm, ct).ConfigureAwait(false);
        var inner = await new CadesValidator(validator, Clock).ValidateAsync(cms, digest, ct).ConfigureAwait(false);
        report.Degrade(inner.Indication, inner.SubIndication);
        report.Signer = inner.Signer;
        report.SigningTime = inner.SigningTime ?? sig.M;
        report.TimestampTime = inner.TimestampTime;
        report.ValidationTime = inner.ValidationTime;
        if (!string.IsNullOrEmpty(inner.Level)) report.Level = inner.Level;
        foreach (var c in inner.Certificates) report.Certificates.Add(c);
        foreach (var m in inner.Messages) report.Messages.Add(m);
        foreach (var d in inner.Details) report.Details[d.Key] = d.Value;
        if (inner.Indication == Indication.TotalFailed) return;

        // Signature timestamps (when Core's CAdES validation did not already look at them).
        if (cms.SignatureTimestampTokens.Count > 0)
        {
            report.Level = "B-T";
            if (report.TimestampTime is null)
            {
                foreach (var raw in cms.SignatureTimestampTokens)
                {
                    TimestampToken tst;
                    try { tst = TimestampToken.Parse(raw, file.Name); }
                    catch (InvalidInputException e)
                    {
                        report.Degrade(Indication.TotalFailed, SubIndication.FormatFailure);
                        report.Messages.Add(new ReportMessage(ReportSeverity.Error, e.MessageKey, e.MessageArguments.ToArray()));
                        continue;
                    }
                    var imprint = Digests.Compute(tst.HashAlgorithm, cms.SignatureValue);
                    var r = await new TimestampValidator(validator).ValidateAsync(tst, imprint, ct).ConfigureAwait(false);
                    foreach (var m in r.Messages) report.Messages.Add(m);
                    if (r.Indication == Indication.TotalPassed)
                    {
                        report.TimestampTime = r.GenTime;
                        report.Messages.Add(new ReportMessage(PdfMessages.Resources, ReportSeverity.Info, "PdfSignatureTimestampValid", r.GenTime.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)));
                    }
                    else report.Degrade(r.Indication == Indication.TotalFailed ? Indication.TotalFailed : Indication.Indeterminate, r.SubIndication);
                }
            }
            // Some tools write local time into signingTime as if it were UTC: flag a 7-hour skew, do not fail.
            if (cms.SigningTime is { } st && report.TimestampTime is { } tt)
            {
                var hours = (st - tt).TotalHours;
                if (Math.Abs(Math.Abs(hours) - 7) < 0.25)
                    report.Messages.Add(new ReportMessage(PdfMessages.Resources, ReportSeverity.Warning, "PdfSkewFlag", Math.Round(hours)));
            }
        }
    }

    private async Task ValidateDocumentTimestampAsync(PdfFile file, PdfSignatureInfo sig, SignatureReport report, CertificateValidator validator, CancellationToken ct)
    {
        report.Format = "PAdES";
        report.Level = "DocTimeStamp";
        TimestampToken tst;
        try { tst = TimestampToken.Parse(sig.Contents, file.Name + " /" + sig.FieldName); }
        catch (InvalidInputException e)
        {
            report.Degrade(Indication.TotalFailed, SubIndication.FormatFailure);
            report.Messages.Add(new ReportMessage(ReportSeverity.Error, e.MessageKey, e.MessageArguments.ToArray()));
            return;
        }
        var digest = await DigestAsync(file, sig.ByteRange!, tst.HashAlgorithm, ct).ConfigureAwait(false);
        var r = await new TimestampValidator(validator).ValidateAsync(tst, digest, ct).ConfigureAwait(false);
        report.TimestampTime = tst.GenTime;
        report.SigningTime = tst.GenTime;
        if (tst.TsaCertificate is { } tsa) report.Signer = CertificateReport.From(tsa);
        foreach (var c in r.Certificates) report.Certificates.Add(c);
        foreach (var m in r.Messages) report.Messages.Add(m);
        report.Degrade(r.Indication, r.SubIndication);
        if (r.Indication == Indication.TotalPassed)
            report.Messages.Add(new ReportMessage(PdfMessages.Resources, ReportSeverity.Info, "PdfDocTimestampValid", tst.GenTime.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)));
    }

    private static void Fail(SignatureReport report, SubIndication sub, string key, params object?[] args)
    {
        report.Degrade(Indication.TotalFailed, sub);
        report.Messages.Add(new ReportMessage(PdfMessages.Resources, ReportSeverity.Error, key, args));
    }

    /// <summary>The digest of the two ByteRange segments, read in blocks.</summary>
    private static async Task<byte[]> DigestAsync(PdfFile file, long[] br, HashAlgorithmName hash, CancellationToken ct)
    {
        using var h = Digests.Create(hash);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            foreach (var (start, length) in new[] { (br[0], br[1]), (br[2], br[3]) })
            {
                file.Stream.Position = start;
                long left = length;
                while (left > 0)
                {
                    int n = await BlockIo.ReadAsync(file.Stream, buffer, 0, (int)Math.Min(1 << 20, left), ct).ConfigureAwait(false);
                    if (n <= 0) throw new EndOfStreamException();
                    h.AppendData(buffer, 0, n);
                    left -= n;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true); // no document bytes left in the shared pool
        }
        return h.GetHashAndReset();
    }

    /// <summary>
    /// The path validator with the document's /DSS (certificates, OCSP responses, CRLs) as supplied validation data,
    /// so B-LT and B-LTA files validate without the network; Core still decides whether that data is good enough.
    /// </summary>
    private CertificateValidator WithDss(PdfFile f)
    {
        if (f.ResolveDictionary(f.Catalog["DSS"]) is not { } dss) return Certificates;
        var data = new ValidationData();
        var certs = new List<System.Security.Cryptography.X509Certificates.X509Certificate2>();
        foreach (var (key, list) in new[] { ("Certs", data.Certificates), ("OCSPs", data.OcspResponses), ("CRLs", data.Crls) })
        {
            if (f.Resolve(dss[key]) is not PdfArray a) continue;
            foreach (var item in a.Items)
            {
                try
                {
                    if (f.Resolve(item) is not PdfStream s) continue;
                    var bytes = f.Decode(s, "DSS /" + key);
                    list.Add(bytes);
                    if (key == "Certs")
                    {
                        try { certs.AddRange(VnGovSign.Trust.CertificateFiles.Parse(bytes, "DSS")); }
                        catch (Exception e) when (e is InvalidInputException or System.Security.Cryptography.CryptographicException) { }
                    }
                }
                catch (Exception e) when (e is PdfSyntaxException or InvalidInputException) { /* an unreadable DSS entry is ignored, not trusted */ }
            }
        }
        if (Certificates.Policy.SuppliedData is { } given) data.Merge(given);
        var trust = Certificates.Trust.WithIntermediates(certs.Where(c => !c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData)));
        return new CertificateValidator(trust, Certificates.Policy with { SuppliedData = data }, null, Certificates.Cache, Certificates.Clock);
    }

    /// <summary>Offset where non-blank bytes follow the last revision's %%EOF, or 0.</summary>
    private static long TrailingGarbage(PdfFile f)
    {
        for (long p = f.LastEofEnd; p < f.Length; p++)
            if (!PdfParser.IsWhite(f.Source[p])) return f.Length;
        return 0;
    }

    /// <summary>The end of the revision that last defined the catalog's /DSS (approximately: the first section after it), or null.</summary>
    private static long? DssRevisionEnd(PdfFile f)
    {
        if (f.Catalog["DSS"] is null) return null;
        int n = f.Catalog["DSS"] is PdfReference r ? r.Number : f.CatalogNumber;
        // Sections are newest first: the newest one defining the object.
        foreach (var s in f.Sections)
            if (s.Entries.TryGetValue(n, out var e) && e.InUse) return s.Offset + 1;
        return null;
    }

    /// <summary>What revisions after <paramref name="sig"/> changed beyond what is allowed.</summary>
    private static List<string> Modifications(PdfFile f, PdfSignatureInfo sig, int? docMdp)
    {
        var result = new List<string>();
        var later = f.Sections.Where(s => s.Offset >= sig.CoveredEnd).ToList();
        if (later.Count == 0) return result;
        var before = new Dictionary<int, XrefEntry>();
        foreach (var s in f.Sections.Where(s => s.Offset < sig.CoveredEnd))
            foreach (var e in s.Entries) if (!before.ContainsKey(e.Key)) before[e.Key] = e.Value;
        var changed = new SortedSet<int>();
        foreach (var s in later) foreach (var e in s.Entries) changed.Add(e.Key);
        var pages = f.Pages().Select(p => p.Number).ToList();
        foreach (var n in changed)
        {
            if (!before.TryGetValue(n, out var oldEntry) || !oldEntry.InUse) continue; // new objects change nothing by themselves
            if (!f.Xref.TryGetValue(n, out var newEntry) || !newEntry.InUse)
            {
                result.Add("object " + n + " was deleted");
                continue;
            }
            PdfObject? oldObj, newObj;
            try
            {
                oldObj = ReadVersion(f, n, oldEntry);
                newObj = f.GetObject(n);
            }
            catch (Exception e) when (e is PdfSyntaxException or InvalidInputException)
            {
                result.Add("object " + n + " cannot be read: " + e.Message);
                continue;
            }
            var why = Disallowed(f, n, oldObj, newObj, pages, docMdp);
            if (why is not null) result.Add(why);
        }
        return result;
    }

    private static PdfObject? ReadVersion(PdfFile f, int n, XrefEntry e) =>
        e.Type == 1 ? f.ReadAt(n, e.Offset) : f.GetObject(n);

    private static readonly HashSet<string> CatalogAllowed = new(StringComparer.Ordinal) { "AcroForm", "DSS", "Extensions", "Perms" };
    private static readonly HashSet<string> FieldAllowed = new(StringComparer.Ordinal) { "V", "AP", "AS", "Rect", "MK", "F", "DA" };

    private static string? Disallowed(PdfFile f, int n, PdfObject? oldObj, PdfObject? newObj, List<int> pages, int? docMdp)
    {
        string Obj() => "object " + n.ToString(CultureInfo.InvariantCulture);
        if (oldObj is PdfStream os)
        {
            if (newObj is PdfStream ns && Same(f, os, ns)) return null;
            return Obj() + " (stream" + (os.Dictionary.NameOf("Type") is { } t ? " /" + t : "") + ") was changed";
        }
        if (oldObj is PdfArray oa)
        {
            if (newObj is PdfArray na && na.Count >= oa.Count && oa.Items.Select((x, i) => Equal(x, na.Items[i])).All(b => b)) return null;
            return Obj() + " (array) was changed";
        }
        if (oldObj is not PdfDictionary od || newObj is not PdfDictionary nd)
            return Equal(oldObj, newObj) ? null : Obj() + " was changed";
        var type = od.NameOf("Type");
        var keys = od.Keys.Union(nd.Keys).Where(k => !Equal(od[k], nd[k])).ToList();
        if (keys.Count == 0) return null;
        if (type == "Catalog")
        {
            var bad = keys.Where(k => !CatalogAllowed.Contains(k)).ToList();
            return bad.Count == 0 ? null : "catalog: /" + string.Join(", /", bad) + " changed";
        }
        if (type == "Page" || pages.Contains(n))
        {
            int page = pages.IndexOf(n) + 1;
            var bad = keys.Where(k => k != "Annots").ToList();
            if (bad.Count > 0) return "page " + page + ": /" + string.Join(", /", bad) + " changed";
            var oldAnnots = (f.Resolve(od["Annots"]) as PdfArray)?.Items ?? new List<PdfObject>();
            var newAnnots = (f.Resolve(nd["Annots"]) as PdfArray)?.Items ?? new List<PdfObject>();
            if (oldAnnots.Any(a => !newAnnots.Any(b => Equal(a, b)))) return "page " + page + ": annotations removed";
            foreach (var a in newAnnots.Where(a => !oldAnnots.Any(b => Equal(a, b))))
            {
                var ad = f.ResolveDictionary(a);
                bool sigWidget = ad is not null && (f.Resolve(ad["FT"]) as PdfName)?.Value == "Sig";
                if (!sigWidget && docMdp != 3) return "page " + page + ": annotation added (" + ((ad?.NameOf("Subtype")) ?? "?") + ")";
            }
            return null;
        }
        if (od.ContainsKey("Fields") || type == "DSS" || od.ContainsKey("VRI") || od.ContainsKey("Certs") || od.ContainsKey("OCSPs") || od.ContainsKey("CRLs"))
            return null; // AcroForm or DSS
        if (od.ContainsKey("FT") || od.NameOf("Subtype") == "Widget")
        {
            bool sig = (f.Resolve(od["FT"]) as PdfName)?.Value == "Sig";
            var bad = keys.Where(k => !FieldAllowed.Contains(k)).ToList();
            if (bad.Count > 0) return "field " + ((f.Resolve(od["T"]) as PdfString)?.Text ?? n.ToString(CultureInfo.InvariantCulture)) + ": /" + string.Join(", /", bad) + " changed";
            if (sig && od["V"] is not null && keys.Contains("V")) return "the value of signature field " + n + " was replaced";
            if (!sig && docMdp == 1) return "form field " + n + " filled in although DocMDP P=1";
            return null;
        }
        return Obj() + (type is null ? "" : " (/" + type + ")") + " was changed";
    }

    private static bool Same(PdfFile f, PdfStream a, PdfStream b)
    {
        if (a.Length != b.Length || !Equal(a.Dictionary, b.Dictionary)) return false;
        return f.RawData(a).AsSpan().SequenceEqual(f.RawData(b));
    }

    private static bool Equal(PdfObject? a, PdfObject? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (a is PdfStream || b is PdfStream) return false;
        return a.ToString() == b.ToString();
    }
}
