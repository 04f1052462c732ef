using System.Globalization;
using System.Text;
using VnGovSign.Formats.Pdf.Appearance;
using VnGovSign.Formats.Pdf.Parsing;
using VnGovSign.Validation;
using PdfNumber = VnGovSign.Formats.Pdf.Parsing.PdfNumber;

namespace VnGovSign.Formats.Pdf.Tests;

/// <summary>Signing by incremental update: every level, every input shape, several signatures; pdfsig and qpdf judge each output.</summary>
[Collection("pdf")]
public sealed class SigningTests
{
    private readonly PdfFixture _f;
    public SigningTests(PdfFixture f) => _f = f;

    private static string Text(ValidationReport r) => r.ToText(CultureInfo.InvariantCulture);

    private void IndependentlyValid(byte[] pdf, int cadesSignatures, int? totalSignatures = null)
    {
        var q = _f.Qpdf(pdf);
        Assert.True(q.ExitCode == 0, "qpdf --check: " + q.All);
        var s = _f.Pdfsig(pdf);
        Assert.Equal(totalSignatures ?? cadesSignatures, PdfFixture.Count(s, "Signature #"));
        Assert.Equal(cadesSignatures, PdfFixture.Count(s, "Signature Type: ETSI.CAdES.detached"));
        Assert.True(PdfFixture.Count(s, "Signature Validation: Signature is Valid") >= cadesSignatures, s);
    }

    [Theory]
    [InlineData("B-B")]
    [InlineData("B-T")]
    [InlineData("B-LT")]
    [InlineData("B-LTA")]
    public async Task Each_level_validates_in_pdfsig_qpdf_and_ours(string levelName)
    {
        var level = SignatureLevels.Parse(levelName);
        var signed = await _f.SignAsync(PdfFiles.Classic(2), _f.Pki.Leader, level);
        IndependentlyValid(signed, 1, level == SignatureLevel.BaselineLTA ? 2 : 1);
        var report = await _f.ValidateAsync(signed);
        Assert.True(report.Indication == Indication.TotalPassed, Text(report));
        var sig = report.Signatures[0];
        Assert.Equal(levelName, sig.Level);
        Assert.Equal("PAdES", sig.Format);
        var text = Encoding.Latin1.GetString(signed);
        Assert.Contains("/SubFilter /ETSI.CAdES.detached", text);
        Assert.Matches(@"/M \(D:\d{14}\+07'00'\)", text);
        Assert.Equal(level >= SignatureLevel.BaselineLT, text.Contains("/DSS", StringComparison.Ordinal));
        if (level >= SignatureLevel.BaselineLT)
        {
            var dss = PdfFile.Open(new MemoryStream(signed), "x").ResolveDictionary(PdfFile.Open(new MemoryStream(signed), "x").Catalog["DSS"])!;
            Assert.NotNull(dss["Certs"]);
            Assert.NotNull(dss["OCSPs"] ?? dss["CRLs"]);
        }
        if (level == SignatureLevel.BaselineLTA)
        {
            Assert.Contains("/SubFilter /ETSI.RFC3161", text);
            Assert.Equal("DocTimeStamp", report.Signatures[1].Level);
            Assert.True((bool)report.Signatures[1].Details["coversWholeDocument"]!);
        }
    }

