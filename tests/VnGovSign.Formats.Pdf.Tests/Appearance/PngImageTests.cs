using VnGovSign.Formats.Pdf.Appearance;

namespace VnGovSign.Formats.Pdf.Tests.Appearance;

public class PngImageTests
{
    [Fact]
    public void Sample_signature_is_blue_with_a_transparent_background()
    {
        var img = PngImage.Load(TestData.SignaturePng);
        Assert.Equal(240, img.Width);
        Assert.Equal(80, img.Height);
        Assert.Equal(72, img.DpiX);
        Assert.Equal(240, img.WidthPoints);
        Assert.True(img.HasAlpha);
        Assert.Equal(3, img.Components);
        int opaque = 0, transparent = 0;
        for (int i = 0; i < img.Width * img.Height; i++)
        {
            if (img.Alpha![i] == 0) { transparent++; continue; }
            if (img.Alpha[i] < 200) continue;
            opaque++;
            byte r = img.Color[i * 3], g = img.Color[i * 3 + 1], b = img.Color[i * 3 + 2];
            Assert.True(b > r + 60 && b > g, $"opaque pixel {i} is not blue: {r},{g},{b}");
        }
        Assert.True(opaque > 200, "the signature has strokes");
        Assert.True(transparent > img.Width * img.Height / 2, "the background is transparent");
    }

    [Fact]
    public void Sample_seal_is_red_with_a_transparent_background()
    {
        var img = PngImage.Load(TestData.SealPng);
        Assert.Equal(160, img.Width);
        Assert.True(img.HasAlpha);
        int opaque = 0;
        for (int i = 0; i < img.Width * img.Height; i++)
        {
            if (img.Alpha![i] < 200) continue;
            opaque++;
            byte r = img.Color[i * 3], g = img.Color[i * 3 + 1], b = img.Color[i * 3 + 2];
            Assert.True(r > g + 60 && r > b + 60, $"opaque pixel {i} is not red: {r},{g},{b}");
        }
        Assert.True(opaque > 500);
        Assert.Equal(0, img.Alpha![0]); // corner outside the round seal
    }

    public static TheoryData<int, int, bool> Formats() => new()
    {
        { 0, 1, false }, { 0, 2, false }, { 0, 4, false }, { 0, 8, false }, { 0, 16, false },
        { 2, 8, false }, { 2, 16, false }, { 3, 1, false }, { 3, 2, false }, { 3, 4, false }, { 3, 8, false },
        { 4, 8, false }, { 4, 16, false }, { 6, 8, false }, { 6, 16, false },
        { 0, 1, true }, { 3, 4, true }, { 6, 8, true }, { 6, 16, true }, { 2, 8, true },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_colour_type_and_bit_depth_decodes_exactly(int colorType, int bitDepth, bool interlace)
    {
        const int w = 13, h = 11; // odd sizes exercise partial bytes and small Adam7 passes
        int max = (1 << bitDepth) - 1;
        int Sample(int x, int y, int c) => (x * 7 + y * 13 + c * 29) * (max / 15 + 1) % (max + 1);
        byte[]? palette = null, trns = null;
        if (colorType == 3)
        {
            int entries = Math.Min(256, max + 1);
            palette = new byte[entries * 3];
            for (int i = 0; i < palette.Length; i++) palette[i] = (byte)(i * 37);
            trns = new byte[Math.Min(entries, 3)];
            trns[0] = 0; if (trns.Length > 1) trns[1] = 128;
        }
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        var png = PngWriter.Write(w, h, colorType, bitDepth, (x, y) => Enumerable.Range(0, channels).Select(c => Sample(x, y, c)).ToArray(),
            interlace, palette, trns);
        var img = PngImage.FromBytes(png, "generated.png");
        Assert.Equal(w, img.Width);
        Assert.Equal(h, img.Height);
        byte Scale(int v) => bitDepth switch { 8 => (byte)v, 16 => (byte)(v >> 8), _ => (byte)(v * 255 / max) };
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                switch (colorType)
                {
                    case 0:
                        Assert.Equal(Scale(Sample(x, y, 0)), img.Color[i]);
                        break;
                    case 4:
                        Assert.Equal(Scale(Sample(x, y, 0)), img.Color[i]);
                        Assert.Equal(Scale(Sample(x, y, 1)), img.Alpha![i]);
                        break;
                    case 2:
                    case 6:
                        for (int c = 0; c < 3; c++) Assert.Equal(Scale(Sample(x, y, c)), img.Color[i * 3 + c]);
                        if (colorType == 6)
                        {
                            byte a = Scale(Sample(x, y, 3));
                            if (img.Alpha is null) Assert.Equal(255, a); else Assert.Equal(a, img.Alpha[i]);
                        }
                        break;
                    case 3:
                        int index = Sample(x, y, 0);
                        for (int c = 0; c < 3; c++) Assert.Equal(palette![index * 3 + c], img.Color[i * 3 + c]);
                        byte expectedAlpha = index < trns!.Length ? trns[index] : (byte)255;
                        Assert.Equal(expectedAlpha, img.Alpha is null ? (byte)255 : img.Alpha[i]);
                        break;
                }
            }
    }

