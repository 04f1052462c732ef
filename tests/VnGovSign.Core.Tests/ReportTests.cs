using System.Reflection;
using System.Text;
using System.Text.Json;
using VnGovSign.Cms;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Core.Tests;

/// <summary>The validation report: ETSI names, JSON fields of the command-line contract, texts in vi and en.</summary>
public sealed class ReportTests : IClassFixture<PkiFixture>
{
    private static readonly byte[] Content = Encoding.UTF8.GetBytes("Công văn số 7/CV-STTTT\n");
    private readonly PkiFixture _f;

    public ReportTests(PkiFixture f) => _f = f;

    private async Task<ValidationReport> SignAndValidate(VnGovSign.Testing.TestIdentity who, ValidationPolicy? policy = null, byte[]? validateContent = null)
    {
        using var signer = who.CreateSigner();
        var cms = await new CadesSigner(new SignatureOptions { Clock = new FixedClock(PkiFixture.Now) }).SignDetachedAsync(new MemoryStream(Content), signer);
        var v = new CertificateValidator(TrustStore.Empty.With(new[] { _f.Pki.Root.Certificate }),
            policy ?? ValidationPolicy.Default with { Revocation = RevocationMode.None, ValidationTime = PkiFixture.Now });
        return await new CadesValidator(v, new FixedClock(PkiFixture.Now)).ValidateDetachedAsync(cms, new MemoryStream(validateContent ?? Content), "cong-van.p7s");
    }

    [Theory]
    [InlineData(SubIndication.HashFailure, "HASH_FAILURE")]
    [InlineData(SubIndication.SigCryptoFailure, "SIG_CRYPTO_FAILURE")]
    [InlineData(SubIndication.NoCertificateChainFound, "NO_CERTIFICATE_CHAIN_FOUND")]
    [InlineData(SubIndication.CertificateChainGeneralFailure, "CERTIFICATE_CHAIN_GENERAL_FAILURE")]
    [InlineData(SubIndication.OutOfBoundsNoPoe, "OUT_OF_BOUNDS_NO_POE")]
    [InlineData(SubIndication.TryLater, "TRY_LATER")]
    [InlineData(SubIndication.Revoked, "REVOKED")]
    [InlineData(SubIndication.RevokedNoPoe, "REVOKED_NO_POE")]
    [InlineData(SubIndication.CryptoConstraintsFailureNoPoe, "CRYPTO_CONSTRAINTS_FAILURE_NO_POE")]
    public void Sub_indications_are_spelled_as_etsi_writes_them(SubIndication sub, string etsi) =>
        Assert.Equal(etsi, ValidationReport.EtsiName(sub));

    [Fact]
    public void Indications_are_spelled_as_etsi_writes_them()
    {
        Assert.Equal("TOTAL_PASSED", ValidationReport.EtsiName(Indication.TotalPassed));
        Assert.Equal("TOTAL_FAILED", ValidationReport.EtsiName(Indication.TotalFailed));
        Assert.Equal("INDETERMINATE", ValidationReport.EtsiName(Indication.Indeterminate));
        Assert.Null(ValidationReport.EtsiName(SubIndication.None));
    }

    [Fact]
    public async Task Json_carries_the_contract_fields_and_every_certificate_subject()
    {
        var report = await SignAndValidate(_f.Pki.Leader);
        using var doc = JsonDocument.Parse(report.ToJson(Messages.English));
        var root = doc.RootElement;
        Assert.Equal("TOTAL_PASSED", root.GetProperty("indication").GetString());
        var s = root.GetProperty("signatures")[0];
        Assert.Equal("TOTAL_PASSED", s.GetProperty("indication").GetString());
        Assert.Equal(JsonValueKind.Null, s.GetProperty("subIndication").ValueKind);
        Assert.Equal("B-B", s.GetProperty("level").GetString());
        Assert.Equal("CAdES", s.GetProperty("format").GetString());
        Assert.Contains("Nguyễn Văn An", s.GetProperty("signer").GetProperty("subject").GetString()); // UTF-8 kept, not \u-escaped
        Assert.Equal("2026-12-01T03:00:00+00:00", s.GetProperty("signingTime").GetString());
        var subjects = s.GetProperty("certificates").EnumerateArray().Select(c => c.GetProperty("subject").GetString()).ToList();
        Assert.Equal(new[] { _f.Pki.Leader.Certificate.Subject, _f.Pki.SubCa.Certificate.Subject, _f.Pki.Root.Certificate.Subject }, subjects);
        foreach (var c in s.GetProperty("certificates").EnumerateArray())
            foreach (var field in new[] { "issuer", "serialNumber", "notBefore", "notAfter", "sha256", "revocationStatus", "revocationSource", "trustAnchor" })
                Assert.True(c.TryGetProperty(field, out _), field);
        Assert.Contains(s.GetProperty("messages").EnumerateArray(), m => m.GetProperty("key").GetString() == MessageKeys.SignatureValid
            && m.GetProperty("text").GetString() == "The signature is valid");
    }

