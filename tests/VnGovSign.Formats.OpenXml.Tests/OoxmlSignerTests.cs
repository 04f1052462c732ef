using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using VnGovSign.Tests;
using VnGovSign.Validation;

namespace VnGovSign.Formats.OpenXml.Tests;

[Collection("pki")]
public sealed class OoxmlSignerTests
{
    private readonly PkiFixture _f;
    public OoxmlSignerTests(PkiFixture f) => _f = f;

    private async Task<byte[]> Sign(byte[] input, VnGovSign.Testing.TestIdentity? who = null, SignatureOptions? options = null)
    {
        using var signer = (who ?? _f.Pki.Leader).CreateSigner();
        return await new OoxmlSigner(options).SignAsync(input, signer);
    }

    private async Task<ValidationReport> Validate(byte[] package) => await _f.OoxmlValidator.ValidateAsync(package, "test");

    [Fact]
    public async Task Docx_gets_Office_signature_parts_opens_and_validates()
    {
        var input = OfficeFiles.Docx();
        var inputCopy = (byte[])input.Clone();
        var signed = await Sign(input);
        Assert.Equal(inputCopy, input); // the input is never changed

        var names = Zip.Names(signed);
        Assert.Contains("_xmlsignatures/origin.sigs", names);
        Assert.Contains("_xmlsignatures/sig1.xml", names);
        Assert.Contains("_xmlsignatures/_rels/origin.sigs.rels", names);
        Assert.Contains("http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin", Zip.ReadText(signed, "_rels/.rels"));
        var types = Zip.ReadText(signed, "[Content_Types].xml");
        Assert.Contains("PartName=\"/_xmlsignatures/sig1.xml\" ContentType=\"application/vnd.openxmlformats-package.digital-signature-xmlsignature+xml\"", types);
        Assert.Contains("Extension=\"sigs\" ContentType=\"application/vnd.openxmlformats-package.digital-signature-origin\"", types);
        var sig = Zip.ReadText(signed, "_xmlsignatures/sig1.xml");
        foreach (var k in new[] { "Id=\"idPackageSignature\"", "URI=\"#idPackageObject\"", "URI=\"#idOfficeObject\"", "URI=\"#idSignedProperties\"",
                     "SignatureInfoV1", "mdssi:SignatureTime", "xd:SigningCertificate", "RelationshipTransform",
                     "/word/document.xml?ContentType=application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml" })
            Assert.Contains(k, sig);
        Assert.DoesNotContain("docProps/core.xml", sig); // core properties change on open: Office does not sign them

        // Still a Word document for DocumentFormat.OpenXml, which also finds the signature where Office puts it.
        using (var doc = WordprocessingDocument.Open(new MemoryStream(signed), false))
        {
            Assert.Contains(OfficeFiles.DocxText, doc.MainDocumentPart!.Document!.InnerText);
            Assert.NotNull(doc.DigitalSignatureOriginPart);
            Assert.Single(doc.DigitalSignatureOriginPart!.XmlSignatureParts);
            Assert.Equal("/_xmlsignatures/sig1.xml", doc.DigitalSignatureOriginPart.XmlSignatureParts.First().Uri.ToString());
        }

        var report = await Validate(signed);
        Assert.Equal(Indication.TotalPassed, report.Indication);
        var s = Assert.Single(report.Signatures);
        Assert.Equal("OOXML", s.Format);
        Assert.Equal("B-B", s.Level);
        Assert.Equal(_f.Pki.Leader.Certificate.Subject, s.Signer!.Subject);
        var signedParts = (List<string>)s.Details["signedParts"]!;
        Assert.Contains("/word/document.xml", signedParts);
        Assert.Contains("/word/styles.xml", signedParts);
        Assert.Contains("/word/_rels/document.xml.rels", signedParts);
        Assert.Contains(signedParts, p => p.EndsWith(".png", StringComparison.Ordinal)); // the image DocumentFormat.OpenXml added
        Assert.Contains((List<string>)s.Details["uncoveredParts"]!, p => p.Contains("core-properties")); // DocumentFormat.OpenXml's name for core.xml
    }

    [Fact]
    public async Task Xlsx_and_pptx_sign_open_and_validate()
    {
        var xlsx = await Sign(OfficeFiles.Xlsx());
        using (var doc = SpreadsheetDocument.Open(new MemoryStream(xlsx), false))
            Assert.Contains("Dự toán", doc.WorkbookPart!.Workbook!.InnerXml);
        Assert.Equal(Indication.TotalPassed, (await Validate(xlsx)).Indication);
        Assert.Contains("/xl/worksheets/", Zip.ReadText(xlsx, "_xmlsignatures/sig1.xml"));

        var pptx = await Sign(OfficeFiles.Pptx());
        using (var doc = PresentationDocument.Open(new MemoryStream(pptx), false))
            Assert.Contains("Báo cáo tổng kết 2027", doc.PresentationPart!.SlideParts.Single().Slide!.InnerText);
        Assert.Equal(Indication.TotalPassed, (await Validate(pptx)).Indication);
    }

