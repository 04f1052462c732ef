using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using VnGovSign.Formats.Pdf.Appearance;

namespace VnGovSign.Formats.Pdf.Tests.Appearance;

/// <summary>
/// Bad images and rectangles give a typed <see cref="InvalidInputException"/> with a clear message in Vietnamese and
/// English that names the file (or the rectangle and the page) — never a crash.
/// </summary>
public class BadInputTests
{
    private static readonly DateTimeOffset Time = new(2026, 12, 3, 13, 22, 5, TimeSpan.Zero);

    /// <summary>The fixed text of a message template before its first argument (what must appear in the message).</summary>
    private static string Fixed(string key, System.Globalization.CultureInfo culture)
    {
        var template = AppearanceMessages.Resources.GetString(key, culture);
        Assert.False(string.IsNullOrEmpty(template), $"no {culture.Name} text for {key}");
        var part = template!.Split('{')[0].Trim();
        return part.Length > 0 ? part : template.Split('}').Last().Trim();
    }

    // ---- PNG: chunk-level editing of valid files (CRCs recomputed) -------------------------------------------

    private sealed record Chunk(string Type, byte[] Data);

    private static List<Chunk> Chunks(byte[] png)
    {
        var list = new List<Chunk>();
        for (int pos = 8; pos < png.Length;)
        {
            int len = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            list.Add(new Chunk(Encoding.ASCII.GetString(png, pos + 4, 4), png.AsSpan(pos + 8, len).ToArray()));
            pos += 12 + len;
        }
        return list;
    }

    private static byte[] Build(IEnumerable<Chunk> chunks)
    {
        var s = new MemoryStream();
        s.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        foreach (var c in chunks)
        {
            var head = new byte[8];
            BinaryPrimitives.WriteInt32BigEndian(head, c.Data.Length);
            Encoding.ASCII.GetBytes(c.Type, 0, 4, head, 4);
            s.Write(head);
            s.Write(c.Data);
            var crc = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(crc, Crc(head.AsSpan(4).ToArray().Concat(c.Data)));
            s.Write(crc);
        }
        return s.ToArray();
    }

