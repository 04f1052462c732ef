using System.Text;
using System.Text.RegularExpressions;
using VnGovSign.Formats.Xml;
using VnGovSign.Revocation;
using VnGovSign.Timestamps;
using VnGovSign.Validation;

namespace VnGovSign.Formats.Xml.Tests;

/// <summary>
/// <see cref="XadesExtender"/>: B-B → B-T → B-LT → B-LTA against the loopback TSA/OCSP/CRL, each step judged by
/// our validator (B-LT/B-LTA offline under hard-fail, so the embedded values are what passes) and by xmlsec1,
/// with every byte outside the new unsigned properties unchanged; refusals before any service is asked.
/// </summary>
[Collection("xml")]
public sealed class XadesExtendTests : IClassFixture<XadesRespondersFixture>
{
    private readonly XmlFixture _x;
    private readonly XadesRespondersFixture _f;
    public XadesExtendTests(XmlFixture x, XadesRespondersFixture f) { _x = x; _f = f; }

    private static string S(byte[] b) => Encoding.UTF8.GetString(b);
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private XadesExtender Extender(bool tsa = true, bool collector = true) =>
        new(new SignatureOptions { Timestamps = tsa ? new Rfc3161Client(_f.Responders.TsaUri) : null })
        {
            ValidationDataCollector = collector ? new ValidationDataCollector(_f.Trust, ValidationPolicy.Default) : null,
        };

