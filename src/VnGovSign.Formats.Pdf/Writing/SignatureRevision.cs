using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using VnGovSign.Formats.Pdf.Appearance;
using VnGovSign.Formats.Pdf.Parsing;
using PdfNumber = VnGovSign.Formats.Pdf.Parsing.PdfNumber;

namespace VnGovSign.Formats.Pdf.Writing;

/// <summary>What the signature dictionary and its field must say.</summary>
internal sealed class SignatureSpec
{
    public bool DocumentTimestamp { get; init; }
    public int ContentsBytes { get; init; }
    public string? FieldName { get; init; }
    public DateTimeOffset? SigningTime { get; init; }
    public string? Reason { get; init; }
    public string? Location { get; init; }
    public string? ContactInfo { get; init; }
    public string? SignerName { get; init; }
    public DocMdpPermissions? Certification { get; init; }
    public PdfSignatureAppearance? Appearance { get; init; }
    public X509Certificate2? Certificate { get; init; }
}

/// <summary>An update written to the output with a zero-filled /Contents: where to put the signature, and the digest of what it covers.</summary>
internal sealed class PreparedRevision
{
    public long ContentsOffset { get; init; }
    public int ContentsHexLength { get; init; }
    public long[] ByteRange { get; init; } = Array.Empty<long>();
    public byte[] Digest { get; init; } = Array.Empty<byte>();
    public long TotalLength { get; init; }
}

/// <summary>Builds the update that adds one signature (or document timestamp) field and writes it out.</summary>
internal static class SignatureRevision
{
    internal const string ByteRangePlaceholder = "[0 0000000000 0000000000 0000000000]";


    /// <summary>The DocMDP permission of a certified document, or null.</summary>
    public static int? DocMdp(PdfFile f)
    {
        var perms = f.ResolveDictionary(f.Catalog["Perms"]);
        var sig = f.ResolveDictionary(perms?["DocMDP"]);
        if (sig is null) return null;
        if (f.Resolve(sig["Reference"]) is PdfArray refs)
            foreach (var r in refs.Items)
            {
                var d = f.ResolveDictionary(r);
                if (d?.NameOf("TransformMethod") != "DocMDP") continue;
                var p = f.ResolveDictionary(d["TransformParams"])?["P"];
                return (f.Resolve(p) as PdfNumber)?.IntValue ?? 2;
            }
        return 2;
    }