    [Fact]
    public async Task A_changed_content_is_total_failed_hash_failure_in_json_and_in_both_languages()
    {
        var report = await SignAndValidate(_f.Pki.Leader, validateContent: Encoding.UTF8.GetBytes("Công văn số 8/CV-STTTT\n"));
        using var doc = JsonDocument.Parse(report.ToJson());
        Assert.Equal("TOTAL_FAILED", doc.RootElement.GetProperty("indication").GetString());
        Assert.Equal("HASH_FAILURE", doc.RootElement.GetProperty("signatures")[0].GetProperty("subIndication").GetString());
        var vi = report.ToText();
        var en = report.ToText(Messages.English);
        Assert.Contains("KHÔNG HỢP LỆ", vi);
        Assert.Contains("Nội dung đã bị thay đổi sau khi ký", vi);
        Assert.Contains("INVALID", en);
        Assert.Contains("The content was changed after signing", en);
    }

    [Fact]
    public async Task A_soft_failed_revocation_check_is_a_warning_in_the_report_in_vi_and_en()
    {
        // Revocation online, but nothing listens at the test PKI's base URL (no responders started here).
        var policy = ValidationPolicy.Default with { ValidationTime = PkiFixture.Now, UrlRewrites = new Dictionary<string, string>
        {
            [_f.Pki.BaseUrl] = "http://127.0.0.1:" + RespondersFixture.ClosedPort(),
        } };
        var report = await SignAndValidate(_f.Pki.Leader, policy);
        Assert.Equal(Indication.TotalPassed, report.Indication);
        using var doc = JsonDocument.Parse(report.ToJson(Messages.Vietnamese));
        var warnings = doc.RootElement.GetProperty("signatures")[0].GetProperty("messages").EnumerateArray()
            .Where(m => m.GetProperty("key").GetString() == MessageKeys.RevocationUnavailableSoftFail).ToList();
        Assert.Equal(2, warnings.Count); // the leader and the sub-CA
        Assert.All(warnings, w => Assert.Equal("warning", w.GetProperty("severity").GetString()));
        Assert.Contains("không kiểm tra được tình trạng thu hồi", warnings[0].GetProperty("text").GetString());
        Assert.Contains("Warning: the revocation status of", report.ToText(Messages.English));
        Assert.Equal("unavailable", doc.RootElement.GetProperty("signatures")[0].GetProperty("certificates")[0].GetProperty("revocationSource").GetString());

        var hard = await SignAndValidate(_f.Pki.Leader, policy with { SoftFail = false });
        Assert.Equal(Indication.Indeterminate, hard.Indication);
        Assert.Equal(SubIndication.TryLater, hard.Signatures[0].SubIndication);
        Assert.Contains("CHƯA XÁC ĐỊNH", hard.ToText());
    }

    [Fact]
    public async Task Sha1_is_rejected_by_default_and_accepted_with_a_warning_by_the_legacy_policy()
    {
        using var signer = _f.Pki.Organization.CreateSigner();
        var cms = await new CadesSigner(new SignatureOptions { Hash = System.Security.Cryptography.HashAlgorithmName.SHA1, Clock = new FixedClock(PkiFixture.Now) })
            .SignDetachedAsync(new MemoryStream(Content), signer);
        var trust = TrustStore.Empty.With(new[] { _f.Pki.Root.Certificate });
        async Task<SignatureReport> Check(ValidationPolicy p) =>
            (await new CadesValidator(new CertificateValidator(trust, p with { Revocation = RevocationMode.None, ValidationTime = PkiFixture.Now }), new FixedClock(PkiFixture.Now))
                .ValidateDetachedAsync(cms, new MemoryStream(Content), "sha1.p7s")).Signatures.Single();
        var strict = await Check(ValidationPolicy.Default);
        Assert.Equal((Indication.TotalFailed, SubIndication.CryptoConstraintsFailure), (strict.Indication, strict.SubIndication));
        Assert.Contains(strict.Messages, m => m.Key == MessageKeys.Sha1Rejected);
        var legacy = await Check(ValidationPolicy.Legacy);
        Assert.Equal(Indication.TotalPassed, legacy.Indication);
        Assert.Contains(legacy.Messages, m => m.Key == MessageKeys.Sha1Used && m.Severity == ReportSeverity.Warning);
    }

    [Fact]
    public void Every_message_key_has_a_vietnamese_and_an_english_text()
    {
        var keys = typeof(MessageKeys).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.True(keys.Count > 60);
        foreach (var key in keys)
        {
            var vi = Messages.Core.GetString(key, Messages.Vietnamese);
            var en = Messages.Core.GetString(key, Messages.English);
            Assert.False(string.IsNullOrWhiteSpace(vi), key + " has no Vietnamese text");
            Assert.False(string.IsNullOrWhiteSpace(en), key + " has no English text");
            Assert.True(vi != en || key.StartsWith("Indication.", StringComparison.Ordinal) || !en.Any(char.IsLetter), key + ": same text in both languages: " + en);
        }
    }
}
