using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using VnGovSign.Formats.Pdf.Appearance;
using VnGovSign.Tests;

namespace VnGovSign.Formats.Pdf.Tests.Appearance;

/// <summary>
/// A minimal <see cref="IPdfObjectSink"/> that collects objects and writes a complete one-page PDF with the
/// appearance as a signature widget (and, optionally, drawn into the page content too).
/// </summary>
internal sealed class MiniPdf : IPdfObjectSink
{
    // 1 catalog, 2 pages, 3 page, 4 content, 5 widget; appearance objects from 6 on.
    private readonly SortedDictionary<int, byte[]?> objects = new();
    private int next = 6;

    public int Add(byte[] objectBody)
    {
        int n = next++;
        objects[n] = objectBody;
        return n;
    }

    public int Reserve()
    {
        int n = next++;
        objects[n] = null;
        return n;
    }

    public void Set(int objectNumber, byte[] objectBody)
    {
        Assert.True(objects.ContainsKey(objectNumber) && objects[objectNumber] is null, "Set without Reserve");
        objects[objectNumber] = objectBody;
    }

    public IReadOnlyDictionary<int, byte[]?> Objects => objects;

    /// <summary>
    /// Writes the PDF: page with <paramref name="page"/>'s boxes and rotation, a widget with /Rect from the result,
    /// and a grey frame around nothing else. With <paramref name="drawInContent"/>, an unrotated page also paints the
    /// form in its content stream (text extraction tools read page content more reliably than annotations).
    /// </summary>
    public byte[] Build(PdfPageGeometry page, PdfAppearanceResult result, bool drawInContent = false) =>
        Build(page, new[] { result }, drawInContent);

    /// <summary>Writes the PDF with one signature widget per result (all rendered into this sink), in order.</summary>
    public byte[] Build(PdfPageGeometry page, IReadOnlyList<PdfAppearanceResult> results, bool drawInContent = false)
    {
        string Box(PdfRect r) => $"[{F(r.X)} {F(r.Y)} {F(r.Right)} {F(r.Top)}]";
        var content = new StringBuilder();
        var xobjects = new StringBuilder();
        for (int i = 0; i < results.Count; i++)
        {
            xobjects.Append($"/Fm{i} {results[i].FormObjectNumber} 0 R ");
            if (!drawInContent) continue;
            Assert.Equal(0, results[i].Placement.Rotation);
            var r = results[i].WidgetRect;
            content.Append($"q 1 0 0 1 {F(r.X)} {F(r.Y)} cm /Fm{i} Do Q\n");
        }
        // Widget object numbers: 5 for the first, after the appearance objects for the others.
        var widgets = results.Select((_, i) => i == 0 ? 5 : next + i - 1).ToList();
        var refs = string.Join(" ", widgets.Select(w => $"{w} 0 R"));
        var contentBytes = Encoding.ASCII.GetBytes(content.ToString());
        var all = new SortedDictionary<int, byte[]>
        {
            [1] = A($"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [{refs}] /SigFlags 1 >> >>"),
            [2] = A("<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
            [3] = A($"<< /Type /Page /Parent 2 0 R /MediaBox {Box(page.MediaBox)}"
                + (page.CropBox is { } c ? " /CropBox " + Box(c) : "") + $" /Rotate {page.Rotate}"
                + $" /Resources << /XObject << {xobjects}>> >> /Contents 4 0 R /Annots [{refs}] >>"),
            [4] = Concat(A($"<< /Length {contentBytes.Length} >>\nstream\n"), contentBytes, A("\nendstream")),
        };
        for (int i = 0; i < results.Count; i++)
            all[widgets[i]] = A($"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Sig{i + 1}) /F 4 /P 3 0 R /Rect {Box(results[i].WidgetRect)}"
                + $" /AP << /N {results[i].FormObjectNumber} 0 R >> >>");
        foreach (var kv in objects)
            all[kv.Key] = kv.Value ?? throw new InvalidOperationException($"object {kv.Key} reserved but never set");

        var pdf = new MemoryStream();
        void W(byte[] b) => pdf.Write(b, 0, b.Length);
        W(A("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n"));
        var offsets = new Dictionary<int, long>();
        foreach (var kv in all)
        {
            offsets[kv.Key] = pdf.Length;
            W(A($"{kv.Key} 0 obj\n"));
            W(kv.Value);
            W(A("\nendobj\n"));
        }
        long xref = pdf.Length;
        int size = all.Keys.Max() + 1;
        var x = new StringBuilder($"xref\n0 {size}\n0000000000 65535 f \n");
        for (int i = 1; i < size; i++)
            x.Append(offsets.TryGetValue(i, out var o) ? $"{o:D10} 00000 n \n" : "0000000000 00000 f \n");
        x.Append($"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        W(A(x.ToString()));
        return pdf.ToArray();
    }

    private static byte[] A(string s) => Encoding.Latin1.GetBytes(s);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    internal static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}

/// <summary>An RGB raster read from pdftoppm's PPM output.</summary>
internal sealed class Raster
{
    public Raster(int width, int height, byte[] rgb) { Width = width; Height = height; Rgb = rgb; }

    public int Width { get; }
    public int Height { get; }
    public byte[] Rgb { get; }

    public (int R, int G, int B) this[int x, int y]
    {
        get
        {
            int i = (y * Width + x) * 3;
            return (Rgb[i], Rgb[i + 1], Rgb[i + 2]);
        }
    }

    public static Raster ReadPpm(byte[] ppm)
    {
        int pos = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)ppm[pos]) || ppm[pos] == '#')
            {
                if (ppm[pos] == '#') while (ppm[pos] != '\n') pos++;
                pos++;
            }
            int start = pos;
            while (!char.IsWhiteSpace((char)ppm[pos])) pos++;
            return Encoding.ASCII.GetString(ppm, start, pos - start);
        }
        Assert.Equal("P6", Token());
        int w = int.Parse(Token(), CultureInfo.InvariantCulture), h = int.Parse(Token(), CultureInfo.InvariantCulture);
        Assert.Equal("255", Token());
        pos++;
        return new Raster(w, h, ppm.AsSpan(pos, w * h * 3).ToArray());
    }

    /// <summary>Counts pixels in a rectangle given in PDF points on the displayed page (origin bottom-left) at <paramref name="dpi"/>.</summary>
    public int Count(PdfRect displayRect, double dpi, Func<(int R, int G, int B), bool> predicate)
    {
        double k = dpi / 72.0;
        int x0 = Math.Max(0, (int)Math.Ceiling(displayRect.X * k)), x1 = Math.Min(Width, (int)Math.Floor(displayRect.Right * k));
        int y0 = Math.Max(0, (int)Math.Ceiling(Height - displayRect.Top * k)), y1 = Math.Min(Height, (int)Math.Floor(Height - displayRect.Y * k));
        int n = 0;
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
                if (predicate(this[x, y])) n++;
        return n;
    }

    public static bool IsBlue((int R, int G, int B) p) => p.B > 120 && p.B > p.R + 60 && p.B > p.G + 30;
    public static bool IsRed((int R, int G, int B) p) => p.R > 120 && p.R > p.G + 60 && p.R > p.B + 60;
    public static bool IsWhite((int R, int G, int B) p) => p.R > 245 && p.G > 245 && p.B > 245;
    public static bool IsDark((int R, int G, int B) p) => p.R < 100 && p.G < 100 && p.B < 100;
}