    public static (IncrementalUpdate Update, int SignatureNumber) Build(PdfFile f, SignatureSpec spec)
    {
        var fields = f.Fields();
        var signed = fields.Where(x => x.Type == "Sig" && x.Field["V"] is not null).ToList();
        if (!spec.DocumentTimestamp && DocMdp(f) is 1)
            throw new SigningException(PdfMessages.Resources, "PdfDocMdpForbids", null, f.Name, 1);
        if (spec.Certification is not null && signed.Count > 0)
            throw new SigningException(PdfMessages.Resources, "PdfCertifyNotFirst", null, f.Name);

        var u = new IncrementalUpdate(f);
        var catalog = f.Catalog.Clone();
        bool catalogChanged = false;

        // The field: an existing empty signature field by name, or a new one with a unique name.
        (PdfReference? Ref, PdfDictionary Field, string Name, string? Type)? existing = null;
        string name;
        if (spec.FieldName is { Length: > 0 } wanted)
        {
            var match = fields.Where(x => x.Name == wanted).ToList();
            if (match.Count > 0)
            {
                if (match[0].Type != "Sig") throw new InvalidInputException(PdfMessages.Resources, "PdfFieldNameTaken", null, f.Name, wanted);
                if (match[0].Field["V"] is not null) throw new InvalidInputException(PdfMessages.Resources, "PdfFieldAlreadySigned", null, f.Name, wanted);
                if (match[0].Ref is null) throw new InvalidInputException(PdfMessages.Resources, "PdfFieldNotFound", null, f.Name, wanted);
                existing = match[0];
            }
            name = wanted;
        }
        else
        {
            var taken = new HashSet<string>(fields.Select(x => x.Name), StringComparer.Ordinal);
            string stem = spec.DocumentTimestamp ? "DocumentTimestamp" : "Signature";
            int i = 1;
            while (taken.Contains(stem + i.ToString(CultureInfo.InvariantCulture))) i++;
            name = stem + i.ToString(CultureInfo.InvariantCulture);
        }

        int sigNumber = u.Add(SignatureDictionary(spec));
        var sigRef = new PdfReference(sigNumber);

        var pages = f.Pages();
        if (pages.Count == 0) throw new InvalidInputException(PdfMessages.Resources, "PdfMalformed", null, f.Name, "no pages");

        // Appearance (visible or not) → widget rectangle and /AP.
        var leader = LeaderWidget(f, signed, pages);
        PdfReference pageRef;
        if (existing is { } ex && ex.Field["P"] is PdfReference p0) pageRef = p0;
        else
        {
            var appearance = spec.Appearance ?? PdfSignatureAppearance.None;
            int page;
            try { page = appearance.ResolvePage(pages.Count, leader?.Page); }
            catch (InvalidInputException pe) { throw new InvalidInputException(PdfMessages.Resources, "PdfPageOutOfRange", pe, f.Name, AppearancePage(appearance, pages.Count), pages.Count); }
            pageRef = pages[page - 1];
        }
        PdfArray rect = new(new PdfObject[] { new PdfNumber(0), new PdfNumber(0), new PdfNumber(0), new PdfNumber(0) });
        int apNumber;
        (PdfRect Rect, int FormXObject)? visible = null;
        if (spec.Appearance is { } look && look is not InvisibleAppearance)
        {
            var pageDict = f.ResolveDictionary(pageRef) ?? throw new InvalidInputException(PdfMessages.Resources, "PdfMalformed", null, f.Name, "page object missing");
            var request = new PdfAppearanceRequest(look, Geometry(f, pageDict), spec.SigningTime ?? DateTimeOffset.UtcNow)
            {
                SignerCertificate = spec.Certificate,
                Reason = spec.Reason,
                Location = spec.Location,
                LeaderWidgetRect = leader is { } lw && lw.Page == pages.IndexOf(pageRef) + 1 ? lw.Rect : null,
            };
            var result = PdfAppearanceRenderer.Render(request, u);
            visible = (result.WidgetRect, result.FormObjectNumber);
        }
        if (visible is { } v)
        {
            rect = new PdfArray(new PdfObject[] { new PdfNumber(v.Rect.X), new PdfNumber(v.Rect.Y), new PdfNumber(v.Rect.Right), new PdfNumber(v.Rect.Top) });
            apNumber = v.FormXObject;
        }
        else if (existing is { } ex2 && ex2.Field["AP"] is not null) apNumber = -1; // keep the field's own appearance
        else
        {
            var empty = new PdfDictionary();
            empty["Type"] = new PdfName("XObject");
            empty["Subtype"] = new PdfName("Form");
            empty["BBox"] = new PdfArray(new PdfObject[] { new PdfNumber(0), new PdfNumber(0), new PdfNumber(0), new PdfNumber(0) });
            apNumber = u.Add(new PdfStream(empty, Array.Empty<byte>()));
        }

        PdfReference fieldRef;
        if (existing is { } e)
        {
            var field = e.Field.Clone();
            field["V"] = sigRef;
            if (apNumber > 0) field["AP"] = ApDictionary(apNumber);
            if (visible is not null) field["Rect"] = rect;
            u.Replace(e.Ref!.Number, field);
            fieldRef = e.Ref!;
        }
        else
        {
            var widget = new PdfDictionary();
            widget["Type"] = new PdfName("Annot");
            widget["Subtype"] = new PdfName("Widget");
            widget["FT"] = new PdfName("Sig");
            widget["T"] = PdfString.FromText(name);
            widget["V"] = sigRef;
            widget["F"] = new PdfNumber(132); // Print | Locked
            widget["P"] = pageRef;
            widget["Rect"] = rect;
            widget["AP"] = ApDictionary(apNumber);
            fieldRef = new PdfReference(u.Add(widget));

            // The page's /Annots gets the widget.
            var page = f.ResolveDictionary(pageRef)!.Clone();
            if (page["Annots"] is PdfReference annotsRef && f.Resolve(annotsRef) is PdfArray shared)
            {
                var a = new PdfArray(shared.Items);
                a.Items.Add(fieldRef);
                u.Replace(annotsRef.Number, a);
            }
            else
            {
                var a = new PdfArray((f.Resolve(page["Annots"]) as PdfArray)?.Items ?? new List<PdfObject>());
                a.Items.Add(fieldRef);
                page["Annots"] = a;
                u.Replace(pageRef.Number, page);
            }
        }

        // The AcroForm: /Fields gets the new field, /SigFlags 3 (signatures exist, append only).
        var formObj = catalog["AcroForm"];
        var form = f.ResolveDictionary(formObj)?.Clone() ?? new PdfDictionary();
        if (existing is null)
        {
            if (form["Fields"] is PdfReference fieldsRef && f.Resolve(fieldsRef) is PdfArray sharedFields)
            {
                var a = new PdfArray(sharedFields.Items);
                a.Items.Add(fieldRef);
                u.Replace(fieldsRef.Number, a);
            }
            else
            {
                var a = new PdfArray((f.Resolve(form["Fields"]) as PdfArray)?.Items ?? new List<PdfObject>());
                a.Items.Add(fieldRef);
                form["Fields"] = a;
            }
        }
        form["SigFlags"] = new PdfNumber(3);
        if (formObj is PdfReference formRef) u.Replace(formRef.Number, form);
        else { catalog["AcroForm"] = form; catalogChanged = true; }

        if (spec.Certification is not null)
        {
            var perms = new PdfDictionary();
            perms["DocMDP"] = sigRef;
            catalog["Perms"] = perms;
            catalogChanged = true;
        }
        if (catalogChanged) u.Replace(f.CatalogNumber, catalog);
        return (u, sigNumber);
    }

