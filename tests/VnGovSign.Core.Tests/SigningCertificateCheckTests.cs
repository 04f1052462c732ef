using System.Text;
using Org.BouncyCastle.Asn1.X509;
using VnGovSign.Cms;

namespace VnGovSign.Core.Tests;

/// <summary>The pre-sign check of the signer's certificate: validity, keyUsage, extendedKeyUsage; CadesSigner runs it first.</summary>
public sealed class SigningCertificateCheckTests : IClassFixture<PkiFixture>
{
    private readonly PkiFixture _f;
    private readonly CertFactory _cf = new();
    private static readonly byte[] Content = Encoding.UTF8.GetBytes("Quyết định số 12/QĐ-UBND\n");

    public SigningCertificateCheckTests(PkiFixture f) => _f = f;

    private static SigningException Refused(System.Security.Cryptography.X509Certificates.X509Certificate2 c, DateTimeOffset at) =>
        Assert.Throws<SigningException>(() => SigningCertificateCheck.Ensure(c, at));

    [Fact]
    public void Expired_certificate_is_refused_naming_the_subject_and_the_expiry_date_in_vietnamese_and_english()
    {
        var c = _f.Pki.Expired.Certificate;
        var e = Refused(c, PkiFixture.Now);
        Assert.Equal(MessageKeys.SignerCertificateExpired, e.MessageKey);
        Assert.Equal(c.Subject, e.MessageArguments[0]);
        Assert.Equal(c.NotAfter.ToUniversalTime(), e.MessageArguments[1]);
        string date = c.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss");
        var vi = e.GetMessage(Messages.Vietnamese);
        Assert.Contains("Chứng thư số của người ký", vi);
        Assert.Contains("đã hết hạn ngày " + date + " UTC", vi);
        Assert.Contains("Lê Văn Cường", vi);
        Assert.Contains("thời điểm ký 2026-12-01 03:00:00 UTC", vi);
        var en = e.GetMessage(Messages.English);
        Assert.Contains("The signer's certificate", en);
        Assert.Contains("expired on " + date + " UTC", en);
        Assert.Equal(en, e.Message);
    }

    [Fact]
    public void Not_yet_valid_certificate_is_refused_naming_the_start_date()
    {
        var c = _f.Pki.NotYetValid.Certificate;
        var e = Refused(c, PkiFixture.Now);
        Assert.Equal(MessageKeys.SignerCertificateNotYetValid, e.MessageKey);
        string date = c.NotBefore.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss");
        Assert.Contains("chưa có hiệu lực, chỉ có hiệu lực từ ngày " + date + " UTC", e.GetMessage(Messages.Vietnamese));
        Assert.Contains("Phạm Thị Dung", e.GetMessage(Messages.Vietnamese));
        Assert.Contains("is not valid before " + date + " UTC", e.GetMessage(Messages.English));
        // Thirty-one days later the same certificate signs.
        SigningCertificateCheck.Ensure(c, PkiFixture.Now.AddDays(31));
    }

    [Fact]
    public void Validity_bounds_are_inclusive_and_the_offset_of_the_time_does_not_matter()
    {
        var root = _cf.Root();
        var from = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var leaf = _cf.Leaf("Bounds", root, from: from, to: to).Certificate;
        SigningCertificateCheck.Ensure(leaf, from);
        SigningCertificateCheck.Ensure(leaf, to);
        SigningCertificateCheck.Ensure(leaf, new DateTimeOffset(2027, 1, 1, 7, 0, 0, TimeSpan.FromHours(7))); // = to, in Hà Nội time
        Assert.Equal(MessageKeys.SignerCertificateExpired, Refused(leaf, to.AddSeconds(1)).MessageKey);
        Assert.Equal(MessageKeys.SignerCertificateNotYetValid, Refused(leaf, from.AddSeconds(-1)).MessageKey);
        Assert.Equal(MessageKeys.SignerCertificateExpired,
            Refused(leaf, new DateTimeOffset(2027, 1, 1, 7, 0, 1, TimeSpan.FromHours(7))).MessageKey);
    }

    [Theory]
    [InlineData(KeyUsage.KeyEncipherment, "keyEncipherment")]
    [InlineData(KeyUsage.KeyEncipherment | KeyUsage.DataEncipherment, "keyEncipherment, dataEncipherment")]
    [InlineData(KeyUsage.KeyAgreement, "keyAgreement")]
    [InlineData(KeyUsage.KeyCertSign | KeyUsage.CrlSign, "keyCertSign, cRLSign")]
    public void Key_usage_without_digitalSignature_or_nonRepudiation_is_refused(int keyUsage, string names)
    {
        var leaf = _cf.Leaf("Chỉ mã hóa", _cf.Root(), keyUsage: keyUsage).Certificate;
        var e = Refused(leaf, CertFactory.T);
        Assert.Equal(MessageKeys.SignerKeyUsageNotForSigning, e.MessageKey);
        Assert.Contains("Chỉ mã hóa", e.GetMessage(Messages.Vietnamese));
        Assert.Contains("không cho phép ký", e.GetMessage(Messages.Vietnamese));
        Assert.Contains("(keyUsage: " + names + ", neither digitalSignature nor nonRepudiation)", e.GetMessage(Messages.English));
    }

