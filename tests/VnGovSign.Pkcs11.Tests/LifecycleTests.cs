using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using VnGovSign.Cms;
using VnGovSign.Tests;

namespace VnGovSign.Pkcs11.Tests;

public sealed class LifecycleFixture : SoftHsmFixture
{
    public const string Token = "Sở TTTT Tây Ninh";
    public const string EcToken = "Văn thư EC";
    public const string PssToken = "Ký PSS 3072";

    public LifecycleFixture()
    {
        InitToken(Token);
        InitToken(EcToken);
        InitToken(PssToken);
    }
}

/// <summary>
/// The certificate lifecycle on a token: key pair generated on the token → PKCS#10 with a Vietnamese
/// subject (openssl checks its self-signature) → the test CA issues → certificate imported beside its key
/// → CMS signed on the token, checked by openssl; and cross-checks with OpenSC's pkcs11-tool.
/// </summary>
public sealed class LifecycleTests : IClassFixture<LifecycleFixture>
{
    private readonly LifecycleFixture _f;
    public LifecycleTests(LifecycleFixture f) => _f = f;

    private const string Subject = "CN=Nguyễn Văn An, O=Sở Thông tin và Truyền thông, L=Tây Ninh, C=VN, UID=CCCD:079123456789";

    private X509Certificate2 Enrol(string token, string keyLabel, TokenKeyType type, string subject = Subject)
    {
        using var t = _f.Module.OpenToken(token, SoftHsm.UserPin, readWrite: true);
        var key = t.GenerateKeyPair(keyLabel, type);
        Assert.Null(key.Certificate);
        var csr = t.CreateCertificationRequest(keyLabel, subject);
        var csrPath = Path.Combine(_f.Directory, Guid.NewGuid().ToString("N") + ".csr");
        File.WriteAllBytes(csrPath, csr);
        var req = ExternalTool.Run("openssl", "req", "-inform", "DER", "-in", csrPath, "-noout", "-verify", "-subject", "-nameopt", "utf8,sep_comma_plus");
        Assert.True(req.ExitCode == 0, req.All);
        Assert.Contains("verify ok", req.All, StringComparison.OrdinalIgnoreCase);
        var cert = Pki.Instance.IssueFromRequest(csr);
        var imported = t.ImportCertificate(keyLabel, cert);
        Assert.Equal(KeyPairing.ById, imported.Pairing);
        Assert.Equal(key.Id, imported.Id);
        Assert.Equal(cert.RawData, imported.Certificate!.RawData);
        return cert;
    }

    private async Task<byte[]> SignCms(string token, string keyLabel, byte[] content, RsaPadding padding = RsaPadding.Pkcs1)
    {
        await using var signer = new AsyncDisposableSigner(await Pkcs11Signer.OpenAsync(new Pkcs11SignerOptions
        {
            ModulePath = SoftHsm.ModulePath, TokenLabel = token, Pin = SoftHsm.UserPin, KeyLabel = keyLabel,
        }));
        var options = new SignatureOptions { Clock = new FixedClock(Pki.Now.AddHours(1)), Padding = padding };
        return await new CadesSigner(options).SignDetachedAsync(new MemoryStream(content), signer.Signer, true);
    }

