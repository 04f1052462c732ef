using System.Globalization;
using System.Text;
using System.Text.Json;
using VnGovSign.Testing;
using VnGovSign.Validation;

namespace VnGovSign.Formats.Pdf.Tests;

/// <summary>The validator: integrity, what is covered, what changed later, and the report shape of the contract.</summary>
[Collection("pdf")]
public sealed class ValidatorTests
{
    private readonly PdfFixture _f;
    public ValidatorTests(PdfFixture f) => _f = f;

    [Fact]
    public async Task A_changed_byte_inside_the_signed_range_is_HASH_FAILURE()
    {
        var signed = await _f.SignAsync(PdfFiles.Classic(1), _f.Pki.Leader);
        Assert.Equal(Indication.TotalPassed, (await _f.ValidateAsync(signed)).Indication);
        int at = PdfFiles.IndexOf(signed, "trang 1");
        signed[at] ^= 0x01;
        var r = await _f.ValidateAsync(signed);
        Assert.Equal(Indication.TotalFailed, r.Indication);
        Assert.Equal(SubIndication.HashFailure, r.Signatures[0].SubIndication);
        Assert.DoesNotContain("Signature is Valid", _f.Pdfsig(signed)); // pdfsig agrees
    }

    [Fact]
    public async Task Only_the_signature_whose_range_holds_the_change_fails()
    {
        var one = await _f.SignAsync(PdfFiles.Classic(1), _f.Pki.Leader);
        var two = await _f.SignAsync(one, _f.Pki.Organization);
        // A byte of the second revision (after the first signature's range): the first signature stays intact.
        int at = PdfFiles.IndexOf(two, "/Type /Annot", one.Length);
        two[at + 2] ^= 0x01;
        var r = await _f.ValidateAsync(two);
        Assert.NotEqual(SubIndication.HashFailure, r.Signatures[0].SubIndication);
        Assert.Equal(SubIndication.HashFailure, r.Signatures[1].SubIndication);
    }

    [Fact]
    public async Task Bytes_appended_after_the_last_signature_are_reported_in_modifications()
    {
        var signed = await _f.SignAsync(PdfFiles.Classic(1), _f.Pki.Leader);
        var appended = PdfFiles.Concat(signed, Encoding.ASCII.GetBytes("\n9 0 obj\n<< /Evil true >>\nendobj\n"));
        var r = await _f.ValidateAsync(appended);
        Assert.NotEqual(Indication.TotalPassed, r.Indication);
        var s = r.Signatures[0];
        Assert.False((bool)s.Details["coversWholeDocument"]!);
        Assert.True((bool)s.Details["modifiedAfterSigning"]!);
        Assert.NotEmpty((IEnumerable<string>)s.Details["modifications"]!);
    }

    [Fact]
    public async Task A_later_revision_changing_page_content_is_a_modification()
    {
        var signed = await _f.SignAsync(PdfFiles.Classic(1), _f.Pki.Leader);
        var changed = PdfFiles.AppendContentChange(signed);
        var r = await _f.ValidateAsync(changed);
        var s = r.Signatures[0];
        Assert.Equal(Indication.TotalFailed, s.Indication);
        Assert.True((bool)s.Details["modifiedAfterSigning"]!);
        var mods = ((IEnumerable<string>)s.Details["modifications"]!).ToList();
        Assert.Contains(mods, m => m.Contains("object 4", StringComparison.Ordinal));

        // JSON of the contract: the fields scripts read.
        using var json = JsonDocument.Parse(r.ToJson(CultureInfo.InvariantCulture));
        var sig = json.RootElement.GetProperty("signatures")[0];
        Assert.Equal("TOTAL_FAILED", json.RootElement.GetProperty("indication").GetString());
        Assert.False(sig.GetProperty("coversWholeDocument").GetBoolean());
        Assert.True(sig.GetProperty("modifiedAfterSigning").GetBoolean());
        Assert.True(sig.GetProperty("modifications").GetArrayLength() > 0);
    }

    [Fact]
    public async Task ByteRange_that_skips_more_than_Contents_is_a_format_failure()
    {
        var signed = await _f.SignAsync(PdfFiles.Classic(1), _f.Pki.Leader);
        var text = Encoding.Latin1.GetString(signed);
        var m = System.Text.RegularExpressions.Regex.Match(text, @"/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]");
        long b = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        // Shorten the first segment by ten bytes (same width, so nothing else moves).
        var fake = "/ByteRange [0 " + (b - 10) + " " + m.Groups[2].Value + " " + m.Groups[3].Value;
        fake = fake.PadRight(m.Length - 1) + "]";
        var bytes = Encoding.Latin1.GetBytes(text.Substring(0, m.Index) + fake + text.Substring(m.Index + m.Length));
        var r = await _f.ValidateAsync(bytes);
        Assert.Equal(Indication.TotalFailed, r.Indication);
        Assert.Equal(SubIndication.FormatFailure, r.Signatures[0].SubIndication);
    }

