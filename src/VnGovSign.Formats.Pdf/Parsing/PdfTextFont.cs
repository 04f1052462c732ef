using System.Globalization;
using System.Text;

namespace VnGovSign.Formats.Pdf.Parsing;

/// <summary>
/// What text search needs to know about a font (ISO 32000-1 §9.5–9.10): how a string's bytes split into codes, each
/// code's Unicode text (from /ToUnicode, else the simple font's encoding and /Differences) and its advance width
/// (/Widths, or /W and /DW of a CIDFont), and the ascent and descent for glyph boxes.
/// </summary>
internal sealed class PdfTextFont
{
    private const int MaxRange = 65536;
    private Dictionary<int, string> _toUnicode = new();
    private readonly string?[] _simpleUnicode = new string?[256];
    private readonly Dictionary<int, double> _widths = new();
    private List<(int Length, uint Low, uint High)> _codespaces = new();
    private Dictionary<int, int>? _cids;
    private double _defaultWidth;
    private Func<string, double>? _fallbackWidth;

    private PdfTextFont() { }

    /// <summary>True for Type0 (composite) fonts: codes of one to four bytes, CIDs, /W widths.</summary>
    public bool Composite { get; private set; }

    /// <summary>True for a vertical CMap (Identity-V, …): such text is skipped by the search.</summary>
    public bool Vertical { get; private set; }

    /// <summary>Top of glyph boxes above the baseline, in text space units (fraction of the font size).</summary>
    public double Ascent { get; private set; } = 0.8;

    /// <summary>Bottom of glyph boxes (negative: below the baseline).</summary>
    public double Descent { get; private set; } = -0.2;

    /// <summary>Type 3: glyph space to text space scale (FontMatrix a); 0.001 for every other font.</summary>
    public double GlyphScale { get; private set; } = 0.001;

    /// <summary>Reads a font dictionary. Unknown or broken parts fall back to defaults; never throws for bad fonts.</summary>
    public static PdfTextFont Load(PdfFile f, PdfDictionary font)
    {
        var t = new PdfTextFont();
        var subtype = (f.Resolve(font["Subtype"]) as PdfName)?.Value;
        var baseFont = (f.Resolve(font["BaseFont"]) as PdfName)?.Value ?? "";
        PdfDictionary? descriptor;
        if (subtype == "Type0")
        {
            t.Composite = true;
            var descendant = f.Resolve(font["DescendantFonts"]) is PdfArray da && da.Count > 0 ? f.ResolveDictionary(da[0]) : null;
            descriptor = descendant is null ? null : f.ResolveDictionary(descendant["FontDescriptor"]);
            t._defaultWidth = Number(f, descendant?["DW"]) ?? 1000;
            if (descendant is not null && f.Resolve(descendant["W"]) is PdfArray w) t.ReadCidWidths(f, w);
            switch (f.Resolve(font["Encoding"]))
            {
                case PdfName n:
                    t.Vertical = n.Value.EndsWith("-V", StringComparison.Ordinal);
                    t._codespaces.Add((2, 0, 0xFFFF)); // Identity-H/V and the UCS2/UTF16 CMaps: two-byte codes
                    break;
                case PdfStream s:
                    CMap? cmap = null;
                    try { cmap = CMap.Parse(Data(f, s)); }
                    catch (Exception e) when (e is PdfSyntaxException or EndOfStreamException) { } // unreadable: two-byte identity
                    t._codespaces = cmap is { Codespaces.Count: > 0 } ? cmap.Codespaces : new List<(int, uint, uint)> { (2, 0, 0xFFFF) };
                    t._cids = cmap?.Cids;
                    t.Vertical = (f.Resolve(s.Dictionary["WMode"]) as PdfNumber)?.IntValue == 1 || cmap?.Vertical == true;
                    break;
                default:
                    t._codespaces.Add((2, 0, 0xFFFF));
                    break;
            }
        }
        else
        {
            descriptor = f.ResolveDictionary(font["FontDescriptor"]);
            int first = (int)(Number(f, font["FirstChar"]) ?? 0);
            if (f.Resolve(font["Widths"]) is PdfArray widths)
                for (int i = 0; i < widths.Count && i < 256; i++)
                    if (Number(f, widths[i]) is { } wv) t._widths[first + i] = wv;
            t._defaultWidth = Number(f, descriptor?["MissingWidth"]) ?? 0;
            if (!font.ContainsKey("Widths")) t._fallbackWidth = StandardWidths(baseFont, t);
            if (subtype == "Type3" && f.Resolve(font["FontMatrix"]) is PdfArray fm && fm.Count == 6 && Number(f, fm[0]) is { } a && a != 0)
                t.GlyphScale = Math.Abs(a);
            t.ReadSimpleEncoding(f, font, descriptor);
        }
        if (descriptor is not null)
        {
            double k = subtype == "Type3" ? t.GlyphScale : 0.001;
            if (Number(f, descriptor["Ascent"]) is { } asc && asc * k > 0.05 && asc * k < 3) t.Ascent = asc * k;
            // Some writers (PDFsharp among them) give /Descent as a positive number: it still means below the baseline.
            if (Number(f, descriptor["Descent"]) is { } desc && Math.Abs(desc * k) > 0.001 && Math.Abs(desc * k) < 3) t.Descent = -Math.Abs(desc * k);
        }
        else DefaultMetrics(baseFont, t);
        if (f.Resolve(font["ToUnicode"]) is PdfStream tu)
        {
            try { t._toUnicode = CMap.Parse(Data(f, tu)).Unicode; }
            catch (Exception e) when (e is PdfSyntaxException or EndOfStreamException) { } // a broken or unsupported ToUnicode: the encoding still gives text for simple fonts
        }
        return t;
    }

