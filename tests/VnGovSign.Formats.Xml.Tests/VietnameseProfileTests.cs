using System.Text;
using System.Text.RegularExpressions;
using VnGovSign.Formats.Xml;
using VnGovSign.Validation;

namespace VnGovSign.Formats.Xml.Tests;

[Collection("xml")]
public sealed class VietnameseProfileTests
{
    private readonly XmlFixture _f;
    public VietnameseProfileTests(XmlFixture f) => _f = f;

    private static string S(byte[] b) => Encoding.UTF8.GetString(b);
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static void AssertOnlyInserted(byte[] input, byte[] output)
    {
        // The output is the input with one contiguous insertion (possibly replacing "/>" by ">…</X>").
        int p = 0;
        while (p < input.Length && input[p] == output[p]) p++;
        int s = 0;
        while (s < input.Length - p && input[input.Length - 1 - s] == output[output.Length - 1 - s]) s++;
        var removed = Encoding.UTF8.GetString(input, p, input.Length - p - s);
        Assert.True(removed.Length == 0 || removed == "/", $"bytes outside the Signature changed: removed '{removed}'");
        var inserted = Encoding.UTF8.GetString(output, p, output.Length - p - s);
        Assert.Contains("<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"", inserted);
    }

    [Fact]
    public async Task Tax_declaration_signature_is_in_CKyDTu_references_ID_1_and_verifies_in_ours_and_xmlsec1()
    {
        var input = XmlFixture.Data("tax-842.xml");
        var signed = await _f.SignAsync(XmlSignatureProfile.Tax, input);
        var text = S(signed);
        Assert.Matches("<CKyDTu><Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"sig-NNT\">", text);
        Assert.Contains("<Reference URI=\"#ID_1\">", text);
        AssertOnlyInserted(input, signed);
        var report = await _f.ValidateAsync(signed);
        Assert.Equal(Indication.TotalPassed, report.Indication);
        Assert.Equal("tax", report.Signatures[0].Details["profile"]);
        Assert.Contains("/HSoThueDTu/HSoKhaiThue", (IEnumerable<string>)report.Signatures[0].Details["coveredElements"]!);
        Assert.Equal(XmlFixture.SignTime, report.Signatures[0].SigningTime);
        var xs = _f.XmlSec(signed, "tax.xml");
        Assert.True(xs.ExitCode == 0, xs.All);
    }

    [Fact]
    public async Task Tax_declaration_golden_is_byte_stable_with_fixed_clock_and_key()
    {
        var signed = await _f.SignAsync(XmlSignatureProfile.Tax, XmlFixture.Data("tax-842.xml"));
        VnGovSign.Tests.GoldenFile.VerifyBytes(signed, "tax-842.signed", "xml");
    }

    [Fact]
    public async Task Tax_changed_amount_is_a_hash_failure_with_the_tax_message()
    {
        var signed = S(await _f.SignAsync(XmlSignatureProfile.Tax, XmlFixture.Data("tax-842.xml")));
        var report = await _f.ValidateAsync(B(signed.Replace("<ct22>15000000<", "<ct22>15000001<")));
        Assert.Equal(Indication.TotalFailed, report.Indication);
        Assert.Equal(SubIndication.HashFailure, report.Signatures[0].SubIndication);
        Assert.Contains(report.Signatures[0].Messages, m => m.ToText().Contains("Hồ sơ đã bị sửa sau khi ký"));
        Assert.NotEqual(0, _f.XmlSec(B(signed.Replace("<ct22>15000000<", "<ct22>15000001<"))).ExitCode);
    }

    [Fact]
    public async Task Tax_wrapping_attack_is_reported_as_required_element_not_covered()
    {
        var signed = S(await _f.SignAsync(XmlSignatureProfile.Tax, XmlFixture.Data("tax-842.xml")));
        var m = Regex.Match(signed, "<HSoKhaiThue id=\"ID_1\">.*?</HSoKhaiThue>", RegexOptions.Singleline);
        var forged = m.Value.Replace("<ct22>15000000<", "<ct22>99000000<").Replace("id=\"ID_1\"", "id=\"ID_X\"");
        var attacked = signed.Replace(m.Value, forged + "<Wrapper>" + m.Value + "</Wrapper>");
        Assert.Equal(0, _f.XmlSec(B(attacked)).ExitCode); // the digest alone does not see it
        var report = await _f.ValidateAsync(B(attacked));
        Assert.Equal(Indication.TotalFailed, report.Indication);
        Assert.Equal(SubIndication.SigConstraintsFailure, report.Signatures[0].SubIndication);
        Assert.Contains(report.Signatures[0].Messages, x => x.Key == "RequiredNotCovered");
    }

    [Fact]
    public async Task Duplicate_Id_is_an_error()
    {
        var signed = S(await _f.SignAsync(XmlSignatureProfile.Tax, XmlFixture.Data("tax-842.xml")));
        var attacked = signed.Replace("<CKyDTu>", "<PLuc id=\"ID_1\"><ct22>99000000</ct22></PLuc><CKyDTu>");
        var report = await _f.ValidateAsync(B(attacked));
        Assert.Equal(Indication.TotalFailed, report.Indication);
        Assert.Contains(report.Signatures[0].Messages, x => x.Key == "DuplicateId");
    }

    [Fact]
    public async Task Moved_signature_is_rejected()
    {
        var signed = S(await _f.SignAsync(XmlSignatureProfile.Tax, XmlFixture.Data("tax-842.xml")));
        var sig = Regex.Match(signed, "<Signature .*</Signature>", RegexOptions.Singleline).Value;
        var moved = signed.Replace(sig, "").Replace("<TTinChung>", "<TTinChung>" + sig);
        var report = await _f.ValidateAsync(B(moved));
        Assert.Equal(Indication.TotalFailed, report.Indication);
        Assert.Equal("misplaced", report.Signatures[0].Details["profile"]);
    }

    [Fact]
    public async Task Dtd_with_external_entity_is_refused_without_any_network_request()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            var signed = S(await _f.SignAsync(XmlSignatureProfile.Tax, XmlFixture.Data("tax-842.xml")));
            var evil = signed.Replace("<HSoThueDTu ", $"<!DOCTYPE HSoThueDTu [<!ENTITY x SYSTEM \"http://127.0.0.1:{port}/x\">]><HSoThueDTu ")
                             .Replace("<maDVu>HTKK</maDVu>", "<maDVu>&x;</maDVu>");
            var report = await _f.ValidateAsync(B(evil));
            Assert.Equal(Indication.TotalFailed, report.Indication);
            Assert.Contains(report.Messages, x => x.Key == "DtdInDocument");
            Assert.False(listener.Pending(), "the validator made a network request");
            var ex = await Assert.ThrowsAsync<InvalidInputException>(() => _f.SignAsync(XmlSignatureProfile.Tax, B(evil)));
            Assert.Equal("DtdRefused", ex.MessageKey);
            Assert.False(listener.Pending(), "the signer made a network request");
        }
        finally { listener.Stop(); }
    }

    [Fact]
    public async Task Xslt_transform_and_external_reference_are_refused()
    {
        var signed = S(await _f.SignAsync(XmlSignatureProfile.Tax, XmlFixture.Data("tax-842.xml")));
        var xslt = signed.Replace("<Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>",
            "<Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\"/>");
        var r1 = await _f.ValidateAsync(B(xslt));
        Assert.Equal(SubIndication.FormatFailure, r1.Signatures[0].SubIndication);
        Assert.Contains(r1.Signatures[0].Messages, x => x.Key == "TransformRefused");
        var external = signed.Replace("URI=\"#ID_1\"", "URI=\"http://127.0.0.1:9/x.xml\"");
        var r2 = await _f.ValidateAsync(B(external));
        Assert.Contains(r2.Signatures[0].Messages, x => x.Key == "ExternalReference");
        Assert.Equal(Indication.TotalFailed, r2.Indication);
    }

    [Fact]
    public async Task Tax_without_id_and_without_CKyDTu_gets_both()
    {
        var text = S(XmlFixture.Data("tax-842.xml")).Replace(" id=\"ID_1\"", "").Replace("  <CKyDTu/>\n", "");
        var signed = S(await _f.SignAsync(XmlSignatureProfile.Tax, B(text)));
        Assert.Contains("<HSoKhaiThue id=\"ID_1\">", signed);
        Assert.Contains("<CKyDTu><Signature", signed);
        Assert.Equal(Indication.TotalPassed, (await _f.ValidateAsync(B(signed))).Indication);
        Assert.Equal(0, _f.XmlSec(B(signed)).ExitCode);
    }

    [Fact]
    public async Task Legacy_NODE_TO_SIGN_id_is_kept()
    {
        var text = S(XmlFixture.Data("tax-842.xml")).Replace("id=\"ID_1\"", "id=\"_NODE_TO_SIGN\"");
        var signed = S(await _f.SignAsync(XmlSignatureProfile.Tax, B(text)));
        Assert.Contains("URI=\"#_NODE_TO_SIGN\"", signed);
        Assert.Equal(Indication.TotalPassed, (await _f.ValidateAsync(B(signed))).Indication);
    }

    [Fact]
    public async Task Windows1258_declaration_keeps_its_bytes_and_verifies()
    {
        var enc1258 = CodePages();
        var text = S(XmlFixture.Data("tax-842.xml")).Replace("encoding=\"UTF-8\"", "encoding=\"windows-1258\"");
        var input = enc1258.GetBytes(text);
        var signed = await _f.SignAsync(XmlSignatureProfile.Tax, input);
        int p = 0;
        while (input[p] == signed[p]) p++;
        Assert.True(input.AsSpan(p + 1).SequenceEqual(signed.AsSpan(signed.Length - (input.Length - p - 1)))
                    || input.AsSpan(p).SequenceEqual(signed.AsSpan(signed.Length - (input.Length - p))), "bytes after the Signature changed");
        Assert.Equal(Indication.TotalPassed, (await _f.ValidateAsync(signed)).Indication);
        var xs = _f.XmlSec(signed);
        Assert.True(xs.ExitCode == 0, xs.All);
    }

    [Fact]
    public async Task Utf8_bom_and_crlf_are_preserved()
    {
        var text = S(XmlFixture.Data("tax-842.xml")).Replace("\n", "\r\n");
        var input = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(B(text)).ToArray();
        var signed = await _f.SignAsync(XmlSignatureProfile.Tax, input);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, signed.Take(3));
        AssertOnlyInserted(input, signed);
        Assert.Equal(Indication.TotalPassed, (await _f.ValidateAsync(signed)).Indication);
        Assert.Equal(0, _f.XmlSec(signed).ExitCode);
    }

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1258);
    }

    [Fact]
    public async Task Einvoice_seller_then_buyer_both_verify_and_carry_SigningTime()
    {
        var seller = await _f.SignAsync(XmlSignatureProfile.EInvoice, XmlFixture.Data("einvoice.xml"), _f.Organization);
        var text = S(seller);
        Assert.Contains("<NBan><Signature", text);
        Assert.Contains("<SigningTime>2026-11-20T10:04:05</SigningTime>", text); // Vietnam local time
        Assert.Contains("URI=\"#DLHDon-3900123456-C26TAA-0000123\"", text);
        var both = await _f.SignAsync(XmlSignatureProfile.EInvoiceBuyer, seller, _f.Leader);
        var report = await _f.ValidateAsync(both);
        Assert.Equal(2, report.Signatures.Count);
        Assert.All(report.Signatures, s => Assert.Equal(Indication.TotalPassed, s.Indication));
        var xs = _f.XmlSec(both);
        Assert.True(xs.ExitCode == 0, xs.All);
        var tampered = S(both).Replace("<SLuong>16</SLuong>", "<SLuong>160</SLuong>");
        var bad = await _f.ValidateAsync(B(tampered));
        Assert.All(bad.Signatures, s => Assert.Equal(SubIndication.HashFailure, s.SubIndication));
    }

    [Fact]
    public async Task Einvoice_wrapped_in_TDiep_verifies()
    {
        var inner = S(XmlFixture.Data("einvoice.xml")).Replace("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "");
        var msg = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TDiep><TTChung><MNGui>V0101234567</MNGui></TTChung><DLieu>" + inner + "</DLieu></TDiep>\n";
        var signed = await _f.SignAsync(XmlSignatureProfile.EInvoice, B(msg), _f.Organization);
        Assert.Contains("<NBan><Signature", S(signed));
        var report = await _f.ValidateAsync(signed);
        Assert.Equal(Indication.TotalPassed, report.Indication);
        Assert.Equal(0, _f.XmlSec(signed).ExitCode);
    }

    [Fact]
    public async Task Einvoice_tax_authority_signs_DLHDon_and_MCCQT()
    {
        var seller = S(await _f.SignAsync(XmlSignatureProfile.EInvoice, XmlFixture.Data("einvoice.xml"), _f.Organization));
        var coded = seller.Replace("</DLHDon>", "</DLHDon>\n  <MCCQT Id=\"MCCQT\">00A1B2C3D4E5F60718293A4B5C6D7E8F90</MCCQT>");
        var cqt = await _f.SignAsync(XmlSignatureProfile.EInvoiceTaxAuthority, B(coded), _f.Leader);
        Assert.Contains("<CQT><Signature", S(cqt));
        Assert.Contains("URI=\"#MCCQT\"", S(cqt));
        var report = await _f.ValidateAsync(cqt);
        Assert.All(report.Signatures, s => Assert.Equal(Indication.TotalPassed, s.Indication));
        Assert.Equal(0, _f.XmlSec(cqt).ExitCode);
    }

    [Fact]
    public async Task Bhxh_unit_signature_survives_the_IVAN_countersignature()
    {
        var unit = await _f.SignAsync(XmlSignatureProfile.Bhxh, XmlFixture.Data("bhxh-d02.xml"), _f.Organization);
        Assert.Contains("<CKYDTU_DVI><Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"sigid\">", S(unit));
        Assert.Contains("<Reference URI=\"\">", S(unit));
        Assert.Contains("Id=\"proid\"", S(unit));
        var both = await _f.SignAsync(XmlSignatureProfile.BhxhIvan, unit, _f.Leader);
        Assert.Contains("<CKYDTU_IVAN><Signature", S(both));
        var report = await _f.ValidateAsync(both);
        Assert.Equal(2, report.Signatures.Count);
        Assert.Equal(new[] { "bhxh", "bhxh-ivan" }, report.Signatures.Select(s => (string)s.Details["profile"]!));
        Assert.All(report.Signatures, s => Assert.Equal(Indication.TotalPassed, s.Indication));
        var xs = _f.XmlSec(both);
        Assert.True(xs.ExitCode == 0, xs.All);
        var tampered = S(both).Replace("<MaSoBHXH>TN0123A<", "<MaSoBHXH>TN0123B<");
        Assert.All((await _f.ValidateAsync(B(tampered))).Signatures, s => Assert.Equal(SubIndication.HashFailure, s.SubIndication));
    }

    [Fact]
    public async Task Signing_twice_into_the_same_place_is_refused()
    {
        var signed = await _f.SignAsync(XmlSignatureProfile.Tax, XmlFixture.Data("tax-842.xml"));
        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => _f.SignAsync(XmlSignatureProfile.Tax, signed));
        Assert.Equal("ContainerOccupied", ex.MessageKey);
    }

    [Fact]
    public async Task Wrong_root_and_broken_xml_are_clear_errors()
    {
        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => _f.SignAsync(XmlSignatureProfile.Tax, XmlFixture.Data("einvoice.xml")));
        Assert.Equal("RootMismatch", ex.MessageKey);
        var ex2 = await Assert.ThrowsAsync<InvalidInputException>(() => _f.SignAsync(XmlSignatureProfile.Tax, B("<HSoThueDTu><a></HSoThueDTu>")));
        Assert.Equal("NotXml", ex2.MessageKey);
        await Assert.ThrowsAsync<InvalidInputException>(() => _f.Validator().ValidateAsync(B("not xml"), "x.xml"));
    }
}