    public static TheoryData<string> Shapes => new() { "pdf14-table", "pdf17-objstm", "hybrid", "acroform-empty-field", "300-pages", "scanned-20MB", "already-signed" };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Every_input_shape_signs_and_passes_qpdf_pdfsig_and_ours(string shape)
    {
        byte[] input = shape switch
        {
            "pdf14-table" => PdfFiles.Classic(2),
            "pdf17-objstm" => PdfFiles.ObjectStreams(3),
            "hybrid" => PdfFiles.ObjectStreams(2, hybrid: true),
            "acroform-empty-field" => PdfFiles.WithEmptySignatureField("Empty1"),
            "300-pages" => PdfFiles.Classic(300),
            "scanned-20MB" => Large(),
            _ => await _f.SignAsync(PdfFiles.Classic(1), _f.Pki.Organization),
        };
        int before = shape == "already-signed" ? 1 : 0;
        var signed = await _f.SignAsync(input, _f.Pki.Leader);
        IndependentlyValid(signed, before + 1, shape == "acroform-empty-field" ? 2 : null); // pdfsig also lists the unsigned field
        Assert.Contains("Total document signed", _f.Pdfsig(signed));
        var r = await _f.ValidateAsync(signed);
        Assert.True(r.Indication == Indication.TotalPassed, Text(r));
        Assert.True((bool)r.Signatures[^1].Details["coversWholeDocument"]!);

        byte[] Large()
        {
            var path = _f.Temp("scan.pdf");
            PdfFiles.WriteLarge(path, 20L << 20);
            return File.ReadAllBytes(path);
        }
    }

    [Fact]
    public async Task Writer_appends_a_revision_with_Prev_in_the_files_own_xref_style()
    {
        var classic = PdfFiles.Classic(1);
        var a = await _f.SignAsync(classic, _f.Pki.Leader);
        var fa = PdfFile.Open(new MemoryStream(a), "a");
        var fc = PdfFile.Open(new MemoryStream(classic), "c");
        Assert.False(fa.LastSectionIsStream);
        Assert.Equal(fc.LastXrefOffset, ((PdfNumber)fa.Trailer["Prev"]!).LongValue);
        Assert.Equal(2, fa.Sections.Count);

        var objStm = PdfFiles.ObjectStreams(1);
        var b = await _f.SignAsync(objStm, _f.Pki.Leader);
        var fb = PdfFile.Open(new MemoryStream(b), "b");
        Assert.True(fb.LastSectionIsStream);
        Assert.Equal(PdfFile.Open(new MemoryStream(objStm), "o").LastXrefOffset, ((PdfNumber)fb.Trailer["Prev"]!).LongValue);
        IndependentlyValid(b, 1);
        Assert.Equal(Indication.TotalPassed, (await _f.ValidateAsync(b)).Indication);
    }

    [Fact]
    public async Task Hybrid_input_signs_and_validates()
    {
        var signed = await _f.SignAsync(PdfFiles.ObjectStreams(2, hybrid: true), _f.Pki.Leader);
        IndependentlyValid(signed, 1);
        Assert.Equal(Indication.TotalPassed, (await _f.ValidateAsync(signed)).Indication);
    }

    [Fact]
    public async Task Leader_then_organisation_then_document_timestamp_keeps_every_signature_valid()
    {
        var leader = await _f.SignAsync(PdfFiles.Classic(1), _f.Pki.Leader, SignatureLevel.BaselineT,
            new PdfSignatureParameters { Appearance = new LeaderAppearance(PdfFiles.Image(false), 1, new PdfRect(330, 180, 170, 60)) });
        var issued = await _f.SignAsync(leader, _f.Pki.Organization, SignatureLevel.BaselineLT,
            new PdfSignatureParameters { Appearance = new OrganizationAppearance(PdfFiles.Image(true)) });
        var output = new MemoryStream();
        await _f.Extender(SignatureLevel.BaselineLTA).ExtendAsync(new MemoryStream(issued), output, SignatureLevel.BaselineLTA);
        var lta = output.ToArray();
        Assert.Equal(issued, lta.AsSpan(0, issued.Length).ToArray());
        IndependentlyValid(lta, 2, 3);

        var report = await _f.ValidateAsync(lta);
        Assert.True(report.Indication == Indication.TotalPassed, Text(report));
        Assert.Equal(3, report.Signatures.Count);
        Assert.All(report.Signatures, s => Assert.False((bool)s.Details["modifiedAfterSigning"]!));
        Assert.Equal("B-LTA", report.Signatures[0].Level);
        Assert.Equal("B-LTA", report.Signatures[1].Level);

        // The seal sits over the left third of the leader's signature (Decree 30).
        var f = PdfFile.Open(new MemoryStream(lta), "lta");
        var rects = f.Fields().Where(x => x.Type == "Sig" && x.Field["V"] is not null)
            .Select(x => ((PdfArray)f.Resolve(x.Field["Rect"])!).Items.Select(n => ((PdfNumber)n).Value).ToArray()).ToList();
        var l = rects[0]; var o = rects[1];
        Assert.True(o[2] > l[0] && o[0] < l[0] + (l[2] - l[0]) / 3, "seal " + string.Join(",", o) + " leader " + string.Join(",", l));
    }

