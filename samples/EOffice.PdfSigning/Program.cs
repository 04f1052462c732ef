// Sample: an e-office (văn phòng điện tử) system issues an official letter the Decree 30/2020 way.
//   dotnet run --project samples/EOffice.PdfSigning -- [OUTPUT-DIR]
// 1. The server prepares the leader's signature (blue signature image placed under the title, PAdES B-T) and stores the state.
// 2. The leader's USB token (via a browser plug-in) or phone signs the digest, somewhere else.
// 3. The server completes the signature, even after a restart, and publishes the file.
// 4. The clerk (văn thư) adds the organisation's signature with the red seal (B-LT: validation data embedded).
// 5. Anyone verifies it: PadesValidator here; `pdfsig` or Adobe Reader agree.
// A test PKI with loopback OCSP/CRL/TSA responders (VnGovSign.Testing) stands in for Ban Cơ yếu's CA and a TSA.
using System.Globalization;
using System.IO.Compression;
using System.Text;
using VnGovSign;
using VnGovSign.Formats.Pdf;
using VnGovSign.Formats.Pdf.Appearance;
using VnGovSign.Revocation;
using VnGovSign.Testing.Responders;
using VnGovSign.Timestamps;
using VnGovSign.Trust;
using VnGovSign.Validation;

var dir = args.Length > 0 ? Directory.CreateDirectory(args[0]).FullName : Directory.CreateTempSubdirectory("eoffice-pdf").FullName;
using var responders = TestResponders.CreateAndStart();
var pki = responders.Pki;
var trust = TrustStore.Empty.With(new[] { pki.Root.Certificate });
var draft = Path.Combine(dir, "cong-van.pdf");
File.WriteAllBytes(draft, Letter("CONG VAN so 12/UBND-VP", "Ve viec trien khai chu ky so chuyen dung."));
var signatureImage = PngImage.FromBytes(Png(240, 80, (x, y) => Math.Abs(y - 40 - 25 * Math.Sin(x / 20.0)) < 3 ? (20, 40, 200, 255) : (0, 0, 0, 0)), "chu-ky.png");
var seal = PngImage.FromBytes(Png(120, 120, (x, y) => Math.Sqrt((x - 60) * (x - 60) + (y - 60) * (y - 60)) is > 52 and < 58 or > 40 and < 43
    ? (220, 20, 20, 255) : (0, 0, 0, 0)), "con-dau.png");
var options = new SignatureOptions { Level = SignatureLevel.BaselineT, Timestamps = new Rfc3161Client(responders.TsaUri) };

// --- 1. Server: prepare. Only the leader's certificate is needed here (sent by the plug-in), never the key.
using var leaderToken = pki.Leader.CreateSigner();   // stands in for the leader's token; only .Certificate/.Chain are used here
var pending = Path.Combine(dir, "cong-van.pending.pdf"); // the scratch file, kept until the signature comes back
byte[] state;
using (var input = File.OpenRead(draft))
using (var scratch = new FileStream(pending, FileMode.Create, FileAccess.ReadWrite))
{
    var prepared = await new PadesSigner(options).PrepareAsync(input, scratch, leaderToken.Certificate, leaderToken.Chain, leaderToken.KeyAlgorithm,
        new PdfSignatureParameters
        {   // The template marks the spot with the signer's title: the box (170 × 60 pt) goes under "CHU TICH".
            Appearance = new LeaderAppearance(signatureImage, Rect: new PdfRect(0, 0, 170, 60)) { Anchor = new PdfTextAnchor("CHU TICH") },
            Reason = "Phê duyệt",
        });
    state = prepared.Serialize();                    // store in the database with the document id
    Console.WriteLine($"1. prepared: digest {Convert.ToBase64String(prepared.Digest.ToArray())} ({prepared.Hash.Name}), state {state.Length} bytes");
}

// --- 2. Elsewhere: the token or phone signs the digest. Here a SoftwareSigner from the test PKI does it;
//        with a real plug-in the server sends Digest/Hash/Padding and receives the raw signature value.
var job = PreparedPdfSignature.Deserialize(state);
byte[] signatureValue = await leaderToken.SignDigestAsync(job.Digest, job.Hash, job.Padding);
Console.WriteLine($"2. signed elsewhere: {signatureValue.Length}-byte RSA signature value");

// --- 3. Server (a new process would do the same): complete. The value is checked against the certificate
//        before anything is written; the timestamp is added (B-T); then the file is published by a rename.
var restored = PreparedPdfSignature.Deserialize(state);
using (var scratch = new FileStream(pending, FileMode.Open, FileAccess.ReadWrite))
    await new PadesSigner(options).CompleteAsync(scratch, restored, signatureValue);
