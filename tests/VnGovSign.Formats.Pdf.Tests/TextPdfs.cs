using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using VnGovSign.Formats.Pdf.Appearance;
using VnGovSign.Tests;

namespace VnGovSign.Formats.Pdf.Tests;

/// <summary>
/// PDFs with text for the text locator: written by PDFsharp with an embedded TrueType font (Identity-H + ToUnicode, as
/// e-office tools write them), or by hand with simple fonts; and <c>pdftotext -bbox</c> as the independent judge of positions.
/// </summary>
internal static class TextPdfs
{
    private static readonly object Lock = new();
    private static bool _resolverSet;

    /// <summary>Resolves every family to the Liberation Serif the library bundles (Vietnamese coverage, same bytes on every OS).</summary>
    private sealed class BundledFontResolver : IFontResolver
    {
        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) => new("LiberationSerif");

        public byte[]? GetFont(string faceName)
        {
            using var s = typeof(PdfAppearanceRenderer).Assembly.GetManifestResourceStream("VnGovSign.Formats.Pdf.Appearance.Fonts.LiberationSerif-Regular.ttf")!;
            var ms = new MemoryStream();
            s.CopyTo(ms);
            return ms.ToArray();
        }
    }

    /// <summary>A line of text for PDFsharp: baseline-left at (<paramref name="X"/>, <paramref name="Top"/>) measured from the page's top-left.</summary>
    public readonly record struct Line(string Text, double X, double Top, double Size = 13);

    /// <summary>An A4 PDF written by PDFsharp, one page per array of lines, text in an embedded Liberation Serif (Unicode: Identity-H + ToUnicode).</summary>
    public static byte[] ByPdfSharp(params Line[][] pages) => ByPdfSharp(true, pages);

    /// <summary>As <see cref="ByPdfSharp(Line[][])"/>, with the page content Flate-compressed or not.</summary>
    public static byte[] ByPdfSharp(bool compress, params Line[][] pages)
    {
        lock (Lock)
        {
            if (!_resolverSet)
            {
                GlobalFontSettings.FontResolver = new BundledFontResolver();
                _resolverSet = true;
            }
            using var doc = new PdfDocument();
            doc.Options.CompressContentStreams = compress;
            foreach (var lines in pages)
            {
                var page = doc.AddPage();
                page.Width = XUnit.FromPoint(595);
                page.Height = XUnit.FromPoint(842);
                using var g = XGraphics.FromPdfPage(page);
                foreach (var l in lines)
                {
                    var font = new XFont("Times New Roman", l.Size, XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode));
                    g.DrawString(l.Text, font, XBrushes.Black, l.X, l.Top);
                }
            }
            var ms = new MemoryStream();
            doc.Save(ms, false);
            return ms.ToArray();
        }
    }

    /// <summary>The advance widths (thousandths of an em) of Liberation Serif for WinAnsi codes 32–255, for a simple font's /Widths.</summary>
    public static string Widths()
    {
        var font = PdfAppearanceFont.Default;
        var sb = new StringBuilder("[");
        for (int c = 32; c <= 255; c++)
        {
            var s = c is >= 0x7F and <= 0xA0 ? " " : ((char)c).ToString();
            double w;
            try { w = font.MeasureWidth(s, 1000); }
            catch (InvalidInputException) { w = 500; }
            sb.Append(Math.Round(w).ToString(CultureInfo.InvariantCulture)).Append(' ');
        }
        return sb.Append(']').ToString();
    }

    /// <summary>
    /// A hand-written one-page PDF with the simple font /F1 (WinAnsi, /Widths of Liberation Serif, a FontDescriptor) and
    /// the given content stream (optionally Flate-compressed, or with <paramref name="filter"/> named as its filter).
    /// </summary>
    public static byte[] Simple(string content, bool compress = false, string? filter = null, string? pageExtra = null,
        IDictionary<int, string>? more = null, string? resourcesExtra = null, byte[]? rawContent = null)
    {
        var body = rawContent ?? Encoding.Latin1.GetBytes(content);
        string filterEntry = "";
        if (compress) { body = PdfFiles.Deflate(body); filterEntry = " /Filter /FlateDecode"; }
        if (filter is not null) filterEntry = " /Filter /" + filter;
        var objects = new SortedDictionary<int, byte[]>
        {
            [1] = A("<< /Type /Catalog /Pages 2 0 R >>"),
            [2] = A("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            [3] = A("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >>" + (resourcesExtra ?? "") + " >> /Contents 4 0 R" + (pageExtra ?? "") + " >>"),
            [4] = PdfFiles.Concat(A("<< /Length " + body.Length + filterEntry + " >>\nstream\n"), body, A("\nendstream")),
            [5] = A("<< /Type /Font /Subtype /TrueType /BaseFont /LiberationSerif /FirstChar 32 /LastChar 255 /Widths " + Widths()
                + " /Encoding /WinAnsiEncoding /FontDescriptor 6 0 R >>"),
            [6] = A("<< /Type /FontDescriptor /FontName /LiberationSerif /Flags 34 /FontBBox [-177 -303 1007 981] /ItalicAngle 0 /Ascent 891 /Descent -216 /CapHeight 662 /StemV 80 >>"),
        };
        if (more is not null) foreach (var kv in more) objects[kv.Key] = A(kv.Value);
        return Write(objects);
    }

    public static byte[] Write(SortedDictionary<int, byte[]> o) => PdfFiles.WriteClassic("1.4", o, null);

    public static byte[] A(string s) => Encoding.Latin1.GetBytes(s);

    /// <summary>A word as pdftotext -bbox sees it, converted to PDF user space (origin bottom-left).</summary>
    public readonly record struct Word(int Page, string Text, double X0, double Y0, double X1, double Y1);

    /// <summary>Runs <c>pdftotext -bbox</c> on the file and returns its words in user space.</summary>
    public static List<Word> Pdftotext(string path)
    {
        var html = path + ".bbox.html";
        var r = ExternalTool.Run("pdftotext", "-bbox", path, html);
        if (r.ExitCode != 0) throw new InvalidOperationException("pdftotext: " + r.All);
        var words = new List<Word>();
        int page = 0;
        double height = 0;
        var ci = CultureInfo.InvariantCulture;
        foreach (var line in File.ReadAllLines(html))
        {
            var pm = Regex.Match(line, "<page width=\"([0-9.]+)\" height=\"([0-9.]+)\"");
            if (pm.Success) { page++; height = double.Parse(pm.Groups[2].Value, ci); continue; }
            var wm = Regex.Match(line, "<word xMin=\"([0-9.-]+)\" yMin=\"([0-9.-]+)\" xMax=\"([0-9.-]+)\" yMax=\"([0-9.-]+)\">(.*)</word>");
            if (!wm.Success) continue;
            double x0 = double.Parse(wm.Groups[1].Value, ci), y0 = double.Parse(wm.Groups[2].Value, ci);
            double x1 = double.Parse(wm.Groups[3].Value, ci), y1 = double.Parse(wm.Groups[4].Value, ci);
            words.Add(new Word(page, System.Net.WebUtility.HtmlDecode(wm.Groups[5].Value).Normalize(NormalizationForm.FormC), x0, height - y1, x1, height - y0));
        }
        return words;
    }

    /// <summary>The union of pdftotext's boxes for the consecutive words that make up <paramref name="phrase"/>.</summary>
    public static PdfRect Oracle(List<Word> words, string phrase)
    {
        var parts = phrase.Normalize(NormalizationForm.FormC).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i + parts.Length <= words.Count; i++)
        {
            if (!Enumerable.Range(0, parts.Length).All(k => words[i + k].Text == parts[k])) continue;
            var sel = words.Skip(i).Take(parts.Length).ToList();
            double x0 = sel.Min(w => w.X0), y0 = sel.Min(w => w.Y0), x1 = sel.Max(w => w.X1), y1 = sel.Max(w => w.Y1);
            return new PdfRect(x0, y0, x1 - x0, y1 - y0);
        }
        throw new InvalidOperationException("pdftotext does not see \"" + phrase + "\": " + string.Join(" | ", words.Select(w => w.Text)));
    }
}
