using System.IO.Compression;

namespace VnGovSign.Formats.Pdf.Appearance;

/// <summary>
/// A decoded PNG image (signature or seal) ready to become a PDF image XObject: 8-bit colour samples and,
/// when any pixel is not opaque, an 8-bit alpha channel that becomes the image's /SMask (so a transparent
/// background stays transparent and the page shows through).
/// </summary>
/// <remarks>
/// Decodes every PNG the standard allows: colour types 0 (grey), 2 (RGB), 3 (palette), 4 (grey + alpha),
/// 6 (RGBA); bit depths 1, 2, 4, 8 and 16 (16-bit samples keep their high byte); tRNS transparency; Adam7
/// interlacing; pHYs resolution. Anything malformed raises <see cref="InvalidInputException"/> naming the file.
/// </remarks>
public sealed class PngImage
{
    private const int MaxPixels = 40_000_000; // ~160 MB RGBA: far beyond any signature or seal, refuses decompression bombs

    private PngImage(string name, int width, int height, int components, byte[] color, byte[]? alpha, double dpiX, double dpiY)
    {
        Name = name;
        Width = width;
        Height = height;
        Components = components;
        Color = color;
        Alpha = alpha;
        DpiX = dpiX;
        DpiY = dpiY;
    }

    /// <summary>The file name (or the name given to <see cref="FromBytes"/>), used in error messages.</summary>
    public string Name { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Horizontal resolution from the pHYs chunk, or 72 when the file has none (or gives no metric unit).</summary>
    public double DpiX { get; }

    /// <summary>Vertical resolution from the pHYs chunk, or 72 when the file has none.</summary>
    public double DpiY { get; }

    /// <summary>The natural width in points (1/72 inch): <see cref="Width"/> × 72 / <see cref="DpiX"/>.</summary>
    public double WidthPoints => Width * 72.0 / DpiX;

    /// <summary>The natural height in points: <see cref="Height"/> × 72 / <see cref="DpiY"/>.</summary>
    public double HeightPoints => Height * 72.0 / DpiY;

    /// <summary>True when at least one pixel is not fully opaque (the image then gets an /SMask).</summary>
    public bool HasAlpha => Alpha is not null;

    /// <summary>1 (DeviceGray) or 3 (DeviceRGB).</summary>
    internal int Components { get; }

    /// <summary>Colour samples, 8 bits each, row by row, no filter bytes.</summary>
    internal byte[] Color { get; }

    /// <summary>Alpha samples (8 bits), or null when every pixel is opaque.</summary>
    internal byte[]? Alpha { get; }

    /// <summary>Reads and decodes a PNG file.</summary>
    public static PngImage Load(string path)
    {
        if (path is null) throw new ArgumentNullException(nameof(path));
        byte[] data;
        try { data = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.ImageUnreadable", e, path, e.Message);
        }
        return FromBytes(data, path);
    }

    /// <summary>Decodes PNG bytes; <paramref name="name"/> names the image in error messages.</summary>
    public static PngImage FromBytes(byte[] png, string name)
    {
        if (png is null) throw new ArgumentNullException(nameof(png));
        name ??= "PNG";
        try
        {
            return Decode(png, name);
        }
        catch (InvalidInputException) { throw; }
        catch (Exception e) when (e is InvalidDataException or IOException or IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            throw Bad(name, T("Png.Corrupt", e.Message), e);
        }
    }

    private static InvalidInputException Bad(string name, AppearanceMessages.LocalizedText detail, Exception? inner = null) =>
        new(AppearanceMessages.Resources, "Appearance.BadPng", inner, name, detail);

    private static AppearanceMessages.LocalizedText T(string key, params object?[] arguments) => AppearanceMessages.Text(key, arguments);

    private static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    private static PngImage Decode(byte[] png, string name)
    {
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature))
            throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.NotPng", null, name);