    private static void AssertPassed(SignatureReport s, string level)
    {
        Assert.True(s.Indication == Indication.TotalPassed,
            ValidationReport.EtsiName(s.Indication) + "/" + ValidationReport.EtsiName(s.SubIndication) + ": " + string.Join(" | ", s.Messages.Select(m => m.ToText(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal("XAdES", s.Format);
        Assert.Equal(level, s.Level);
    }

    private void AssertXmlSec(byte[] signed, string name)
    {
        var r = _x.XmlSec(signed, name, _f.RootPem, _f.CaPem, DateTimeOffset.UtcNow);
        Assert.True(r.ExitCode == 0, r.All);
    }

    /// <summary>The output is the input with one run of bytes inserted, starting with <paramref name="insertedStart"/> (ASCII); every other byte is the input's.</summary>
    private static void AssertOnlyInserted(byte[] before, byte[] after, string insertedStart)
    {
        int at = after.AsSpan().IndexOf(Encoding.ASCII.GetBytes(insertedStart));
        Assert.True(at >= 0, "no " + insertedStart);
        Assert.True(before.AsSpan().IndexOf(Encoding.ASCII.GetBytes(insertedStart)) < 0 || insertedStart.StartsWith("<xades:Unsigned", StringComparison.Ordinal), insertedStart + " was there before");
        int extra = after.Length - before.Length;
        Assert.True(extra > 0, "nothing was added");
        Assert.True(after.AsSpan(0, at).SequenceEqual(before.AsSpan(0, at)), "bytes before the insertion changed");
        Assert.True(after.AsSpan(at + extra).SequenceEqual(before.AsSpan(at)), "bytes after the insertion changed");
    }

    [Fact]
    public async Task B_B_is_raised_step_by_step_to_B_LTA_each_verified_by_ours_and_xmlsec1_and_only_unsigned_properties_are_added()
    {
        var bb = await _f.SignAsync(SignatureLevel.BaselineB, XmlFixture.Data("tax-842.xml"));
        var online = _f.Validator(RevocationMode.Online);
        var offline = _f.Validator(RevocationMode.Offline); // hard-fail: only embedded data can pass it

        var bt = await Extender(collector: false).ExtendAsync(bb, SignatureLevel.BaselineT, "bb.xml");
        AssertOnlyInserted(bb, bt, "<xades:UnsignedProperties>");
        Assert.Contains("<xades:SignatureTimeStamp Id=\"xades-sig-SignatureTimeStamp\">", S(bt));
        var sT = Assert.Single((await online.ValidateAsync(bt, "bt.xml")).Signatures);
        AssertPassed(sT, "B-T");
        Assert.NotNull(sT.TimestampTime);
        AssertXmlSec(bt, "bt.xml");
        Assert.Equal(Indication.Indeterminate, Assert.Single((await offline.ValidateAsync(bt, "bt.xml")).Signatures).Indication);

        var lt = await Extender(tsa: false).ExtendAsync(bt, SignatureLevel.BaselineLT, "bt.xml"); // B-T → B-LT needs no TSA
        AssertOnlyInserted(bt, lt, "<xades:CertificateValues>");
        Assert.Contains("<xades:EncapsulatedOCSPValue>", S(lt));
        AssertPassed(Assert.Single((await offline.ValidateAsync(lt, "lt.xml")).Signatures), "B-LT");
        AssertXmlSec(lt, "lt.xml");

        var lta = await Extender().ExtendAsync(lt, SignatureLevel.BaselineLTA, "lt.xml");
        AssertOnlyInserted(lt, lta, "<xadesv141:ArchiveTimeStamp");
        AssertPassed(Assert.Single((await offline.ValidateAsync(lta, "lta.xml")).Signatures), "B-LTA");
        AssertXmlSec(lta, "lta.xml");

        // The signed document itself (everything outside ds:Signature) is still the signed input, byte for byte.
        var input = S(XmlFixture.Data("tax-842.xml"));
        string Outside(string s) => Regex.Replace(s, "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\".*</Signature>", "", RegexOptions.Singleline);
        Assert.Equal(Outside(S(bb)), Outside(S(lta)));
        Assert.Contains(Outside(S(lta)).Substring(0, 200), input);
    }

    [Fact]
    public async Task B_B_straight_to_B_LTA_validates_offline_and_tampering_is_caught()
    {
        var bb = await _f.SignAsync(SignatureLevel.BaselineB, XmlFixture.Data("bhxh-d02.xml"));
        var lta = await Extender().ExtendAsync(bb, SignatureLevel.BaselineLTA, "bb.xml");
        var text = S(lta);
        Assert.Contains("<xades:SignatureTimeStamp", text);
        Assert.Contains("<xades:CertificateValues>", text);
        Assert.Contains("<xadesv141:ArchiveTimeStamp", text);
        var offline = _f.Validator(RevocationMode.Offline);
        AssertPassed(Assert.Single((await offline.ValidateAsync(lta, "lta.xml")).Signatures), "B-LTA");
        AssertXmlSec(lta, "lta.xml");

        // Content changed after extending: a hash failure (ours) and a failed reference (xmlsec1).
        var changed = B(text.Replace("<MaSoThue>3900111222<", "<MaSoThue>3900111223<"));
        Assert.NotEqual(lta, changed);
        var bad = Assert.Single((await offline.ValidateAsync(changed, "changed.xml")).Signatures);
        Assert.Equal(Indication.TotalFailed, bad.Indication);
        Assert.Equal(SubIndication.HashFailure, bad.SubIndication);
        Assert.NotEqual(0, _x.XmlSec(changed, "changed.xml", _f.RootPem, _f.CaPem, DateTimeOffset.UtcNow).ExitCode);

        // The archive timestamp covers the embedded values: dropping the OCSP responses breaks it (xmlsec1 cannot see this).
        var dropped = B(Regex.Replace(text, "<xades:OCSPValues>.*?</xades:OCSPValues>", "", RegexOptions.Singleline));
        Assert.Equal(Indication.TotalFailed, Assert.Single((await offline.ValidateAsync(dropped, "dropped.xml")).Signatures).Indication);

        // A SignatureTimeStamp moved onto another signature value: its imprint no longer matches.
        var other = S(await Extender(collector: false).ExtendAsync(await _f.SignAsync(SignatureLevel.BaselineB, XmlFixture.Data("bhxh-d02.xml")), SignatureLevel.BaselineT, "o.xml"));
        string Sts(string s) => Regex.Match(s, "<xades:EncapsulatedTimeStamp>[^<]*</xades:EncapsulatedTimeStamp>").Value;
        var swapped = B(text.Replace(Sts(text), Sts(other)));
        Assert.Equal(Indication.TotalFailed, Assert.Single((await offline.ValidateAsync(swapped, "swapped.xml")).Signatures).Indication);
    }

    [Fact]
    public async Task Bytes_are_preserved_in_windows_1258_with_CRLF_and_the_extended_file_still_verifies()
    {
        var text = "<?xml version=\"1.0\" encoding=\"windows-1258\"?>\r\n<HoSo>\r\n  <TenDonVi>C\u00f4ng ty TNHH Ho\u00e0ng Anh</TenDonVi>\r\n  <GhiChu>  kho\u1ea3ng tr\u1eafng   gi\u1eef nguy\u00ean </GhiChu>\r\n</HoSo>\r\n";
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var input = Encoding.GetEncoding(1258).GetBytes(text);
        var bb = await _f.SignAsync(SignatureLevel.BaselineB, input);
        var bt = await Extender(collector: false).ExtendAsync(bb, SignatureLevel.BaselineT, "cp1258.xml");
        AssertOnlyInserted(bb, bt, "<xades:UnsignedProperties>");
        Assert.True(bt.AsSpan(0, 60).SequenceEqual(input.AsSpan(0, 60)));
        Assert.True(bt.AsSpan(bt.Length - 9).SequenceEqual(input.AsSpan(input.Length - 9)));
        AssertPassed(Assert.Single((await _f.Validator(RevocationMode.Online).ValidateAsync(bt, "cp1258.xml")).Signatures), "B-T");
        AssertXmlSec(bt, "cp1258.xml");
    }

    [Fact]
    public async Task A_foreign_xades_prefix_gets_its_own_declaration_on_the_inserted_properties()
    {
        // Another tool's prefix for the XAdES namespace ("etsi"): the inserted markup must declare "xades" itself.
        // (Renaming the prefix changes SignedProperties' canonical bytes, so only the timestamp is judged here.)
        var bb = S(await _f.SignAsync(SignatureLevel.BaselineB, XmlFixture.Data("tax-842.xml")))
            .Replace("xmlns:xades=", "xmlns:etsi=").Replace("<xades:", "<etsi:").Replace("</xades:", "</etsi:");
        var bt = await Extender(collector: false).ExtendAsync(B(bb), SignatureLevel.BaselineT, "etsi.xml");
        Assert.Contains("<xades:UnsignedProperties xmlns:xades=\"" + XmlDsig.XadesNamespace + "\">", S(bt));
        var doc = new System.Xml.XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        doc.LoadXml(S(bt));
        var sts = Assert.Single(doc.GetElementsByTagName("SignatureTimeStamp", XmlDsig.XadesNamespace).OfType<System.Xml.XmlElement>());
        Assert.Equal(XmlDsig.Namespace, sts.FirstChild!.NamespaceURI); // CanonicalizationMethod stays in XML-DSig
        var s = Assert.Single((await _f.Validator(RevocationMode.Online).ValidateAsync(bt, "etsi.xml")).Signatures);
        Assert.Contains(s.Messages, m => m.Key == MessageKeys.TimestampValid);
        Assert.DoesNotContain(s.Messages, m => m.Key == MessageKeys.TimestampImprintMismatch);
        Assert.Equal("B-T", s.Level);
    }

    [Fact]
    public async Task Files_are_written_whole_and_a_refused_extension_writes_nothing()
    {
        var dir = Path.Combine(_f.Dir, "files");
        Directory.CreateDirectory(dir);
        var inPath = Path.Combine(dir, "bb.xml");
        await File.WriteAllBytesAsync(inPath, await _f.SignAsync(SignatureLevel.BaselineB, XmlFixture.Data("tax-842.xml")));
        var before = await File.ReadAllBytesAsync(inPath);
        var outPath = Path.Combine(dir, "bt.xml");
        await Extender(collector: false).ExtendAsync(inPath, outPath, SignatureLevel.BaselineT);
        Assert.Equal(before, await File.ReadAllBytesAsync(inPath));
        AssertPassed(Assert.Single((await _f.Validator(RevocationMode.Online).ValidateAsync(await File.ReadAllBytesAsync(outPath), "bt.xml")).Signatures), "B-T");

        var again = Path.Combine(dir, "bt-again.xml");
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Extender().ExtendAsync(outPath, again, SignatureLevel.BaselineT));
        Assert.Equal("ExtendLevelNotHigher", e.MessageKey);
        Assert.False(File.Exists(again));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));

        var missing = await Assert.ThrowsAsync<InvalidInputException>(() => Extender().ExtendAsync(Path.Combine(dir, "none.xml"), again, SignatureLevel.BaselineT));
        Assert.Equal(MessageKeys.FileNotReadable, missing.MessageKey);
        Assert.False(File.Exists(again));
    }

    [Fact]
    public async Task Refusals_are_typed_in_Vietnamese_and_English_and_come_before_any_service_is_asked()
    {
        var tax = await _x.SignAsync(XmlSignatureProfile.Tax, XmlFixture.Data("tax-842.xml"));
        var bb = await _f.SignAsync(SignatureLevel.BaselineB, XmlFixture.Data("tax-842.xml"));
        var lta = await _f.SignAsync(SignatureLevel.BaselineLTA, XmlFixture.Data("tax-842.xml"));
        int asked = _f.Responders.Tsa.RequestCount;

        async Task<InvalidInputException> Refused(XadesExtender x, byte[] doc, SignatureLevel level) =>
            await Assert.ThrowsAsync<InvalidInputException>(() => x.ExtendAsync(doc, level, "in.xml"));

        var plain = await Refused(Extender(), tax, SignatureLevel.BaselineT);
        Assert.Equal("NotXades", plain.MessageKey);
        Assert.Contains("không có chữ ký XAdES", plain.GetMessage(new System.Globalization.CultureInfo("vi-VN")));
        Assert.Contains("has no XAdES signature", plain.GetMessage(new System.Globalization.CultureInfo("en")));
        Assert.Equal("NotXades", (await Refused(Extender(), XmlFixture.Data("tax-842.xml"), SignatureLevel.BaselineLT)).MessageKey);

        foreach (var level in new[] { SignatureLevel.BaselineB, SignatureLevel.BaselineLT, SignatureLevel.BaselineLTA })
        {
            var notHigher = await Refused(Extender(), lta, level);
            Assert.Equal("ExtendLevelNotHigher", notHigher.MessageKey);
            Assert.Contains("B-LTA", notHigher.GetMessage(new System.Globalization.CultureInfo("en")));
            Assert.Contains("đã ở mức B-LTA", notHigher.GetMessage(new System.Globalization.CultureInfo("vi-VN")));
        }
        Assert.Equal("ExtendLevelNotHigher", (await Refused(Extender(), bb, SignatureLevel.BaselineB)).MessageKey);

        Assert.Equal(MessageKeys.TimestampUrlMissing, (await Refused(Extender(tsa: false), bb, SignatureLevel.BaselineT)).MessageKey);
        Assert.Equal("ExtendCollectorMissing", (await Refused(Extender(collector: false), bb, SignatureLevel.BaselineLT)).MessageKey);

        var dtd = B("<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>");
        Assert.Equal("DtdRefused", (await Refused(Extender(), dtd, SignatureLevel.BaselineT)).MessageKey);
        Assert.Equal("NotXml", (await Refused(Extender(), B("<a><b></a>"), SignatureLevel.BaselineT)).MessageKey);

        // A second enveloped XAdES signature covers the first: adding to the first would break the second.
        var twice = await new XmlSigner(XmlSignatureProfile.XadesEnveloped).SignAsync(bb, _x.Organization, "twice.xml");
        var covered = await Refused(Extender(), twice, SignatureLevel.BaselineT);
        Assert.Equal("ExtendCoveredByOther", covered.MessageKey);

        Assert.Equal(asked, _f.Responders.Tsa.RequestCount);
    }
}
