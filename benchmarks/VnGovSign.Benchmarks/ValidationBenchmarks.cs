using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using VnGovSign.Revocation;
using VnGovSign.Testing;
using VnGovSign.Testing.Responders;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Benchmarks;

/// <summary>
/// Path validation of the test PKI's leader (leader RSA-2048 → sub-CA RSA-2048 → root RSA-3072) with
/// revocation answered from a warm cache (OCSP for the leader, the root's CRL for the sub-CA; the
/// loopback responders are only asked once, in setup), beside the raw cost of the chain's three
/// signature verifications (.NET/OpenSSL and BouncyCastle), all in the same run.
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private TestResponders _responders = null!;
    private TrustStore _trust = null!;
    private RevocationCache _cache = null!;
    private CertificateValidator _warm = null!;
    private X509Certificate2 _leader = null!;
    private IReadOnlyList<X509Certificate2> _chain = null!;
    private (byte[] Tbs, byte[] Signature, RSA Key)[] _raw = null!;
    private (Org.BouncyCastle.X509.X509Certificate Cert, Org.BouncyCastle.Crypto.AsymmetricKeyParameter Key)[] _bc = null!;

    [GlobalSetup]
    public void Setup()
    {
        // Responders on 127.0.0.1 with the system clock: answers are fresh for the whole run.
        _responders = TestResponders.CreateAndStart(new TestPkiOptions { Seed = 5280 });
        var pki = _responders.Pki;
        _leader = pki.Leader.Certificate;
        _chain = pki.Leader.Chain;
        _trust = TrustStore.Empty.With(new[] { pki.Root.Certificate });
        _cache = new RevocationCache();
        _warm = new CertificateValidator(_trust, ValidationPolicy.Default, null, _cache);
        var first = _warm.ValidateAsync(_leader, DateTimeOffset.UtcNow, _chain).GetAwaiter().GetResult();
        if (first.Indication != Indication.TotalPassed || first.Certificates[0].RevocationSource != "ocsp")
            throw new InvalidOperationException("setup validation did not pass online: " + first.Indication + "/" + first.SubIndication);
        int asked = _responders.Server.RequestCount;
        _ = PathValidationNewValidatorSharedCache().GetAwaiter().GetResult();
        if (_responders.Server.RequestCount != asked) throw new InvalidOperationException("the cache did not answer");

        var parser = new Org.BouncyCastle.X509.X509CertificateParser();
        var leaf = parser.ReadCertificate(_leader.RawData);
        var ca = parser.ReadCertificate(pki.SubCa.Certificate.RawData);
        var root = parser.ReadCertificate(pki.Root.Certificate.RawData);
        _raw = new[]
        {
            (leaf.GetTbsCertificate(), leaf.GetSignature(), pki.SubCa.Certificate.GetRSAPublicKey()!),
            (ca.GetTbsCertificate(), ca.GetSignature(), pki.Root.Certificate.GetRSAPublicKey()!),
            (root.GetTbsCertificate(), root.GetSignature(), pki.Root.Certificate.GetRSAPublicKey()!),
        };
        _bc = new[] { (leaf, ca.GetPublicKey()), (ca, root.GetPublicKey()), (root, root.GetPublicKey()) };
    }

    [GlobalCleanup]
    public void Cleanup() => _responders.Dispose();

    [Benchmark(Baseline = true, Description = "raw: 3 RSA signature verifications (.NET)")]
    public bool RawVerifyDotnet()
    {
        bool ok = true;
        foreach (var (tbs, sig, key) in _raw) ok &= key.VerifyData(tbs, sig, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return ok;
    }

    [Benchmark(Description = "raw: 3 RSA signature verifications (BouncyCastle)")]
    public int RawVerifyBouncyCastle()
    {
        foreach (var (cert, key) in _bc) cert.Verify(key);
        return _bc.Length;
    }

    [Benchmark(Description = "path validation, warm validator and revocation cache")]
    public Task<CertificateValidationResult> PathValidationWarm() => _warm.ValidateAsync(_leader, DateTimeOffset.UtcNow, _chain);

    [Benchmark(Description = "path validation, new validator, shared revocation cache")]
    public Task<CertificateValidationResult> PathValidationNewValidatorSharedCache() =>
        new CertificateValidator(_trust, ValidationPolicy.Default, null, _cache).ValidateAsync(_leader, DateTimeOffset.UtcNow, _chain);
}