    [Fact]
    public async Task Ecdsa_signature_is_r_concat_s_and_validates()
    {
        var signed = await Sign(OfficeFiles.Docx(), _f.Pki.LeaderEc);
        var sig = Zip.ReadText(signed, "_xmlsignatures/sig1.xml");
        Assert.Contains("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", sig);
        var doc = new XmlDocument { PreserveWhitespace = true };
        doc.LoadXml(sig);
        var value = Convert.FromBase64String(doc.GetElementsByTagName("SignatureValue")[0]!.InnerText);
        Assert.Equal(64, value.Length); // P-256: r‖s, 32 bytes each, as XML-DSig wants
        Assert.Equal(Indication.TotalPassed, (await Validate(signed)).Indication);
    }

    [Fact]
    public async Task SignedXml_of_the_BCL_accepts_the_signature_value_and_same_document_references()
    {
        var signed = await Sign(OfficeFiles.Docx());
        var doc = new XmlDocument { PreserveWhitespace = true };
        doc.Load(new MemoryStream(Zip.Read(signed, "_xmlsignatures/sig1.xml")));
        var sx = new ObjectAwareSignedXml(doc);
        sx.LoadXml(doc.DocumentElement!);
        Assert.True(sx.CheckSignature(_f.Pki.Leader.Certificate, verifySignatureOnly: true));
    }

    /// <summary>SignedXml only finds Ids in its own Objects when asked (field notes).</summary>
    private sealed class ObjectAwareSignedXml : SignedXml
    {
        private readonly XmlDocument _doc;
        public ObjectAwareSignedXml(XmlDocument doc) : base(doc) => _doc = doc;
        public override XmlElement? GetIdElement(XmlDocument? document, string idValue) =>
            base.GetIdElement(document, idValue) ?? _doc.SelectSingleNode($"//*[@Id='{idValue}']") as XmlElement;
    }

    [Fact]
    public async Task Second_signature_keeps_the_first_valid()
    {
        var once = await Sign(OfficeFiles.Docx());
        var twice = await Sign(once, _f.Pki.Organization);
        Assert.Contains("_xmlsignatures/sig2.xml", Zip.Names(twice));
        var originRels = Zip.ReadText(twice, "_xmlsignatures/_rels/origin.sigs.rels");
        Assert.Contains("Target=\"sig1.xml\"", originRels);
        Assert.Contains("Target=\"sig2.xml\"", originRels);
        Assert.Equal(Zip.Read(once, "_xmlsignatures/sig1.xml"), Zip.Read(twice, "_xmlsignatures/sig1.xml"));
        var report = await Validate(twice);
        Assert.Equal(2, report.Signatures.Count);
        Assert.All(report.Signatures, s => Assert.Equal(Indication.TotalPassed, s.Indication));
        Assert.Equal(_f.Pki.Organization.Certificate.Subject, report.Signatures[1].Signer!.Subject);

        // Changing the text afterwards breaks both.
        var bad = Zip.ReplaceText(twice, "word/document.xml", "2027", "2028");
        Assert.All((await Validate(bad)).Signatures, s => Assert.Equal(SubIndication.HashFailure, s.SubIndication));
    }

