using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using VnGovSign;
using VnGovSign.Cms;
using VnGovSign.Testing;

namespace VnGovSign.Benchmarks;

/// <summary>
/// CAdES B-B (detached) of 1 KB, 1 MB and 100 MB inputs, beside SHA-256 of the same bytes (the
/// baseline) and one raw RSA-2048 PKCS#1 sign, all in the same run.
/// </summary>
[MemoryDiagnoser]
public class CmsBenchmarks
{
    private byte[] _data = Array.Empty<byte>();
    private SoftwareSigner _signer = null!;
    private RSA _rsa = null!;
    private byte[] _digest = Array.Empty<byte>();
    private CadesSigner _cades = null!;

    [Params(1024, 1024 * 1024, 100 * 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _data = new byte[Size];
        new Random(1).NextBytes(_data);
        var pki = TestPki.Create(new TestPkiOptions { Seed = 7, Now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) });
        _signer = pki.Leader.CreateSigner();
        _rsa = RsaFrom(pki);
        _digest = SHA256.HashData(_data);
        _cades = new CadesSigner();
    }

    private static RSA RsaFrom(TestPki pki)
    {
        var pfx = pki.Leader.ExportPfx("b");
        using var cert = X509CertificateLoader.LoadPkcs12(pfx, "b");
        return cert.GetRSAPrivateKey()!;
    }

    [Benchmark(Baseline = true, Description = "SHA-256 of the input")]
    public byte[] Sha256() => SHA256.HashData(_data);

    [Benchmark(Description = "raw RSA-2048 sign of one digest")]
    public byte[] RawRsaSign() => _rsa.SignHash(_digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "CAdES B-B detached")]
    public Task<byte[]> CadesBaselineB() => _cades.SignDetachedAsync(new MemoryStream(_data, writable: false), _signer);
}
