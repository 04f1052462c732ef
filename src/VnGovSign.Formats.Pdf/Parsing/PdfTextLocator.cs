using System.Globalization;
using System.Text;
using VnGovSign.Formats.Pdf.Appearance;
using VnGovSign.Formats.Pdf.Parsing;

namespace VnGovSign.Formats.Pdf
{
    /// <summary>Where a search text was found: the page (from 1) and the bounding box of the matched glyphs.</summary>
    /// <param name="Page">Page number, from 1.</param>
    /// <param name="Bounds">The box around the matched glyphs (advance width × font ascent/descent), in the page's default user space.</param>
    public sealed record PdfTextMatch(int Page, PdfRect Bounds);

    /// <summary>
    /// Finds text on PDF pages — e.g. the signer's title an e-office template prints where the signature goes. The page's
    /// content streams (FlateDecode or unfiltered) and the Form XObjects they draw are interpreted for text positions;
    /// codes map to Unicode through /ToUnicode, else the simple font's encoding (WinAnsi, /Differences).
    /// </summary>
    /// <remarks>
    /// Matching: the search text and the page text are NFC-normalised; case-sensitive unless <c>ignoreCase</c>; a run of
    /// white space in the search text matches any run of white space, or a visible gap between glyphs, or nothing. Glyph
    /// boxes are advance width × the font descriptor's ascent and descent, as pdftotext computes them. Approximations: a
    /// standard 14 font without /Widths is measured with Helvetica, Times or Courier metrics; StandardEncoding and
    /// MacRomanEncoding are read as WinAnsi (quotes aside); predefined CMaps other than Identity are read as two-byte codes.
    /// Not supported: vertical writing (Identity-V text is skipped), content streams with filters other than FlateDecode
    /// (refused), Type 3 glyph shapes (their widths are used), text inside annotation appearances.
    /// </remarks>
    public static class PdfTextLocator
    {
        /// <summary>
        /// The first occurrence of <paramref name="text"/> in the PDF at <paramref name="path"/>: on page <paramref name="page"/>
        /// (from 1) only, or with null on every page in order (first match wins). Null when not found.
        /// </summary>
        /// <exception cref="InvalidInputException">The file is not a readable PDF, the page does not exist, the search text is empty,
        /// or a searched page's content uses a filter other than FlateDecode.</exception>
        public static PdfTextMatch? Find(string path, string text, int? page = null, bool ignoreCase = false)
        {
            if (path is null) throw new ArgumentNullException(nameof(path));
            FileStream fs;
            try { fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidInputException(MessageKeys.FileNotReadable, e, path, e.Message);
            }
            using (fs)
                return Find(PdfFile.Open(fs, Path.GetFileName(path)), text, page, ignoreCase);
        }

        /// <summary>As <see cref="Find(string, string, int?, bool)"/>, reading <paramref name="pdf"/> (seekable; only read).</summary>
        /// <exception cref="InvalidInputException">See <see cref="Find(string, string, int?, bool)"/>.</exception>
        public static PdfTextMatch? Find(Stream pdf, string text, int? page = null, bool ignoreCase = false)
        {
            if (pdf is null) throw new ArgumentNullException(nameof(pdf));
            return Find(PdfFile.Open(pdf, (pdf as FileStream)?.Name is { } n ? Path.GetFileName(n) : "PDF"), text, page, ignoreCase);
        }

        internal static PdfTextMatch? Find(PdfFile f, string text, int? page, bool ignoreCase)
        {
            var needle = TextMatcher.Needle(text ?? "");
            if (needle.Length == 0) throw new InvalidInputException(PdfMessages.Resources, "PdfTextSearchEmpty", null, f.Name);
            var pages = f.Pages();
            if (page is { } p && (p < 1 || p > pages.Count))
                throw new InvalidInputException(PdfMessages.Resources, "PdfPageOutOfRange", null, f.Name, p, pages.Count);
            int from = page ?? 1, to = page ?? pages.Count;
            var fonts = new Dictionary<PdfDictionary, PdfTextFont>(); // shared by the pages: each font is read once
            for (int i = from; i <= to; i++)
            {
                var dict = f.ResolveDictionary(pages[i - 1]);
                if (dict is null) continue;
                var glyphs = new PageTextReader(f, i, fonts).Read(dict);
                if (TextMatcher.Find(glyphs, needle, ignoreCase) is { } box) return new PdfTextMatch(i, box);
            }
            return null;
        }
    }
}

