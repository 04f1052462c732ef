using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using VnGovSign.Testing;
using VnGovSign.Tests;

// SoftHSM2 reads SOFTHSM2_CONF once, in C_Initialize, and a module is initialised once per process at a
// time. Test classes therefore run one after another: each class fixture points SOFTHSM2_CONF at its own
// token directory, creates its tokens with softhsm2-util BEFORE the module is loaded (SoftHSM2 does not
// see tokens another process creates after C_Initialize), and finalises the module when the class ends.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace VnGovSign.Pkcs11.Tests;

/// <summary>Paths and tools of the real SoftHSM2 / OpenSC installation (Debian packages softhsm2, opensc).</summary>
internal static class SoftHsm
{
    public const string ModulePath = "/usr/lib/softhsm/libsofthsm2.so";
    public const string SpyPath = "/usr/lib/x86_64-linux-gnu/pkcs11-spy.so";
    public const string UserPin = "123456";
    public const string SoPin = "87654321";

    [DllImport("libc.so.6", EntryPoint = "setenv", CharSet = CharSet.Ansi)]
    private static extern int NativeSetEnv(string name, string value, int overwrite);

    /// <summary>Sets a variable where the native module sees it (the C environment) and for child processes.</summary>
    public static void SetEnvironment(string name, string value)
    {
        if (NativeSetEnv(name, value, 1) != 0) throw new InvalidOperationException("setenv failed for " + name);
        Environment.SetEnvironmentVariable(name, value);
    }
}

/// <summary>
/// A token directory of its own for one test class. Derived fixtures create their tokens (and import
/// keys) in their constructor through <see cref="InitToken"/> and friends, then use <see cref="Module"/>.
/// </summary>
public abstract class SoftHsmFixture : IDisposable
{
    private Pkcs11Module? _module;

