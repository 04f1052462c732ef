using System.Globalization;
using System.IO.Compression;

namespace VnGovSign.Formats.Pdf.Parsing;

/// <summary>Where an object lives according to the cross-reference data.</summary>
internal readonly record struct XrefEntry(int Type, long Offset, int Generation, int StreamNumber, int Index)
{
    public bool InUse => Type != 0;
}

/// <summary>One cross-reference section (one revision's update).</summary>
internal sealed class XrefSection
{
    public long Offset { get; init; }
    public bool IsStream { get; init; }
    public PdfDictionary Trailer { get; init; } = new();
    public Dictionary<int, XrefEntry> Entries { get; } = new();
}

/// <summary>
/// A PDF opened for signing or validation: header, the whole cross-reference chain (classic tables,
/// xref streams, hybrid files, every incremental revision), objects on demand (also inside object
/// streams). Only the parts asked for are read; the file is never loaded whole.
/// </summary>
internal sealed class PdfFile
{
    private readonly Dictionary<int, PdfObject> _cache = new();
    private readonly Dictionary<int, (byte[] Data, int[] Numbers, long[] Offsets, int First)> _objectStreams = new();

    private PdfFile(Stream stream, string name)
    {
        Stream = stream;
        Name = name;
        Source = new ByteSource(stream);
    }

    public Stream Stream { get; }
    public string Name { get; }
    public ByteSource Source { get; }
    public long Length => Source.Length;
    public string Version { get; private set; } = "1.4";
    /// <summary>The offset the LAST startxref points at.</summary>
    public long LastXrefOffset { get; private set; }
    /// <summary>Sections newest first.</summary>
    public List<XrefSection> Sections { get; } = new();
    /// <summary>The merged table (newest definition wins).</summary>
    public Dictionary<int, XrefEntry> Xref { get; } = new();
    public PdfDictionary Trailer => Sections[0].Trailer;
    public bool LastSectionIsStream => Sections[0].IsStream;
    /// <summary>The /Size of the newest trailer (the next free object number).</summary>
    public int Size { get; private set; }
    /// <summary>Offset just after the last "%%EOF" marker (with its end-of-line).</summary>
    public long LastEofEnd { get; private set; }

    /// <summary>Opens and reads the cross-reference chain. Refuses encrypted files and broken xref data.</summary>
    /// <exception cref="InvalidInputException">Not a PDF, encrypted, or unreadable cross-reference data.</exception>
    public static PdfFile Open(Stream stream, string name)
    {
        if (!stream.CanSeek || !stream.CanRead) throw new InvalidInputException(PdfMessages.Resources, "PdfStreamNotSeekable", null, name);
        var f = new PdfFile(stream, name);
        try
        {
            f.ReadStructure();
        }
        catch (PdfSyntaxException e)
        {
            throw new InvalidInputException(PdfMessages.Resources, "PdfMalformed", e, name, e.Message);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidInputException(PdfMessages.Resources, "PdfMalformed", e, name, "unexpected end of file");
        }
        if (f.Trailer.ContainsKey("Encrypt")) throw new InvalidInputException(PdfMessages.Resources, "PdfEncrypted", null, name);
        if (f.Trailer["Root"] is not PdfReference) throw new InvalidInputException(PdfMessages.Resources, "PdfMalformed", null, name, "trailer has no /Root");
        return f;
    }