/// <summary>Runs the poppler/qpdf tools on PDF bytes in a temporary folder.</summary>
internal static class PdfTools
{
    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "vngovsign-appearance-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    public static ExternalTool.Result QpdfCheck(string pdf) => ExternalTool.Run("qpdf", new[] { "--check", pdf });

    /// <summary>Renders page 1 to PPM at <paramref name="dpi"/> and reads it.</summary>
    public static Raster Render(string pdf, int dpi)
    {
        var prefix = Path.Combine(Path.GetDirectoryName(pdf)!, Path.GetFileNameWithoutExtension(pdf) + "-ppm");
        var r = ExternalTool.Run("pdftoppm", new[] { "-cropbox", "-r", dpi.ToString(CultureInfo.InvariantCulture), "-f", "1", "-l", "1", "-singlefile", pdf, prefix });
        Assert.True(r.ExitCode == 0, "pdftoppm failed: " + r.All);
        return Raster.ReadPpm(File.ReadAllBytes(prefix + ".ppm"));
    }

    /// <summary>Renders page 1 to PNG (for golden files and for looking at).</summary>
    public static byte[] RenderPng(string pdf, int dpi)
    {
        var prefix = Path.Combine(Path.GetDirectoryName(pdf)!, Path.GetFileNameWithoutExtension(pdf) + "-png");
        var r = ExternalTool.Run("pdftoppm", new[] { "-png", "-cropbox", "-r", dpi.ToString(CultureInfo.InvariantCulture), "-f", "1", "-l", "1", "-singlefile", pdf, prefix });
        Assert.True(r.ExitCode == 0, "pdftoppm failed: " + r.All);
        return File.ReadAllBytes(prefix + ".png");
    }

    /// <summary>
    /// Renders <paramref name="region"/> (points, origin at the bottom-left of page 1 as displayed, i.e. after /Rotate)
    /// to PNG at <paramref name="dpi"/>: the golden images.
    /// </summary>
    public static byte[] RenderRegionPng(string pdf, PdfPageGeometry page, PdfRect region, int dpi)
    {
        var visible = page.VisibleBox;
        double pageH = page.NormalizedRotation is 90 or 270 ? visible.Width : visible.Height;
        double k = dpi / 72.0;
        string I(double v) => ((int)Math.Round(v * k)).ToString(CultureInfo.InvariantCulture);
        var prefix = Path.Combine(Path.GetDirectoryName(pdf)!, Path.GetFileNameWithoutExtension(pdf) + "-region");
        var r = ExternalTool.Run("pdftoppm", new[] { "-png", "-cropbox", "-r", dpi.ToString(CultureInfo.InvariantCulture), "-f", "1", "-l", "1",
            "-x", I(region.X), "-y", I(pageH - region.Top), "-W", I(region.Width), "-H", I(region.Height), "-singlefile", pdf, prefix });
        Assert.True(r.ExitCode == 0, "pdftoppm failed: " + r.All);
        return File.ReadAllBytes(prefix + ".png");
    }