    [Fact]
    public async Task Unsigned_pdf_has_no_signatures_and_is_not_passed()
    {
        var r = await _f.ValidateAsync(PdfFiles.Classic(1));
        Assert.Empty(r.Signatures);
        Assert.NotEqual(Indication.TotalPassed, r.Indication);
    }

    [Fact]
    public async Task Leaf_only_CMS_is_completed_from_the_trust_store()
    {
        // Some tools embed only the signer's certificate: the sub-CA comes from the trust store's intermediates.
        using var full = _f.Pki.Leader.CreateSigner();
        using var leafOnly = new SoftwareSigner(full.Certificate, Array.Empty<System.Security.Cryptography.X509Certificates.X509Certificate2>());
        var output = new MemoryStream();
        await new PadesSigner().SignAsync(new MemoryStream(PdfFiles.Classic(1)), output, leafOnly);
        var signed = output.ToArray();
        var cms = VnGovSign.Cms.CmsSignature.Parse(Parsing.PdfSignatureInfo.Find(Parsing.PdfFile.Open(new MemoryStream(signed), "l")).Single().Contents, "l");
        Assert.Single(cms.Certificates);
        var trust = _f.Trust.WithIntermediates(full.Chain.Where(c => c.Subject != c.Issuer));
        var policy = ValidationPolicy.Default with { Revocation = RevocationMode.None, FetchMissingIssuers = false };
        var r = await new PadesValidator(new CertificateValidator(trust, policy)).ValidateAsync(new MemoryStream(signed), "leaf.pdf");
        Assert.True(r.Indication == Indication.TotalPassed, r.ToText(CultureInfo.InvariantCulture));
        var without = await new PadesValidator(new CertificateValidator(_f.Trust, policy)).ValidateAsync(new MemoryStream(signed), "leaf.pdf");
        Assert.NotEqual(Indication.TotalPassed, without.Indication);
    }

    [Fact]
    public async Task Revoked_signer_is_REVOKED()
    {
        var signed = await _f.SignAsync(PdfFiles.Classic(1), _f.Pki.Revoked);
        var r = await _f.ValidateAsync(signed);
        Assert.Equal(SubIndication.Revoked, r.Signatures[0].SubIndication);
    }

    [Fact]
    public async Task B_LT_validates_offline_from_the_DSS()
    {
        // Hard-fail, no network: only the embedded OCSP responses and CRLs can answer.
        var hardOffline = new PadesValidator(new CertificateValidator(_f.Trust, ValidationPolicy.HardFail with { Revocation = RevocationMode.Offline }));
        var lt = await _f.SignAsync(PdfFiles.Classic(1), _f.Pki.Leader, SignatureLevel.BaselineLT);
        var r = await hardOffline.ValidateAsync(new MemoryStream(lt), "lt.pdf");
        Assert.True(r.Indication == Indication.TotalPassed, r.ToText(CultureInfo.InvariantCulture));
        Assert.Equal("B-LT", r.Signatures[0].Level);

        var bt = await _f.SignAsync(PdfFiles.Classic(1), _f.Pki.Leader, SignatureLevel.BaselineT);
        var r2 = await hardOffline.ValidateAsync(new MemoryStream(bt), "bt.pdf");
        Assert.Equal(Indication.Indeterminate, r2.Indication);
    }
}

/// <summary>A B-B signature with a fixed clock and a fixed key is byte-for-byte stable.</summary>
public sealed class GoldenTests
{
    private sealed class FixedClock : TimeProvider
    {
        private readonly DateTimeOffset _now;
        public FixedClock(DateTimeOffset now) => _now = now;
        public override DateTimeOffset GetUtcNow() => _now;
    }

    [Fact]
    public async Task B_B_signature_matches_the_golden_file()
    {
        var now = new DateTimeOffset(2026, 11, 2, 3, 4, 5, TimeSpan.Zero);
        var pki = TestPki.Create(new TestPkiOptions { Seed = 20261102, Now = now });
        using var signer = pki.Leader.CreateSigner();
        var output = new MemoryStream();
        await new PadesSigner(new SignatureOptions { Clock = new FixedClock(now) })
            .SignAsync(new MemoryStream(PdfFiles.Classic(1)), output, signer, new PdfSignatureParameters { Reason = "Phê duyệt", Location = "Tây Ninh" });
        var signed = output.ToArray();
        Assert.Contains("/M (D:20261102100405+07'00')", Encoding.Latin1.GetString(signed));
        VnGovSign.Tests.GoldenFile.VerifyBytes(signed, "pades-bb", "pdf");
    }
}
