using System.Globalization;
using System.IO.Compression;
using System.Text;
using VnGovSign.Formats.Pdf;
using VnGovSign.Formats.Pdf.Appearance;
using VnGovSign.IO;
using VnGovSign.Validation;

namespace VnGovSign.Cli.Commands;

/// <summary>
/// Demo step (Decree 30 e-office flow): makes a one-page official letter, the leader signs it (blue signature),
/// the clerk signs it with the organisation's certificate (red seal over the leader's signature), an appendix
/// gets the attachment stamp; both files are verified offline.
/// </summary>
internal static class PdfDemoStep
{
    public static async Task<DemoCommand.DemoRow> RunAsync(DemoCommand.DemoContext demo)
    {
        var ctx = demo.Cli;
        var dir = demo.Directory;
        var letter = Path.Combine(dir, "cong-van.pdf");
        var appendix = Path.Combine(dir, "phu-luc.pdf");
        await AtomicFile.WriteAllBytesAsync(letter, SimplePdf("CONG VAN so 12/UBND-VP", "Ve viec trien khai chu ky so chuyen dung nam 2027."), ctx.CancellationToken);
        await AtomicFile.WriteAllBytesAsync(appendix, SimplePdf("PHU LUC", "Danh sach don vi trien khai."), ctx.CancellationToken);
        var signature = PngImage.FromBytes(Png(240, 80, (x, y) => Math.Abs(y - 40 - 25 * Math.Sin(x / 20.0)) < 3 ? (20, 40, 200, 255) : (0, 0, 0, 0)), "chu-ky.png");
        var seal = PngImage.FromBytes(Png(120, 120, (x, y) =>
        {
            double r = Math.Sqrt((x - 60) * (x - 60) + (y - 60) * (y - 60));
            return r is > 52 and < 58 || r is > 40 and < 43 ? (220, 20, 20, 255) : (0, 0, 0, 0);
        }), "con-dau.png");

        var leaderOut = Path.Combine(dir, "cong-van.leader.pdf");
        var issued = Path.Combine(dir, "cong-van.signed.pdf");
        var appendixOut = Path.Combine(dir, "phu-luc.signed.pdf");
        using (var leader = demo.Pki.Leader.CreateSigner())
            await new PadesSigner().SignAsync(letter, leaderOut, leader,
                new PdfSignatureParameters { Appearance = new LeaderAppearance(signature, 1, new PdfRect(330, 180, 170, 60)), Reason = "Phê duyệt" }, ctx.CancellationToken);
        using (var org = demo.Pki.Organization.CreateSigner())
        {
            await new PadesSigner().SignAsync(leaderOut, issued, org,
                new PdfSignatureParameters { Appearance = new OrganizationAppearance(seal), Reason = "Phát hành" }, ctx.CancellationToken);
            await new PadesSigner().SignAsync(appendix, appendixOut, org,
                new PdfSignatureParameters { Appearance = new AttachmentAppearance("Số: 12/UBND-VP") }, ctx.CancellationToken);
        }
        var report = await VerifyCommand.VerifyAsync(issued, null, demo.Validator, ctx);
        var stamp = await VerifyCommand.VerifyAsync(appendixOut, null, demo.Validator, ctx);
        var all = report.Signatures.Concat(stamp.Signatures).ToList();
        bool ok = report.Signatures.Count == 2 && stamp.Signatures.Count == 1 && all.All(s => s.Indication != Indication.TotalFailed);
        var worst = all.FirstOrDefault(s => s.Indication != Indication.TotalPassed) ?? all.FirstOrDefault();
        return new DemoCommand.DemoRow("PAdES leader + org + attachment", Path.GetFileName(issued) + ", " + Path.GetFileName(appendixOut),
            ValidationReport.EtsiName(worst?.Indication ?? Indication.TotalFailed)
            + (worst is null || worst.SubIndication == SubIndication.None ? "" : "/" + ValidationReport.EtsiName(worst.SubIndication))
            + " (" + all.Count.ToString(CultureInfo.InvariantCulture) + ")",
            ok);
    }

    /// <summary>A one-page A4 PDF 1.4 (classic xref table) with a title and one line of Helvetica text.</summary>
    internal static byte[] SimplePdf(string title, string line)
    {
        var content = Encoding.ASCII.GetBytes("BT /F1 16 Tf 72 760 Td (" + title + ") Tj ET\nBT /F1 12 Tf 72 720 Td (" + line + ") Tj ET\n"
            + "BT /F1 12 Tf 360 250 Td (CHU TICH) Tj ET\nBT /F1 12 Tf 360 160 Td (Nguyen Van A) Tj ET\n");
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            "<< /Length " + content.Length.ToString(CultureInfo.InvariantCulture) + " >>\nstream\n" + Encoding.ASCII.GetString(content) + "\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        };
        var b = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (int i = 0; i < objects.Length; i++)
        {
            offsets.Add(b.Length);
            b.Append(i + 1).Append(" 0 obj\n").Append(objects[i]).Append("\nendobj\n");
        }
        int xref = b.Length;
        b.Append("xref\n0 ").Append(objects.Length + 1).Append("\n0000000000 65535 f \n");
        foreach (var o in offsets) b.Append(o.ToString("D10", CultureInfo.InvariantCulture)).Append(" 00000 n \n");
        b.Append("trailer\n<< /Size ").Append(objects.Length + 1).Append(" /Root 1 0 R >>\nstartxref\n").Append(xref).Append("\n%%EOF\n");
        return Encoding.ASCII.GetBytes(b.ToString());
    }

    /// <summary>An RGBA PNG drawn by <paramref name="pixel"/>.</summary>
    internal static byte[] Png(int width, int height, Func<int, int, (int R, int G, int B, int A)> pixel)
    {
        var raw = new MemoryStream();
        for (int y = 0; y < height; y++)
        {
            raw.WriteByte(0);
            for (int x = 0; x < width; x++)
            {
                var (r, g, bl, a) = pixel(x, y);
                raw.WriteByte((byte)r); raw.WriteByte((byte)g); raw.WriteByte((byte)bl); raw.WriteByte((byte)a);
            }
        }
        var z = new MemoryStream();
        using (var zs = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true)) raw.WriteTo(zs);
        var png = new MemoryStream();
        png.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
        var ihdr = new byte[13];
        BigEndian(ihdr, 0, width); BigEndian(ihdr, 4, height);
        ihdr[8] = 8; ihdr[9] = 6;
        Chunk(png, "IHDR", ihdr);
        Chunk(png, "IDAT", z.ToArray());
        Chunk(png, "IEND", Array.Empty<byte>());
        return png.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var len = new byte[4];
        BigEndian(len, 0, data.Length);
        s.Write(len);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        s.Write(typed);
        var crc = new byte[4];
        BigEndian(crc, 0, (int)Crc32(typed));
        s.Write(crc);
    }

    private static uint Crc32(byte[] data)
    {
        uint c = 0xFFFFFFFF;
        foreach (var d in data)
        {
            c ^= d;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return c ^ 0xFFFFFFFF;
    }

    private static void BigEndian(byte[] b, int o, int v) { b[o] = (byte)(v >> 24); b[o + 1] = (byte)(v >> 16); b[o + 2] = (byte)(v >> 8); b[o + 3] = (byte)v; }
}