        int width = 0, height = 0, bitDepth = 0, colorType = -1, interlace = 0;
        byte[]? palette = null, trns = null;
        double dpiX = 72, dpiY = 72;
        var idat = new MemoryStream();
        bool sawHeader = false, sawEnd = false;
        int pos = 8;
        while (pos < png.Length && !sawEnd)
        {
            if (pos + 12 > png.Length) throw Bad(name, T("Png.TruncatedChunk"));
            int length = ReadInt(png, pos);
            if (length < 0 || pos + 12L + length > png.Length) throw Bad(name, T("Png.TruncatedChunk"));
            string type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            int dataStart = pos + 8;
            uint crc = (uint)ReadInt(png, dataStart + length);
            if (Crc32(png, pos + 4, length + 4) != crc) throw Bad(name, T("Png.Crc", type));
            if (!sawHeader && type != "IHDR") throw Bad(name, T("Png.IhdrNotFirst"));
            switch (type)
            {
                case "IHDR":
                    if (length != 13) throw Bad(name, T("Png.ChunkLength", "IHDR"));
                    width = ReadInt(png, dataStart);
                    height = ReadInt(png, dataStart + 4);
                    bitDepth = png[dataStart + 8];
                    colorType = png[dataStart + 9];
                    if (png[dataStart + 10] != 0 || png[dataStart + 11] != 0) throw Bad(name, T("Png.UnknownMethod"));
                    interlace = png[dataStart + 12];
                    if (interlace > 1) throw Bad(name, T("Png.UnknownInterlace", png[dataStart + 12]));
                    sawHeader = true;
                    break;
                case "PLTE":
                    if (length % 3 != 0 || length == 0 || length > 768) throw Bad(name, T("Png.ChunkLength", "PLTE"));
                    palette = new byte[length];
                    Buffer.BlockCopy(png, dataStart, palette, 0, length);
                    break;
                case "tRNS":
                    trns = new byte[length];
                    Buffer.BlockCopy(png, dataStart, trns, 0, length);
                    break;
                case "pHYs":
                    if (length == 9 && png[dataStart + 8] == 1)
                    {
                        uint ppmX = (uint)ReadInt(png, dataStart), ppmY = (uint)ReadInt(png, dataStart + 4);
                        if (ppmX > 0 && ppmY > 0) { dpiX = ppmX * 0.0254; dpiY = ppmY * 0.0254; }
                    }
                    break;
                case "IDAT":
                    idat.Write(png, dataStart, length);
                    break;
                case "IEND":
                    sawEnd = true;
                    break;
                default:
                    // Unknown critical chunks (upper-case first letter) change the meaning of the image: refuse.
                    if ((png[pos + 4] & 0x20) == 0) throw Bad(name, T("Png.UnknownCritical", type));
                    break;
            }
            pos = dataStart + length + 4;
        }
        if (!sawHeader) throw Bad(name, T("Png.NoIhdr"));
        if (width <= 0 || height <= 0) throw Bad(name, T("Png.BadSize", width, height));
        if ((long)width * height > MaxPixels) throw Bad(name, T("Png.TooLarge", width, height));
        if (idat.Length == 0) throw Bad(name, T("Png.NoIdat"));

        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw Bad(name, T("Png.UnknownColourType", colorType)) };
        bool depthOk = colorType switch
        {
            0 => bitDepth is 1 or 2 or 4 or 8 or 16,
            3 => bitDepth is 1 or 2 or 4 or 8,
            _ => bitDepth is 8 or 16,
        };
        if (!depthOk) throw Bad(name, T("Png.BitDepth", bitDepth, colorType));
        if (colorType == 3 && palette is null) throw Bad(name, T("Png.NoPalette"));

        byte[] raw = Inflate(idat.ToArray(), name);

        int bitsPerPixel = channels * bitDepth;
        int filterBpp = Math.Max(1, bitsPerPixel / 8);
        // Output: grey or RGB colour plus alpha (palette images become RGB).
        int outComponents = colorType is 0 or 4 ? 1 : 3;
        var color = new byte[checked((long)width * height * outComponents)];
        var alpha = new byte[(long)width * height];
        bool anyTransparent = false;

        int maxSample = (1 << bitDepth) - 1;
        int trnsGrey = -1, trnsR = -1, trnsG = -1, trnsB = -1;
        if (trns is not null)
        {
            if (colorType == 0 && trns.Length >= 2) trnsGrey = (trns[0] << 8) | trns[1];
            if (colorType == 2 && trns.Length >= 6) { trnsR = (trns[0] << 8) | trns[1]; trnsG = (trns[2] << 8) | trns[3]; trnsB = (trns[4] << 8) | trns[5]; }
        }

        int offset = 0;
        // Adam7 passes: (x0, y0, dx, dy); a non-interlaced image is one pass of (0, 0, 1, 1).
        int[][] passes = interlace == 1
            ? new[] { new[] { 0, 0, 8, 8 }, new[] { 4, 0, 8, 8 }, new[] { 0, 4, 4, 8 }, new[] { 2, 0, 4, 4 }, new[] { 0, 2, 2, 4 }, new[] { 1, 0, 2, 2 }, new[] { 0, 1, 1, 2 } }
            : new[] { new[] { 0, 0, 1, 1 } };
        var samples = new int[4];
        foreach (var p in passes)
        {
            int pw = (width - p[0] + p[2] - 1) / p[2], ph = (height - p[1] + p[3] - 1) / p[3];
            if (pw <= 0 || ph <= 0) continue;
            int rowBytes = (int)(((long)pw * bitsPerPixel + 7) / 8);
            var prev = new byte[rowBytes];
            var row = new byte[rowBytes];
            for (int y = 0; y < ph; y++)
            {
                if (offset + 1 + rowBytes > raw.Length) throw Bad(name, T("Png.DataEndsEarly"));
                int filter = raw[offset];
                Buffer.BlockCopy(raw, offset + 1, row, 0, rowBytes);
                offset += 1 + rowBytes;
                Unfilter(filter, row, prev, filterBpp, name);
                int oy = p[1] + y * p[3];
                for (int x = 0; x < pw; x++)
                {
                    ReadSamples(row, x, channels, bitDepth, samples);
                    long o = (long)oy * width + p[0] + x * p[2];
                    byte a = 255;
                    switch (colorType)
                    {
                        case 0:
                            color[o] = Scale(samples[0], bitDepth, maxSample);
                            if (samples[0] == trnsGrey) a = 0;
                            break;
                        case 4:
                            color[o] = Scale(samples[0], bitDepth, maxSample);
                            a = Scale(samples[1], bitDepth, maxSample);
                            break;
                        case 2:
                            color[o * 3] = Scale(samples[0], bitDepth, maxSample);
                            color[o * 3 + 1] = Scale(samples[1], bitDepth, maxSample);
                            color[o * 3 + 2] = Scale(samples[2], bitDepth, maxSample);
                            if (samples[0] == trnsR && samples[1] == trnsG && samples[2] == trnsB) a = 0;
                            break;
                        case 6:
                            color[o * 3] = Scale(samples[0], bitDepth, maxSample);
                            color[o * 3 + 1] = Scale(samples[1], bitDepth, maxSample);
                            color[o * 3 + 2] = Scale(samples[2], bitDepth, maxSample);
                            a = Scale(samples[3], bitDepth, maxSample);
                            break;
                        case 3:
                            int index = samples[0];
                            if (index * 3 + 2 >= palette!.Length) throw Bad(name, T("Png.PaletteIndex", index, palette.Length / 3));
                            color[o * 3] = palette[index * 3];
                            color[o * 3 + 1] = palette[index * 3 + 1];
                            color[o * 3 + 2] = palette[index * 3 + 2];
                            if (trns is not null && index < trns.Length) a = trns[index];
                            break;
                    }
                    alpha[o] = a;
                    if (a != 255) anyTransparent = true;
                }
                (prev, row) = (row, prev);
            }
        }
        return new PngImage(name, width, height, outComponents, color, anyTransparent ? alpha : null, dpiX, dpiY);
    }

    private static byte Scale(int sample, int bitDepth, int maxSample) => bitDepth switch
    {
        8 => (byte)sample,
        16 => (byte)(sample >> 8),
        _ => (byte)(sample * 255 / maxSample),
    };

    private static void ReadSamples(byte[] row, int x, int channels, int bitDepth, int[] samples)
    {
        switch (bitDepth)
        {
            case 8:
                for (int c = 0; c < channels; c++) samples[c] = row[x * channels + c];
                break;
            case 16:
                for (int c = 0; c < channels; c++)
                {
                    int i = (x * channels + c) * 2;
                    samples[c] = (row[i] << 8) | row[i + 1];
                }
                break;
            default: // 1, 2, 4: one channel (grey or palette index), packed from the high bit
                int bit = x * bitDepth;
                int shift = 8 - bitDepth - (bit & 7);
                samples[0] = (row[bit >> 3] >> shift) & ((1 << bitDepth) - 1);
                break;
        }
    }

    private static void Unfilter(int filter, byte[] row, byte[] prev, int bpp, string name)
    {
        int n = row.Length;
        switch (filter)
        {
            case 0: break;
            case 1: for (int i = bpp; i < n; i++) row[i] += row[i - bpp]; break;
            case 2: for (int i = 0; i < n; i++) row[i] += prev[i]; break;
            case 3:
                for (int i = 0; i < n; i++) row[i] += (byte)(((i >= bpp ? row[i - bpp] : 0) + prev[i]) >> 1);
                break;
            case 4:
                for (int i = 0; i < n; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
                    int pa = Math.Abs(b - c), pb = Math.Abs(a - c), pc = Math.Abs(a + b - 2 * c);
                    row[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }
                break;
            default: throw Bad(name, T("Png.UnknownFilter", filter));
        }
    }

    private static byte[] Inflate(byte[] zlib, string name)
    {
        if (zlib.Length < 2 || (zlib[0] & 0x0F) != 8 || ((zlib[0] << 8) | zlib[1]) % 31 != 0 || (zlib[1] & 0x20) != 0)
            throw Bad(name, T("Png.NotZlib"));
        using var input = new MemoryStream(zlib, 2, zlib.Length - 2);
        using var deflate = new DeflateStream(input, CompressionMode.Decompress);
        var output = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = deflate.Read(buffer, 0, buffer.Length)) > 0)
        {
            output.Write(buffer, 0, read);
            if (output.Length > (long)MaxPixels * 8 + 1_000_000) throw Bad(name, T("Png.DataTooLarge"));
        }
        return output.ToArray();
    }

    private static int ReadInt(byte[] b, int i) => (b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3];

    private static uint[]? crcTable;

    private static uint Crc32(byte[] data, int start, int count)
    {
        var table = crcTable;
        if (table is null)
        {
            table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                table[n] = c;
            }
            crcTable = table;
        }
        uint crc = 0xFFFFFFFFu;
        for (int i = start; i < start + count; i++) crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }
}