namespace VnGovSign.Formats.Pdf.Parsing
{
    /// <summary>One glyph drawn on a page: its Unicode text, box and baseline in default user space.</summary>
    internal readonly record struct TextGlyph(string Text, PdfRect Box, double X0, double Y0, double X1, double Y1, double DirX, double DirY, double Size);

    /// <summary>A 2-D affine matrix [a b 0; c d 0; e f 1] (row vectors, as in PDF).</summary>
    internal readonly record struct Matrix(double A, double B, double C, double D, double E, double F)
    {
        public static readonly Matrix Identity = new(1, 0, 0, 1, 0, 0);

        /// <summary>this × m: first this, then m.</summary>
        public Matrix Times(Matrix m) => new(
            A * m.A + B * m.C, A * m.B + B * m.D,
            C * m.A + D * m.C, C * m.B + D * m.D,
            E * m.A + F * m.C + m.E, E * m.B + F * m.D + m.F);

        public (double X, double Y) Apply(double x, double y) => (A * x + C * y + E, B * x + D * y + F);

        public static Matrix Translate(double x, double y) => new(1, 0, 0, 1, x, y);

        public bool IsFinite => !(double.IsNaN(A + B + C + D + E + F) || double.IsInfinity(A + B + C + D + E + F));
    }

    /// <summary>Interprets a page's content (and the Form XObjects it draws) for the position of each glyph.</summary>
    internal sealed class PageTextReader
    {
        private const long MaxContentBytes = 64L << 20;
        private const int MaxGlyphs = 500_000;
        private const int MaxFormDepth = 12;
        private const int MaxStack = 1024;

        private readonly PdfFile _f;
        private readonly int _pageNumber;
        private readonly List<TextGlyph> _glyphs = new();
        private readonly Dictionary<PdfDictionary, PdfTextFont> _fonts;
        private readonly HashSet<int> _openForms = new();
        private long _decoded;

        public PageTextReader(PdfFile f, int pageNumber, Dictionary<PdfDictionary, PdfTextFont>? fonts = null)
        {
            _f = f;
            _pageNumber = pageNumber;
            _fonts = fonts ?? new Dictionary<PdfDictionary, PdfTextFont>();
        }

        private sealed class State
        {
            public Matrix Ctm = Matrix.Identity;
            public double Tc, Tw, Th = 1, Tl, Ts, Size;
            public PdfTextFont? Font;
            public State Clone() => (State)MemberwiseClone();
        }

        public List<TextGlyph> Read(PdfDictionary page)
        {
            var resources = _f.Inherited(page, "Resources") as PdfDictionary;
            var data = new MemoryStream();
            var contents = _f.Resolve(page["Contents"]);
            var parts = contents is PdfArray a ? a.Items.Select(_f.Resolve).ToList() : new List<PdfObject?> { contents };
            foreach (var part in parts)
            {
                if (part is not PdfStream s) continue;
                var bytes = Content(s);
                data.Write(bytes, 0, bytes.Length);
                data.WriteByte(10); // streams of an array are one content stream, split between tokens
            }
            Run(data.ToArray(), resources, new State(), 0);
            return _glyphs;
        }

        /// <summary>Decoded content: FlateDecode or none; any other filter is refused with a clear error.</summary>
        private byte[] Content(PdfStream s)
        {
            foreach (var n in _f.FilterNames(s))
                if (n != "FlateDecode" && n != "Fl")
                    throw new InvalidInputException(PdfMessages.Resources, "PdfTextFilterUnsupported", null, _f.Name, _pageNumber, n);
            try
            {
                if (s.Length > MaxContentBytes - _decoded) throw new PdfSyntaxException("page content larger than " + MaxContentBytes + " bytes", s.DataOffset);
                var d = _f.Decode(s, "content stream", MaxContentBytes - _decoded);
                _decoded += d.Length;
                return d;
            }
            catch (PdfSyntaxException e)
            {
                throw new InvalidInputException(PdfMessages.Resources, "PdfTextContentBroken", e, _f.Name, _pageNumber, e.Message);
            }
            catch (EndOfStreamException e)
            {
                throw new InvalidInputException(PdfMessages.Resources, "PdfTextContentBroken", e, _f.Name, _pageNumber, "stream data outside the file");
            }
        }

