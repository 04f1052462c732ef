using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using VnGovSign.Formats.Pdf.Appearance;

namespace VnGovSign.Benchmarks;

/// <summary>
/// Decree 30 appearance rendering (docs/pdf-appearance.md): what one visible signature adds to signing time.
/// Baseline in the same run: decoding the signature PNG alone. A short job: these are milliseconds, not a hot path.
/// </summary>
/// <remarks>dotnet run -c Release --project benchmarks/VnGovSign.Benchmarks -- --filter '*Appearance*'</remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 5)]
public class AppearanceBenchmarks
{
    private static readonly DateTimeOffset Time = new(2026, 12, 3, 13, 22, 5, TimeSpan.Zero);
    private byte[] _signaturePng = Array.Empty<byte>();
    private PngImage _signature = null!;
    private PngImage _seal = null!;
    private PdfRect _leaderRect;

    [GlobalSetup]
    public void Setup()
    {
        // A 600 × 200 px blue stroke on transparency (a scanned signature at 300 dpi) and a 480 px red ring (a 40 mm seal).
        _signaturePng = Png(600, 200, (x, y) => Math.Abs(y - 100 - 60 * Math.Sin(x / 40.0)) < 4 ? (20, 40, 190, 255) : (0, 0, 0, 0));
        _signature = PngImage.FromBytes(_signaturePng, "signature.png");
        _seal = PngImage.FromBytes(Png(480, 480, (x, y) =>
        {
            double r = Math.Sqrt((x - 240.0) * (x - 240.0) + (y - 240.0) * (y - 240.0));
            return r is > 200 and < 236 or < 60 ? (220, 30, 30, 255) : (0, 0, 0, 0);
        }, dpi: 300), "seal.png");
        _leaderRect = PdfAppearanceRenderer.Layout(Leader()).WidgetRect;
    }

    private PdfAppearanceRequest Leader() =>
        new(new LeaderAppearance(_signature, 1, new PdfRect(330, 180, 170, 60)), PdfPageGeometry.A4, Time);

    [Benchmark(Baseline = true, Description = "decode the signature PNG (600 × 200)")]
    public PngImage DecodePng() => PngImage.FromBytes(_signaturePng, "signature.png");

    [Benchmark(Description = "leader: image + SMask")]
    public int RenderLeader() => PdfAppearanceRenderer.Render(Leader(), new CountingSink()).FormObjectNumber;

    [Benchmark(Description = "organization: seal over the leader")]
    public int RenderOrganization() => PdfAppearanceRenderer.Render(
        new PdfAppearanceRequest(new OrganizationAppearance(_seal), PdfPageGeometry.A4, Time) { LeaderWidgetRect = _leaderRect }, new CountingSink()).FormObjectNumber;

    [Benchmark(Description = "attachment: text, font subset, ToUnicode")]
    public int RenderAttachment() => PdfAppearanceRenderer.Render(
        new PdfAppearanceRequest(new AttachmentAppearance("Số: 15/2026/QĐ-UBND"), PdfPageGeometry.A4, Time), new CountingSink()).FormObjectNumber;

    [Benchmark(Description = "leader with signer text on a /Rotate 90 page")]
    public int RenderLeaderWithTextRotated() => PdfAppearanceRenderer.Render(
        new PdfAppearanceRequest(new LeaderAppearance(_signature, 1, new PdfRect(330, 180, 170, 60)) { ShowSignerText = true },
            new PdfPageGeometry(new PdfRect(0, 0, 595, 842), null, 90), Time)
        { SignerName = "Nguyễn Thị Phượng", OrganizationName = "Ủy ban nhân dân tỉnh Điện Biên" }, new CountingSink()).FormObjectNumber;

    /// <summary>Counts what the incremental writer would receive.</summary>
    private sealed class CountingSink : IPdfObjectSink
    {
        private int _next = 100;
        public long Bytes { get; private set; }
        public int Add(byte[] objectBody) { Bytes += objectBody.Length; return _next++; }
        public int Reserve() => _next++;
        public void Set(int objectNumber, byte[] objectBody) => Bytes += objectBody.Length;
    }

    /// <summary>An 8-bit RGBA PNG (filter 0 rows), with pHYs when <paramref name="dpi"/> is given.</summary>
    private static byte[] Png(int width, int height, Func<int, int, (int R, int G, int B, int A)> pixel, int? dpi = null)
    {
        var raw = new MemoryStream();
        for (int y = 0; y < height; y++)
        {
            raw.WriteByte(0);
            for (int x = 0; x < width; x++)
            {
                var (r, g, b, a) = pixel(x, y);
                raw.WriteByte((byte)r); raw.WriteByte((byte)g); raw.WriteByte((byte)b); raw.WriteByte((byte)a);
            }
        }
        var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true)) raw.WriteTo(zs);
        var png = new MemoryStream();
        png.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; ihdr[9] = 6;
        Chunk(png, "IHDR", ihdr);
        if (dpi is { } d)
        {
            var phys = new byte[9];
            int ppm = (int)Math.Round(d / 0.0254);
            BinaryPrimitives.WriteInt32BigEndian(phys, ppm);
            BinaryPrimitives.WriteInt32BigEndian(phys.AsSpan(4), ppm);
            phys[8] = 1;
            Chunk(png, "pHYs", phys);
        }
        Chunk(png, "IDAT", z.ToArray());
        Chunk(png, "IEND", Array.Empty<byte>());
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var head = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        Encoding.ASCII.GetBytes(type, 0, 4, head, 4);
        s.Write(head);
        s.Write(data);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(head.AsSpan(4).ToArray().Concat(data)));
        s.Write(crc);
    }

    private static uint Crc32(IEnumerable<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