    /// <summary>The first visible, signed signature widget (the leader's, in the Decree 30 flow): its page (from 1) and /Rect.</summary>
    private static (int Page, PdfRect Rect)? LeaderWidget(PdfFile f, List<(PdfReference? Ref, PdfDictionary Field, string Name, string? Type)> signed, List<PdfReference> pages)
    {
        foreach (var s in signed)
        {
            if (f.Resolve(s.Field["Rect"]) is not PdfArray r || r.Count != 4 || !r.Items.All(x => f.Resolve(x) is PdfNumber)) continue;
            var n = r.Items.Select(x => ((PdfNumber)f.Resolve(x)!).Value).ToArray();
            var rect = PdfRect.FromCorners(n[0], n[1], n[2], n[3]);
            if (rect.Width <= 0 || rect.Height <= 0) continue;
            int page = s.Field["P"] is PdfReference p ? pages.FindIndex(x => x.Number == p.Number) + 1 : 0;
            if (page == 0 && s.Ref is { } fr)
                page = pages.FindIndex(pr => (f.Resolve(f.ResolveDictionary(pr)?["Annots"]) as PdfArray)?.Items.Any(a => a is PdfReference ar && ar.Number == fr.Number) == true) + 1;
            if (page > 0) return (page, rect);
        }
        return null;
    }