    [Fact]
    public async Task Existing_origin_in_another_folder_gets_a_reachable_signature_part()
    {
        // System.IO.Packaging (.NET Framework) puts the origin at /package/services/digital-signature/origin.psdor.
        const string origin = "package/services/digital-signature/origin.psdor";
        var input = Zip.Rewrite(OfficeFiles.FixedDocx(), (n, b) => n switch
        {
            "_rels/.rels" => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace("</Relationships>",
                "<Relationship Id=\"rIdOrigin\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/digital-signature/origin\" Target=\"/" + origin + "\"/></Relationships>")),
            "[Content_Types].xml" => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace("</Types>",
                "<Override PartName=\"/" + origin + "\" ContentType=\"application/vnd.openxmlformats-package.digital-signature-origin\"/></Types>")),
            _ => b,
        }, new Dictionary<string, byte[]> { [origin] = Array.Empty<byte>() });
        var signed = await Sign(input);
        Assert.Contains("Target=\"/_xmlsignatures/sig1.xml\"", Zip.ReadText(signed, "package/services/digital-signature/_rels/origin.psdor.rels"));
        var report = await Validate(signed);
        var s = Assert.Single(report.Signatures);
        Assert.Equal(Indication.TotalPassed, s.Indication);
        Assert.Equal("/_xmlsignatures/sig1.xml#idPackageSignature", s.Id);
    }

    [Fact]
    public async Task Two_phase_prepare_serialize_complete()
    {
        var input = OfficeFiles.Docx();
        using var signer = _f.Pki.Leader.CreateSigner();
        var ooxml = new OoxmlSigner();
        var prepared = await ooxml.PrepareAsync(new MemoryStream(input), signer.Certificate, signer.Chain, signer.KeyAlgorithm);
        Assert.Equal(32, prepared.Digest.Length);
        var restored = PreparedOoxmlSignature.Deserialize(prepared.Serialize());
        Assert.Equal(prepared.Digest.ToArray(), restored.Digest.ToArray());
        // The remote side signs only the digest.
        var value = await signer.SignDigestAsync(restored.Digest, restored.Hash, restored.Padding);
        var output = new MemoryStream();
        await ooxml.CompleteAsync(restored, new MemoryStream(input), output, value);
        Assert.Equal(Indication.TotalPassed, (await Validate(output.ToArray())).Indication);

        // A wrong value (another key) is refused before anything is written.
        using var other = _f.Pki.Organization.CreateSigner();
        var wrong = await other.SignDigestAsync(restored.Digest, restored.Hash, restored.Padding);
        await Assert.ThrowsAsync<SigningException>(() => ooxml.CompleteAsync(restored, new MemoryStream(input), new MemoryStream(), wrong));
        // Another input than the prepared one is refused.
        await Assert.ThrowsAsync<InvalidInputException>(() => ooxml.CompleteAsync(restored, new MemoryStream(OfficeFiles.Xlsx()), new MemoryStream(), value));
    }

    [Fact]
    public async Task Bad_input_gives_a_typed_error_and_no_output_file()
    {
        var dir = Directory.CreateTempSubdirectory("ooxml-bad").FullName;
        try
        {
            var input = Path.Combine(dir, "not-a-docx.docx");
            File.WriteAllText(input, "Đây không phải tệp Word");
            var output = Path.Combine(dir, "out.docx");
            using var signer = _f.Pki.Leader.CreateSigner();
            var e = await Assert.ThrowsAsync<InvalidInputException>(() => new OoxmlSigner().SignAsync(input, output, signer));
            Assert.Equal("NotAPackage", e.MessageKey);
            Assert.Contains("not-a-docx.docx", e.GetMessage(Messages.English));
            Assert.DoesNotContain(Directory.GetFiles(dir), f => f != input);
            Assert.Equal("Đây không phải tệp Word", File.ReadAllText(input));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task Unsigned_package_reports_no_signature()
    {
        var report = await Validate(OfficeFiles.Docx());
        Assert.Empty(report.Signatures);
        Assert.Equal(Indication.TotalFailed, report.Indication);
        Assert.Equal("NoSignatures", Assert.Single(report.Messages).Key);
    }

    [Fact]
    public async Task Golden_sig1_xml_with_fixed_clock_and_key()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.FromHours(7)));
        var signed = await Sign(OfficeFiles.FixedDocx(), options: new SignatureOptions { Clock = clock });
        Assert.Equal(Indication.TotalPassed, (await Validate(signed)).Indication);
        GoldenFile.VerifyText(Zip.ReadText(signed, "_xmlsignatures/sig1.xml"), "sig1", "xml");
    }

    private sealed class FixedClock : TimeProvider
    {
        private readonly DateTimeOffset _now;
        public FixedClock(DateTimeOffset now) => _now = now;
        public override DateTimeOffset GetUtcNow() => _now.ToUniversalTime();
    }

    [Fact]
    public async Task Expired_or_not_yet_valid_signer_is_refused_and_no_output_file_is_written()
    {
        var dir = Directory.CreateTempSubdirectory("vgs-ooxml-expired-").FullName;
        try
        {
            var input = Path.Combine(dir, "in.docx");
            File.WriteAllBytes(input, OfficeFiles.Docx());
            var output = Path.Combine(dir, "out.docx");
            using var expired = _f.Pki.Expired.CreateSigner();
            // The test PKI's time: its not-yet-valid person becomes valid 30 days later (the system clock may already be there).
            var signer = new OoxmlSigner(new SignatureOptions { Clock = new FixedClock(PkiFixture.PkiTime) });
            var e = await Assert.ThrowsAsync<SigningException>(() => signer.SignAsync(input, output, expired));
            Assert.Equal(MessageKeys.SignerCertificateExpired, e.MessageKey);
            Assert.Contains("Lê Văn Cường", e.GetMessage(Messages.Vietnamese));
            Assert.Contains("expired on", e.GetMessage(Messages.English));
            Assert.Equal(new[] { "in.docx" }, Directory.GetFiles(dir).Select(Path.GetFileName));

            using var future = _f.Pki.NotYetValid.CreateSigner();
            var e2 = await Assert.ThrowsAsync<SigningException>(() =>
                signer.PrepareAsync(new MemoryStream(OfficeFiles.Docx()), future.Certificate, future.Chain, future.KeyAlgorithm));
            Assert.Equal(MessageKeys.SignerCertificateNotYetValid, e2.MessageKey);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
