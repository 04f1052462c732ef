using System.Text;

namespace VnGovSign.Formats.Pdf.Appearance;

/// <summary>
/// The TrueType font that appearance text is drawn with. It is embedded into the PDF as a subset
/// (Type0 / CIDFontType2, Identity-H, /W widths, /ToUnicode), so the text looks the same in every viewer
/// and copies back as the same Vietnamese string.
/// </summary>
public sealed class PdfAppearanceFont
{
    private static readonly Lazy<PdfAppearanceFont> DefaultFont = new(LoadDefault);

    private PdfAppearanceFont(TrueTypeFont font) => Font = font;

    internal TrueTypeFont Font { get; }

    /// <summary>The PostScript name of the font (e.g. LiberationSerif).</summary>
    public string PostScriptName => Font.PostScriptName;

    /// <summary>
    /// Liberation Serif Regular 2.1.5, shipped inside this package (SIL Open Font License 1.1):
    /// metric-compatible with Times New Roman, which Decree 30 prescribes, on every operating system.
    /// </summary>
    public static PdfAppearanceFont Default => DefaultFont.Value;

    /// <summary>Loads a TrueType font file (.ttf; glyf outlines, a Unicode cmap) supplied by the caller, e.g. Times New Roman.</summary>
    public static PdfAppearanceFont Load(string path)
    {
        if (path is null) throw new ArgumentNullException(nameof(path));
        byte[] data;
        try { data = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.FontUnreadable", e, path, e.Message);
        }
        return FromBytes(data, path);
    }

    /// <summary>Parses TrueType font bytes; <paramref name="name"/> names the font in error messages.</summary>
    public static PdfAppearanceFont FromBytes(byte[] ttf, string name)
    {
        if (ttf is null) throw new ArgumentNullException(nameof(ttf));
        return new PdfAppearanceFont(TrueTypeFont.Parse(ttf, name ?? "font"));
    }

    /// <summary>The advance width of <paramref name="text"/> (normalised to NFC) at <paramref name="fontSize"/> points.</summary>
    public double MeasureWidth(string text, double fontSize)
    {
        double units = 0;
        foreach (var g in Font.Shape(text)) units += Font.AdvanceWidth(g.Glyph);
        return units * fontSize / Font.UnitsPerEm;
    }

    private static PdfAppearanceFont LoadDefault()
    {
        const string resource = "VnGovSign.Formats.Pdf.Appearance.Fonts.LiberationSerif-Regular.ttf";
        using var stream = typeof(PdfAppearanceFont).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException("The embedded font " + resource + " is missing from the assembly.");
        var ms = new MemoryStream();
        stream.CopyTo(ms);
        return FromBytes(ms.ToArray(), "LiberationSerif-Regular.ttf");
    }
}

/// <summary>One shaped character: the glyph drawn and the text it stands for (for /ToUnicode).</summary>
internal readonly record struct ShapedGlyph(ushort Glyph, string Text);

/// <summary>
/// The parts of a TrueType font that embedding needs: cmap (3,1 / 3,10 / 0,x), hmtx, head, hhea, maxp,
/// loca/glyf, OS/2 and post for the descriptor, and a glyph-preserving subsetter.
/// </summary>
internal sealed class TrueTypeFont
{
    private readonly byte[] data;
    private readonly Dictionary<string, (int Offset, int Length)> tables = new(StringComparer.Ordinal);
    private readonly Dictionary<int, ushort> cmap = new();
    private ushort[] advances = Array.Empty<ushort>();
    private int[] loca = Array.Empty<int>();

    private TrueTypeFont(byte[] data, string name)
    {
        this.data = data;
        Name = name;
    }

    public string Name { get; }
    public string PostScriptName { get; private set; } = "Font";
    public int UnitsPerEm { get; private set; }
    public int NumGlyphs { get; private set; }
    public short XMin { get; private set; }
    public short YMin { get; private set; }
    public short XMax { get; private set; }
    public short YMax { get; private set; }
    public short Ascent { get; private set; }
    public short Descent { get; private set; }
    public short CapHeight { get; private set; }
    public double ItalicAngle { get; private set; }
    public bool IsSerif { get; private set; }