var leaderSigned = Path.Combine(dir, "cong-van.leader.pdf");
File.Move(pending, leaderSigned, overwrite: true);
Console.WriteLine($"3. completed: {leaderSigned}");

// --- 4. The clerk signs with the organisation's certificate (a server key or HSM: the one-step SignAsync);
//        the seal overlaps the left third of the leader's signature; B-LT embeds OCSP/CRL and certificates.
var issued = Path.Combine(dir, "cong-van.issued.pdf");
using (var org = pki.Organization.CreateSigner())
    await new PadesSigner(options with { Level = SignatureLevel.BaselineLT })
    {
        ValidationDataSource = (cert, extra, ct) => new ValidationDataCollector(trust, ValidationPolicy.Default).CollectAsync(cert, extra, ct),
    }.SignAsync(leaderSigned, issued, org, new PdfSignatureParameters { Appearance = new OrganizationAppearance(seal), Reason = "Phát hành" });
Console.WriteLine($"4. organisation signature: {issued}");

// --- 5. Verify every signature: integrity, path, revocation (online, loopback responders), timestamps.
var report = await new PadesValidator(new CertificateValidator(trust, ValidationPolicy.Default)).ValidateAsync(issued);
Console.WriteLine("5. " + report.ToText(Messages.English));
File.WriteAllText(Path.Combine(dir, "root.pem"), pki.Root.Certificate.ExportCertificatePem()); // for pdfsig's NSS database
return report.Indication == Indication.TotalPassed ? 0 : 1;

// A one-page A4 letter (PDF 1.4, classic cross-reference table): a title, one line, the signer's title and name.
static byte[] Letter(string title, string line)
{
    var text = "BT /F1 16 Tf 72 760 Td (" + title + ") Tj ET\nBT /F1 12 Tf 72 720 Td (" + line + ") Tj ET\n"
        + "BT /F1 12 Tf 360 250 Td (CHU TICH) Tj ET\nBT /F1 12 Tf 360 160 Td (Nguyen Van A) Tj ET\n";
    var objects = new[]
    {
        "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        "<< /Length " + text.Length + " >>\nstream\n" + text + "\nendstream", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    };
    var b = new StringBuilder("%PDF-1.4\n");
    var offsets = new List<int>();
    for (int i = 0; i < objects.Length; i++) { offsets.Add(b.Length); b.Append(i + 1).Append(" 0 obj\n").Append(objects[i]).Append("\nendobj\n"); }
    int xref = b.Length;
    b.Append("xref\n0 ").Append(objects.Length + 1).Append("\n0000000000 65535 f \n");
    foreach (var o in offsets) b.Append(o.ToString("D10", CultureInfo.InvariantCulture)).Append(" 00000 n \n");
    b.Append("trailer\n<< /Size ").Append(objects.Length + 1).Append(" /Root 1 0 R >>\nstartxref\n").Append(xref).Append("\n%%EOF\n");
    return Encoding.ASCII.GetBytes(b.ToString());
}

// An RGBA PNG drawn pixel by pixel (in a real system: the scanned signature and seal images, transparent background).
static byte[] Png(int width, int height, Func<int, int, (int R, int G, int B, int A)> pixel)
{
    var raw = new MemoryStream();
    for (int y = 0; y < height; y++)
    {
        raw.WriteByte(0);
        for (int x = 0; x < width; x++) { var (r, g, bl, a) = pixel(x, y); raw.Write(new[] { (byte)r, (byte)g, (byte)bl, (byte)a }); }
    }
    var z = new MemoryStream();
    using (var zs = new ZLibStream(z, CompressionLevel.Optimal, leaveOpen: true)) raw.WriteTo(zs);
    var png = new MemoryStream();
    png.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
    void Chunk(string type, byte[] data)
    {
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        uint c = 0xFFFFFFFF;
        foreach (var d in typed) { c ^= d; for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1; }
        png.Write(BigEndian((uint)data.Length)); png.Write(typed); png.Write(BigEndian(c ^ 0xFFFFFFFF));
    }
    Chunk("IHDR", BigEndian((uint)width).Concat(BigEndian((uint)height)).Concat(new byte[] { 8, 6, 0, 0, 0 }).ToArray());
    Chunk("IDAT", z.ToArray());
    Chunk("IEND", Array.Empty<byte>());
    return png.ToArray();
}

static byte[] BigEndian(uint v) => new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v };
