using System.Security.Cryptography;
using System.Text;
using VnGovSign.Cms;
using VnGovSign.Tests;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Core.Tests;

public sealed class CmsSigningTests : IClassFixture<PkiFixture>, IDisposable
{
    private readonly PkiFixture _f;
    private readonly string _dir = Directory.CreateTempSubdirectory("vgs-cms-").FullName;
    private static readonly byte[] Content = Encoding.UTF8.GetBytes("Kế hoạch chữ ký số 2027 — Sở Thông tin và Truyền thông tỉnh Tây Ninh\n");

    public CmsSigningTests(PkiFixture f) => _f = f;

    public void Dispose() => Directory.Delete(_dir, true);

    private CertificateValidator Validator() =>
        new(TrustStore.Empty.With(new[] { _f.Pki.Root.Certificate }), ValidationPolicy.Default with { Revocation = RevocationMode.None, ValidationTime = PkiFixture.Now });

    private async Task<byte[]> Sign(TestingIdentity who, SignatureOptions? options = null, byte[]? content = null)
    {
        using var signer = who().CreateSigner();
        options ??= new SignatureOptions { Clock = new FixedClock(PkiFixture.Now) };
        return await new CadesSigner(options).SignDetachedAsync(new MemoryStream(content ?? Content), signer);
    }

    public delegate VnGovSign.Testing.TestIdentity TestingIdentity();

    private async Task<SignatureReport> Validate(byte[] cms, byte[] content)
    {
        var report = await new CadesValidator(Validator(), new FixedClock(PkiFixture.Now))
            .ValidateDetachedAsync(cms, new MemoryStream(content), "test.p7s");
        return report.Signatures.Single();
    }