    private void ReadStructure()
    {
        // Header: %PDF-x.y within the first 1024 bytes.
        long h = -1;
        for (long p = 0; p < Math.Min(1024, Length - 5) && h < 0; p++)
            if (Source[p] == '%' && Source[p + 1] == 'P' && Source[p + 2] == 'D' && Source[p + 3] == 'F' && Source[p + 4] == '-') h = p;
        if (h < 0) throw new InvalidInputException(PdfMessages.Resources, "PdfNotPdf", null, Name);
        if (h != 0) throw new InvalidInputException(PdfMessages.Resources, "PdfMalformed", null, Name, "bytes before the %PDF- header");
        Version = System.Text.Encoding.ASCII.GetString(Source.Read(5, 3));

        // The LAST startxref: search back from the end, widening the window (junk may follow %%EOF).
        long sx = -1;
        for (long window = 2048; sx < 0; window *= 8)
        {
            sx = Source.LastIndexOf("startxref", Length - 9, Math.Max(0, Length - window));
            if (window >= Length) break;
        }
        if (sx < 0) throw new InvalidInputException(PdfMessages.Resources, "PdfXrefBroken", null, Name, "no startxref");
        var p0 = new PdfParser(Source, sx + 9);
        var off = p0.ReadWord();
        if (!long.TryParse(off, NumberStyles.None, CultureInfo.InvariantCulture, out var xrefOffset) || xrefOffset <= 0 || xrefOffset >= Length)
            throw new InvalidInputException(PdfMessages.Resources, "PdfXrefBroken", null, Name, "startxref points outside the file");
        LastXrefOffset = xrefOffset;
        long eof = Source.LastIndexOf("%%EOF", Length - 5, sx);
        LastEofEnd = eof < 0 ? Length : eof + 5;
        if (eof >= 0)
        {
            if (Source[LastEofEnd] == 13) LastEofEnd++;
            if (Source[LastEofEnd] == 10) LastEofEnd++;
        }

        var seen = new HashSet<long>();
        long? next = xrefOffset;
        while (next is { } at)
        {
            if (!seen.Add(at) || seen.Count > 10000) throw new InvalidInputException(PdfMessages.Resources, "PdfXrefBroken", null, Name, "/Prev loop");
            var section = ReadSection(at);
            Sections.Add(section);
            if (section.Trailer["XRefStm"] is PdfNumber xs)
            {
                // Hybrid file (ISO 32000-1 §7.5.8.4): the table's objects in use win; objects the table leaves out or
                // marks free (the compressed ones, hidden from PDF 1.4 readers) come from the xref stream.
                var hidden = ReadSection(xs.LongValue);
                foreach (var e in hidden.Entries)
                    if (!section.Entries.TryGetValue(e.Key, out var t) || (!t.InUse && e.Value.InUse)) section.Entries[e.Key] = e.Value;
            }
            foreach (var e in section.Entries) if (!Xref.ContainsKey(e.Key)) Xref[e.Key] = e.Value;
            next = section.Trailer["Prev"] is PdfNumber prev ? prev.LongValue : null;
        }
        Size = (Trailer["Size"] as PdfNumber)?.IntValue ?? 0;
        if (Xref.Count > 0) Size = Math.Max(Size, Xref.Keys.Max() + 1);
    }

    private XrefSection ReadSection(long at)
    {
        if (at <= 0 || at >= Length) throw new InvalidInputException(PdfMessages.Resources, "PdfXrefBroken", null, Name, "xref offset " + at + " outside the file");
        var p = new PdfParser(Source, at);
        if (p.TryKeyword("xref")) return ReadTable(p, at);
        p.Position = at;
        try
        {
            p.ReadObjectHeader();
            p.LengthResolver = r => null;
            if (p.ReadIndirectBody() is PdfStream s && s.Dictionary.NameOf("Type") == "XRef") return ReadXrefStream(s, at);
        }
        catch (PdfSyntaxException) { }
        throw new InvalidInputException(PdfMessages.Resources, "PdfXrefBroken", null, Name, "no cross-reference section at offset " + at.ToString(CultureInfo.InvariantCulture));
    }

