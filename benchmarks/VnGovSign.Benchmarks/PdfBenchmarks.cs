using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BenchmarkDotNet.Attributes;
using VnGovSign.Formats.Pdf;
using VnGovSign.Testing;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Benchmarks;

/// <summary>
/// PAdES B-B signing (file to file, incremental update) and validation of 100 KB, 10 MB and 200 MB PDFs (a
/// scanned-page shape: one large image), beside the baseline the issue names, SHA-256 of the same file read
/// from disk plus one raw RSA-2048 sign, in the same run. Extra baselines show where the time goes: SHA-256
/// alone, RSA alone, and File.Copy of the file (what writing the output costs: a signature by incremental
/// update writes every byte of the input again). Allocated bytes show whether the file is streamed; the peak
/// working set is measured by <c>benchmarks/pdf-peak-rss.sh</c> (the CLI under <c>/usr/bin/time -v</c>).
/// </summary>
[MemoryDiagnoser]
public class PdfBenchmarks
{
    private string _dir = "";
    private string _input = "";
    private string _signed = "";
    private SoftwareSigner _signer = null!;
    private RSA _rsa = null!;
    private byte[] _digest = Array.Empty<byte>();
    private PadesValidator _validator = null!;
    private int _n, _c;

    /// <summary>Size of the generated PDF in bytes: 100 KB, 10 MB, 200 MB.</summary>
    [Params(100 << 10, 10 << 20, 200 << 20)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "vngovsign-pdf-bench-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(_dir);
        _input = Path.Combine(_dir, "in.pdf");
        WriteLargePdf(_input, Size);
        var pki = TestPki.Create(new TestPkiOptions { Seed = 7, Now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) });
        _signer = pki.Leader.CreateSigner();
        var pfx = pki.Leader.ExportPfx("b");
        using (var cert = X509CertificateLoader.LoadPkcs12(pfx, "b")) _rsa = cert.GetRSAPrivateKey()!;
        _digest = SHA256.HashData(Encoding.ASCII.GetBytes("digest"));
        _signed = Path.Combine(_dir, "signed.pdf");
        new PadesSigner().SignAsync(_input, _signed, _signer).GetAwaiter().GetResult();
        _validator = new PadesValidator(new CertificateValidator(TrustStore.Empty.With(new[] { pki.Root.Certificate }),
            ValidationPolicy.Default with { Revocation = RevocationMode.None }));
        var check = _validator.ValidateAsync(_signed).GetAwaiter().GetResult();
        if (check.Indication != Indication.TotalPassed) throw new InvalidOperationException("the benchmark's signed PDF does not validate");
        Console.WriteLine($"// PDF {Size:N0}: input {new FileInfo(_input).Length:N0} bytes, signed {new FileInfo(_signed).Length:N0} bytes");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _signer.Dispose();
        _rsa.Dispose();
        Directory.Delete(_dir, true);
    }

    [Benchmark(Baseline = true, Description = "baseline: SHA-256 of the file + one RSA-2048 sign")]
    public byte[] Sha256AndRsaSign()
    {
        byte[] digest;
        using (var fs = new FileStream(_input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16)) digest = SHA256.HashData(fs);
        return _rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    [Benchmark(Description = "SHA-256 of the file (streamed from disk)")]
    public byte[] Sha256OfFile()
    {
        using var fs = new FileStream(_input, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return SHA256.HashData(fs);
    }

    [Benchmark(Description = "raw RSA-2048 sign of one digest")]
    public byte[] RawRsaSign() => _rsa.SignHash(_digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "File.Copy of the file (overwriting, like the signer)")]
    public void FileCopy() =>
        File.Copy(_input, Path.Combine(_dir, "copy" + (_c++ % 2).ToString(CultureInfo.InvariantCulture) + ".pdf"), overwrite: true);

    [Benchmark(Description = "PAdES B-B sign, file to file")]
    public async Task SignBaselineB()
    {
        var output = Path.Combine(_dir, "out" + (_n++ % 2).ToString(CultureInfo.InvariantCulture) + ".pdf");
        await new PadesSigner().SignAsync(_input, output, _signer);
    }

    [Benchmark(Description = "PAdES validate (revocation off)")]
    public Task<ValidationReport> Validate() => _validator.ValidateAsync(_signed);

    /// <summary>A one-page PDF of about <paramref name="bytes"/> bytes: one uncompressed grey image over the page.</summary>
    internal static void WriteLargePdf(string path, long bytes)
    {
        int width = 2000, height = (int)Math.Max(1, bytes / width);
        long length = (long)width * height;
        using var fs = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var offsets = new long[7];
        void W(string s) { var b = Encoding.Latin1.GetBytes(s); fs.Write(b, 0, b.Length); }
        W("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        offsets[1] = fs.Position; W("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        offsets[2] = fs.Position; W("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
        offsets[3] = fs.Position; W("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> /Font << /F1 6 0 R >> >> /Contents 4 0 R >>\nendobj\n");
        var content = "q 595 0 0 842 0 0 cm /Im1 Do Q\nBT /F1 14 Tf 72 760 Td (trang 1) Tj ET\n";
        offsets[4] = fs.Position; W("4 0 obj\n<< /Length " + content.Length + " >>\nstream\n" + content + "\nendstream\nendobj\n");
        offsets[5] = fs.Position; W("5 0 obj\n<< /Type /XObject /Subtype /Image /Width " + width + " /Height " + height + " /ColorSpace /DeviceGray /BitsPerComponent 8 /Length " + length + " >>\nstream\n");
        var row = new byte[1 << 16];
        new Random(3).NextBytes(row);
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
}