    [Fact]
    public void Grey_tRNS_makes_that_grey_transparent()
    {
        var png = PngWriter.Write(4, 1, 0, 8, (x, y) => new[] { x * 50 }, trns: new byte[] { 0, 100 });
        var img = PngImage.FromBytes(png, "t.png");
        Assert.Equal(new byte[] { 255, 255, 0, 255 }, img.Alpha);
    }

    [Fact]
    public void Opaque_image_has_no_alpha()
    {
        var img = PngImage.FromBytes(PngWriter.Write(3, 3, 2, 8, (x, y) => new[] { 1, 2, 3 }), "o.png");
        Assert.False(img.HasAlpha);
    }

    [Fact]
    public void Physical_resolution_sets_the_natural_size()
    {
        // 11811 px/m = 300 dpi: 300 px = 1 inch = 72 pt.
        var img = PngImage.FromBytes(PngWriter.Write(300, 150, 0, 8, (x, y) => new[] { 0 }, pixelsPerMetre: (11811, 11811)), "p.png");
        Assert.Equal(72, img.WidthPoints, 1);
        Assert.Equal(36, img.HeightPoints, 1);
    }

    [Fact]
    public void Broken_files_are_refused_naming_the_file()
    {
        var good = File.ReadAllBytes(TestData.SignaturePng);
        var cases = new Dictionary<string, byte[]>
        {
            ["not-png"] = "GIF89a not a png at all"u8.ToArray(),
            ["truncated"] = good.AsSpan(0, good.Length / 2).ToArray(),
            ["bad-crc"] = Flip(good, 20),
            ["empty"] = Array.Empty<byte>(),
        };
        foreach (var kv in cases)
        {
            var e = Assert.Throws<InvalidInputException>(() => PngImage.FromBytes(kv.Value, "/x/" + kv.Key + ".png"));
            Assert.Contains(kv.Key + ".png", e.Message);
            Assert.Contains(kv.Key + ".png", e.GetMessage(Messages.Vietnamese));
        }
        Assert.Equal("Appearance.ImageUnreadable", Assert.Throws<InvalidInputException>(() => PngImage.Load("/nonexistent/sig.png")).MessageKey);
    }

    [Fact]
    public void Corrupt_image_data_is_refused()
    {
        // Valid chunks (CRCs right) around a zlib stream that is not deflate data.
        var png = PngWriter.Write(20, 20, 2, 8, (x, y) => new[] { x, y, 0 });
        var bad = PngWriterCorrupt(png);
        var e = Assert.Throws<InvalidInputException>(() => PngImage.FromBytes(bad, "corrupt.png"));
        Assert.Equal("Appearance.BadPng", e.MessageKey);
    }

    private static byte[] Flip(byte[] b, int at)
    {
        var c = (byte[])b.Clone();
        c[at] ^= 0x40;
        return c;
    }

    /// <summary>Replaces the image data by garbage with a correct chunk CRC.</summary>
    private static byte[] PngWriterCorrupt(byte[] png)
    {
        // Re-encode: same IHDR, one IDAT of garbage prefixed by a valid zlib header.
        var garbage = new byte[] { 0x78, 0x9C, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x12, 0x34 };
        var ihdr = png.AsSpan(8, 25).ToArray();
        var s = new MemoryStream();
        s.Write(png, 0, 8);
        s.Write(ihdr);
        WriteChunk(s, "IDAT", garbage);
        WriteChunk(s, "IEND", Array.Empty<byte>());
        return s.ToArray();
    }

    private static void WriteChunk(Stream s, string type, byte[] data)
    {
        var t = System.Text.Encoding.ASCII.GetBytes(type);
        s.Write(new[] { (byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length });
        s.Write(t);
        s.Write(data);
        uint crc = 0xFFFFFFFF;
        foreach (var b in t.Concat(data))
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        crc = ~crc;
        s.Write(new[] { (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc });
    }
}