    private static byte[] Data(PdfFile f, PdfStream s)
    {
        foreach (var n in f.FilterNames(s))
            if (n != "FlateDecode" && n != "Fl") throw new PdfSyntaxException("unsupported filter /" + n, s.DataOffset);
        if (s.Length > 16 << 20) throw new PdfSyntaxException("CMap too large", s.DataOffset);
        return f.Decode(s, "CMap", 16 << 20);
    }

    private static double? Number(PdfFile f, PdfObject? o) => f.Resolve(o) is PdfNumber n ? n.Value : null;

    /// <summary>Splits a string operand into codes (with their byte length).</summary>
    public IEnumerable<(int Code, int Length)> Codes(byte[] bytes)
    {
        if (!Composite)
        {
            foreach (var b in bytes) yield return (b, 1);
            yield break;
        }
        int i = 0;
        while (i < bytes.Length)
        {
            int len = 0;
            uint code = 0;
            for (int n = 1; n <= 4 && i + n <= bytes.Length && len == 0; n++)
            {
                code = (code << 8) | bytes[i + n - 1];
                foreach (var (l, lo, hi) in _codespaces)
                    if (l == n && code >= lo && code <= hi) { len = n; break; }
            }
            if (len == 0)
            {
                // Not in any codespace: take the shortest codespace length (at least one byte) and go on.
                len = Math.Max(1, _codespaces.Count == 0 ? 1 : _codespaces.Min(c => c.Length));
                len = Math.Min(len, bytes.Length - i);
                code = 0;
                for (int n = 0; n < len; n++) code = (code << 8) | bytes[i + n];
            }
            else
            {
                code = 0;
                for (int n = 0; n < len; n++) code = (code << 8) | bytes[i + n];
            }
            yield return ((int)code, len);
            i += len;
        }
    }

    /// <summary>The Unicode text of a code ("" when unknown).</summary>
    public string Unicode(int code)
    {
        if (_toUnicode.TryGetValue(code, out var s)) return s;
        if (!Composite && code >= 0 && code < 256) return _simpleUnicode[code] ?? "";
        return "";
    }

    /// <summary>The advance width of a code in glyph space units (thousandths of text space for all but Type 3).</summary>
    public double Width(int code)
    {
        if (Composite)
        {
            int cid = _cids is null ? code : _cids.TryGetValue(code, out var c) ? c : 0;
            return _widths.TryGetValue(cid, out var w) ? w : _defaultWidth;
        }
        if (_widths.TryGetValue(code, out var sw)) return sw;
        if (_fallbackWidth is not null) return _fallbackWidth(Unicode(code));
        return _defaultWidth;
    }

    private void ReadCidWidths(PdfFile f, PdfArray w)
    {
        int i = 0;
        while (i < w.Count)
        {
            if (Number(f, w[i]) is not { } first) break;
            var next = i + 1 < w.Count ? f.Resolve(w[i + 1]) : null;
            if (next is PdfArray list)
            {
                for (int k = 0; k < list.Count && k < MaxRange; k++)
                    if (Number(f, list[k]) is { } v) _widths[(int)first + k] = v;
                i += 2;
            }
            else if (next is PdfNumber last && i + 2 < w.Count && Number(f, w[i + 2]) is { } v)
            {
                for (long c = (long)first; c <= (long)last.Value && c - (long)first < MaxRange; c++) _widths[(int)c] = v;
                i += 3;
            }
            else break;
        }
    }