    /// <summary>The page's boxes and rotation, inherited values resolved.</summary>
    private static PdfPageGeometry Geometry(PdfFile f, PdfDictionary page)
    {
        PdfRect? Box(string key)
        {
            if (f.Inherited(page, key) is not PdfArray a || a.Count != 4) return null;
            var v = a.Items.Select(x => (f.Resolve(x) as PdfNumber)?.Value).ToArray();
            if (v.Any(x => x is null)) return null;
            return PdfRect.FromCorners(v[0]!.Value, v[1]!.Value, v[2]!.Value, v[3]!.Value);
        }
        var media = Box("MediaBox") ?? new PdfRect(0, 0, 595, 842);
        int rotate = (f.Inherited(page, "Rotate") as PdfNumber)?.IntValue ?? 0;
        return new PdfPageGeometry(media, Box("CropBox"), rotate);
    }

    private static int AppearancePage(PdfSignatureAppearance? a, int pageCount) => a switch
    {
        LeaderAppearance l => l.Page ?? pageCount,
        OrganizationAppearance o => o.Page ?? pageCount,
        AttachmentAppearance or CopyAppearance => 1,
        _ => 1,
    };

    private static PdfDictionary ApDictionary(int number)
    {
        var ap = new PdfDictionary();
        ap["N"] = new PdfReference(number);
        return ap;
    }

    private static byte[] SignatureDictionary(SignatureSpec spec)
    {
        var d = new PdfDictionary();
        d["Type"] = new PdfName(spec.DocumentTimestamp ? "DocTimeStamp" : "Sig");
        d["Filter"] = new PdfName("Adobe.PPKLite");
        d["SubFilter"] = new PdfName(spec.DocumentTimestamp ? "ETSI.RFC3161" : "ETSI.CAdES.detached");
        if (!spec.DocumentTimestamp)
        {
            if (spec.SigningTime is { } t) d["M"] = new PdfString(Encoding.ASCII.GetBytes(PdfDate(t)));
            if (spec.SignerName is { Length: > 0 } n) d["Name"] = PdfString.FromText(n);
            if (spec.Reason is { Length: > 0 } r) d["Reason"] = PdfString.FromText(r);
            if (spec.Location is { Length: > 0 } l) d["Location"] = PdfString.FromText(l);
            if (spec.ContactInfo is { Length: > 0 } c) d["ContactInfo"] = PdfString.FromText(c);
            if (spec.Certification is { } cert)
            {
                var tp = new PdfDictionary();
                tp["Type"] = new PdfName("TransformParams");
                tp["P"] = new PdfNumber((int)cert);
                tp["V"] = new PdfName("1.2");
                var sigRef = new PdfDictionary();
                sigRef["Type"] = new PdfName("SigRef");
                sigRef["TransformMethod"] = new PdfName("DocMDP");
                sigRef["TransformParams"] = tp;
                d["Reference"] = new PdfArray(new PdfObject[] { sigRef });
            }
        }
        var b = new PdfBuffer().Append(d).ToArray();
        // Append ByteRange and Contents by hand: fixed-width placeholders patched after layout.
        var text = new PdfBuffer();
        text.AppendBytes(b.Take(b.Length - 2).ToArray());
        text.Append("/ByteRange " + ByteRangePlaceholder + " /Contents <");
        text.Append(new string('0', spec.ContentsBytes * 2));
        text.Append(">\n>>");
        return text.ToArray();
    }

    /// <summary>PDF date in Vietnam time: D:YYYYMMDDHHmmSS+07'00'.</summary>
    public static string PdfDate(DateTimeOffset t)
    {
        var v = t.ToOffset(TimeSpan.FromHours(7));
        return "D:" + v.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+07'00'";
    }