    [Theory]
    [InlineData(KeyUsage.DigitalSignature)]
    [InlineData(KeyUsage.NonRepudiation)]
    [InlineData(KeyUsage.NonRepudiation | KeyUsage.KeyEncipherment)]
    public void Key_usage_with_digitalSignature_or_nonRepudiation_is_accepted(int keyUsage) =>
        SigningCertificateCheck.Ensure(_cf.Leaf("Ký được", _cf.Root(), keyUsage: keyUsage).Certificate, CertFactory.T);

    [Fact]
    public void No_key_usage_extension_means_any_use_and_is_accepted()
    {
        var leaf = _cf.Issue(CertFactory.Name("Không có keyUsage"), _cf.Root(),
            g => g.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false))).Certificate;
        Assert.Null(leaf.Extensions["2.5.29.15"]);
        SigningCertificateCheck.Ensure(leaf, CertFactory.T);
    }

    [Fact]
    public void Timestamping_only_or_ocsp_signing_only_extended_key_usage_is_refused()
    {
        // The test PKI's TSA (critical id-kp-timeStamping) and OCSP responder (id-kp-OCSPSigning) certificates.
        var tsa = Refused(_f.Pki.Tsa.Certificate, PkiFixture.Now);
        Assert.Equal(MessageKeys.SignerExtendedKeyUsageNotForSigning, tsa.MessageKey);
        Assert.Contains("id-kp-timeStamping", tsa.GetMessage(Messages.English));
        Assert.Contains("không dùng để ký tài liệu", tsa.GetMessage(Messages.Vietnamese));
        var ocsp = Refused(_f.Pki.Ocsp.Certificate, PkiFixture.Now);
        Assert.Equal(MessageKeys.SignerExtendedKeyUsageNotForSigning, ocsp.MessageKey);
        Assert.Contains("id-kp-OCSPSigning", ocsp.GetMessage(Messages.English));
        // Both together, non-critical, with a keyUsage that would allow signing: still not a document signer.
        var both = Leaf(KeyPurposeID.id_kp_timeStamping, KeyPurposeID.id_kp_OCSPSigning);
        Assert.Equal(MessageKeys.SignerExtendedKeyUsageNotForSigning, Refused(both, CertFactory.T).MessageKey);
    }

    [Fact]
    public void Other_extended_key_usages_are_accepted()
    {
        // What Vietnamese personal and organisation certificates carry, anyExtendedKeyUsage, and a mix with timeStamping.
        SigningCertificateCheck.Ensure(Leaf(KeyPurposeID.id_kp_emailProtection, KeyPurposeID.id_kp_clientAuth), CertFactory.T);
        SigningCertificateCheck.Ensure(Leaf(KeyPurposeID.id_kp_clientAuth), CertFactory.T);
        SigningCertificateCheck.Ensure(Leaf(KeyPurposeID.AnyExtendedKeyUsage), CertFactory.T);
        SigningCertificateCheck.Ensure(Leaf(KeyPurposeID.id_kp_timeStamping, KeyPurposeID.id_kp_emailProtection), CertFactory.T);
        SigningCertificateCheck.Ensure(Leaf(KeyPurposeID.id_kp_codeSigning), CertFactory.T);
    }

    [Fact]
    public void The_test_pki_people_and_organisation_are_accepted()
    {
        foreach (var who in new[] { _f.Pki.Leader, _f.Pki.LeaderEc, _f.Pki.Organization, _f.Pki.Revoked })
            SigningCertificateCheck.Ensure(who.Certificate, PkiFixture.Now); // revocation is the verifier's business
    }

    [Fact]
    public async Task CadesSigner_refuses_an_expired_signer_before_reading_the_content()
    {
        using var signer = _f.Pki.Expired.CreateSigner();
        var content = new MemoryStream(Content);
        var cades = new CadesSigner(new SignatureOptions { Clock = new FixedClock(PkiFixture.Now) });
        var e = await Assert.ThrowsAsync<SigningException>(() => cades.SignDetachedAsync(content, signer));
        Assert.Equal(MessageKeys.SignerCertificateExpired, e.MessageKey);
        Assert.Equal(0, content.Position); // nothing was read, so nothing was digested or signed

        var digest = System.Security.Cryptography.SHA256.HashData(Content);
        using var future = _f.Pki.NotYetValid.CreateSigner();
        var e2 = await Assert.ThrowsAsync<SigningException>(() => cades.SignDigestAsync(digest, future));
        Assert.Equal(MessageKeys.SignerCertificateNotYetValid, e2.MessageKey);

        // The same signer signs once the clock is inside its validity period.
        var later = new CadesSigner(new SignatureOptions { Clock = new FixedClock(_f.Pki.NotYetValid.Certificate.NotBefore.ToUniversalTime().AddDays(1)) });
        Assert.NotEmpty(await later.SignDigestAsync(digest, future));
    }

    private System.Security.Cryptography.X509Certificates.X509Certificate2 Leaf(params KeyPurposeID[] purposes) =>
        _cf.Leaf("EKU " + string.Join("+", purposes.Select(p => p.Id)), _cf.Root(),
            extra: g => g.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(purposes))).Certificate;
}