    private void ReadSimpleEncoding(PdfFile f, PdfDictionary font, PdfDictionary? descriptor)
    {
        int flags = (int)(Number(f, descriptor?["Flags"]) ?? 0);
        bool symbolic = (flags & 4) != 0 && (flags & 32) == 0;
        var enc = f.Resolve(font["Encoding"]);
        string? baseName = enc switch
        {
            PdfName n => n.Value,
            PdfDictionary d => (f.Resolve(d["BaseEncoding"]) as PdfName)?.Value,
            _ => null,
        };
        bool standard = baseName is null ? !symbolic : baseName == "StandardEncoding";
        for (int c = 0; c < 256; c++)
        {
            if (baseName is null && symbolic) { _simpleUnicode[c] = c >= 32 ? ((char)c).ToString() : null; continue; }
            _simpleUnicode[c] = Encodings.WinAnsi(c);
        }
        if (standard) { _simpleUnicode[0x27] = "\u2019"; _simpleUnicode[0x60] = "\u2018"; }
        if (enc is PdfDictionary ed && f.Resolve(ed["Differences"]) is PdfArray diffs)
        {
            int code = 0;
            foreach (var item in diffs.Items)
            {
                switch (f.Resolve(item))
                {
                    case PdfNumber n: code = n.IntValue; break;
                    case PdfName name:
                        if (code >= 0 && code < 256) _simpleUnicode[code] = Encodings.GlyphName(name.Value);
                        code++;
                        break;
                }
            }
        }
    }

    /// <summary>
    /// Widths for a simple font without /Widths (the standard 14 fonts): Courier 600, Times* and serif names from Times
    /// metrics, anything else from Helvetica metrics (<see cref="StandardFontWidths"/>); bold and italic by name. The code's
    /// Unicode text picks the width, so /Differences still find the right glyph's width.
    /// </summary>
    private static Func<string, double> StandardWidths(string baseFont, PdfTextFont t)
    {
        int plus = baseFont.IndexOf('+');
        var name = plus == 6 ? baseFont.Substring(7) : baseFont;
        bool Has(string part) => name.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0;
        if (Has("Courier") || Has("Mono")) return _ => 600;
        bool serif = Has("Times") || (Has("Serif") && !Has("Sans"));
        bool bold = Has("Bold") || Has("Black") || Has("Heavy");
        bool italic = Has("Italic") || Has("Oblique");
        var table = serif
            ? (bold ? (italic ? StandardFontWidths.SerifBoldItalic : StandardFontWidths.SerifBold) : italic ? StandardFontWidths.SerifItalic : StandardFontWidths.SerifRegular)
            : (bold ? (italic ? StandardFontWidths.SansBoldItalic : StandardFontWidths.SansBold) : italic ? StandardFontWidths.SansItalic : StandardFontWidths.SansRegular);
        return text => text.Length == 1 && Encodings.WinAnsiCode(text[0]) is { } c && c >= 32 ? table[c - 32] : 500;
    }

    private static void DefaultMetrics(string baseFont, PdfTextFont t)
    {
        // Ascender and descender of the standard 14 fonts' metrics, by family.
        if (baseFont.IndexOf("Courier", StringComparison.OrdinalIgnoreCase) >= 0) { t.Ascent = 0.629; t.Descent = -0.157; }
        else if (baseFont.IndexOf("Times", StringComparison.OrdinalIgnoreCase) >= 0) { t.Ascent = 0.683; t.Descent = -0.217; }
        else if (baseFont.IndexOf("Helvetica", StringComparison.OrdinalIgnoreCase) >= 0 || baseFont.IndexOf("Arial", StringComparison.OrdinalIgnoreCase) >= 0)
        { t.Ascent = 0.718; t.Descent = -0.207; }
    }

    /// <summary>The parts of a CMap (ISO 32000-1 §9.7.5, §9.10.3) text search uses.</summary>
    internal sealed class CMap
    {
        public List<(int Length, uint Low, uint High)> Codespaces { get; } = new();
        public Dictionary<int, string> Unicode { get; } = new();
        public Dictionary<int, int> Cids { get; } = new();
        public bool Vertical { get; private set; }