    public static string Text(string pdf)
    {
        var r = ExternalTool.Run("pdftotext", new[] { "-enc", "UTF-8", "-layout", pdf, "-" });
        Assert.True(r.ExitCode == 0, "pdftotext failed: " + r.All);
        return r.StdOut;
    }
}

/// <summary>Writes test PNGs of every colour type and bit depth (filter 0 rows, optional Adam7).</summary>
internal static class PngWriter
{
    /// <summary>
    /// <paramref name="samples"/>: per pixel, <paramref name="channels"/> sample values at <paramref name="bitDepth"/>.
    /// </summary>
    public static byte[] Write(int width, int height, int colorType, int bitDepth, Func<int, int, int[]> samples,
        bool interlace = false, byte[]? palette = null, byte[]? trns = null, (int X, int Y)? pixelsPerMetre = null)
    {
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new ArgumentException("colour type") };
        var raw = new MemoryStream();
        int[][] passes = interlace
            ? new[] { new[] { 0, 0, 8, 8 }, new[] { 4, 0, 8, 8 }, new[] { 0, 4, 4, 8 }, new[] { 2, 0, 4, 4 }, new[] { 0, 2, 2, 4 }, new[] { 1, 0, 2, 2 }, new[] { 0, 1, 1, 2 } }
            : new[] { new[] { 0, 0, 1, 1 } };
        foreach (var p in passes)
        {
            int pw = (width - p[0] + p[2] - 1) / p[2], ph = (height - p[1] + p[3] - 1) / p[3];
            if (pw <= 0 || ph <= 0) continue;
            for (int y = 0; y < ph; y++)
            {
                raw.WriteByte(0);
                var bits = new List<(int Value, int Bits)>();
                for (int x = 0; x < pw; x++)
                    foreach (var s in samples(p[0] + x * p[2], p[1] + y * p[3])) bits.Add((s, bitDepth));
                WriteBits(raw, bits);
            }
        }
        var png = new MemoryStream();
        png.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var ihdr = new byte[13];
        BE(ihdr, 0, width); BE(ihdr, 4, height);
        ihdr[8] = (byte)bitDepth; ihdr[9] = (byte)colorType; ihdr[12] = (byte)(interlace ? 1 : 0);
        Chunk(png, "IHDR", ihdr);
        if (pixelsPerMetre is { } ppm)
        {
            var phys = new byte[9];
            BE(phys, 0, ppm.X); BE(phys, 4, ppm.Y); phys[8] = 1;
            Chunk(png, "pHYs", phys);
        }
        if (palette is not null) Chunk(png, "PLTE", palette);
        if (trns is not null) Chunk(png, "tRNS", trns);
        var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true)) zs.Write(raw.ToArray());
        var zb = z.ToArray();
        // Two IDAT chunks: decoders must join them.
        Chunk(png, "IDAT", zb.AsSpan(0, zb.Length / 2).ToArray());
        Chunk(png, "IDAT", zb.AsSpan(zb.Length / 2).ToArray());
        Chunk(png, "IEND", Array.Empty<byte>());
        return png.ToArray();
    }

    private static void WriteBits(Stream s, List<(int Value, int Bits)> values)
    {
        int acc = 0, n = 0;
        foreach (var (v, b) in values)
        {
            if (b == 16) { s.WriteByte((byte)(v >> 8)); s.WriteByte((byte)v); continue; }
            if (b == 8) { s.WriteByte((byte)v); continue; }
            acc = (acc << b) | (v & ((1 << b) - 1));
            n += b;
            if (n == 8) { s.WriteByte((byte)acc); acc = 0; n = 0; }
        }
        if (n > 0) s.WriteByte((byte)(acc << (8 - n)));
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var head = new byte[8];
        BE(head, 0, data.Length);
        Encoding.ASCII.GetBytes(type, 0, 4, head, 4);
        s.Write(head);
        s.Write(data);
        var crcInput = head.AsSpan(4).ToArray().Concat(data).ToArray();
        var crc = new byte[4];
        BE(crc, 0, (int)Crc(crcInput));
        s.Write(crc);
    }

    private static uint Crc(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    private static void BE(byte[] b, int o, int v) { b[o] = (byte)(v >> 24); b[o + 1] = (byte)(v >> 16); b[o + 2] = (byte)(v >> 8); b[o + 3] = (byte)v; }
}

internal static class TestData
{
    public static string Dir([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Data");

    public static string SignaturePng => Path.Combine(Dir(), "signature-blue.png");

    public static string SealPng => Path.Combine(Dir(), "seal-red.png");
}
