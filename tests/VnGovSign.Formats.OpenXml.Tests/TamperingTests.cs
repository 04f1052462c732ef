using System.Text;
using VnGovSign.Validation;

namespace VnGovSign.Formats.OpenXml.Tests;

/// <summary>Each change an attacker (or a careless tool) can make after signing, and the reason the validator gives.</summary>
[Collection("pki")]
public sealed class TamperingTests
{
    private readonly PkiFixture _f;
    public TamperingTests(PkiFixture f) => _f = f;

    private async Task<byte[]> Signed()
    {
        using var signer = _f.Pki.Leader.CreateSigner();
        var clock = new FixedClock(new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.FromHours(7)));
        return await new OoxmlSigner(new SignatureOptions { Clock = clock }).SignAsync(OfficeFiles.FixedDocx(), signer);
    }

    private async Task<SignatureReport> One(byte[] package)
    {
        var report = await _f.OoxmlValidator.ValidateAsync(package, "tampered.docx");
        return Assert.Single(report.Signatures);
    }

    private static void AssertReason(SignatureReport s, SubIndication sub, string key)
    {
        Assert.Equal(Indication.TotalFailed, s.Indication);
        Assert.Equal(sub, s.SubIndication);
        Assert.Contains(s.Messages, m => m.Key == key);
    }

    [Fact]
    public async Task Untouched_passes() => Assert.Equal(Indication.TotalPassed, (await One(await Signed())).Indication);

    [Fact]
    public async Task Changed_word_in_document_xml()
    {
        var s = await One(Zip.ReplaceText(await Signed(), "word/document.xml", "2027", "2028"));
        AssertReason(s, SubIndication.HashFailure, "PartChanged");
        Assert.Contains(s.Messages, m => m.ToText(Messages.English).Contains("/word/document.xml"));
    }

    [Fact]
    public async Task New_part_linked_from_document_xml_rels()
    {
        var signed = await Signed();
        var bad = Zip.Rewrite(signed, (n, b) => n switch
        {
            "word/_rels/document.xml.rels" => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace("</Relationships>",
                "<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/evil.png\"/></Relationships>")),
            "[Content_Types].xml" => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace("</Types>", "<Default Extension=\"png\" ContentType=\"image/png\"/></Types>")),
            _ => b,
        }, new Dictionary<string, byte[]> { ["word/media/evil.png"] = OfficeFiles.Png });
        var s = await One(bad);
        AssertReason(s, SubIndication.HashFailure, "RelationshipAdded");
        Assert.Contains("/word/media/evil.png", (List<string>)s.Details["uncoveredParts"]!);
    }

    [Fact]
    public async Task New_relationships_part_on_a_signed_part_that_had_none()
    {
        // styles.xml is signed and had no relationships; a new word/_rels/styles.xml.rels is not in the Manifest at all.
        var bad = Zip.Rewrite(await Signed(), (n, b) => b, new Dictionary<string, byte[]>
        {
            ["word/_rels/styles.xml.rels"] = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/evil.png\"/></Relationships>"),
            ["word/media/evil.png"] = OfficeFiles.Png,
        });
        var s = await One(bad);
        AssertReason(s, SubIndication.HashFailure, "RelationshipAdded");
        Assert.Contains(s.Messages, m => m.ToText(Messages.English).Contains("/word/_rels/styles.xml.rels"));
    }

    [Fact]
    public async Task Removed_relationship()
    {
        var bad = Zip.Rewrite(await Signed(), (n, b) => n == "word/_rels/document.xml.rels"
            ? Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(Encoding.UTF8.GetString(b), "<Relationship Id=\"rId1\"[^>]*/>", ""))
            : b);
        AssertReason(await One(bad), SubIndication.HashFailure, "RelationshipsChanged");
    }

    [Fact]
    public async Task Corrupt_compressed_data_of_a_signed_part_is_a_changed_part_not_a_crash()
    {
        var bad = await Signed();
        // Flip bytes inside word/document.xml's deflate data, found from its local file header (PK\x03\x04).
        var name = Encoding.ASCII.GetBytes("word/document.xml");
        int at = -1;
        for (int i = 0; i + 30 + name.Length < bad.Length; i++)
            if (bad[i] == 0x50 && bad[i + 1] == 0x4B && bad[i + 2] == 3 && bad[i + 3] == 4
                && BitConverter.ToUInt16(bad, i + 26) == name.Length && bad.AsSpan(i + 30, name.Length).SequenceEqual(name)) { at = i; break; }
        Assert.True(at >= 0);
        int data = at + 30 + name.Length + BitConverter.ToUInt16(bad, at + 28);
        for (int k = 2; k < 12; k++) bad[data + k] ^= 0x5A;
        AssertReason(await One(bad), SubIndication.HashFailure, "PartChanged");
    }

    [Fact]
    public async Task Removed_signed_part()
    {
        var bad = Zip.Rewrite(await Signed(), (n, b) => n == "word/styles.xml" ? null : b);
        AssertReason(await One(bad), SubIndication.SignedDataNotFound, "PartMissing");
    }

    [Fact]
    public async Task Changed_content_type_of_a_signed_part()
    {
        var bad = Zip.ReplaceText(await Signed(), "[Content_Types].xml",
            "wordprocessingml.styles+xml", "wordprocessingml.numbering+xml");
        AssertReason(await One(bad), SubIndication.HashFailure, "ContentTypeChanged");
    }

    [Fact]
    public async Task Replaced_signature_certificate()
    {
        var signed = await Signed();
        var sig = Zip.ReadText(signed, "_xmlsignatures/sig1.xml");
        var leader = Convert.ToBase64String(_f.Pki.Leader.Certificate.RawData);
        var org = Convert.ToBase64String(_f.Pki.Organization.Certificate.RawData);
        Assert.Contains(leader, sig);
        var bad = Zip.ReplaceText(signed, "_xmlsignatures/sig1.xml", leader, org);
        var s = await One(bad);
        AssertReason(s, SubIndication.SigCryptoFailure, "SignatureValueInvalid");
        Assert.Contains(s.Messages, m => m.Key == "SigningCertificateMismatch");
    }

    [Fact]
    public async Task Unreferenced_second_SignedProperties_is_refused_and_never_read()
    {
        // Properties outside what SignedInfo references are not signed: a validator that read the first
        // xd:SigningTime or xd:SigningCertificate in the document would report whatever an attacker put there.
        var signed = await Signed();
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 1, 30, 0, TimeSpan.Zero), (await One(signed)).SigningTime);
        const string fake = "<Object><xd:QualifyingProperties xmlns:xd=\"http://uri.etsi.org/01903/v1.3.2#\" Target=\"#idPackageSignature\">"
            + "<xd:SignedProperties Id=\"idFakeProperties\"><xd:SignedSignatureProperties><xd:SigningTime>1999-01-01T00:00:00Z</xd:SigningTime>"
            + "</xd:SignedSignatureProperties></xd:SignedProperties></xd:QualifyingProperties></Object>";
        var sig = Zip.ReadText(signed, "_xmlsignatures/sig1.xml");
        Assert.Contains("<Object><xd:QualifyingProperties", sig);
        var bad = Zip.ReplaceText(signed, "_xmlsignatures/sig1.xml", "<Object><xd:QualifyingProperties", fake + "<Object><xd:QualifyingProperties");
        var s = await One(bad);
        AssertReason(s, SubIndication.FormatFailure, "SignedPropertiesNotSigned");
        Assert.Contains(s.Messages, m => m.ToText(Messages.English).Contains("idFakeProperties"));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 1, 30, 0, TimeSpan.Zero), s.SigningTime); // from the signed properties only
    }

    [Fact]
    public async Task Second_QualifyingProperties_with_only_unsigned_properties_is_refused()
    {
        var signed = await Signed();
        const string extra = "<Object><xd:QualifyingProperties xmlns:xd=\"http://uri.etsi.org/01903/v1.3.2#\" Target=\"#idPackageSignature\">"
            + "<xd:UnsignedProperties><xd:UnsignedSignatureProperties/></xd:UnsignedProperties></xd:QualifyingProperties></Object>";
        var bad = Zip.ReplaceText(signed, "_xmlsignatures/sig1.xml", "<Object><xd:QualifyingProperties", extra + "<Object><xd:QualifyingProperties");
        AssertReason(await One(bad), SubIndication.FormatFailure, "SeveralQualifyingProperties");
    }

    [Fact]
    public async Task Removed_signature_part()
    {
        var bad = Zip.Rewrite(await Signed(), (n, b) => n == "_xmlsignatures/sig1.xml" ? null : b);
        AssertReason(await One(bad), SubIndication.FormatFailure, "SignaturePartMissing");
    }

    [Fact]
    public async Task Changed_signing_time_breaks_the_signed_object()
    {
        var bad = Zip.Rewrite(await Signed(), (n, b) => n == "_xmlsignatures/sig1.xml"
            ? Encoding.UTF8.GetBytes(System.Text.RegularExpressions.Regex.Replace(Encoding.UTF8.GetString(b), "<mdssi:Value>\\d{4}", "<mdssi:Value>1999"))
            : b);
        AssertReason(await One(bad), SubIndication.HashFailure, "ReferenceDigestMismatch");
    }

    [Fact]
    public async Task Core_properties_may_change_without_breaking_the_signature()
    {
        // Office rewrites docProps/core.xml on open; like Office, the signature does not cover it.
        var s = await One(Zip.ReplaceText(await Signed(), "docProps/core.xml", "Kế hoạch 2027", "Đã mở lại"));
        Assert.Equal(Indication.TotalPassed, s.Indication);
        Assert.Contains("/docProps/core.xml", (List<string>)s.Details["uncoveredParts"]!);
    }

    [Fact]
    public async Task Malformed_signature_xml_is_a_format_failure_not_a_crash()
    {
        var bad = Zip.Rewrite(await Signed(), (n, b) => n == "_xmlsignatures/sig1.xml" ? Encoding.UTF8.GetBytes("<Signature><unclosed>") : b);
        AssertReason(await One(bad), SubIndication.FormatFailure, "SignatureMalformed");
    }

    [Fact]
    public async Task Not_a_zip_is_a_typed_input_error()
    {
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => _f.OoxmlValidator.ValidateAsync(Encoding.UTF8.GetBytes("PK but not a zip"), "x.docx"));
        Assert.Equal("NotAPackage", e.MessageKey);
    }

    private sealed class FixedClock : TimeProvider
    {
        private readonly DateTimeOffset _now;
        public FixedClock(DateTimeOffset now) => _now = now;
        public override DateTimeOffset GetUtcNow() => _now.ToUniversalTime();
    }
}