    protected SoftHsmFixture()
    {
        if (Pkcs11Module.LoadedCount != 0)
            throw new InvalidOperationException("a PKCS#11 module is still loaded by an earlier test class: some handle was not disposed");
        Directory = Path.Combine(Path.GetTempPath(), "vngovsign-softhsm-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "tokens"));
        ConfPath = Path.Combine(Directory, "softhsm2.conf");
        File.WriteAllText(ConfPath, $"directories.tokendir = {Path.Combine(Directory, "tokens")}\nobjectstore.backend = file\nlog.level = ERROR\n");
        SoftHsm.SetEnvironment("SOFTHSM2_CONF", ConfPath);
    }

    public string Directory { get; }
    public string ConfPath { get; }

    /// <summary>The environment child tools need to see this class's tokens.</summary>
    public IDictionary<string, string> Env => new Dictionary<string, string> { ["SOFTHSM2_CONF"] = ConfPath };

    /// <summary>The module, loaded on first use (after the constructor created the tokens).</summary>
    public Pkcs11Module Module => _module ??= Pkcs11Module.Load(SoftHsm.ModulePath);

    public void InitToken(string label, string pin = SoftHsm.UserPin)
    {
        if (_module is not null) throw new InvalidOperationException("create tokens before the module is loaded");
        Tool("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", SoftHsm.SoPin);
    }

    /// <summary>Imports a software key (PKCS#8) with softhsm2-util, as an issuer would put a key on a token.</summary>
    public void ImportKey(string token, TestIdentity identity, string label, string idHex)
    {
        var pem = Path.Combine(Directory, Guid.NewGuid().ToString("N") + ".pem");
        using var withKey = X509CertificateLoader.LoadPkcs12(identity.ExportPfx("x"), "x", X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)withKey.GetRSAPrivateKey() ?? withKey.GetECDsaPrivateKey()!;
        File.WriteAllText(pem, VnGovSign.Trust.CertificateFiles.ToPem(key.ExportPkcs8PrivateKey(), "PRIVATE KEY"));
        Tool("softhsm2-util", "--import", pem, "--token", token, "--label", label, "--id", idHex, "--pin", SoftHsm.UserPin);
        File.Delete(pem);
    }

    /// <summary>Writes a certificate object with OpenSC's pkcs11-tool (an independent writer).</summary>
    public void WriteCertificate(string token, X509Certificate2 cert, string label, string idHex)
    {
        var der = Path.Combine(Directory, Guid.NewGuid().ToString("N") + ".der");
        File.WriteAllBytes(der, cert.RawData);
        Tool("pkcs11-tool", "--module", SoftHsm.ModulePath, "--token-label", token, "--login", "--pin", SoftHsm.UserPin,
            "--write-object", der, "--type", "cert", "--id", idHex, "--label", label);
        File.Delete(der);
    }

    /// <summary>Changes the token flags stored in SoftHSM2's token file (before the module is loaded), to make it report e.g. a locked PIN.</summary>
    public void SetStoredTokenFlags(string label, ulong orFlags)
    {
        if (_module is not null) throw new InvalidOperationException("patch tokens before the module is loaded");
        var labelBytes = Encoding.UTF8.GetBytes(label);
        foreach (var dir in System.IO.Directory.GetDirectories(Path.Combine(Directory, "tokens")))
        {
            var file = Path.Combine(dir, "token.object");
            var bytes = File.ReadAllBytes(file);
            if (bytes.AsSpan().IndexOf(labelBytes) < 0) continue;
            // SoftHSM2's object file: [u64 attribute type][u64 value kind][value]…; CKA_OS_TOKENFLAGS is 0x8000534B, kind 2 = unsigned long.
            var marker = new byte[] { 0, 0, 0, 0, 0x80, 0x00, 0x53, 0x4B, 0, 0, 0, 0, 0, 0, 0, 2 };
            int at = bytes.AsSpan().IndexOf(marker);
            if (at < 0) throw new InvalidOperationException("token flags not found in " + file);
            int v = at + marker.Length;
            ulong flags = 0;
            for (int i = 0; i < 8; i++) flags = (flags << 8) | bytes[v + i];
            flags |= orFlags;
            for (int i = 7; i >= 0; i--) { bytes[v + i] = (byte)flags; flags >>= 8; }
            File.WriteAllBytes(file, bytes);
            return;
        }
        throw new InvalidOperationException("no token file for " + label);
    }

    public ExternalTool.Result Tool(string file, params string[] args)
    {
        var r = ExternalTool.Run(file, args, Directory, TimeSpan.FromMinutes(1), Env);
        if (r.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(" ", args)} failed ({r.ExitCode}): {r.All}");
        return r;
    }

    public virtual void Dispose()
    {
        _module?.Dispose();
        _module = null;
        try { System.IO.Directory.Delete(Directory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>One deterministic test PKI for the whole test run (RSA key generation is the slow part).</summary>
internal static class Pki
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly Lazy<TestPki> s_pki = new(() => TestPki.Create(new TestPkiOptions { Seed = 20261203, Now = Now }));
    public static TestPki Instance => s_pki.Value;

    /// <summary>root + sub-CA in one PEM file (for openssl -CAfile).</summary>
    public static string CaFile(string directory)
    {
        var path = Path.Combine(directory, "cas.pem");
        if (!File.Exists(path))
            File.WriteAllText(path, VnGovSign.Trust.CertificateFiles.ToPem(Instance.Root.Certificate.RawData)
                                    + VnGovSign.Trust.CertificateFiles.ToPem(Instance.SubCa.Certificate.RawData));
        return path;
    }
}

/// <summary>A clock that always says the same time.</summary>
public sealed class FixedClock : TimeProvider
{
    private readonly DateTimeOffset _now;
    public FixedClock(DateTimeOffset now) => _now = now;
    public override DateTimeOffset GetUtcNow() => _now;
}

/// <summary>Independent checks of what a token signed: .NET's own RSA/ECDSA and openssl.</summary>
internal static class Check
{
    public static bool Verifies(X509Certificate2 cert, byte[] digest, byte[] signature, HashAlgorithmName hash, RsaPadding padding)
    {
        using var rsa = cert.GetRSAPublicKey();
        if (rsa is not null)
            return rsa.VerifyHash(digest, signature, hash, padding == RsaPadding.Pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
        using var ec = cert.GetECDsaPublicKey() ?? throw new InvalidOperationException("no RSA or EC key");
        return ec.VerifyHash(digest, signature); // IEEE P1363 r‖s, as ISigner returns
    }

    /// <summary>openssl cms -verify of a detached CMS over <paramref name="content"/>, trusting the test PKI.</summary>
    public static ExternalTool.Result OpensslCms(string directory, byte[] cms, byte[] content)
    {
        var id = Guid.NewGuid().ToString("N");
        var p7s = Path.Combine(directory, id + ".p7s");
        var data = Path.Combine(directory, id + ".txt");
        File.WriteAllBytes(p7s, cms);
        File.WriteAllBytes(data, content);
        return ExternalTool.Run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7s, "-content", data,
            "-CAfile", Pki.CaFile(directory), "-purpose", "any", "-out", "/dev/null");
    }
}
