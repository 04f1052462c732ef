using System.Globalization;
using System.IO.Compression;
using System.Text;
using VnGovSign.Formats.Pdf.Appearance;
using VnGovSign.Formats.Pdf.Parsing;
using VnGovSign.Testing;
using VnGovSign.Testing.Responders;
using VnGovSign.Tests;
using VnGovSign.Timestamps;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Formats.Pdf.Tests;

/// <summary>Builds test PDFs of the shapes the issue names, byte by byte (no PDF library): each is checked by qpdf in its own test.</summary>
internal static class PdfFiles
{
    private static byte[] A(string s) => Encoding.Latin1.GetBytes(s);

    /// <summary>The page objects: catalog 1, pages 2, then per page a page and its content stream. Text "trang N" on page N.</summary>
    private static SortedDictionary<int, byte[]> Objects(int pages, string? extraCatalog = null, Func<int, string>? pageExtra = null)
    {
        var o = new SortedDictionary<int, byte[]>();
        var kids = string.Join(" ", Enumerable.Range(0, pages).Select(i => (3 + 2 * i) + " 0 R"));
        int font = 3 + 2 * pages;
        o[1] = A("<< /Type /Catalog /Pages 2 0 R" + (extraCatalog ?? "") + " >>");
        o[2] = A("<< /Type /Pages /Kids [" + kids + "] /Count " + pages + " >>");
        for (int i = 0; i < pages; i++)
        {
            int page = 3 + 2 * i;
            var content = A("BT /F1 14 Tf 72 760 Td (trang " + (i + 1) + ") Tj ET\nBT /F1 11 Tf 72 730 Td (Noi dung van ban thu nghiem.) Tj ET\n");
            o[page] = A("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 " + font + " 0 R >> >> /Contents " + (page + 1) + " 0 R"
                + (pageExtra?.Invoke(i) ?? "") + " >>");
            o[page + 1] = Concat(A("<< /Length " + content.Length + " >>\nstream\n"), content, A("\nendstream"));
        }
        o[font] = A("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        return o;
    }

    public static int FontObject(int pages) => 3 + 2 * pages;

    /// <summary>PDF 1.4 with a classic cross-reference table.</summary>
    public static byte[] Classic(int pages = 1, string? extraCatalog = null, Func<int, string>? pageExtra = null,
        IDictionary<int, string>? more = null, string? extraTrailer = null)
    {
        var o = Objects(pages, extraCatalog, pageExtra);
        if (more is not null) foreach (var kv in more) o[kv.Key] = A(kv.Value);
        return WriteClassic("1.4", o, extraTrailer);
    }

    /// <summary>Objects in order, a classic cross-reference table and a trailer naming object 1 as /Root.</summary>
    internal static byte[] WriteClassic(string version, SortedDictionary<int, byte[]> o, string? extraTrailer)
    {
        var pdf = new MemoryStream();
        void W(byte[] b) => pdf.Write(b, 0, b.Length);
        W(A("%PDF-" + version + "\n%\u00e2\u00e3\u00cf\u00d3\n"));
        var offsets = new Dictionary<int, long>();
        foreach (var kv in o)
        {
            offsets[kv.Key] = pdf.Length;
            W(A(kv.Key + " 0 obj\n")); W(kv.Value); W(A("\nendobj\n"));
        }
        long xref = pdf.Length;
        int size = o.Keys.Max() + 1;
        var x = new StringBuilder("xref\n0 " + size + "\n0000000000 65535 f \n");
        for (int i = 1; i < size; i++) x.Append(offsets.TryGetValue(i, out var off) ? off.ToString("D10", CultureInfo.InvariantCulture) + " 00000 n \n" : "0000000000 00000 f \n");
        x.Append("trailer\n<< /Size " + size + " /Root 1 0 R" + (extraTrailer ?? "") + " >>\nstartxref\n" + xref + "\n%%EOF\n");
        W(A(x.ToString()));
        return pdf.ToArray();
    }

    /// <summary>
    /// PDF 1.7 whose dictionaries live in a compressed object stream and whose cross-reference data is a compressed
    /// xref stream (with PNG predictor 12, as Acrobat and qpdf write them). With <paramref name="hybrid"/>: a classic table
    /// for the plain objects plus /XRefStm for the compressed ones.
    /// </summary>
    public static byte[] ObjectStreams(int pages = 1, bool hybrid = false)
    {
        var o = Objects(pages);
        var packed = o.Where(kv => !Encoding.Latin1.GetString(kv.Value).Contains("stream")).Select(kv => kv.Key).ToList();
        int objStm = o.Keys.Max() + 1, xrefNum = objStm + 1;
        var header = new StringBuilder();
        var body = new MemoryStream();
        foreach (var n in packed)
        {
            header.Append(n).Append(' ').Append(body.Length).Append(' ');
            body.Write(o[n]); body.WriteByte((byte)'\n');
        }
        var first = A(header.ToString());
        var stmData = Deflate(Concat(first, body.ToArray()));
        var pdf = new MemoryStream();
        void W(byte[] b) => pdf.Write(b, 0, b.Length);
        W(A("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n"));
        var offsets = new Dictionary<int, long>();
        foreach (var kv in o.Where(kv => !packed.Contains(kv.Key)))
        {
            offsets[kv.Key] = pdf.Length;
            W(A(kv.Key + " 0 obj\n")); W(kv.Value); W(A("\nendobj\n"));
        }
        offsets[objStm] = pdf.Length;
        W(A(objStm + " 0 obj\n<< /Type /ObjStm /N " + packed.Count + " /First " + first.Length + " /Filter /FlateDecode /Length " + stmData.Length + " >>\nstream\n"));
        W(stmData); W(A("\nendstream\nendobj\n"));

        int size = xrefNum + 1;
        long xrefStmOffset = pdf.Length;
        // Rows: type(1) offset(4) gen(2), PNG "Up" predictor per row.
        var rows = new MemoryStream();
        byte[] prev = new byte[7];
        for (int n = 0; n < size; n++)
        {
            byte[] row = new byte[7];
            if (n == 0) { row[0] = 0; row[5] = 0xFF; row[6] = 0xFF; }
            else if (packed.Contains(n)) { row[0] = 2; BE(row, 1, objStm, 4); BE(row, 5, packed.IndexOf(n), 2); }
            else if (n == xrefNum) { row[0] = 1; BE(row, 1, xrefStmOffset, 4); }
            else if (offsets.TryGetValue(n, out var off))
            {
                if (hybrid) { row[0] = 0; } // in the classic table instead
                else { row[0] = 1; BE(row, 1, off, 4); }
            }
            rows.WriteByte(2);
            for (int i = 0; i < 7; i++) rows.WriteByte((byte)(row[i] - prev[i]));
            prev = row;
        }
        var xdata = Deflate(rows.ToArray());
        W(A(xrefNum + " 0 obj\n<< /Type /XRef /Size " + size + " /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /DecodeParms << /Columns 7 /Predictor 12 >> /Length " + xdata.Length + " >>\nstream\n"));
        W(xdata); W(A("\nendstream\nendobj\n"));
        if (!hybrid)
        {
            W(A("startxref\n" + xrefStmOffset + "\n%%EOF\n"));
            return pdf.ToArray();
        }
        long table = pdf.Length;
        var x = new StringBuilder("xref\n0 " + size + "\n0000000000 65535 f \n");
        for (int i = 1; i < size; i++)
            x.Append(offsets.TryGetValue(i, out var off) && !packed.Contains(i) ? off.ToString("D10", CultureInfo.InvariantCulture) + " 00000 n \n" : "0000000000 00000 f \n");
        x.Append("trailer\n<< /Size " + size + " /Root 1 0 R /XRefStm " + xrefStmOffset + " >>\nstartxref\n" + table + "\n%%EOF\n");
        W(A(x.ToString()));
        return pdf.ToArray();
    }

    /// <summary>A classic PDF that already has an empty signature field named <paramref name="name"/> on page 1.</summary>
    public static byte[] WithEmptySignatureField(string name)
    {
        int field = FontObject(1) + 1;
        return Classic(1, " /AcroForm << /Fields [" + field + " 0 R] >>", _ => " /Annots [" + field + " 0 R]",
            new Dictionary<int, string> { [field] = "<< /Type /Annot /Subtype /Widget /FT /Sig /T (" + name + ") /F 4 /P 3 0 R /Rect [300 100 470 160] >>" });
    }

    /// <summary>Appends an incremental update that changes page 1's content stream (a later revision that is not allowed).</summary>
    public static byte[] AppendContentChange(byte[] pdf, int pages = 1)
    {
        var f = PdfFile.Open(new MemoryStream(pdf), "x.pdf");
        int content = 4;
        var data = A("BT /F1 14 Tf 72 700 Td (SUA DOI) Tj ET\n");
        var add = new MemoryStream();
        long off = pdf.Length;
        add.Write(A(content + " 0 obj\n<< /Length " + data.Length + " >>\nstream\n")); add.Write(data); add.Write(A("\nendstream\nendobj\n"));
        long xref = pdf.Length + add.Length;
        if (f.LastSectionIsStream)
            throw new NotSupportedException("test helper writes a table update only");
        add.Write(A("xref\n" + content + " 1\n" + off.ToString("D10", CultureInfo.InvariantCulture) + " 00000 n \ntrailer\n<< /Size " + f.Size + " /Root 1 0 R /Prev " + f.LastXrefOffset + " >>\nstartxref\n" + xref + "\n%%EOF\n"));
        return Concat(pdf, add.ToArray());
    }

    /// <summary>
    /// Writes a one-page PDF of about <paramref name="bytes"/> bytes to disk without holding it in memory: a scanned-page
    /// shape, one large grey image (uncompressed samples) drawn over the page.
    /// </summary>
    public static void WriteLarge(string path, long bytes)
    {
        int width = 2000;
        int height = (int)Math.Max(1, bytes / width);
        long length = (long)width * height;
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var offsets = new long[7];
        void W(string s) { var b = A(s); fs.Write(b, 0, b.Length); }
        W("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        offsets[1] = fs.Position; W("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        offsets[2] = fs.Position; W("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
        offsets[3] = fs.Position; W("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> /Font << /F1 6 0 R >> >> /Contents 4 0 R >>\nendobj\n");
        var content = "q 595 0 0 842 0 0 cm /Im1 Do Q\nBT /F1 14 Tf 72 760 Td (trang 1) Tj ET\n";
        offsets[4] = fs.Position; W("4 0 obj\n<< /Length " + content.Length + " >>\nstream\n" + content + "\nendstream\nendobj\n");
        offsets[5] = fs.Position; W("5 0 obj\n<< /Type /XObject /Subtype /Image /Width " + width + " /Height " + height + " /ColorSpace /DeviceGray /BitsPerComponent 8 /Length " + length + " >>\nstream\n");
        var row = new byte[1 << 16];
        for (int i = 0; i < row.Length; i++) row[i] = (byte)(200 + (i * 7919 % 55));
        for (long left = length; left > 0;)
        {
            int n = (int)Math.Min(row.Length, left);
            fs.Write(row, 0, n);
            left -= n;
        }
        W("\nendstream\nendobj\n");
        offsets[6] = fs.Position; W("6 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n");
        long xref = fs.Position;
        var x = new StringBuilder("xref\n0 7\n0000000000 65535 f \n");
        for (int i = 1; i < 7; i++) x.Append(offsets[i].ToString("D10", CultureInfo.InvariantCulture)).Append(" 00000 n \n");
        x.Append("trailer\n<< /Size 7 /Root 1 0 R >>\nstartxref\n").Append(xref).Append("\n%%EOF\n");
        W(x.ToString());
    }

    public static byte[] Deflate(byte[] data)
    {
        var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return ms.ToArray();
    }

    private static void BE(byte[] b, int at, long v, int width)
    {
        for (int i = 0; i < width; i++) b[at + i] = (byte)(v >> (8 * (width - 1 - i)));
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    public static int IndexOf(byte[] hay, string needle, int from = 0)
    {
        var n = A(needle);
        return hay.AsSpan(from).IndexOf(n) is var i && i >= 0 ? i + from : -1;
    }

    /// <summary>A blue stroke (signature) or a red ring (seal) on a transparent background.</summary>
    public static PngImage Image(bool red) => red
        ? PngImage.FromBytes(Png(100, 100, (x, y) => Math.Abs(Math.Sqrt((x - 50) * (x - 50) + (y - 50) * (y - 50)) - 45) < 4 ? (220, 20, 20, 255) : (0, 0, 0, 0)), "seal.png")
        : PngImage.FromBytes(Png(200, 60, (x, y) => Math.Abs(y - 30 - 20 * Math.Sin(x / 15.0)) < 3 ? (20, 40, 200, 255) : (0, 0, 0, 0)), "signature.png");

    public static byte[] Png(int width, int height, Func<int, int, (int R, int G, int B, int A)> pixel)
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
        var png = new MemoryStream();
        png.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var ihdr = new byte[13];
        BE(ihdr, 0, width, 4); BE(ihdr, 4, height, 4); ihdr[8] = 8; ihdr[9] = 6;
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", Deflate(raw.ToArray()));
        Chunk(png, "IEND", Array.Empty<byte>());
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var len = new byte[4];
        BE(len, 0, data.Length, 4);
        s.Write(len);
        var typed = Concat(Encoding.ASCII.GetBytes(type), data);
        s.Write(typed);
        uint c = 0xFFFFFFFF;
        foreach (var d in typed) { c ^= d; for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1; }
        var crc = new byte[4];
        BE(crc, 0, c ^ 0xFFFFFFFF, 4);
        s.Write(crc);
    }
}

/// <summary>A test PKI with loopback OCSP/CRL/TSA responders, an NSS database trusting its root (for pdfsig), and helpers.</summary>
public sealed class PdfFixture : IDisposable
{
    public PdfFixture()
    {
        Responders = TestResponders.CreateAndStart(new TestPkiOptions { Seed = 3200 });
        Dir = Path.Combine(Path.GetTempPath(), "vngovsign-pdf-tests-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(Dir);
        var root = Path.Combine(Dir, "root.pem");
        File.WriteAllText(root, Pki.Root.Certificate.ExportCertificatePem());
        Nss = Path.Combine(Dir, "nss");
        Directory.CreateDirectory(Nss);
        Check(ExternalTool.Run("certutil", "-N", "--empty-password", "-d", Nss));
        Check(ExternalTool.Run("certutil", "-A", "-d", Nss, "-n", "root", "-t", "CT,C,C", "-i", root));
    }

    private static void Check(ExternalTool.Result r)
    {
        if (r.ExitCode != 0) throw new InvalidOperationException(r.All);
    }

    public TestResponders Responders { get; }
    public TestPki Pki => Responders.Pki;
    public string Dir { get; }
    public string Nss { get; }
    public TrustStore Trust => TrustStore.Empty.With(new[] { Pki.Root.Certificate });

    public PadesValidator Validator(RevocationMode mode = RevocationMode.Online) =>
        new(new CertificateValidator(Trust, ValidationPolicy.Default with { Revocation = mode }));

    public SignatureOptions Options(SignatureLevel level) => new()
    {
        Level = level,
        Timestamps = level >= SignatureLevel.BaselineT ? new Rfc3161Client(Responders.TsaUri) : null,
    };

    public PadesSigner Signer(SignatureLevel level) => new(Options(level))
    {
        ValidationDataSource = (cert, extra, ct) => new VnGovSign.Revocation.ValidationDataCollector(Trust, ValidationPolicy.Default).CollectAsync(cert, extra, ct),
    };

    public PadesExtender Extender(SignatureLevel level) => new(Options(level))
    {
        ValidationDataSource = (cert, extra, ct) => new VnGovSign.Revocation.ValidationDataCollector(Trust, ValidationPolicy.Default).CollectAsync(cert, extra, ct),
    };

    public string Temp(string name) => Path.Combine(Dir, Guid.NewGuid().ToString("N").Substring(0, 6) + "-" + name);

    public string Write(byte[] pdf, string name)
    {
        var p = Temp(name);
        File.WriteAllBytes(p, pdf);
        return p;
    }

    public async Task<byte[]> SignAsync(byte[] pdf, TestIdentity who, SignatureLevel level = SignatureLevel.BaselineB, PdfSignatureParameters? p = null)
    {
        using var signer = who.CreateSigner();
        var input = new MemoryStream(pdf, writable: false);
        var output = new MemoryStream();
        await Signer(level).SignAsync(input, output, signer, p);
        Assert.Equal(pdf, output.ToArray().AsSpan(0, pdf.Length).ToArray()); // every earlier byte kept
        return output.ToArray();
    }

    public Task<ValidationReport> ValidateAsync(byte[] pdf, RevocationMode mode = RevocationMode.Online) =>
        Validator(mode).ValidateAsync(new MemoryStream(pdf, writable: false), "test.pdf");

    /// <summary>pdfsig's verdict, with the test root trusted and no OCSP.</summary>
    public string Pdfsig(byte[] pdf)
    {
        var path = Write(pdf, "pdfsig.pdf");
        var r = ExternalTool.Run("pdfsig", "-nssdir", Nss, "-no-ocsp", path);
        return r.All;
    }

    /// <summary>pdfsig's verdict with its own OCSP check against the loopback responder (the certificates' AIA URL).</summary>
    public string PdfsigWithOcsp(byte[] pdf) => ExternalTool.Run("pdfsig", "-nssdir", Nss, Write(pdf, "pdfsig-ocsp.pdf")).All;

    public static int Count(string text, string what) => text.Split('\n').Count(l => l.Contains(what, StringComparison.Ordinal));

    public ExternalTool.Result Qpdf(byte[] pdf) => ExternalTool.Run("qpdf", "--check", Write(pdf, "qpdf.pdf"));

    public void Dispose()
    {
        Responders.Dispose();
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}

[CollectionDefinition("pdf")]
public sealed class PdfCollection : ICollectionFixture<PdfFixture> { }