        private void Run(byte[] data, PdfDictionary? resources, State start, int depth)
        {
            var gs = start;
            var stack = new Stack<State>();
            var tm = Matrix.Identity;
            var tlm = Matrix.Identity;
            var ops = new List<PdfObject>();
            var lexer = new ContentLexer(data);
            while (_glyphs.Count < MaxGlyphs && lexer.Next(out var operand, out var op))
            {
                if (operand is not null)
                {
                    if (ops.Count < 64) ops.Add(operand);
                    continue;
                }
                double N(int i) => i < ops.Count && ops[i] is PdfNumber n ? n.Value : 0;
                switch (op)
                {
                    case "q": if (stack.Count < MaxStack) stack.Push(gs.Clone()); break;
                    case "Q": if (stack.Count > 0) gs = stack.Pop(); break;
                    case "cm":
                        if (ops.Count == 6)
                        {
                            var m = new Matrix(N(0), N(1), N(2), N(3), N(4), N(5)).Times(gs.Ctm);
                            if (m.IsFinite) gs.Ctm = m;
                        }
                        break;
                    case "BT": tm = tlm = Matrix.Identity; break;
                    case "Tc": gs.Tc = N(0); break;
                    case "Tw": gs.Tw = N(0); break;
                    case "Tz": gs.Th = N(0) / 100; break;
                    case "TL": gs.Tl = N(0); break;
                    case "Ts": gs.Ts = N(0); break;
                    case "Tf":
                        gs.Size = N(1);
                        gs.Font = ops.Count >= 1 && ops[0] is PdfName fn ? Font(resources, fn.Value) : null;
                        break;
                    case "Td": tm = tlm = Matrix.Translate(N(0), N(1)).Times(tlm); break;
                    case "TD": gs.Tl = -N(1); tm = tlm = Matrix.Translate(N(0), N(1)).Times(tlm); break;
                    case "Tm": if (ops.Count == 6) tm = tlm = new Matrix(N(0), N(1), N(2), N(3), N(4), N(5)); break;
                    case "T*": tm = tlm = Matrix.Translate(0, -gs.Tl).Times(tlm); break;
                    case "Tj": if (ops.Count >= 1 && ops[0] is PdfString s) Show(gs, ref tm, s.Value); break;
                    case "'":
                        tm = tlm = Matrix.Translate(0, -gs.Tl).Times(tlm);
                        if (ops.Count >= 1 && ops[0] is PdfString s1) Show(gs, ref tm, s1.Value);
                        break;
                    case "\"":
                        gs.Tw = N(0); gs.Tc = N(1);
                        tm = tlm = Matrix.Translate(0, -gs.Tl).Times(tlm);
                        if (ops.Count >= 3 && ops[2] is PdfString s2) Show(gs, ref tm, s2.Value);
                        break;
                    case "TJ":
                        if (ops.Count >= 1 && ops[0] is PdfArray arr)
                            foreach (var item in arr.Items)
                            {
                                if (item is PdfString si) Show(gs, ref tm, si.Value);
                                else if (item is PdfNumber adj) tm = Matrix.Translate(-adj.Value / 1000 * gs.Size * gs.Th, 0).Times(tm);
                            }
                        break;
                    case "Do":
                        if (ops.Count >= 1 && ops[0] is PdfName xn) Form(resources, xn.Value, gs, depth);
                        break;
                }
                ops.Clear();
            }
        }

        private PdfTextFont? Font(PdfDictionary? resources, string name)
        {
            var fonts = _f.ResolveDictionary(resources?["Font"]);
            var dict = _f.ResolveDictionary(fonts?[name]);
            if (dict is null) return null;
            if (!_fonts.TryGetValue(dict, out var font))
            {
                font = PdfTextFont.Load(_f, dict);
                _fonts[dict] = font;
            }
            return font;
        }

