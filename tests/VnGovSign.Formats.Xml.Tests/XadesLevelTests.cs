using System.Text;
using System.Text.RegularExpressions;
using VnGovSign.Formats.Xml;
using VnGovSign.Revocation;
using VnGovSign.Testing;
using VnGovSign.Testing.Responders;
using VnGovSign.Timestamps;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Formats.Xml.Tests;

/// <summary>A PKI whose OCSP, CRL and TSA answer on 127.0.0.1 (real HTTP, no mocks), with PEM files for xmlsec1.</summary>
public sealed class XadesRespondersFixture : IDisposable
{
    public XadesRespondersFixture()
    {
        Responders = TestResponders.CreateAndStart(new TestPkiOptions { Seed = 2026_66 });
        Dir = Path.Combine(Path.GetTempPath(), "vgs-xades-tests-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(Dir);
        RootPem = Path.Combine(Dir, "root.pem");
        CaPem = Path.Combine(Dir, "ca.pem");
        File.WriteAllText(RootPem, XmlFixture.Pem(Pki.Root.Certificate.RawData));
        File.WriteAllText(CaPem, XmlFixture.Pem(Pki.SubCa.Certificate.RawData));
    }

    public TestResponders Responders { get; }
    public TestPki Pki => Responders.Pki;
    public string Dir { get; }
    public string RootPem { get; }
    public string CaPem { get; }
    public TrustStore Trust => TrustStore.Empty.With(new[] { Pki.Root.Certificate });

    /// <summary>Hard-fail by default: missing revocation data is INDETERMINATE, so "validates offline" means the data is really embedded.</summary>
    public XmlSignatureValidator Validator(RevocationMode mode, bool softFail = false) =>
        new(new CertificateValidator(Trust, ValidationPolicy.Default with { Revocation = mode, SoftFail = softFail }));

    public async Task<byte[]> SignAsync(SignatureLevel level, byte[] input, TestIdentity? who = null)
    {
        using var signer = (who ?? Pki.Leader).CreateSigner();
        var options = new SignatureOptions { Level = level, Timestamps = level >= SignatureLevel.BaselineT ? new Rfc3161Client(Responders.TsaUri) : null };
        var xml = new XmlSigner(XmlSignatureProfile.XadesEnveloped, options)
        {
            ValidationDataCollector = level >= SignatureLevel.BaselineLT ? new ValidationDataCollector(Trust, ValidationPolicy.Default) : null,
        };
        return await xml.SignAsync(input, signer, "xades.xml");
    }

    public void Dispose()
    {
        Responders.Dispose();
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}

/// <summary>XAdES B-T, B-LT and B-LTA made against the loopback TSA/OCSP/CRL, checked by ours and by xmlsec1.</summary>
[Collection("xml")]
public sealed class XadesLevelTests : IClassFixture<XadesRespondersFixture>
{
    private readonly XmlFixture _x;
    private readonly XadesRespondersFixture _f;
    public XadesLevelTests(XmlFixture x, XadesRespondersFixture f) { _x = x; _f = f; }

    private static string S(byte[] b) => Encoding.UTF8.GetString(b);
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static void AssertPassed(SignatureReport s) =>
        Assert.True(s.Indication == Indication.TotalPassed,
            ValidationReport.EtsiName(s.Indication) + "/" + ValidationReport.EtsiName(s.SubIndication) + ": " + string.Join(" | ", s.Messages.Select(m => m.ToText(System.Globalization.CultureInfo.InvariantCulture))));

    private void AssertXmlSec(byte[] signed, string name)
    {
        var r = _x.XmlSec(signed, name, _f.RootPem, _f.CaPem, DateTimeOffset.UtcNow);
        Assert.True(r.ExitCode == 0, r.All);
    }

    [Fact]
    public async Task B_B_carries_SigningTime_and_SigningCertificateV2_and_verifies_in_ours_and_xmlsec1()
    {
        var signed = await _f.SignAsync(SignatureLevel.BaselineB, XmlFixture.Data("tax-842.xml"));
        var text = S(signed);
        Assert.Contains("<xades:SigningTime>", text);
        Assert.Contains("<xades:SigningCertificateV2>", text);
        Assert.Contains("Type=\"http://uri.etsi.org/01903#SignedProperties\"", text);
        Assert.DoesNotContain("UnsignedProperties", text);
        var s = Assert.Single((await _f.Validator(RevocationMode.Online).ValidateAsync(signed, "bb.xml")).Signatures);
        Assert.Equal(Indication.TotalPassed, s.Indication);
        Assert.Equal("XAdES", s.Format);
        Assert.Equal("B-B", s.Level);
        AssertXmlSec(signed, "bb.xml");
    }

    [Fact]
    public async Task B_T_has_a_SignatureTimeStamp_over_SignatureValue_that_validates_online()
    {
        var signed = await _f.SignAsync(SignatureLevel.BaselineT, XmlFixture.Data("tax-842.xml"));
        Assert.Contains("<xades:SignatureTimeStamp", S(signed));
        var s = Assert.Single((await _f.Validator(RevocationMode.Online).ValidateAsync(signed, "bt.xml")).Signatures);
        Assert.Equal(Indication.TotalPassed, s.Indication);
        Assert.Equal("B-T", s.Level);
        Assert.NotNull(s.TimestampTime);
        AssertXmlSec(signed, "bt.xml");
    }

    [Fact]
    public async Task B_LT_validates_offline_from_the_embedded_values_where_B_T_cannot()
    {
        var lt = await _f.SignAsync(SignatureLevel.BaselineLT, XmlFixture.Data("tax-842.xml"));
        var text = S(lt);
        Assert.Contains("<xades:CertificateValues>", text);
        Assert.Contains("<xades:EncapsulatedOCSPValue>", text);
        var offline = _f.Validator(RevocationMode.Offline);
        var s = Assert.Single((await offline.ValidateAsync(lt, "lt.xml")).Signatures);
        Assert.Equal("B-LT", s.Level);
        AssertPassed(s);
        AssertXmlSec(lt, "lt.xml");

        var bt = Assert.Single((await offline.ValidateAsync(await _f.SignAsync(SignatureLevel.BaselineT, XmlFixture.Data("tax-842.xml")), "bt.xml")).Signatures);
        Assert.Equal(Indication.Indeterminate, bt.Indication); // nothing embedded, no network, hard-fail: revocation unknown
    }

    [Fact]
    public async Task B_LTA_archive_timestamp_validates_offline_and_detects_changed_validation_data()
    {
        var lta = await _f.SignAsync(SignatureLevel.BaselineLTA, XmlFixture.Data("bhxh-d02.xml"));
        var text = S(lta);
        Assert.Contains("<xadesv141:ArchiveTimeStamp", text);
        var s = Assert.Single((await _f.Validator(RevocationMode.Offline).ValidateAsync(lta, "lta.xml")).Signatures);
        Assert.Equal("B-LTA", s.Level);
        AssertPassed(s);
        AssertXmlSec(lta, "lta.xml");

        // The archive timestamp covers the CertificateValues: swapping two of them must break it (xmlsec1 does not look there).
        var certs = Regex.Matches(text, "<xades:EncapsulatedX509Certificate>[^<]*</xades:EncapsulatedX509Certificate>").Cast<Match>().Select(m => m.Value).ToList();
        Assert.True(certs.Count >= 2, "expected at least two CertificateValues");
        var swapped = text.Replace(certs[0], "@@A@@").Replace(certs[1], certs[0]).Replace("@@A@@", certs[1]);
        var bad = Assert.Single((await _f.Validator(RevocationMode.Offline).ValidateAsync(B(swapped), "lta-bad.xml")).Signatures);
        Assert.Equal(Indication.TotalFailed, bad.Indication);
    }

    [Fact]
    public async Task Changed_content_under_B_LTA_is_a_hash_failure()
    {
        var lta = S(await _f.SignAsync(SignatureLevel.BaselineLTA, XmlFixture.Data("tax-842.xml")));
        var s = Assert.Single((await _f.Validator(RevocationMode.Offline).ValidateAsync(B(lta.Replace("<ct22>15000000<", "<ct22>15000001<")), "x.xml")).Signatures);
        Assert.Equal(Indication.TotalFailed, s.Indication);
        Assert.Equal(SubIndication.HashFailure, s.SubIndication);
    }

    [Fact]
    public async Task Revoked_signer_is_not_passed()
    {
        var signed = await _f.SignAsync(SignatureLevel.BaselineT, XmlFixture.Data("tax-842.xml"), _f.Pki.Revoked);
        var s = Assert.Single((await _f.Validator(RevocationMode.Online).ValidateAsync(signed, "revoked.xml")).Signatures);
        Assert.NotEqual(Indication.TotalPassed, s.Indication);
    }

    [Fact]
    public async Task Levels_are_checked_before_the_signer_is_asked()
    {
        var asked = new CountingSigner(_x.Leader);
        var noTsa = await Assert.ThrowsAsync<InvalidInputException>(() =>
            new XmlSigner(XmlSignatureProfile.XadesEnveloped, new SignatureOptions { Level = SignatureLevel.BaselineT }).SignAsync(XmlFixture.Data("tax-842.xml"), asked));
        Assert.Equal(MessageKeys.TimestampUrlMissing, noTsa.MessageKey);
        var noCollector = await Assert.ThrowsAsync<InvalidInputException>(() =>
            new XmlSigner(XmlSignatureProfile.XadesEnveloped, new SignatureOptions { Level = SignatureLevel.BaselineLT, Timestamps = new Rfc3161Client(_f.Responders.TsaUri) })
                .SignAsync(XmlFixture.Data("tax-842.xml"), asked));
        Assert.Equal("CollectorMissing", noCollector.MessageKey);
        var plain = await Assert.ThrowsAsync<InvalidInputException>(() =>
            new XmlSigner(XmlSignatureProfile.Tax, new SignatureOptions { Level = SignatureLevel.BaselineT, Timestamps = new Rfc3161Client(_f.Responders.TsaUri) })
                .SignAsync(XmlFixture.Data("tax-842.xml"), asked));
        Assert.Equal("LevelNeedsXades", plain.MessageKey);
        Assert.Equal(0, asked.Calls);
    }

    private sealed class CountingSigner : ISigner
    {
        private readonly ISigner _inner;
        public CountingSigner(ISigner inner) => _inner = inner;
        public int Calls { get; private set; }
        public System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate => _inner.Certificate;
        public IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> Chain => _inner.Chain;
        public KeyAlgorithm KeyAlgorithm => _inner.KeyAlgorithm;
        public ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, System.Security.Cryptography.HashAlgorithmName hash, RsaPadding padding, CancellationToken ct = default)
        {
            Calls++;
            return _inner.SignDigestAsync(digest, hash, padding, ct);
        }
    }
}