    /// <summary>
    /// Writes the input followed by the update to <paramref name="output"/>, with /ByteRange filled in and
    /// /Contents zero-filled, hashing the covered bytes on the way (one pass over the input).
    /// </summary>
    public static async Task<PreparedRevision> WriteAsync(PdfFile f, IncrementalUpdate u, int sigNumber, Stream output, HashAlgorithmName hash, CancellationToken ct)
    {
        long baseLength = f.Length;
        var (bytes, offsets) = u.Build(baseLength);
        int sigRel = (int)(offsets[sigNumber] - baseLength);
        int br = IncrementalUpdate.IndexOf(bytes, "/ByteRange " + ByteRangePlaceholder, sigRel) + "/ByteRange ".Length;
        int contents = IncrementalUpdate.IndexOf(bytes, "/Contents <", sigRel) + "/Contents ".Length;
        int contentsEnd = Array.IndexOf(bytes, (byte)'>', contents) + 1;
        long total = baseLength + bytes.Length;
        long c0 = baseLength + contents, c1 = baseLength + contentsEnd;
        var range = new[] { 0L, c0, c1, total - c1 };
        var brText = "[0 " + range[1].ToString(CultureInfo.InvariantCulture) + " " + range[2].ToString(CultureInfo.InvariantCulture) + " " + range[3].ToString(CultureInfo.InvariantCulture);
        brText = brText.PadRight(ByteRangePlaceholder.Length - 1) + "]";
        if (brText.Length != ByteRangePlaceholder.Length) throw new InvalidOperationException("ByteRange does not fit");
        Encoding.ASCII.GetBytes(brText, 0, brText.Length, bytes, br);

        using var h = Digests.Create(hash);
        f.Stream.Position = 0;
        // One pass: each 1 MB block is read, hashed and written. Memory stays 1 MB whatever the file size; the buffer
        // comes from the shared pool, so a signature allocates no large-object-heap array. Writing block k on a
        // second thread while hashing k+1 was measured (docs/performance.md): it did not pay on 2 shared cores.
        int blockSize = (int)Math.Max(1, Math.Min(1 << 20, baseLength));
        var buffer = ArrayPool<byte>.Shared.Rent(blockSize);
        long left = baseLength;
        try
        {
            while (left > 0)
            {
                int n = await ReadBlockAsync(f.Stream, buffer, (int)Math.Min(blockSize, left), ct).ConfigureAwait(false);
                h.AppendData(buffer, 0, n);
                await BlockIo.WriteAsync(output, buffer, 0, n, ct).ConfigureAwait(false);
                left -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true); // no document bytes left in the shared pool
        }
        if (left != 0) throw new EndOfStreamException();
        h.AppendData(bytes, 0, contents);
        h.AppendData(bytes, contentsEnd, bytes.Length - contentsEnd);
        await output.WriteAsync(bytes, 0, bytes.Length, ct).ConfigureAwait(false);
        await output.FlushAsync(ct).ConfigureAwait(false);
        return new PreparedRevision
        {
            ContentsOffset = c0,
            ContentsHexLength = contentsEnd - contents - 2,
            ByteRange = range,
            Digest = h.GetHashAndReset(),
            TotalLength = total,
        };
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes (fewer only at the end of the stream).</summary>
    private static async Task<int> ReadBlockAsync(Stream s, byte[] buffer, int count, CancellationToken ct)
    {
        int total = 0;
        while (total < count)
        {
            int r = await BlockIo.ReadAsync(s, buffer, total, count - total, ct).ConfigureAwait(false);
            if (r <= 0) break;
            total += r;
        }
        if (total == 0 && count > 0) throw new EndOfStreamException();
        return total;
    }

    /// <summary>Writes <paramref name="value"/> as hex into the zero-filled /Contents of <paramref name="output"/>.</summary>
    public static async Task PatchContentsAsync(Stream output, long contentsOffset, int hexLength, byte[] value, CancellationToken ct)
    {
        if (value.Length * 2 > hexLength)
            throw new SigningException(PdfMessages.Resources, "PdfPlaceholderTooSmall", null, value.Length, hexLength / 2);
        var hex = new PdfBuffer().AppendHex(value).ToArray();
        output.Position = contentsOffset + 1;
        await output.WriteAsync(hex, 0, hex.Length, ct).ConfigureAwait(false);
        await output.FlushAsync(ct).ConfigureAwait(false);
    }
}