        private void Form(PdfDictionary? resources, string name, State state, int depth)
        {
            if (depth >= MaxFormDepth) return;
            var xobjects = _f.ResolveDictionary(resources?["XObject"]);
            if (xobjects?[name] is not PdfReference r || _openForms.Contains(r.Number)) return;
            if (_f.Resolve(r) is not PdfStream s || s.Dictionary.NameOf("Subtype") != "Form") return;
            var m = Matrix.Identity;
            if (_f.Resolve(s.Dictionary["Matrix"]) is PdfArray ma && ma.Count == 6 && ma.Items.All(x => _f.Resolve(x) is PdfNumber))
            {
                var v = ma.Items.Select(x => ((PdfNumber)_f.Resolve(x)!).Value).ToArray();
                m = new Matrix(v[0], v[1], v[2], v[3], v[4], v[5]);
            }
            var own = _f.ResolveDictionary(s.Dictionary["Resources"]) ?? resources;
            var data = Content(s);
            _openForms.Add(r.Number);
            // The form starts from the current graphics state (text state included), its /Matrix put before the CTM.
            var inner = state.Clone();
            inner.Ctm = m.Times(state.Ctm);
            try { Run(data, own, inner, depth + 1); }
            finally { _openForms.Remove(r.Number); }
        }

        private void Show(State gs, ref Matrix tm, byte[] bytes)
        {
            var font = gs.Font;
            if (font is null) return;
            foreach (var (code, length) in font.Codes(bytes))
            {
                double w0 = font.Width(code) * font.GlyphScale;
                bool space = length == 1 && code == 32;
                double advance = (w0 * gs.Size + gs.Tc + (space ? gs.Tw : 0)) * gs.Th;
                if (!font.Vertical && _glyphs.Count < MaxGlyphs)
                {
                    var trm = new Matrix(gs.Size * gs.Th, 0, 0, gs.Size, 0, gs.Ts).Times(tm).Times(gs.Ctm);
                    if (trm.IsFinite) _glyphs.Add(Glyph(font.Unicode(code), trm, w0, font));
                }
                tm = Matrix.Translate(advance, 0).Times(tm);
            }
        }

        private static TextGlyph Glyph(string text, Matrix trm, double w0, PdfTextFont font)
        {
            // The glyph's box in text space units: advance width × [descent, ascent]; then to user space.
            var p1 = trm.Apply(0, font.Descent);
            var p2 = trm.Apply(w0, font.Descent);
            var p3 = trm.Apply(0, font.Ascent);
            var p4 = trm.Apply(w0, font.Ascent);
            double x0 = Math.Min(Math.Min(p1.X, p2.X), Math.Min(p3.X, p4.X)), x1 = Math.Max(Math.Max(p1.X, p2.X), Math.Max(p3.X, p4.X));
            double y0 = Math.Min(Math.Min(p1.Y, p2.Y), Math.Min(p3.Y, p4.Y)), y1 = Math.Max(Math.Max(p1.Y, p2.Y), Math.Max(p3.Y, p4.Y));
            var o = trm.Apply(0, 0);
            var e = trm.Apply(w0, 0);
            double len = Math.Sqrt(trm.A * trm.A + trm.B * trm.B);
            double size = Math.Sqrt(trm.C * trm.C + trm.D * trm.D);
            double dx = len > 0 ? trm.A / len : 1, dy = len > 0 ? trm.B / len : 0;
            return new TextGlyph(text, new PdfRect(x0, y0, x1 - x0, y1 - y0), o.X, o.Y, e.X, e.Y, dx, dy, size);
        }
    }

    /// <summary>Finds a search text in a page's glyphs: NFC, white-space tolerant, optionally case-insensitive.</summary>
    internal static class TextMatcher
    {
        /// <summary>The search text: NFC, trimmed, every run of white space one space.</summary>
        public static string Needle(string text)
        {
            var sb = new StringBuilder();
            bool white = false;
            string nfc;
            try { nfc = text.Normalize(NormalizationForm.FormC); }
            catch (ArgumentException) { nfc = text; } // lone surrogates: compared as they are
            foreach (var c in nfc.Trim())
            {
                if (char.IsWhiteSpace(c)) { if (!white) sb.Append(' '); white = true; }
                else { sb.Append(c); white = false; }
            }
            return sb.ToString();
        }