    [Fact]
    public async Task Certification_P1_refuses_a_later_signature_and_P2_allows_one()
    {
        var p1 = await _f.SignAsync(PdfFiles.Classic(1), _f.Pki.Leader, p: new PdfSignatureParameters { Certification = DocMdpPermissions.NoChanges });
        Assert.Contains("/DocMDP", Encoding.Latin1.GetString(p1));
        IndependentlyValid(p1, 1);
        var certified = await _f.ValidateAsync(p1);
        Assert.Equal(1, certified.Signatures[0].Details["certification"]);
        await Assert.ThrowsAsync<SigningException>(() => _f.SignAsync(p1, _f.Pki.Organization));

        var p2 = await _f.SignAsync(PdfFiles.Classic(1), _f.Pki.Leader, p: new PdfSignatureParameters { Certification = DocMdpPermissions.FormFilling });
        var two = await _f.SignAsync(p2, _f.Pki.Organization);
        IndependentlyValid(two, 2);
        Assert.Equal(Indication.TotalPassed, (await _f.ValidateAsync(two)).Indication);

        // A certification signature must be the first one.
        await Assert.ThrowsAsync<SigningException>(() => _f.SignAsync(two, _f.Pki.Leader, p: new PdfSignatureParameters { Certification = DocMdpPermissions.FormFilling }));
    }

    [Fact]
    public async Task An_existing_empty_signature_field_is_signed_in_place()
    {
        var pdf = PdfFiles.WithEmptySignatureField("ChuKyLanhDao");
        Assert.Equal(0, _f.Qpdf(pdf).ExitCode);
        var signed = await _f.SignAsync(pdf, _f.Pki.Leader, p: new PdfSignatureParameters { FieldName = "ChuKyLanhDao" });
        var f = PdfFile.Open(new MemoryStream(signed), "s");
        var field = Assert.Single(f.Fields());
        Assert.Equal("ChuKyLanhDao", field.Name);
        Assert.NotNull(field.Field["V"]);
        IndependentlyValid(signed, 1);
        var r = await _f.ValidateAsync(signed);
        Assert.Equal("ChuKyLanhDao", r.Signatures[0].Id);
        Assert.Equal(Indication.TotalPassed, r.Indication);
        await Assert.ThrowsAsync<InvalidInputException>(() => _f.SignAsync(signed, _f.Pki.Organization, p: new PdfSignatureParameters { FieldName = "ChuKyLanhDao" }));
    }

    [Fact]
    public async Task Attachment_stamp_and_invisible_signature()
    {
        var stamp = await _f.SignAsync(PdfFiles.Classic(2), _f.Pki.Organization,
            p: new PdfSignatureParameters { Appearance = new AttachmentAppearance("Số: 12/QĐ-UBND") });
        IndependentlyValid(stamp, 1);
        var none = await _f.SignAsync(PdfFiles.Classic(1), _f.Pki.Leader, p: new PdfSignatureParameters { Appearance = PdfSignatureAppearance.None });
        IndependentlyValid(none, 1);
        var f = PdfFile.Open(new MemoryStream(none), "n");
        var rect = (PdfArray)f.Resolve(f.Fields()[0].Field["Rect"])!;
        Assert.All(rect.Items, n => Assert.Equal(0, ((PdfNumber)n).Value));
    }