        public static CMap Parse(byte[] data)
        {
            var m = new CMap();
            var lexer = new ContentLexer(data);
            var operands = new List<PdfObject>();
            string? section = null;
            while (lexer.Next(out var operand, out var op))
            {
                if (operand is not null)
                {
                    if (section is null) { operands.Add(operand); if (operands.Count > 8) operands.RemoveAt(0); continue; }
                    operands.Add(operand);
                    int need = section is "bfchar" or "cidchar" or "codespacerange" ? 2 : 3;
                    if (operands.Count == need) { m.Entry(section, operands); operands.Clear(); }
                    continue;
                }
                switch (op)
                {
                    case "begincodespacerange": section = "codespacerange"; operands.Clear(); break;
                    case "beginbfchar": section = "bfchar"; operands.Clear(); break;
                    case "beginbfrange": section = "bfrange"; operands.Clear(); break;
                    case "begincidchar": section = "cidchar"; operands.Clear(); break;
                    case "begincidrange": section = "cidrange"; operands.Clear(); break;
                    case "endcodespacerange": case "endbfchar": case "endbfrange": case "endcidchar": case "endcidrange":
                        section = null; operands.Clear(); break;
                    case "def":
                        if (operands.Count >= 2 && operands[operands.Count - 2] is PdfName { Value: "WMode" } && operands[operands.Count - 1] is PdfNumber { IntValue: 1 })
                            m.Vertical = true;
                        operands.Clear();
                        break;
                    default: if (section is null) operands.Clear(); break;
                }
            }
            return m;
        }

        private static (uint Code, int Length)? Code(PdfObject o)
        {
            if (o is not PdfString s || s.Value.Length == 0 || s.Value.Length > 4) return null;
            uint c = 0;
            foreach (var b in s.Value) c = (c << 8) | b;
            return (c, s.Value.Length);
        }

        private void Entry(string section, List<PdfObject> o)
        {
            switch (section)
            {
                case "codespacerange":
                    if (Code(o[0]) is { } lo && Code(o[1]) is { } hi && lo.Length == hi.Length) Codespaces.Add((lo.Length, lo.Code, hi.Code));
                    break;
                case "bfchar":
                    if (Code(o[0]) is { } src && Destination(o[1]) is { } dst) Unicode[(int)src.Code] = dst;
                    break;
                case "cidchar":
                    if (Code(o[0]) is { } cc && o[1] is PdfNumber cid) Cids[(int)cc.Code] = cid.IntValue;
                    break;
                case "bfrange":
                {
                    if (Code(o[0]) is not { } a || Code(o[1]) is not { } b || b.Code < a.Code) break;
                    uint count = Math.Min(b.Code - a.Code + 1, MaxRange);
                    if (o[2] is PdfArray arr)
                    {
                        for (uint k = 0; k < count && k < arr.Count; k++)
                            if (Destination(arr[(int)k]) is { } d) Unicode[(int)(a.Code + k)] = d;
                    }
                    else if (o[2] is PdfString ds && ds.Value.Length >= 2)
                    {
                        // The last UTF-16 code unit counts up through the range.
                        var units = Utf16(ds.Value);
                        for (uint k = 0; k < count; k++)
                        {
                            var copy = (char[])units.Clone();
                            copy[copy.Length - 1] = (char)(copy[copy.Length - 1] + k);
                            Unicode[(int)(a.Code + k)] = new string(copy);
                        }
                    }
                    break;
                }
                case "cidrange":
                    if (Code(o[0]) is { } ca && Code(o[1]) is { } cb && o[2] is PdfNumber first && cb.Code >= ca.Code)
                        for (uint k = 0; k <= cb.Code - ca.Code && k < MaxRange; k++) Cids[(int)(ca.Code + k)] = first.IntValue + (int)k;
                    break;
            }
        }

        private static char[] Utf16(byte[] b)
        {
            var units = new char[b.Length / 2];
            for (int i = 0; i < units.Length; i++) units[i] = (char)((b[2 * i] << 8) | b[2 * i + 1]);
            return units;
        }

        private static string? Destination(PdfObject o) => o switch
        {
            PdfString { Value.Length: >= 2 } s => new string(Utf16(s.Value)),
            PdfString { Value.Length: 1 } s1 => ((char)s1.Value[0]).ToString(),
            PdfName n => Encodings.GlyphName(n.Value),
            _ => null,
        };
    }
}