    public static TrueTypeFont Parse(byte[] data, string name)
    {
        var font = new TrueTypeFont(data, name);
        try
        {
            font.Load();
        }
        catch (InvalidInputException) { throw; }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.BadFont", e, name, "truncated or corrupt table");
        }
        return font;
    }

    private InvalidInputException Bad(string detail) => new(AppearanceMessages.Resources, "Appearance.BadFont", null, Name, detail);

    private ushort U16(int o) => (ushort)((data[o] << 8) | data[o + 1]);
    private short S16(int o) => (short)U16(o);
    private int S32(int o) => (data[o] << 24) | (data[o + 1] << 16) | (data[o + 2] << 8) | data[o + 3];
    private uint U32(int o) => (uint)S32(o);

    private (int Offset, int Length) Table(string tag, bool required = true)
    {
        if (tables.TryGetValue(tag, out var t)) return t;
        if (required) throw Bad("no '" + tag + "' table");
        return (-1, 0);
    }

    private void Load()
    {
        if (data.Length < 12) throw Bad("too short");
        uint version = U32(0);
        if (version == 0x74746366) throw Bad("font collections (.ttc) are not supported: extract one font");
        if (version == 0x4F54544F) throw Bad("CFF-based OpenType (.otf) is not supported: use a TrueType (.ttf) font");
        if (version != 0x00010000 && version != 0x74727565) throw Bad("not a TrueType font");
        int count = U16(4);
        for (int i = 0; i < count; i++)
        {
            int r = 12 + i * 16;
            string tag = Encoding.ASCII.GetString(data, r, 4);
            int offset = S32(r + 8), length = S32(r + 12);
            if (offset < 0 || length < 0 || (long)offset + length > data.Length) throw Bad("table '" + tag + "' lies outside the file");
            tables[tag] = (offset, length);
        }

        var head = Table("head");
        UnitsPerEm = U16(head.Offset + 18);
        if (UnitsPerEm < 16 || UnitsPerEm > 16384) throw Bad("bad unitsPerEm");
        XMin = S16(head.Offset + 36); YMin = S16(head.Offset + 38); XMax = S16(head.Offset + 40); YMax = S16(head.Offset + 42);
        int indexToLocFormat = S16(head.Offset + 50);

        NumGlyphs = U16(Table("maxp").Offset + 4);
        var hhea = Table("hhea");
        Ascent = S16(hhea.Offset + 4);
        Descent = S16(hhea.Offset + 6);
        int numberOfHMetrics = U16(hhea.Offset + 34);
        if (numberOfHMetrics == 0 || numberOfHMetrics > NumGlyphs) throw Bad("bad numberOfHMetrics");
        var hmtx = Table("hmtx");
        if (hmtx.Length < numberOfHMetrics * 4) throw Bad("short hmtx");
        advances = new ushort[NumGlyphs];
        for (int g = 0; g < NumGlyphs; g++) advances[g] = U16(hmtx.Offset + Math.Min(g, numberOfHMetrics - 1) * 4);

        var locaTable = Table("loca");
        var glyf = Table("glyf");
        loca = new int[NumGlyphs + 1];
        for (int g = 0; g <= NumGlyphs; g++)
        {
            loca[g] = indexToLocFormat == 0 ? U16(locaTable.Offset + g * 2) * 2 : S32(locaTable.Offset + g * 4);
            if (loca[g] < 0 || loca[g] > glyf.Length) throw Bad("loca points outside glyf");
        }

        CapHeight = (short)(Ascent * 0.7);
        var os2 = Table("OS/2", required: false);
        if (os2.Offset >= 0)
        {
            int familyClass = data[os2.Offset + 30];
            IsSerif = familyClass is >= 1 and <= 7;
            if (U16(os2.Offset) >= 2 && os2.Length >= 90) CapHeight = S16(os2.Offset + 88);
        }
        var post = Table("post", required: false);
        if (post.Offset >= 0) ItalicAngle = S32(post.Offset + 4) / 65536.0;

        LoadCmap();
        LoadName();
    }

    private void LoadCmap()
    {
        var t = Table("cmap");
        int count = U16(t.Offset + 2);
        int best = -1, bestScore = -1;
        for (int i = 0; i < count; i++)
        {
            int r = t.Offset + 4 + i * 8;
            int platform = U16(r), encoding = U16(r + 2);
            int sub = t.Offset + S32(r + 4);
            int format = U16(sub);
            int score = (platform, encoding, format) switch
            {
                (3, 10, 12) => 4,
                (0, _, 12) => 3,
                (3, 1, 4) => 2,
                (0, _, 4) => 1,
                _ => -1,
            };
            if (score > bestScore) { bestScore = score; best = sub; }
        }
        if (best < 0) throw Bad("no Unicode cmap (format 4 or 12)");
        if (U16(best) == 4)
        {
            int segCountX2 = U16(best + 6);
            int ends = best + 14, starts = ends + segCountX2 + 2, deltas = starts + segCountX2, ranges = deltas + segCountX2;
            for (int s = 0; s < segCountX2 / 2; s++)
            {
                int end = U16(ends + s * 2), start = U16(starts + s * 2);
                int delta = S16(deltas + s * 2), rangeOffset = U16(ranges + s * 2);
                for (int c = start; c <= end && c != 0xFFFF; c++)
                {
                    int g;
                    if (rangeOffset == 0) g = (c + delta) & 0xFFFF;
                    else
                    {
                        int at = ranges + s * 2 + rangeOffset + (c - start) * 2;
                        g = U16(at);
                        if (g != 0) g = (g + delta) & 0xFFFF;
                    }
                    if (g != 0 && g < NumGlyphs) cmap[c] = (ushort)g;
                }
            }
        }
        else
        {
            uint groups = U32(best + 12);
            for (uint i = 0; i < groups; i++)
            {
                int r = best + 16 + (int)i * 12;
                uint start = U32(r), end = U32(r + 4), glyph = U32(r + 8);
                if (end - start > 0x10FFFF) throw Bad("bad cmap group");
                for (uint c = start; c <= end; c++)
                {
                    uint g = glyph + (c - start);
                    if (g != 0 && g < NumGlyphs) cmap[(int)c] = (ushort)g;
                }
            }
        }
    }

    private void LoadName()
    {
        var t = Table("name", required: false);
        if (t.Offset < 0) return;
        int count = U16(t.Offset + 2), strings = t.Offset + U16(t.Offset + 4);
        for (int i = 0; i < count; i++)
        {
            int r = t.Offset + 6 + i * 12;
            int platform = U16(r), nameId = U16(r + 6), length = U16(r + 8), offset = U16(r + 10);
            if (nameId != 6) continue;
            string s = platform is 0 or 3
                ? Encoding.BigEndianUnicode.GetString(data, strings + offset, length)
                : Encoding.ASCII.GetString(data, strings + offset, length);
            var clean = new StringBuilder();
            foreach (char ch in s) if (ch > 32 && ch < 127 && "()<>[]{}/%#".IndexOf(ch) < 0) clean.Append(ch);
            if (clean.Length > 0) { PostScriptName = clean.ToString(); return; }
        }
    }

    public int AdvanceWidth(ushort glyph) => advances[glyph];

    public bool TryGetGlyph(int codePoint, out ushort glyph) => cmap.TryGetValue(codePoint, out glyph);

    /// <summary>Maps text (normalised to NFC) to glyphs, one per code point. Raises a clear error for a character the font lacks.</summary>
    public List<ShapedGlyph> Shape(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormC);
        var result = new List<ShapedGlyph>(normalized.Length);
        for (int i = 0; i < normalized.Length; i++)
        {
            int cp = normalized[i];
            string s = normalized[i].ToString();
            if (char.IsHighSurrogate(normalized[i]) && i + 1 < normalized.Length && char.IsLowSurrogate(normalized[i + 1]))
            {
                cp = char.ConvertToUtf32(normalized[i], normalized[i + 1]);
                s = normalized.Substring(i, 2);
                i++;
            }
            if (cp is '\r' or '\n' or '\t') { cp = ' '; s = " "; }
            if (!cmap.TryGetValue(cp, out var g))
                throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.MissingGlyph", null, PostScriptName, s, cp.ToString("X4"));
            result.Add(new ShapedGlyph(g, s));
        }
        return result;
    }

    /// <summary>
    /// A subset that keeps glyph numbers (so CIDToGIDMap stays /Identity): the used glyphs, the glyphs their
    /// composites are built from (Vietnamese letters with stacked marks are composites), and .notdef keep
    /// their outlines; every other glyph becomes empty. Hinting tables are kept.
    /// </summary>
    public byte[] Subset(IEnumerable<ushort> usedGlyphs)
    {
        var keep = new SortedSet<int>();
        var glyf = Table("glyf");
        var pending = new Stack<int>(usedGlyphs.Select(g => (int)g));
        pending.Push(0);
        while (pending.Count > 0)
        {
            int g = pending.Pop();
            if (g >= NumGlyphs || !keep.Add(g)) continue;
            int start = loca[g], end = loca[g + 1];
            if (end - start < 10) continue;
            int o = glyf.Offset + start;
            if (S16(o) >= 0) continue; // simple glyph
            int p = o + 10;
            while (true)
            {
                int flags = U16(p);
                int component = U16(p + 2);
                if (!keep.Contains(component)) pending.Push(component);
                p += 4 + ((flags & 0x0001) != 0 ? 4 : 2);
                if ((flags & 0x0008) != 0) p += 2;
                else if ((flags & 0x0040) != 0) p += 4;
                else if ((flags & 0x0080) != 0) p += 8;
                if ((flags & 0x0020) == 0) break;
            }
        }

        var newGlyf = new MemoryStream();
        var newLoca = new byte[(NumGlyphs + 1) * 4];
        for (int g = 0; g < NumGlyphs; g++)
        {
            WriteU32(newLoca, g * 4, (uint)newGlyf.Length);
            if (!keep.Contains(g)) continue;
            int len = loca[g + 1] - loca[g];
            if (len <= 0) continue;
            newGlyf.Write(data, glyf.Offset + loca[g], len);
            while (newGlyf.Length % 4 != 0) newGlyf.WriteByte(0);
        }
        WriteU32(newLoca, NumGlyphs * 4, (uint)newGlyf.Length);

        var head = Slice("head");
        WriteU32(head, 8, 0); // checkSumAdjustment, set below
        head[50] = 0; head[51] = 1; // indexToLocFormat = long

        var outTables = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["head"] = head,
            ["hhea"] = Slice("hhea"),
            ["maxp"] = Slice("maxp"),
            ["hmtx"] = Slice("hmtx"),
            ["loca"] = newLoca,
            ["glyf"] = newGlyf.ToArray(),
        };
        foreach (var optional in new[] { "cvt ", "fpgm", "prep", "OS/2", "name" })
            if (tables.ContainsKey(optional)) outTables[optional] = Slice(optional);

        int n = outTables.Count;
        int entrySelector = 0;
        while (1 << (entrySelector + 1) <= n) entrySelector++;
        int searchRange = (1 << entrySelector) * 16;
        var output = new MemoryStream();
        var header = new byte[12 + n * 16];
        WriteU32(header, 0, 0x00010000);
        WriteU16(header, 4, n);
        WriteU16(header, 6, searchRange);
        WriteU16(header, 8, entrySelector);
        WriteU16(header, 10, n * 16 - searchRange);
        int offset = header.Length;
        int i = 0;
        int headOffset = 0;
        foreach (var kv in outTables)
        {
            int r = 12 + i * 16;
            Encoding.ASCII.GetBytes(kv.Key, 0, 4, header, r);
            WriteU32(header, r + 4, Checksum(kv.Value));
            WriteU32(header, r + 8, (uint)offset);
            WriteU32(header, r + 12, (uint)kv.Value.Length);
            if (kv.Key == "head") headOffset = offset;
            offset += (kv.Value.Length + 3) & ~3;
            i++;
        }
        output.Write(header, 0, header.Length);
        foreach (var kv in outTables)
        {
            output.Write(kv.Value, 0, kv.Value.Length);
            for (int pad = kv.Value.Length; pad % 4 != 0; pad++) output.WriteByte(0);
        }
        var font = output.ToArray();
        WriteU32(font, headOffset + 8, 0xB1B0AFBAu - Checksum(font));
        return font;
    }

    private byte[] Slice(string tag)
    {
        var t = Table(tag);
        var b = new byte[t.Length];
        Buffer.BlockCopy(data, t.Offset, b, 0, t.Length);
        return b;
    }

    private static uint Checksum(byte[] b)
    {
        uint sum = 0;
        for (int i = 0; i < b.Length; i += 4)
        {
            uint v = 0;
            for (int k = 0; k < 4; k++) v = (v << 8) | (i + k < b.Length ? b[i + k] : 0u);
            sum += v;
        }
        return sum;
    }

    private static void WriteU16(byte[] b, int o, int v) { b[o] = (byte)(v >> 8); b[o + 1] = (byte)v; }

    private static void WriteU32(byte[] b, int o, uint v)
    {
        b[o] = (byte)(v >> 24); b[o + 1] = (byte)(v >> 16); b[o + 2] = (byte)(v >> 8); b[o + 3] = (byte)v;
    }
}
