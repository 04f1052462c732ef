// Sample: sign a Word/Excel/PowerPoint file the way Microsoft Office does, then verify it.
//
//   dotnet run --project samples/VnGovSign.Samples.Ooxml -- IN.docx OUT.docx SIGNER.pfx PASSWORD ROOT.pem
//   dotnet run --project samples/VnGovSign.Samples.Ooxml            (no arguments: a test PKI and a small docx made here)
//
// Open OUT.docx in Word: File → Info → "View Signatures" shows the signature pane; the signature is
// valid once the signer's root CA is trusted by Windows.
using System.IO.Compression;
using System.Text;
using VnGovSign;
using VnGovSign.Formats.OpenXml;
using VnGovSign.Testing;
using VnGovSign.Trust;
using VnGovSign.Validation;

string input, output;
ISigner signer;
TrustStore trust;
if (args.Length == 5)
{
    (input, output) = (args[0], args[1]);
    signer = SoftwareSigner.FromPfx(args[2], args[3]);
    trust = TrustStore.Empty.WithFile(args[4]);
}
else
{
    var dir = Directory.CreateTempSubdirectory("vngovsign-ooxml-sample").FullName;
    var pki = TestPki.Create();                                   // a test PKI in the Ban Cơ yếu shape
    signer = pki.Leader.CreateSigner();
    trust = TrustStore.Empty.With(new[] { pki.Root.Certificate });
    input = Path.Combine(dir, "cong-van.docx");
    File.WriteAllBytes(input, SmallDocx("Công văn số 123/UBND-VP về việc triển khai chữ ký số."));
    output = Path.Combine(dir, "cong-van.signed.docx");
}

// 1. Sign: B-B by default; SignatureOptions sets the level, the hash, the clock and a timestamp client.
var ooxml = new OoxmlSigner(new SignatureOptions()) { Purpose = "Phê duyệt / Approval" };
await ooxml.SignAsync(input, output, signer);                    // the output is written whole or not at all
Console.WriteLine($"Signed: {output}");

// 2. Verify: every signature, every signed part, the certificate path (revocation off in this sample).
var validator = new OoxmlValidator(new CertificateValidator(trust, ValidationPolicy.Default with { Revocation = RevocationMode.None }));
var report = await validator.ValidateAsync(output);
Console.WriteLine(report.ToText(Messages.English));
return report.Indication == Indication.TotalPassed ? 0 : 1;

// The smallest Word document Word opens.
static byte[] SmallDocx(string text)
{
    using var ms = new MemoryStream();
    using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
    {
        void Add(string name, string xml)
        {
            using var s = zip.CreateEntry(name).Open();
            s.Write(new UTF8Encoding(false).GetBytes(xml));
        }
        Add("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>");
        Add("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>");
        Add("word/document.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">"
            + "<w:body><w:p><w:r><w:t>" + System.Security.SecurityElement.Escape(text) + "</w:t></w:r></w:p></w:body></w:document>");
    }
    return ms.ToArray();
}