    private void OpensslVerifies(byte[] cms, byte[] content, bool expected = true)
    {
        File.WriteAllBytes(Path.Combine(_dir, "s.p7s"), cms);
        File.WriteAllBytes(Path.Combine(_dir, "c.bin"), content);
        File.WriteAllText(Path.Combine(_dir, "root.pem"), CertificateFiles.ToPem(_f.Pki.Root.Certificate.RawData));
        // -attime: the PKI is dated; openssl must judge validity at the PKI's "now".
        var r = ExternalTool.Run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", Path.Combine(_dir, "s.p7s"),
            "-content", Path.Combine(_dir, "c.bin"), "-CAfile", Path.Combine(_dir, "root.pem"), "-purpose", "any",
            "-attime", PkiFixture.Now.ToUnixTimeSeconds().ToString(), "-out", "/dev/null");
        Assert.True(expected == (r.ExitCode == 0), r.All);
    }

    [Fact]
    public async Task Rsa_pkcs1_signature_verifies_with_ours_and_openssl()
    {
        var cms = await Sign(() => _f.Pki.Leader);
        var report = await Validate(cms, Content);
        Assert.Equal(Indication.TotalPassed, report.Indication);
        Assert.Equal("B-B", report.Level);
        Assert.Equal(PkiFixture.Now, report.SigningTime);
        Assert.Contains("Nguyễn Văn An", report.Signer!.Subject);
        Assert.Equal(3, report.Certificates.Count); // leader → sub-CA → root
        OpensslVerifies(cms, Content);
    }

    [Fact]
    public async Task Rsa_pss_signature_verifies_with_ours_and_openssl()
    {
        var cms = await Sign(() => _f.Pki.Organization, new SignatureOptions { Padding = RsaPadding.Pss, Clock = new FixedClock(PkiFixture.Now) });
        Assert.Equal("1.2.840.113549.1.1.10", CmsSignature.Parse(cms).SignatureAlgorithmOid);
        Assert.Equal(Indication.TotalPassed, (await Validate(cms, Content)).Indication);
        OpensslVerifies(cms, Content);
    }

    [Theory]
    [InlineData("SHA256")]
    [InlineData("SHA384")]
    public async Task Ecdsa_signature_verifies_with_ours_and_openssl(string hash)
    {
        var cms = await Sign(() => _f.Pki.LeaderEc, new SignatureOptions { Hash = new HashAlgorithmName(hash), Clock = new FixedClock(PkiFixture.Now) });
        Assert.Equal(Indication.TotalPassed, (await Validate(cms, Content)).Indication);
        OpensslVerifies(cms, Content);
    }

    [Fact]
    public async Task One_changed_byte_of_content_is_a_hash_failure_for_ours_and_openssl()
    {
        var cms = await Sign(() => _f.Pki.Leader);
        var tampered = (byte[])Content.Clone();
        tampered[5] ^= 0x01;
        var report = await Validate(cms, tampered);
        Assert.Equal(Indication.TotalFailed, report.Indication);
        Assert.Equal(SubIndication.HashFailure, report.SubIndication);
        OpensslVerifies(cms, tampered, expected: false);
    }

    [Fact]
    public async Task A_changed_signature_value_is_a_crypto_failure()
    {
        var cms = await Sign(() => _f.Pki.Leader);
        var parsed = CmsSignature.Parse(cms);
        int at = cms.AsSpan().IndexOf(parsed.SignatureValue);
        cms[at + 10] ^= 0x01;
        var report = await Validate(cms, Content);
        Assert.Equal(SubIndication.SigCryptoFailure, report.SubIndication);
    }

    [Fact]
    public async Task Signed_attributes_are_those_cades_baseline_asks_for()
    {
        var cms = await Sign(() => _f.Pki.Leader);
        var parsed = CmsSignature.Parse(cms);
        Assert.NotNull(parsed.SigningCertificateHashes);
        Assert.Equal(Digests.Sha256(_f.Pki.Leader.Certificate.RawData), parsed.SigningCertificateHashes![0].CertificateHash);
        Assert.Equal(Digests.Compute(HashAlgorithmName.SHA256, Content), parsed.MessageDigest);
        Assert.Equal(3, parsed.Certificates.Count); // the full chain is embedded
        Assert.Null(parsed.EncapsulatedContent); // detached
    }

    [Fact]
    public async Task Pades_style_signature_has_no_signing_time_attribute()
    {
        using var signer = _f.Pki.Leader.CreateSigner();
        var cms = await new CadesSigner(new SignatureOptions { Clock = new FixedClock(PkiFixture.Now) })
            .SignDetachedAsync(new MemoryStream(Content), signer, includeSigningTime: false);
        Assert.Null(CmsSignature.Parse(cms).SigningTime);
        OpensslVerifies(cms, Content);
    }

    [Fact]
    public async Task Two_phase_flow_survives_serialisation_between_prepare_and_complete()
    {
        using var signer = _f.Pki.Leader.CreateSigner();
        var digest = Digests.Compute(HashAlgorithmName.SHA256, Content);
        var prepared = CadesSignatureBuilder.Prepare(digest, signer.Certificate, signer.Chain, signer.KeyAlgorithm,
            new CmsSignatureParameters { SigningTime = PkiFixture.Now });
        byte[] state = prepared.Serialize();

        // …the digest travels to a phone or a token; the server restarts…
        var value = await signer.SignDigestAsync(prepared.Digest, prepared.Hash, prepared.Padding);
        var restored = PreparedCmsSignature.Deserialize(state);
        Assert.Equal(prepared.Digest.ToArray(), restored.Digest.ToArray());
        var cms = restored.Complete(value);
        Assert.Equal(Indication.TotalPassed, (await Validate(cms, Content)).Indication);
        OpensslVerifies(cms, Content);
    }

    [Fact]
    public async Task Complete_refuses_a_signature_value_from_the_wrong_key()
    {
        using var leader = _f.Pki.Leader.CreateSigner();
        using var other = _f.Pki.Organization.CreateSigner();
        var prepared = CadesSignatureBuilder.Prepare(Digests.Compute(HashAlgorithmName.SHA256, Content), leader.Certificate, leader.Chain,
            leader.KeyAlgorithm, new CmsSignatureParameters());
        var wrong = await other.SignDigestAsync(prepared.Digest, prepared.Hash, prepared.Padding);
        var e = Assert.Throws<SigningException>(() => prepared.Complete(wrong));
        Assert.Equal(MessageKeys.SignatureValueInvalid, e.MessageKey);
        Assert.Contains("chữ ký", e.GetMessage(Messages.Vietnamese));
    }

    [Fact]
    public void Deserialize_rejects_garbage_with_a_typed_error()
    {
        Assert.Throws<InvalidInputException>(() => PreparedCmsSignature.Deserialize(Encoding.UTF8.GetBytes("{\"type\":\"x\"}")));
        Assert.Throws<InvalidInputException>(() => PreparedCmsSignature.Deserialize(new byte[] { 1, 2, 3 }));
    }

    [Fact]
    public async Task Cms_with_fixed_clock_and_key_is_byte_for_byte_stable()
    {
        var cms = await Sign(() => _f.Pki.Leader);
        GoldenFile.VerifyBytes(cms, "leader-b-b", "p7s");
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x30, 0x82, 0x01 })]
    [InlineData(new byte[] { 0x04, 0x02, 0x01, 0x02 })]
    public void Malformed_cms_is_a_typed_error(byte[] bytes)
    {
        var e = Assert.Throws<InvalidInputException>(() => CmsSignature.Parse(bytes, "x.p7s"));
        Assert.Contains("x.p7s", e.GetMessage(Messages.English));
    }

    [Fact]
    public async Task Truncated_cms_is_a_typed_error()
    {
        var cms = await Sign(() => _f.Pki.Leader);
        Assert.Throws<InvalidInputException>(() => CmsSignature.Parse(cms.AsSpan(0, cms.Length / 2).ToArray(), "cut.p7s"));
    }

    [Fact]
    public void Wrong_pfx_password_is_a_typed_error_naming_the_file()
    {
        var pfx = _f.Pki.Leader.ExportPfx("right");
        var e = Assert.Throws<InvalidInputException>(() => SoftwareSigner.FromPfx(pfx, "wrong", "leader.pfx"));
        Assert.Contains("leader.pfx", e.GetMessage());
    }

    [Fact]
    public void Test_pki_names_are_vietnamese_utf8_and_shaped_like_ban_co_yeu()
    {
        var pki = _f.Pki;
        Assert.Contains("CA phục vụ các cơ quan Nhà nước", pki.SubCa.Certificate.Subject);
        Assert.Contains("MST:3900123456", pki.Organization.Certificate.Subject);
        var tsaEku = pki.Tsa.Certificate.Extensions["2.5.29.37"];
        Assert.NotNull(tsaEku);
        Assert.True(tsaEku!.Critical);
        Assert.NotNull(pki.Ocsp.Certificate.Extensions["1.3.6.1.5.5.7.48.1.5"]); // ocsp-nocheck
        Assert.True(pki.Expired.Certificate.NotAfter.ToUniversalTime() < PkiFixture.Now.UtcDateTime);
        Assert.True(pki.NotYetValid.Certificate.NotBefore.ToUniversalTime() > PkiFixture.Now.UtcDateTime);
        // openssl parses the UTF-8 names (the .NET "S=" rendering of ST is not what we rely on).
        var pem = Path.Combine(_dir, "org.pem");
        File.WriteAllText(pem, CertificateFiles.ToPem(pki.Organization.Certificate.RawData));
        var r = ExternalTool.Run("openssl", "x509", "-in", pem, "-noout", "-subject", "-nameopt", "utf8");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Sở Thông tin và Truyền thông tỉnh Tây Ninh", r.StdOut);
    }

    [Fact]
    public void Same_seed_and_time_give_the_same_pki()
    {
        var again = VnGovSign.Testing.TestPki.Create(new VnGovSign.Testing.TestPkiOptions { Seed = 20261201, Now = PkiFixture.Now });
        Assert.Equal(_f.Pki.Leader.Certificate.RawData, again.Leader.Certificate.RawData);
        Assert.Equal(_f.Pki.Root.Certificate.RawData, again.Root.Certificate.RawData);
    }
}
