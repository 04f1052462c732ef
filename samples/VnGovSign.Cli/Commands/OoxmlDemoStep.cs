using System.IO.Compression;
using System.Text;
using VnGovSign.Formats.OpenXml;
using VnGovSign.IO;
using VnGovSign.Validation;

namespace VnGovSign.Cli.Commands;

/// <summary>Demo step: makes a small Word document in code, signs it the way Office does, and verifies it.</summary>
internal static class OoxmlDemoStep
{
    public static async Task<DemoCommand.DemoRow> RunAsync(DemoCommand.DemoContext demo)
    {
        var ctx = demo.Cli;
        var file = Path.Combine(demo.Directory, "ke-hoach.docx");
        await AtomicFile.WriteAllBytesAsync(file, MinimalDocx("Kế hoạch triển khai chữ ký số chuyên dùng năm 2027 — bản chính."), ctx.CancellationToken);
        using var signer = demo.Pki.Leader.CreateSigner();
        var signed = Path.Combine(demo.Directory, "ke-hoach.signed.docx");
        await new OoxmlSigner().SignAsync(file, signed, signer, ctx.CancellationToken);
        var report = await VerifyCommand.VerifyAsync(signed, null, demo.Validator, ctx);
        var sig = report.Signatures.FirstOrDefault();
        return new DemoCommand.DemoRow("OOXML B-B (.docx)", Path.GetFileName(signed),
            ValidationReport.EtsiName(report.Indication) + (sig is null || sig.SubIndication == SubIndication.None ? "" : "/" + ValidationReport.EtsiName(sig.SubIndication)),
            report.Indication != Indication.TotalFailed);
    }

    /// <summary>The smallest Word document Word opens: content types, one relationship, one paragraph.</summary>
    internal static byte[] MinimalDocx(string text)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, string xml)
            {
                using var s = zip.CreateEntry(name).Open();
                var b = new UTF8Encoding(false).GetBytes(xml);
                s.Write(b, 0, b.Length);
            }
            Add("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
                + "</Types>");
            Add("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
                + "</Relationships>");
            Add("word/document.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                + "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>"
                + System.Security.SecurityElement.Escape(text) + "</w:t></w:r></w:p></w:body></w:document>");
        }
        return ms.ToArray();
    }
}