    [Fact]
    public async Task Page_out_of_range_is_a_clear_input_error_and_writes_nothing()
    {
        var input = _f.Write(PdfFiles.Classic(1), "one-page.pdf");
        var output = _f.Temp("never.pdf");
        using var signer = _f.Pki.Leader.CreateSigner();
        await Assert.ThrowsAsync<InvalidInputException>(() => new PadesSigner().SignAsync(input, output, signer,
            new PdfSignatureParameters { Appearance = new LeaderAppearance(PdfFiles.Image(false), 5) }));
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(output)!, ".*.tmp"));
    }

    [Fact]
    public async Task Two_phase_prepare_serialize_complete()
    {
        var pdf = PdfFiles.Classic(1);
        using var signer = _f.Pki.Leader.CreateSigner();
        var pades = new PadesSigner(_f.Options(SignatureLevel.BaselineT));
        var scratch = new MemoryStream();
        var prepared = await pades.PrepareAsync(new MemoryStream(pdf), scratch, signer.Certificate, signer.Chain, signer.KeyAlgorithm);
        var state = prepared.Serialize();
        // ... the server restarts; the phone signs the digest ...
        var restored = PreparedPdfSignature.Deserialize(state);
        Assert.Equal(prepared.Digest.ToArray(), restored.Digest.ToArray());
        var value = await signer.SignDigestAsync(restored.Digest, restored.Hash, restored.Padding);
        await pades.CompleteAsync(scratch, restored, value);
        var signed = scratch.ToArray();
        IndependentlyValid(signed, 1);
        var r = await _f.ValidateAsync(signed);
        Assert.Equal(Indication.TotalPassed, r.Indication);
        Assert.Equal("B-T", r.Signatures[0].Level);

        // A value that does not verify is refused, not embedded.
        var scratch2 = new MemoryStream();
        var p2 = await pades.PrepareAsync(new MemoryStream(pdf), scratch2, signer.Certificate, signer.Chain, signer.KeyAlgorithm);
        var bad = (byte[])value.Clone();
        bad[10] ^= 1;
        var before = scratch2.ToArray();
        await Assert.ThrowsAnyAsync<VnGovSignException>(() => pades.CompleteAsync(scratch2, p2, bad));
        Assert.Equal(before, scratch2.ToArray());
        Assert.Throws<InvalidInputException>(() => PreparedPdfSignature.Deserialize(Encoding.UTF8.GetBytes("{\"type\":\"xades\"}")));
    }

    [Fact]
    public async Task Expired_or_not_yet_valid_signer_is_refused_before_any_output_is_written()
    {
        var input = _f.Write(PdfFiles.Classic(1), "in.pdf");
        var output = _f.Temp("expired-out.pdf");
        using var expired = _f.Pki.Expired.CreateSigner();
        var e = await Assert.ThrowsAsync<SigningException>(() => _f.Signer(SignatureLevel.BaselineB).SignAsync(input, output, expired));
        Assert.Equal(MessageKeys.SignerCertificateExpired, e.MessageKey);
        Assert.Contains("Lê Văn Cường", e.GetMessage(Messages.Vietnamese));
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(_f.Dir, "*expired-out.pdf*")); // no temporary file either

        // The stream overload leaves the output stream as it was; the two-phase prepare leaves the scratch stream empty.
        var outputStream = new MemoryStream(new byte[] { 1, 2, 3 }, 0, 3, writable: true, publiclyVisible: true);
        using var future = _f.Pki.NotYetValid.CreateSigner();
        var e2 = await Assert.ThrowsAsync<SigningException>(() =>
            _f.Signer(SignatureLevel.BaselineB).SignAsync(new MemoryStream(PdfFiles.Classic(1)), outputStream, future));
        Assert.Equal(MessageKeys.SignerCertificateNotYetValid, e2.MessageKey);
        Assert.Equal(new byte[] { 1, 2, 3 }, outputStream.ToArray());
        var scratch = new MemoryStream();
        await Assert.ThrowsAsync<SigningException>(() => _f.Signer(SignatureLevel.BaselineB).PrepareAsync(new MemoryStream(PdfFiles.Classic(1)), scratch,
            expired.Certificate, expired.Chain, expired.KeyAlgorithm));
        Assert.Equal(0, scratch.Length);
    }
}