/// <summary>WinAnsiEncoding (ISO 32000-1 Annex D) and glyph names of the Latin character set.</summary>
internal static class Encodings
{
    private static readonly string[] Names =
    (
        "space exclam quotedbl numbersign dollar percent ampersand quotesingle parenleft parenright asterisk plus comma hyphen period slash " +
        "zero one two three four five six seven eight nine colon semicolon less equal greater question " +
        "at A B C D E F G H I J K L M N O P Q R S T U V W X Y Z bracketleft backslash bracketright asciicircum underscore " +
        "grave a b c d e f g h i j k l m n o p q r s t u v w x y z braceleft bar braceright asciitilde - " +
        "Euro - quotesinglbase florin quotedblbase ellipsis dagger daggerdbl circumflex perthousand Scaron guilsinglleft OE - Zcaron - " +
        "- quoteleft quoteright quotedblleft quotedblright bullet endash emdash tilde trademark scaron guilsinglright oe - zcaron Ydieresis " +
        "nbspace exclamdown cent sterling currency yen brokenbar section dieresis copyright ordfeminine guillemotleft logicalnot sfthyphen registered macron " +
        "degree plusminus twosuperior threesuperior acute mu paragraph periodcentered cedilla onesuperior ordmasculine guillemotright onequarter onehalf threequarters questiondown " +
        "Agrave Aacute Acircumflex Atilde Adieresis Aring AE Ccedilla Egrave Eacute Ecircumflex Edieresis Igrave Iacute Icircumflex Idieresis " +
        "Eth Ntilde Ograve Oacute Ocircumflex Otilde Odieresis multiply Oslash Ugrave Uacute Ucircumflex Udieresis Yacute Thorn germandbls " +
        "agrave aacute acircumflex atilde adieresis aring ae ccedilla egrave eacute ecircumflex edieresis igrave iacute icircumflex idieresis " +
        "eth ntilde ograve oacute ocircumflex otilde odieresis divide oslash ugrave uacute ucircumflex udieresis yacute thorn ydieresis"
    ).Split(' ');

    private static readonly ushort[] High =
    {
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    };

    private static readonly Dictionary<string, string> ByName = BuildNames();

    private static Dictionary<string, string> BuildNames()
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < Names.Length; i++)
            if (Names[i] != "-" && WinAnsi(0x20 + i) is { } u && !d.ContainsKey(Names[i])) d[Names[i]] = u;
        d["nbspace"] = "\u00A0"; d["sfthyphen"] = "\u00AD"; d["hyphen"] = "-"; d["space"] = " ";
        d["dotlessi"] = "\u0131"; d["minus"] = "\u2212"; d["fi"] = "fi"; d["fl"] = "fl"; d["ff"] = "ff"; d["ffi"] = "ffi"; d["ffl"] = "ffl";
        d["Dcroat"] = "\u0110"; d["dcroat"] = "\u0111"; d["Ohorn"] = "\u01A0"; d["ohorn"] = "\u01A1"; d["Uhorn"] = "\u01AF"; d["uhorn"] = "\u01B0";
        return d;
    }

    /// <summary>The Unicode text of a WinAnsiEncoding code, or null when the code is undefined.</summary>
    public static string? WinAnsi(int code)
    {
        if (code >= 0x20 && code < 0x7F) return ((char)code).ToString();
        if (code >= 0x80 && code < 0xA0) return High[code - 0x80] == 0 ? null : ((char)High[code - 0x80]).ToString();
        if (code >= 0xA0 && code <= 0xFF) return ((char)code).ToString();
        return null;
    }

    private static readonly Dictionary<char, int> Codes = BuildCodes();

    private static Dictionary<char, int> BuildCodes()
    {
        var d = new Dictionary<char, int>();
        for (int c = 32; c < 256; c++)
            if (WinAnsi(c) is { Length: 1 } u && !d.ContainsKey(u[0])) d[u[0]] = c;
        return d;
    }

    /// <summary>The WinAnsiEncoding code of a character, or null when WinAnsi has none.</summary>
    public static int? WinAnsiCode(char c) => Codes.TryGetValue(c, out var code) ? code : null;

    /// <summary>The Unicode text of a glyph name: the Latin set, uniXXXX(XXXX…), uXXXX[XX], suffixes after '.' dropped, ligatures split at '_'.</summary>
    public static string GlyphName(string name)
    {
        int dot = name.IndexOf('.');
        if (dot > 0) name = name.Substring(0, dot);
        if (name.IndexOf('_') > 0) return string.Concat(name.Split('_').Select(GlyphName));
        if (ByName.TryGetValue(name, out var s)) return s;
        if (name.StartsWith("uni", StringComparison.Ordinal) && name.Length >= 7 && (name.Length - 3) % 4 == 0)
        {
            var sb = new StringBuilder();
            for (int i = 3; i < name.Length; i += 4)
            {
                if (!int.TryParse(name.Substring(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var u)) return "";
                sb.Append((char)u);
            }
            return sb.ToString();
        }
        if (name.Length >= 5 && name.Length <= 7 && name[0] == 'u'
            && int.TryParse(name.Substring(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp) && cp <= 0x10FFFF)
            return char.ConvertFromUtf32(cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp);
        return "";
    }
}