    private static uint Crc(IEnumerable<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    private static byte[] EditIhdr(byte[] png, Action<byte[]> edit) =>
        Build(Chunks(png).Select(c =>
        {
            if (c.Type != "IHDR") return c;
            var d = (byte[])c.Data.Clone();
            edit(d);
            return c with { Data = d };
        }));

    /// <summary>Replaces all IDAT chunks by one whose decompressed rows are <paramref name="editRaw"/>(original rows).</summary>
    private static byte[] EditRows(byte[] png, Func<byte[], byte[]> editRaw)
    {
        var chunks = Chunks(png);
        var z = chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray();
        byte[] raw;
        using (var inflate = new ZLibStream(new MemoryStream(z), CompressionMode.Decompress))
        {
            var ms = new MemoryStream();
            inflate.CopyTo(ms);
            raw = ms.ToArray();
        }
        var outZ = new MemoryStream();
        using (var deflate = new ZLibStream(outZ, CompressionLevel.Optimal, leaveOpen: true))
            deflate.Write(editRaw(raw));
        var result = new List<Chunk>();
        foreach (var c in chunks)
        {
            if (c.Type != "IDAT") result.Add(c);
            else if (!result.Any(r => r.Type == "IDAT")) result.Add(new Chunk("IDAT", outZ.ToArray()));
        }
        return Build(result);
    }

    private static byte[] Rgba(bool interlace = false) => PngWriter.Write(17, 11, 6, 8, (x, y) => new[] { x * 10, y * 20, 200, 255 }, interlace);

    private static byte[] Rgba16(bool interlace = false) => PngWriter.Write(9, 7, 6, 16, (x, y) => new[] { x * 7000, y * 9000, 60000, 65535 }, interlace);

    private static byte[] Palette() =>
        PngWriter.Write(8, 4, 3, 8, (x, y) => new[] { (x + y) % 2 }, palette: new byte[] { 255, 0, 0, 0, 0, 255 }, trns: new byte[] { 0, 255 });

    public static TheoryData<string, string, string> BrokenPngs() => new()
    {
        // name (the file name the error must show), the detail message key expected, description
        { "interlace-method-2.png", "Png.UnknownInterlace", "IHDR says interlace method 2" },
        { "interlaced-cut.png", "Png.DataEndsEarly", "Adam7 image whose data stops three quarters of the way" },
        { "sixteen-bit-palette.png", "Png.BitDepth", "palette image with bit depth 16" },
        { "sixteen-bit-cut.png", "Png.DataEndsEarly", "16-bit RGBA with its last rows missing" },
        { "sixteen-bit-interlaced-cut.png", "Png.DataEndsEarly", "16-bit Adam7 image cut short" },
        { "palette-without-plte.png", "Png.NoPalette", "colour type 3 without PLTE" },
        { "palette-index.png", "Png.PaletteIndex", "index 5 into a two-colour palette" },
        { "bad-filter.png", "Png.UnknownFilter", "row filter type 9" },
        { "zero-width.png", "Png.BadSize", "width 0" },
        { "huge.png", "Png.TooLarge", "100000 × 100000 pixels announced (decompression bomb)" },
        { "unknown-critical.png", "Png.UnknownCritical", "an unknown critical chunk 'ABCD'" },
        { "bad-colour-type.png", "Png.UnknownColourType", "colour type 5" },
        { "no-idat.png", "Png.NoIdat", "no image data" },
    };

    private static byte[] Make(string name) => name switch
    {
        "interlace-method-2.png" => EditIhdr(Rgba(), d => d[12] = 2),
        "interlaced-cut.png" => EditRows(Rgba(interlace: true), raw => raw.AsSpan(0, raw.Length * 3 / 4).ToArray()),
        "sixteen-bit-palette.png" => EditIhdr(Palette(), d => d[8] = 16),
        "sixteen-bit-cut.png" => EditRows(Rgba16(), raw => raw.AsSpan(0, raw.Length - 20).ToArray()),
        "sixteen-bit-interlaced-cut.png" => EditRows(Rgba16(interlace: true), raw => raw.AsSpan(0, raw.Length / 2).ToArray()),
        "palette-without-plte.png" => Build(Chunks(Palette()).Where(c => c.Type is not ("PLTE" or "tRNS"))),
        "palette-index.png" => EditRows(Palette(), raw => raw.Select((b, i) => i == 3 ? (byte)5 : b).ToArray()),
        "bad-filter.png" => EditRows(Rgba(), raw => raw.Select((b, i) => i == 0 ? (byte)9 : b).ToArray()),
        "zero-width.png" => EditIhdr(Rgba(), d => BinaryPrimitives.WriteInt32BigEndian(d, 0)),
        "huge.png" => EditIhdr(Rgba(), d => { BinaryPrimitives.WriteInt32BigEndian(d, 100_000); BinaryPrimitives.WriteInt32BigEndian(d.AsSpan(4), 100_000); }),
        "unknown-critical.png" => Build(Chunks(Rgba()).SelectMany(c => c.Type == "IDAT" ? new[] { new Chunk("ABCD", new byte[3]), c } : new[] { c })),
        "bad-colour-type.png" => EditIhdr(Rgba(), d => d[9] = 5),
        "no-idat.png" => Build(Chunks(Rgba()).Where(c => c.Type != "IDAT")),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(BrokenPngs))]
    public void Broken_png_gives_a_typed_error_naming_the_file_in_both_languages(string name, string detailKey, string description)
    {
        var png = Make(name);
        var dir = PdfTools.TempDir();
        try
        {
            var path = Path.Combine(dir, name);
            File.WriteAllBytes(path, png);
            var e = Assert.Throws<InvalidInputException>(() => PngImage.Load(path));
            Assert.Equal("Appearance.BadPng", e.MessageKey);
            var vi = e.GetMessage(Messages.Vietnamese);
            var en = e.GetMessage(Messages.English);
            Assert.Contains(path, vi);
            Assert.Contains(path, en);
            Assert.Contains(Fixed("Appearance.BadPng", Messages.Vietnamese), vi);
            Assert.Contains(Fixed(detailKey, Messages.Vietnamese), vi);
            Assert.Contains(Fixed(detailKey, Messages.English), en);
            Assert.DoesNotContain(Fixed(detailKey, Messages.English), vi);
            Assert.False(string.IsNullOrEmpty(description));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_unbroken_sources_of_those_files_decode()
    {
        // So each broken file above fails for its one defect, not because the helpers write bad PNGs.
        Assert.Equal(17, PngImage.FromBytes(EditRows(Rgba(interlace: true), raw => raw), "a.png").Width);
        Assert.Equal(9, PngImage.FromBytes(EditRows(Rgba16(interlace: true), raw => raw), "b.png").Width);
        Assert.Equal(9, PngImage.FromBytes(Rgba16(), "c.png").Width);
        var palette = PngImage.FromBytes(Build(Chunks(Palette())), "d.png");
        Assert.True(palette.HasAlpha);
        Assert.Equal(new byte[] { 255, 0, 0 }, palette.Color.AsSpan(0, 3).ToArray());
    }

    [Fact]
    public void Other_formats_and_unreadable_files_are_named()
    {
        var dir = PdfTools.TempDir();
        try
        {
            var jpeg = Path.Combine(dir, "chữ ký.jpg.png");
            File.WriteAllBytes(jpeg, new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00 });
            var e = Assert.Throws<InvalidInputException>(() => PngImage.Load(jpeg));
            Assert.Equal("Appearance.NotPng", e.MessageKey);
            Assert.Contains(jpeg, e.GetMessage(Messages.Vietnamese));
            Assert.Contains(jpeg, e.GetMessage(Messages.English));

            var folder = Path.Combine(dir, "a-folder.png");
            Directory.CreateDirectory(folder);
            var u = Assert.Throws<InvalidInputException>(() => PngImage.Load(folder));
            Assert.Equal("Appearance.ImageUnreadable", u.MessageKey);
            Assert.Contains(folder, u.GetMessage(Messages.English));

            // The command-line path (sign pdf --image) gives the same typed error.
            Assert.Equal("Appearance.NotPng", Assert.Throws<InvalidInputException>(
                () => PdfSignatureAppearance.FromOptions("leader", jpeg)).MessageKey);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // ---- rectangles ------------------------------------------------------------------------------------------

    private static readonly PngImage Image = PngImage.FromBytes(PngWriter.Write(24, 8, 6, 8, (x, y) => new[] { 0, 0, 255, 255 }), "sig.png");

    public static TheoryData<double, double, double, double> OutsideA4() => new()
    {
        { 500, 180, 170, 60 },   // right edge 670 > 595
        { -1, 180, 170, 60 },    // left of the page
        { 330, 800, 170, 60 },   // above the top (842)
        { 330, -30, 170, 60 },   // below the bottom
        { 1000, 1000, 10, 10 },  // entirely elsewhere
    };

    [Theory]
    [MemberData(nameof(OutsideA4))]
    public void Leader_rect_outside_the_page_is_refused_naming_rect_and_page(double x, double y, double w, double h)
    {
        var a = new LeaderAppearance(Image, 2, new PdfRect(x, y, w, h));
        var e = Assert.Throws<InvalidInputException>(() => PdfAppearanceRenderer.Layout(new PdfAppearanceRequest(a, PdfPageGeometry.A4, Time)));
        Assert.Equal("Appearance.RectOutsidePage", e.MessageKey);
        var rect = string.Join(",", new[] { x, y, w, h }.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var culture in new[] { Messages.Vietnamese, Messages.English })
        {
            var m = e.GetMessage(culture);
            Assert.Contains(rect, m);
            Assert.Contains("595 × 842", m);
            Assert.Contains(" 2", m);
        }
        // Render refuses the same way and writes nothing.
        var sink = new MiniPdf();
        Assert.Throws<InvalidInputException>(() => PdfAppearanceRenderer.Render(new PdfAppearanceRequest(a, PdfPageGeometry.A4, Time), sink));
        Assert.Empty(sink.Objects);
    }

    [Fact]
    public void Rect_is_checked_against_the_page_as_displayed()
    {
        // /Rotate 90: shown 842 wide and 595 high.
        var turned = new PdfPageGeometry(new PdfRect(0, 0, 595, 842), null, 90);
        PdfAppearanceRenderer.Layout(new PdfAppearanceRequest(new LeaderAppearance(Image, 1, new PdfRect(600, 100, 170, 60)), turned, Time));
        var e = Assert.Throws<InvalidInputException>(() =>
            PdfAppearanceRenderer.Layout(new PdfAppearanceRequest(new LeaderAppearance(Image, 1, new PdfRect(330, 700, 170, 60)), turned, Time)));
        Assert.Contains("842 × 595", e.GetMessage(Messages.English));
        // CropBox 595 × 842 inside a larger MediaBox: the CropBox is what is shown.
        var cropped = new PdfPageGeometry(new PdfRect(0, 0, 700, 900), new PdfRect(50, 40, 595, 842));
        Assert.Throws<InvalidInputException>(() =>
            PdfAppearanceRenderer.Layout(new PdfAppearanceRequest(new LeaderAppearance(Image, 1, new PdfRect(500, 0, 150, 60)), cropped, Time)));
        // The whole page is allowed.
        PdfAppearanceRenderer.Layout(new PdfAppearanceRequest(new LeaderAppearance(Image, 1, new PdfRect(0, 0, 595, 842)), PdfPageGeometry.A4, Time));
    }

    [Fact]
    public void Organization_rect_outside_the_page_is_refused_with_or_without_a_page_number()
    {
        var seal = new OrganizationAppearance(Image, null, new PdfRect(560, 100, 100, 100));
        var e = Assert.Throws<InvalidInputException>(() => PdfAppearanceRenderer.Layout(new PdfAppearanceRequest(seal, PdfPageGeometry.A4, Time)));
        Assert.Equal("Appearance.RectOutsideThePage", e.MessageKey);
        Assert.Contains("560,100,100,100", e.GetMessage(Messages.Vietnamese));
        var numbered = Assert.Throws<InvalidInputException>(() =>
            PdfAppearanceRenderer.Layout(new PdfAppearanceRequest(seal, PdfPageGeometry.A4, Time) { PageNumber = 3 }));
        Assert.Equal("Appearance.RectOutsidePage", numbered.MessageKey);
        Assert.Contains("page 3", numbered.GetMessage(Messages.English));
        Assert.Contains("trang 3", numbered.GetMessage(Messages.Vietnamese));
    }
}
