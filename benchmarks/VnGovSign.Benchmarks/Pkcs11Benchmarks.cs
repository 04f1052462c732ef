using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using VnGovSign.Pkcs11;
using VnGovSign.Testing;

namespace VnGovSign.Benchmarks;

/// <summary>
/// RSA-2048 PKCS#1 v1.5 signatures per second on one SoftHSM2 token: through the <see cref="Pkcs11Signer"/>
/// pool (batch API) with 1, 2 and 4 sessions, beside a raw Pkcs11Interop C_Sign loop on the same token
/// with as many threads (each its own session) and a raw software RSA sign of the same key, all in the
/// same run. Each invocation signs <see cref="Batch"/> digests, so the Mean column is per signature.
/// Needs SoftHSM2 (/usr/lib/softhsm/libsofthsm2.so), softhsm2-util and pkcs11-tool.
/// </summary>
public class Pkcs11Benchmarks
{
    private const string Module = "/usr/lib/softhsm/libsofthsm2.so";
    private const string TokenLabel = "Benchmark HSM";
    private const string Pin = "123456";
    private const int Batch = 64;

    private string _dir = "";
    private RSA _software = null!;
    private Pkcs11Signer _pool = null!;
    private Pkcs11Module _module = null!;
    private readonly List<ISession> _rawSessions = new();
    private IObjectHandle _rawKey = null!;
    private IMechanism _rawMechanism = null!;
    private byte[][] _digests = Array.Empty<byte[]>();
    private ReadOnlyMemory<byte>[] _digestMemory = Array.Empty<ReadOnlyMemory<byte>>();
    private byte[][] _digestInfos = Array.Empty<byte[]>();

    [Params(1, 2, 4)]
    public int Sessions { get; set; }

    [DllImport("libc.so.6", EntryPoint = "setenv")]
    private static extern int SetEnv(string name, string value, int overwrite);

    [GlobalSetup]
    public void Setup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "vngovsign-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_dir, "tokens"));
        var conf = Path.Combine(_dir, "softhsm2.conf");
        File.WriteAllText(conf, $"directories.tokendir = {Path.Combine(_dir, "tokens")}\nobjectstore.backend = file\n");
        SetEnv("SOFTHSM2_CONF", conf, 1);
        Environment.SetEnvironmentVariable("SOFTHSM2_CONF", conf);

        var pki = TestPki.Create(new TestPkiOptions { Seed = 7, Now = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) });
        using var withKey = X509CertificateLoader.LoadPkcs12(pki.Leader.ExportPfx("b"), "b", X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
        _software = withKey.GetRSAPrivateKey()!;
        var pem = Path.Combine(_dir, "key.pem");
        File.WriteAllText(pem, VnGovSign.Trust.CertificateFiles.ToPem(_software.ExportPkcs8PrivateKey(), "PRIVATE KEY"));
        var der = Path.Combine(_dir, "cert.der");
        File.WriteAllBytes(der, pki.Leader.Certificate.RawData);
        Run("softhsm2-util", "--init-token", "--free", "--label", TokenLabel, "--pin", Pin, "--so-pin", "87654321");
        Run("softhsm2-util", "--import", pem, "--token", TokenLabel, "--label", "Lãnh đạo", "--id", "01", "--pin", Pin);
        Run("pkcs11-tool", "--module", Module, "--token-label", TokenLabel, "--login", "--pin", Pin, "--write-object", der, "--type", "cert", "--id", "01", "--label", "Lãnh đạo");

        _digests = Enumerable.Range(0, Batch).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToArray();
        _digestMemory = _digests.Select(d => (ReadOnlyMemory<byte>)d).ToArray();
        _digestInfos = _digests.Select(d => DigestInfo.Encode(HashAlgorithmName.SHA256, d)).ToArray();

        _pool = Pkcs11Signer.Open(new Pkcs11SignerOptions { ModulePath = Module, TokenLabel = TokenLabel, Pin = Pin, SessionCount = Sessions });
        // Raw Pkcs11Interop on the same token: the pool above already logged the application in.
        _module = Pkcs11Module.Load(Module);
        var slot = _module.Slot(_module.FindToken(TokenLabel).SlotId);
        for (int i = 0; i < Sessions; i++) _rawSessions.Add(slot.OpenSession(SessionType.ReadOnly));
        var f = _module.Factories;
        _rawKey = _rawSessions[0].FindAllObjects(new List<IObjectAttribute>
        {
            f.ObjectAttributeFactory.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY), f.ObjectAttributeFactory.Create(CKA.CKA_ID, new byte[] { 1 }),
        }).Single();
        _rawMechanism = f.MechanismFactory.Create(CKM.CKM_RSA_PKCS);
        // Warm both paths once and check they make the same (deterministic PKCS#1 v1.5) signature.
        var a = _pool.SignDigestAsync(_digests[0], HashAlgorithmName.SHA256, RsaPadding.Pkcs1).AsTask().GetAwaiter().GetResult();
        var b = _rawSessions[0].Sign(_rawMechanism, _rawKey, _digestInfos[0]);
        var c = _software.SignHash(_digests[0], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (!a.AsSpan().SequenceEqual(b) || !a.AsSpan().SequenceEqual(c)) throw new InvalidOperationException("pool, raw and software signatures differ");
    }

    private void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException(file + " failed: " + err.Result);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var s in _rawSessions) s.Dispose();
        _rawMechanism.Dispose();
        _pool.Dispose();
        _module.Dispose();
        _software.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch, Description = "software RSA-2048 sign, N threads")]
    public void SoftwareRsa() => Parallel.For(0, Sessions, new ParallelOptions { MaxDegreeOfParallelism = Sessions }, w =>
    {
        for (int i = w; i < Batch; i += Sessions) _software.SignHash(_digests[i], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    });

    [Benchmark(OperationsPerInvoke = Batch, Description = "raw Pkcs11Interop C_Sign, N threads × own session")]
    public void RawCSign() => Parallel.For(0, Sessions, new ParallelOptions { MaxDegreeOfParallelism = Sessions }, w =>
    {
        var s = _rawSessions[w];
        for (int i = w; i < Batch; i += Sessions) s.Sign(_rawMechanism, _rawKey, _digestInfos[i]);
    });

    [Benchmark(OperationsPerInvoke = Batch, Description = "Pkcs11Signer pool, batch of 64")]
    public Task<IReadOnlyList<byte[]>> PoolBatch() => _pool.SignDigestsAsync(_digestMemory, HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
}