    private XrefSection ReadTable(PdfParser p, long at)
    {
        var section = new XrefSection { Offset = at, IsStream = false };
        while (true)
        {
            long save = p.Position;
            var w = p.ReadWord();
            if (w == "trailer") break;
            if (!int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out var first))
                throw new PdfSyntaxException("bad xref subsection", save);
            var cw = p.ReadWord();
            if (!int.TryParse(cw, NumberStyles.None, CultureInfo.InvariantCulture, out var count)) throw new PdfSyntaxException("bad xref subsection count", p.Position);
            for (int i = 0; i < count; i++)
            {
                var o = p.ReadWord();
                var g = p.ReadWord();
                var t = p.ReadWord();
                if (!long.TryParse(o, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) || !int.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out var gen) || (t != "n" && t != "f"))
                    throw new PdfSyntaxException("bad xref entry", p.Position);
                int num = first + i;
                if (!section.Entries.ContainsKey(num))
                    section.Entries[num] = t == "n" ? new XrefEntry(1, offset, gen, 0, 0) : new XrefEntry(0, 0, gen, 0, 0);
            }
        }
        if (p.ReadObject() is not PdfDictionary trailer) throw new PdfSyntaxException("trailer is not a dictionary", p.Position);
        return new XrefSection { Offset = at, IsStream = false, Trailer = trailer }.With(section.Entries);
    }

    private XrefSection ReadXrefStream(PdfStream s, long at)
    {
        var section = new XrefSection { Offset = at, IsStream = true, Trailer = s.Dictionary };
        var data = Decode(s, "xref stream");
        if (s.Dictionary["W"] is not PdfArray wa || wa.Count != 3) throw new PdfSyntaxException("xref stream without /W", at);
        int w0 = ((PdfNumber)wa[0]).IntValue, w1 = ((PdfNumber)wa[1]).IntValue, w2 = ((PdfNumber)wa[2]).IntValue;
        int rowLength = w0 + w1 + w2;
        if (rowLength <= 0) throw new PdfSyntaxException("xref stream /W is empty", at);
        var index = s.Dictionary["Index"] as PdfArray;
        var ranges = new List<(int First, int Count)>();
        if (index is null) ranges.Add((0, (s.Dictionary["Size"] as PdfNumber)?.IntValue ?? 0));
        else for (int i = 0; i + 1 < index.Count; i += 2) ranges.Add((((PdfNumber)index[i]).IntValue, ((PdfNumber)index[i + 1]).IntValue));
        int row = 0;
        foreach (var (first, count) in ranges)
        {
            for (int i = 0; i < count; i++, row++)
            {
                int pos = row * rowLength;
                if (pos + rowLength > data.Length) throw new PdfSyntaxException("xref stream shorter than its /Index", at);
                long f0 = w0 == 0 ? 1 : Field(data, pos, w0);
                long f1 = Field(data, pos + w0, w1);
                long f2 = Field(data, pos + w0 + w1, w2);
                int num = first + i;
                if (section.Entries.ContainsKey(num)) continue;
                section.Entries[num] = f0 switch
                {
                    0 => new XrefEntry(0, 0, (int)f2, 0, 0),
                    1 => new XrefEntry(1, f1, (int)f2, 0, 0),
                    2 => new XrefEntry(2, 0, 0, (int)f1, (int)f2),
                    _ => new XrefEntry(0, 0, 0, 0, 0),
                };
            }
        }
        return section;
    }

    private static long Field(byte[] d, int pos, int width)
    {
        long v = 0;
        for (int i = 0; i < width; i++) v = (v << 8) | d[pos + i];
        return v;
    }

    /// <summary>The object with this number (null when free or absent).</summary>
    public PdfObject? GetObject(int number)
    {
        if (_cache.TryGetValue(number, out var cached)) return cached;
        if (!Xref.TryGetValue(number, out var e) || !e.InUse) return null;
        PdfObject obj;
        try
        {
            obj = e.Type == 1 ? ReadAt(number, e.Offset) : ReadFromObjectStream(number, e.StreamNumber, e.Index);
        }
        catch (PdfSyntaxException ex)
        {
            throw new InvalidInputException(PdfMessages.Resources, "PdfObjectBroken", ex, Name, number, ex.Message);
        }
        _cache[number] = obj;
        return obj;
    }

    /// <summary>Reads "N G obj … endobj" at <paramref name="offset"/>, checking the number.</summary>
    public PdfObject ReadAt(int number, long offset)
    {
        var p = new PdfParser(Source, offset) { LengthResolver = ResolveLength };
        var (n, _) = p.ReadObjectHeader();
        if (n != number) throw new PdfSyntaxException("object " + number + " expected, found " + n, offset);
        return p.ReadIndirectBody();
    }

    private long? ResolveLength(PdfReference r) => GetObject(r.Number) is PdfNumber n ? n.LongValue : null;

    private PdfObject ReadFromObjectStream(int number, int streamNumber, int index)
    {
        if (!_objectStreams.TryGetValue(streamNumber, out var os))
        {
            if (GetObject(streamNumber) is not PdfStream s) throw new PdfSyntaxException("object stream " + streamNumber + " missing", 0);
            var data = Decode(s, "object stream " + streamNumber);
            int n = (s.Dictionary["N"] as PdfNumber)?.IntValue ?? 0;
            int first = (s.Dictionary["First"] as PdfNumber)?.IntValue ?? 0;
            var hp = new PdfParser(new ByteSource(data), 0);
            var nums = new int[n];
            var offs = new long[n];
            for (int i = 0; i < n; i++)
            {
                if (!int.TryParse(hp.ReadWord(), NumberStyles.None, CultureInfo.InvariantCulture, out nums[i])
                    || !long.TryParse(hp.ReadWord(), NumberStyles.None, CultureInfo.InvariantCulture, out offs[i]))
                    throw new PdfSyntaxException("object stream " + streamNumber + ": bad header", 0);
            }
            os = (data, nums, offs, first);
            _objectStreams[streamNumber] = os;
        }
        int k = index < os.Numbers.Length && os.Numbers[index] == number ? index : Array.IndexOf(os.Numbers, number);
        if (k < 0) throw new PdfSyntaxException("object " + number + " not in object stream " + streamNumber, 0);
        var parser = new PdfParser(new ByteSource(os.Data), os.First + os.Offsets[k]);
        return parser.ReadObject();
    }

    /// <summary>Follows a reference (once or more); other objects are returned as they are.</summary>
    public PdfObject? Resolve(PdfObject? o)
    {
        for (int i = 0; i < 32 && o is PdfReference r; i++) o = GetObject(r.Number);
        return o is PdfNull ? null : o;
    }

    public PdfDictionary? ResolveDictionary(PdfObject? o) => Resolve(o) switch
    {
        PdfDictionary d => d,
        PdfStream s => s.Dictionary,
        _ => null,
    };

    public PdfDictionary Catalog => ResolveDictionary(Trailer["Root"]) ?? throw new InvalidInputException(PdfMessages.Resources, "PdfMalformed", null, Name, "no catalog");
    public int CatalogNumber => ((PdfReference)Trailer["Root"]!).Number;

    /// <summary>The raw (encoded) data of a stream.</summary>
    public byte[] RawData(PdfStream s) => s.Data ?? Source.Read(s.DataOffset, checked((int)s.Length));

    /// <summary>The names of a stream's filters, in order (empty when unfiltered).</summary>
    public string[] FilterNames(PdfStream s) => Resolve(s.Dictionary["Filter"]) switch
    {
        PdfName n => new[] { n.Value },
        PdfArray a => a.Items.Select(x => (Resolve(x) as PdfName)?.Value ?? "").ToArray(),
        _ => Array.Empty<string>(),
    };

    /// <summary>
    /// The decoded data of a stream (FlateDecode with PNG predictors; no filter). With <paramref name="maxLength"/>,
    /// decompression stops with a <see cref="PdfSyntaxException"/> once the output would exceed it (a zip bomb never fills memory).
    /// </summary>
    public byte[] Decode(PdfStream s, string what, long maxLength = long.MaxValue)
    {
        var raw = RawData(s);
        var names = FilterNames(s);
        var parms = Resolve(s.Dictionary["DecodeParms"]);
        var data = raw;
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i] != "FlateDecode" && names[i] != "Fl") throw new PdfSyntaxException(what + ": unsupported filter /" + names[i], s.DataOffset);
            data = Inflate(data, s.DataOffset, maxLength);
            var dp = parms is PdfArray pa ? ResolveDictionary(pa.Count > i ? pa[i] : null) : parms as PdfDictionary;
            if (dp is not null) data = Unpredict(data, dp, s.DataOffset);
        }
        return data;
    }

    private static byte[] Inflate(byte[] data, long at, long maxLength)
    {
        if (data.Length < 2) return Array.Empty<byte>();
        try
        {
            using var input = new MemoryStream(data, 2, data.Length - 2); // skip the zlib header
            using var z = new DeflateStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[81920];
            int n;
            while ((n = z.Read(buffer, 0, buffer.Length)) > 0)
            {
                if (output.Length + n > maxLength) throw new PdfSyntaxException("decompressed stream larger than " + maxLength.ToString(CultureInfo.InvariantCulture) + " bytes", at);
                output.Write(buffer, 0, n);
            }
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new PdfSyntaxException("corrupt compressed stream: " + e.Message, at);
        }
    }

    private static byte[] Unpredict(byte[] data, PdfDictionary dp, long at)
    {
        int predictor = (dp["Predictor"] as PdfNumber)?.IntValue ?? 1;
        if (predictor < 10) return predictor == 1 ? data : throw new PdfSyntaxException("unsupported TIFF predictor", at);
        int columns = (dp["Columns"] as PdfNumber)?.IntValue ?? 1;
        int colors = (dp["Colors"] as PdfNumber)?.IntValue ?? 1;
        int bpc = (dp["BitsPerComponent"] as PdfNumber)?.IntValue ?? 8;
        int bpp = Math.Max(1, colors * bpc / 8);
        int rowLength = (columns * colors * bpc + 7) / 8;
        int rows = data.Length / (rowLength + 1);
        var output = new byte[rows * rowLength];
        var prev = new byte[rowLength];
        for (int r = 0; r < rows; r++)
        {
            int type = data[r * (rowLength + 1)];
            int src = r * (rowLength + 1) + 1;
            var cur = new byte[rowLength];
            for (int i = 0; i < rowLength; i++)
            {
                int x = data[src + i];
                int left = i >= bpp ? cur[i - bpp] : 0;
                int up = prev[i];
                int upLeft = i >= bpp ? prev[i - bpp] : 0;
                cur[i] = type switch
                {
                    0 => (byte)x,
                    1 => (byte)(x + left),
                    2 => (byte)(x + up),
                    3 => (byte)(x + ((left + up) >> 1)),
                    4 => (byte)(x + Paeth(left, up, upLeft)),
                    _ => throw new PdfSyntaxException("bad PNG predictor row type", at),
                };
            }
            Buffer.BlockCopy(cur, 0, output, r * rowLength, rowLength);
            prev = cur;
        }
        return output;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>The page references in document order (page tree walk, cycles refused).</summary>
    public List<PdfReference> Pages()
    {
        var result = new List<PdfReference>();
        var seen = new HashSet<int>();
        void Walk(PdfObject? node)
        {
            if (node is not PdfReference r || !seen.Add(r.Number)) return;
            var d = ResolveDictionary(r);
            if (d is null) return;
            if (d.NameOf("Type") == "Page" || (d["Kids"] is null && d.ContainsKey("Contents"))) { result.Add(r); return; }
            if (Resolve(d["Kids"]) is PdfArray kids) foreach (var k in kids.Items) Walk(k);
        }
        Walk(Catalog["Pages"]);
        return result;
    }

    /// <summary>A page attribute, inherited from the page tree when the page lacks it (/MediaBox, /CropBox, /Rotate, /Resources).</summary>
    public PdfObject? Inherited(PdfDictionary page, string key)
    {
        var d = page;
        for (int i = 0; i < 64 && d is not null; i++)
        {
            if (d[key] is { } v) return Resolve(v);
            d = ResolveDictionary(d["Parent"]);
        }
        return null;
    }

    /// <summary>Every terminal field of the AcroForm (with /Kids followed), with its object number when indirect.</summary>
    public List<(PdfReference? Ref, PdfDictionary Field, string Name, string? Type)> Fields()
    {
        var result = new List<(PdfReference?, PdfDictionary, string, string?)>();
        var form = ResolveDictionary(Catalog["AcroForm"]);
        if (form is null || Resolve(form["Fields"]) is not PdfArray fields) return result;
        var seen = new HashSet<int>();
        void Walk(PdfObject item, string parentName, string? parentType, int depth)
        {
            if (depth > 32) return;
            if (item is PdfReference r && !seen.Add(r.Number)) return;
            var d = ResolveDictionary(item);
            if (d is null) return;
            var partial = (Resolve(d["T"]) as PdfString)?.Text;
            var name = partial is null ? parentName : parentName.Length == 0 ? partial : parentName + "." + partial;
            var type = (Resolve(d["FT"]) as PdfName)?.Value ?? parentType;
            if (Resolve(d["Kids"]) is PdfArray kids && kids.Items.Any(k => ResolveDictionary(k)?["T"] is not null))
            {
                foreach (var k in kids.Items) Walk(k, name, type, depth + 1);
                return;
            }
            result.Add((item as PdfReference, d, name, type));
        }
        foreach (var f in fields.Items) Walk(f, "", null, 0);
        return result;
    }
}

internal static class XrefSectionExtensions
{
    public static XrefSection With(this XrefSection s, Dictionary<int, XrefEntry> entries)
    {
        foreach (var e in entries) s.Entries[e.Key] = e.Value;
        return s;
    }
}