    [Fact]
    public async Task Rsa2048_keygen_csr_issue_import_sign_verifies_with_openssl()
    {
        var cert = Enrol(LifecycleFixture.Token, "Nguyễn Văn An", TokenKeyType.Rsa2048);
        Assert.Contains("Nguyễn Văn An", cert.Subject);
        Assert.Contains("CCCD:079123456789", cert.Subject);
        using (var rsa = cert.GetRSAPublicKey()) Assert.Equal(2048, rsa!.KeySize);

        var content = Encoding.UTF8.GetBytes("Quyết định số 07/2016/QĐ-UBND\n");
        var cms = await SignCms(LifecycleFixture.Token, "Nguyễn Văn An", content);
        var r = Check.OpensslCms(_f.Directory, cms, content);
        Assert.True(r.ExitCode == 0, r.All);
        // …and a tampered content does not verify: the check can fail.
        var bad = Check.OpensslCms(_f.Directory, cms, Encoding.UTF8.GetBytes("Quyết định số 08/2016/QĐ-UBND\n"));
        Assert.NotEqual(0, bad.ExitCode);

        // OpenSC's pkcs11-tool sees the key and its certificate under the Vietnamese label with one CKA_ID…
        var listing = _f.Tool("pkcs11-tool", "--module", SoftHsm.ModulePath, "--token-label", LifecycleFixture.Token, "--login", "--pin", SoftHsm.UserPin,
            "--list-objects").StdOut;
        using var t = _f.Module.OpenToken(LifecycleFixture.Token, SoftHsm.UserPin);
        var key = t.FindKey("Nguyễn Văn An");
        int labelled = listing.Split('\n').Count(l => l.Contains("label:") && l.Contains("Nguyễn Văn An"));
        Assert.Equal(3, labelled); // private key, public key, certificate
        Assert.Equal(3, listing.Split('\n').Count(l => l.Contains("ID:") && l.Replace(" ", "").Contains(key.IdHex, StringComparison.OrdinalIgnoreCase)));
        // …the private key was generated on the token and can never leave it…
        Assert.Contains("never extractable", listing);
        Assert.Contains("sensitive", listing);
        // …and a signature pkcs11-tool makes with that key verifies with the imported certificate.
        var dataPath = Path.Combine(_f.Directory, "pkcs11-tool.txt");
        var sigPath = Path.Combine(_f.Directory, "pkcs11-tool.sig");
        File.WriteAllBytes(dataPath, content);
        _f.Tool("pkcs11-tool", "--module", SoftHsm.ModulePath, "--token-label", LifecycleFixture.Token, "--login", "--pin", SoftHsm.UserPin,
            "--sign", "--mechanism", "SHA256-RSA-PKCS", "--id", key.IdHex, "--input-file", dataPath, "--output-file", sigPath);
        Assert.True(Check.Verifies(cert, SHA256.HashData(content), File.ReadAllBytes(sigPath), HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
    }

    [Fact]
    public async Task EcP256_keygen_csr_issue_import_sign_verifies_with_openssl()
    {
        var cert = Enrol(LifecycleFixture.EcToken, "Văn thư Sở", TokenKeyType.EcP256,
            "CN=Sở Thông tin và Truyền thông tỉnh Tây Ninh, O=Sở Thông tin và Truyền thông tỉnh Tây Ninh, L=Tây Ninh, C=VN, UID=MST:3900123456");
        Assert.NotNull(cert.GetECDsaPublicKey());
        var content = Encoding.UTF8.GetBytes("Công văn số 123/STTTT-VP");
        var cms = await SignCms(LifecycleFixture.EcToken, "Văn thư Sở", content);
        var r = Check.OpensslCms(_f.Directory, cms, content);
        Assert.True(r.ExitCode == 0, r.All);

        // The raw signer output is P1363 (r‖s, 64 bytes for P-256), which .NET verifies directly.
        using var signer = Pkcs11Signer.Open(new() { ModulePath = SoftHsm.ModulePath, TokenLabel = LifecycleFixture.EcToken, Pin = SoftHsm.UserPin });
        Assert.Equal(KeyAlgorithm.Ecdsa, signer.KeyAlgorithm);
        var digest = SHA256.HashData(content);
        var sig = await signer.SignDigestAsync(digest, HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
        Assert.Equal(64, sig.Length);
        Assert.True(Check.Verifies(cert, digest, sig, HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
        digest[0] ^= 1;
        Assert.False(Check.Verifies(cert, digest, sig, HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
    }

    [Fact]
    public async Task Rsa3072_pss_signatures_verify()
    {
        var cert = Enrol(LifecycleFixture.PssToken, "Lãnh đạo PSS", TokenKeyType.Rsa3072);
        using (var rsa = cert.GetRSAPublicKey()) Assert.Equal(3072, rsa!.KeySize);
        var content = Encoding.UTF8.GetBytes("Tờ trình PSS");
        var cms = await SignCms(LifecycleFixture.PssToken, "Lãnh đạo PSS", content, RsaPadding.Pss);
        var r = Check.OpensslCms(_f.Directory, cms, content);
        Assert.True(r.ExitCode == 0, r.All);

        using var signer = Pkcs11Signer.Open(new() { ModulePath = SoftHsm.ModulePath, TokenLabel = LifecycleFixture.PssToken, Pin = SoftHsm.UserPin, KeyLabel = "Lãnh đạo PSS" });
        foreach (var hash in new[] { HashAlgorithmName.SHA256, HashAlgorithmName.SHA384, HashAlgorithmName.SHA512 })
        {
            var digest = Digests.Compute(hash, content);
            var pss = await signer.SignDigestAsync(digest, hash, RsaPadding.Pss);
            Assert.True(Check.Verifies(cert, digest, pss, hash, RsaPadding.Pss), hash.Name);
            Assert.False(Check.Verifies(cert, digest, pss, hash, RsaPadding.Pkcs1), hash.Name);
            var v15 = await signer.SignDigestAsync(digest, hash, RsaPadding.Pkcs1);
            Assert.True(Check.Verifies(cert, digest, v15, hash, RsaPadding.Pkcs1), hash.Name);
        }
        // A digest of the wrong length is refused before the token is asked.
        await Assert.ThrowsAsync<InvalidInputException>(async () => await signer.SignDigestAsync(new byte[20], HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
    }

    [Fact]
    public void Keygen_refuses_a_label_in_use_and_bad_subjects()
    {
        using var t = _f.Module.OpenToken(LifecycleFixture.EcToken, SoftHsm.UserPin, readWrite: true);
        t.GenerateKeyPair("Trùng nhãn", TokenKeyType.EcP256);
        var e = Assert.Throws<InvalidInputException>(() => t.GenerateKeyPair("Trùng nhãn", TokenKeyType.EcP256));
        Assert.Equal(Pkcs11Messages.KeyExists, e.MessageKey);
        Assert.Throws<InvalidInputException>(() => t.CreateCertificationRequest("Trùng nhãn", "this is not a name"));
        var missing = Assert.Throws<InvalidInputException>(() => t.CreateCertificationRequest("Không có khóa này", "CN=X, C=VN"));
        Assert.Equal(Pkcs11Messages.KeyNotFound, missing.MessageKey);
        // A certificate of another key is refused on import.
        var mismatch = Assert.Throws<InvalidInputException>(() => t.ImportCertificate("Trùng nhãn", Pki.Instance.Leader.Certificate));
        Assert.Equal(Pkcs11Messages.CertificateKeyMismatch, mismatch.MessageKey);
    }

    [Fact]
    public void Subject_parsing_keeps_vietnamese_and_uid()
    {
        var name = Pkcs11Token.ParseSubject(Subject);
        var text = name.Format(false);
        Assert.Contains("Nguyễn Văn An", text);
        Assert.Contains("CCCD:079123456789", text);
        // DER order: the least specific part (C) comes before CN.
        var oids = Org.BouncyCastle.Asn1.X509.X509Name.GetInstance(Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(name.RawData)).GetOidList();
        Assert.True(oids.IndexOf(Org.BouncyCastle.Asn1.X509.X509Name.C) < oids.IndexOf(Org.BouncyCastle.Asn1.X509.X509Name.CN));
    }
}

/// <summary>Lets a test use <c>await using</c> on the synchronous signer.</summary>
internal sealed class AsyncDisposableSigner : IAsyncDisposable
{
    public AsyncDisposableSigner(Pkcs11Signer signer) => Signer = signer;
    public Pkcs11Signer Signer { get; }
    public ValueTask DisposeAsync() { Signer.Dispose(); return default; }
}