        /// <summary>The page text as characters, each with the range of glyphs it came from (-1: a gap between glyphs).</summary>
        internal static List<(char Char, int First, int Last)> PageText(List<TextGlyph> glyphs)
        {
            var raw = new List<(char Char, int Glyph)>();
            for (int i = 0; i < glyphs.Count; i++)
            {
                // A glyph that is only combining marks (a diacritic drawn as its own glyph, often moved back over its letter) never starts a word.
                bool marks = glyphs[i].Text.Length > 0 && glyphs[i].Text.All(IsMark);
                if (i > 0 && !marks && Gap(glyphs[i - 1], glyphs[i]) && (raw.Count == 0 || !char.IsWhiteSpace(raw[raw.Count - 1].Char))) raw.Add((' ', -1));
                foreach (var c in glyphs[i].Text) raw.Add((c, i));
            }
            // NFC cluster by cluster (a base character and the marks after it), so composed and decomposed text match alike.
            var result = new List<(char, int, int)>();
            int k = 0;
            while (k < raw.Count)
            {
                int end = k + 1;
                while (end < raw.Count && IsMark(raw[end].Char)) end++;
                var sb = new StringBuilder();
                int first = int.MaxValue, last = -1;
                for (int j = k; j < end; j++)
                {
                    sb.Append(raw[j].Char);
                    if (raw[j].Glyph >= 0) { first = Math.Min(first, raw[j].Glyph); last = Math.Max(last, raw[j].Glyph); }
                }
                string cluster;
                try { cluster = sb.ToString().Normalize(NormalizationForm.FormC); }
                catch (ArgumentException) { cluster = sb.ToString(); } // lone surrogates: compare as they are
                foreach (var c in cluster) result.Add((c, last < 0 ? -1 : first, last));
                k = end;
            }
            return result;
        }

        private static bool IsMark(char c)
        {
            var cat = CharUnicodeInfo.GetUnicodeCategory(c);
            return cat is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
        }

        /// <summary>A visible break between two glyphs drawn one after the other: another line, another direction, or a gap.</summary>
        private static bool Gap(TextGlyph a, TextGlyph b)
        {
            if (a.DirX * b.DirX + a.DirY * b.DirY < 0.99) return true;
            double dx = b.X0 - a.X1, dy = b.Y0 - a.Y1;
            double along = dx * a.DirX + dy * a.DirY, across = -dx * a.DirY + dy * a.DirX;
            double size = Math.Max(Math.Max(a.Size, b.Size), 0.01);
            return Math.Abs(across) > 0.5 * size || along > 0.15 * size || along < -0.5 * size;
        }

        public static PdfRect? Find(List<TextGlyph> glyphs, string needle, bool ignoreCase)
        {
            if (glyphs.Count == 0) return null;
            var text = PageText(glyphs);
            for (int s = 0; s < text.Count; s++)
            {
                if (char.IsWhiteSpace(text[s].Char) || !Same(text[s].Char, needle[0], ignoreCase)) continue;
                int k = s, j = 0;
                int first = int.MaxValue, last = -1;
                for (; j < needle.Length; j++)
                {
                    if (needle[j] == ' ')
                    {
                        while (k < text.Count && char.IsWhiteSpace(text[k].Char)) k++;
                        continue;
                    }
                    if (k >= text.Count || !Same(text[k].Char, needle[j], ignoreCase)) break;
                    if (text[k].First >= 0) { first = Math.Min(first, text[k].First); last = Math.Max(last, text[k].Last); }
                    k++;
                }
                if (j < needle.Length || last < 0) continue;
                double x0 = double.MaxValue, y0 = double.MaxValue, x1 = double.MinValue, y1 = double.MinValue;
                for (int g = first; g <= last; g++)
                {
                    if (glyphs[g].Text.Length == 0 || glyphs[g].Text.All(char.IsWhiteSpace)) continue;
                    var b = glyphs[g].Box;
                    x0 = Math.Min(x0, b.X); y0 = Math.Min(y0, b.Y); x1 = Math.Max(x1, b.Right); y1 = Math.Max(y1, b.Top);
                }
                if (x1 < x0) continue;
                return new PdfRect(x0, y0, x1 - x0, y1 - y0);
            }
            return null;
        }

        private static bool Same(char a, char b, bool ignoreCase) =>
            a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
    }
}
