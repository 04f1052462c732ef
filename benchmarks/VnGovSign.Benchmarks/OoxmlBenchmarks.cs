using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using VnGovSign.Formats.OpenXml;
using VnGovSign.Testing;
using VnGovSign.Trust;
using VnGovSign.Validation;
using S = DocumentFormat.OpenXml.Spreadsheet;
using W = DocumentFormat.OpenXml.Wordprocessing;

namespace VnGovSign.Benchmarks;

/// <summary>
/// OOXML package signatures (ECMA-376 Part 2 + XAdES B-B, file to file) and their validation for a
/// ~50 KB .docx (text, styles, one image) and a ~20 MB .xlsx (one large worksheet of numbers and
/// text, written with DocumentFormat.OpenXml), beside two hashing baselines in the same run: SHA-256 of
/// the file as it lies on disk, and SHA-256 of every part after unzipping (what any package signature
/// must at least do). Revocation off: this measures the format, not the network.
/// </summary>
[MemoryDiagnoser]
public class OoxmlBenchmarks
{
    private string _dir = "";
    private string _input = "";
    private string _signed = "";
    private SoftwareSigner _signer = null!;
    private OoxmlValidator _validator = null!;
    private int _n;

    /// <summary>Which file: a 50 KB Word document or a 20 MB Excel workbook.</summary>
    [Params("docx-50KB", "xlsx-20MB")]
    public string File { get; set; } = "docx-50KB";

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "vngovsign-ooxml-bench-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(_dir);
        _input = Path.Combine(_dir, File.StartsWith("docx", StringComparison.Ordinal) ? "in.docx" : "in.xlsx");
        if (File.StartsWith("docx", StringComparison.Ordinal)) WriteDocx(_input, 50 << 10);
        else WriteXlsx(_input, 20 << 20);
        var pki = TestPki.Create(new TestPkiOptions { Seed = 7, Now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) });
        _signer = pki.Leader.CreateSigner();
        _signed = Path.Combine(_dir, "signed" + Path.GetExtension(_input));
        new OoxmlSigner().SignAsync(_input, _signed, _signer).GetAwaiter().GetResult();
        _validator = new OoxmlValidator(new CertificateValidator(TrustStore.Empty.With(new[] { pki.Root.Certificate }),
            ValidationPolicy.Default with { Revocation = RevocationMode.None }));
        var check = _validator.ValidateAsync(_signed).GetAwaiter().GetResult();
        if (check.Indication != Indication.TotalPassed) throw new InvalidOperationException("the benchmark's signed package does not validate");
        Console.WriteLine($"// {File}: input {new FileInfo(_input).Length:N0} bytes, signed {new FileInfo(_signed).Length:N0} bytes");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _signer.Dispose();
        Directory.Delete(_dir, true);
    }

    [Benchmark(Baseline = true, Description = "SHA-256 of the file (streamed from disk)")]
    public byte[] Sha256OfFile()
    {
        using var fs = new FileStream(_input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return SHA256.HashData(fs);
    }

    [Benchmark(Description = "SHA-256 of every part, unzipped")]
    public int Sha256OfEveryPart()
    {
        using var zip = ZipFile.OpenRead(_input);
        int n = 0;
        foreach (var e in zip.Entries)
        {
            using var s = e.Open();
            n += SHA256.HashData(s)[0];
        }
        return n;
    }

    [Benchmark(Description = "OOXML B-B sign, file to file")]
    public async Task Sign()
    {
        var output = Path.Combine(_dir, "out" + (_n++ % 2).ToString(CultureInfo.InvariantCulture) + Path.GetExtension(_input));
        await new OoxmlSigner().SignAsync(_input, output, _signer);
    }

    [Benchmark(Description = "OOXML validate (revocation off)")]
    public Task<ValidationReport> Validate() => _validator.ValidateAsync(_signed);

    /// <summary>A Word document of about <paramref name="bytes"/> bytes: paragraphs of Vietnamese text, styles, one incompressible image.</summary>
    private static void WriteDocx(string path, int bytes)
    {
        using (var doc = WordprocessingDocument.Create(path, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            var body = new W.Body();
            for (int i = 0; i < 200; i++)
                body.Append(new W.Paragraph(new W.Run(new W.Text($"Điều {i + 1}. Ủy ban nhân dân tỉnh triển khai kế hoạch chữ ký số chuyên dùng năm 2027."))));
            main.Document = new W.Document(body);
            var styles = main.AddNewPart<StyleDefinitionsPart>();
            styles.Styles = new W.Styles(new W.Style(new W.StyleName { Val = "Normal" }) { Type = W.StyleValues.Paragraph, StyleId = "Normal", Default = true });
            var image = main.AddImagePart(ImagePartType.Png);
            image.FeedData(new MemoryStream(Random(Math.Max(1024, bytes - 8 * 1024)))); // text and styles compress to ~8 KB
            doc.PackageProperties.Title = "Kế hoạch 2027";
        }
    }

    /// <summary>An Excel workbook of about <paramref name="bytes"/> bytes (compressed): rows of numbers, dates and inline text.</summary>
    private static void WriteXlsx(string path, long bytes)
    {
        var rng = new Random(20261203);
        using (var doc = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new S.Workbook(new S.Sheets(new S.Sheet { Name = "Dự toán", SheetId = 1, Id = "rIdSheet1" }));
            var ws = wb.AddNewPart<WorksheetPart>("rIdSheet1");
            using (var w = OpenXmlWriter.Create(ws))
            {
                w.WriteStartElement(new S.Worksheet());
                w.WriteStartElement(new S.SheetData());
                // About 6.6 compressed bytes per cell for these values (measured: 1/11 of the target gave 12.6 MB
                // instead of 20 MB): rows until the target size.
                long cells = bytes * 10 / 66;
                for (uint r = 1; r <= cells / 6; r++)
                {
                    w.WriteStartElement(new S.Row { RowIndex = r });
                    for (int c = 0; c < 5; c++)
                        w.WriteElement(new S.Cell { DataType = S.CellValues.Number, CellValue = new S.CellValue(rng.Next(0, 1_000_000_000).ToString(CultureInfo.InvariantCulture)) });
                    w.WriteElement(new S.Cell { DataType = S.CellValues.InlineString, InlineString = new S.InlineString(new S.Text("Mục " + rng.Next(0, 100_000).ToString(CultureInfo.InvariantCulture))) });
                    w.WriteEndElement();
                }
                w.WriteEndElement();
                w.WriteEndElement();
            }
            doc.PackageProperties.Title = "Dự toán ngân sách 2027";
        }
    }

    private static byte[] Random(int n)
    {
        var b = new byte[n];
        new Random(42).NextBytes(b);
        return b;
    }
}
