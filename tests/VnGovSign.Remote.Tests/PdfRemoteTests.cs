using System.Text;
using VnGovSign.Formats.Pdf;
using VnGovSign.Remote.Async;
using VnGovSign.Remote.Csc;
using VnGovSign.Tests;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Remote.Tests;

/// <summary>A PDF signed through each remote signer (two-phase for the phone), judged by pdfsig and by our validator.</summary>
public sealed class PdfRemoteTests : IDisposable
{
    private readonly RemoteServers _s = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("vgs-remote-pdf-").FullName;

    public void Dispose()
    {
        _s.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    /// <summary>A one-page PDF 1.4 with a classic cross-reference table.</summary>
    private static byte[] OnePagePdf()
    {
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            null,
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        };
        var content = "BT /F1 14 Tf 72 760 Td (Cong van so 12/UBND-VP) Tj ET\n";
        objects[3] = "<< /Length " + content.Length + " >>\nstream\n" + content + "endstream";
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (int i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(i + 1).Append(" 0 obj\n").Append(objects[i]).Append("\nendobj\n");
        }
        int xref = pdf.Length;
        pdf.Append("xref\n0 ").Append(objects.Length + 1).Append("\n0000000000 65535 f \n");
        foreach (var o in offsets) pdf.Append(o.ToString("D10", System.Globalization.CultureInfo.InvariantCulture)).Append(" 00000 n \n");
        pdf.Append("trailer\n<< /Size ").Append(objects.Length + 1).Append(" /Root 1 0 R >>\nstartxref\n").Append(xref).Append("\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    private string Pdfsig(string path)
    {
        var nss = Path.Combine(_dir, "nss");
        if (!Directory.Exists(nss))
        {
            Directory.CreateDirectory(nss);
            var root = Path.Combine(_dir, "root.pem");
            File.WriteAllText(root, CertificateFiles.ToPem(SharedPki.Pki.Root.Certificate.RawData));
            Assert.Equal(0, ExternalTool.Run("certutil", "-N", "--empty-password", "-d", nss).ExitCode);
            Assert.Equal(0, ExternalTool.Run("certutil", "-A", "-d", nss, "-n", "root", "-t", "CT,C,C", "-i", root).ExitCode);
        }
        return ExternalTool.Run("pdfsig", "-nssdir", nss, "-no-ocsp", path).All;
    }

    private static async Task<ValidationReport> Validate(string path) =>
        await new PadesValidator(new CertificateValidator(TrustStore.Empty.With(new[] { SharedPki.Pki.Root.Certificate }),
            ValidationPolicy.Default with { Revocation = RevocationMode.None, ValidationTime = SharedPki.Now }), new FixedClock(SharedPki.Now))
            .ValidateAsync(path);

    [Fact]
    public async Task A_pdf_prepared_then_confirmed_on_the_phone_then_completed_verifies_with_pdfsig()
    {
        var input = OnePagePdf();
        var scratchPath = Path.Combine(_dir, "cong-van.signing.pdf");
        _s.Async.ConfirmationDelay = TimeSpan.FromMilliseconds(300);
        using var signer = await RemoteAsyncSigner.ConnectAsync(new RemoteAsyncSignerOptions(_s.AsyncUrl, "leader")
        {
            InitialPollInterval = TimeSpan.FromMilliseconds(100), // real time, short: a few polls
            Timeout = TimeSpan.FromSeconds(30),
        });
        var pades = new PadesSigner(CmsCheck.Options);
        PreparedPdfSignature prepared;
        using (var scratch = File.Create(scratchPath))
            prepared = await pades.PrepareAsync(new MemoryStream(input), scratch, signer.Certificate, signer.Chain, signer.KeyAlgorithm,
                new PdfSignatureParameters { Reason = "Ký ban hành" });
        var state = prepared.Serialize();
        var transaction = await signer.SubmitAsync(new[] { prepared.Digest }, prepared.Hash, prepared.Padding);
        var values = await signer.WaitForSignaturesAsync(transaction);
        using (var scratch = File.Open(scratchPath, FileMode.Open, FileAccess.ReadWrite))
            await pades.CompleteAsync(scratch, PreparedPdfSignature.Deserialize(state), Assert.Single(values));

        Assert.Equal(input, File.ReadAllBytes(scratchPath).AsSpan(0, input.Length).ToArray()); // incremental: the original is a prefix
        var pdfsig = Pdfsig(scratchPath);
        Assert.Contains("Signature is Valid.", pdfsig);
        Assert.Equal(Indication.TotalPassed, (await Validate(scratchPath)).Indication);
    }

    [Fact]
    public async Task A_pdf_signed_through_CSC_verifies_with_pdfsig()
    {
        var path = Path.Combine(_dir, "to-trinh.pdf");
        using var signer = await CscSigner.ConnectAsync(new CscClientOptions(_s.CscUrl) { ClientId = "vngovsign-test", ClientSecret = "test-secret" },
            "org", new CscSignerOptions { Pin = SharedPki.Pin });
        using (var output = File.Create(path))
            await new PadesSigner(CmsCheck.Options).SignAsync(new MemoryStream(OnePagePdf()), output, signer);
        var pdfsig = Pdfsig(path);
        Assert.Contains("Signature is Valid.", pdfsig);
        Assert.Equal(Indication.TotalPassed, (await Validate(path)).Indication);
        // A changed byte inside the signed range is caught by both.
        var bytes = File.ReadAllBytes(path);
        int i = Encoding.ASCII.GetString(bytes).IndexOf("Cong van", StringComparison.Ordinal);
        bytes[i] ^= 1;
        var tampered = Path.Combine(_dir, "tampered.pdf");
        File.WriteAllBytes(tampered, bytes);
        Assert.DoesNotContain("Signature is Valid.", Pdfsig(tampered));
        Assert.Equal(Indication.TotalFailed, (await Validate(tampered)).Indication);
    }
}
