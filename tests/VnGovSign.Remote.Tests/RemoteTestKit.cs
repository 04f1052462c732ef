using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using VnGovSign.Cms;
using VnGovSign.Remote;
using VnGovSign.Testing;
using VnGovSign.Testing.Http;
using VnGovSign.Testing.Remote;
using VnGovSign.Tests;
using VnGovSign.Trust;

namespace VnGovSign.Remote.Tests;

/// <summary>One deterministic test PKI for the whole assembly (RSA key generation is the slow part).</summary>
internal static class SharedPki
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);
    public const string Pin = "pin-12345";
    private static readonly Lazy<TestPki> Lazy = new(() => TestPki.Create(new TestPkiOptions { Seed = 20261208, Now = Now }));
    public static TestPki Pki => Lazy.Value;
}

/// <summary>A CSC test service and an async confirm-on-phone test service on 127.0.0.1, fresh per test.</summary>
internal sealed class RemoteServers : IDisposable
{
    public RemoteServers()
    {
        var credentials = RemoteTestCredential.FromPki(SharedPki.Pki);
        Csc = new CscTestServer(credentials, SharedPki.Pin);
        Async = new AsyncConfirmTestServer(credentials) { ConfirmationDelay = TimeSpan.Zero };
        Server = LoopbackServer.Start(0, Csc, Async);
    }

    public CscTestServer Csc { get; }
    public AsyncConfirmTestServer Async { get; }
    public LoopbackServer Server { get; }
    public Uri CscUrl => new(Server.BaseUrl + "/csc");
    public Uri AsyncUrl => new(Server.BaseUrl + "/async");

    public int Count(string logEntry) => Csc.RequestLog.Count(e => e == logEntry);

    public void Dispose() => Server.Dispose();
}

/// <summary>Records progress reports synchronously, in order.</summary>
internal sealed class StatusRecorder : IProgress<RemoteSigningStatus>
{
    private readonly List<RemoteSigningStatus> _items = new();
    public void Report(RemoteSigningStatus value) { lock (_items) _items.Add(value); }
    public IReadOnlyList<RemoteSigningStatus> Items { get { lock (_items) return _items.ToList(); } }
    public IReadOnlyList<RemoteSigningState> States => Items.Select(i => i.State).ToList();
}

/// <summary>CMS helpers: the content, a signer-independent openssl check, raw signature checks.</summary>
internal sealed class CmsCheck : IDisposable
{
    public static readonly byte[] Content = Encoding.UTF8.GetBytes("Công văn số 12/UBND-VP ký từ xa trên điện thoại — Ủy ban nhân dân tỉnh Tây Ninh\n");
    private readonly string _dir = Directory.CreateTempSubdirectory("vgs-remote-").FullName;

    public static SignatureOptions Options => new() { Clock = new FixedClock(SharedPki.Now) };

    /// <summary>openssl cms -verify over the detached content, trusting the test root at the PKI's time.</summary>
    public ExternalTool.Result Openssl(byte[] cms, byte[]? content = null)
    {
        var name = Guid.NewGuid().ToString("N");
        var p7s = Path.Combine(_dir, name + ".p7s");
        var bin = Path.Combine(_dir, name + ".bin");
        var root = Path.Combine(_dir, "root.pem");
        File.WriteAllBytes(p7s, cms);
        File.WriteAllBytes(bin, content ?? Content);
        File.WriteAllText(root, CertificateFiles.ToPem(SharedPki.Pki.Root.Certificate.RawData));
        return ExternalTool.Run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7s, "-content", bin,
            "-CAfile", root, "-purpose", "any", "-attime", SharedPki.Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-out", "/dev/null");
    }

    public void AssertOpensslVerifies(byte[] cms, byte[]? content = null)
    {
        var r = Openssl(cms, content);
        Assert.True(r.ExitCode == 0, "openssl cms -verify failed: " + r.All);
    }

    public static byte[] Digest(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    /// <summary>Checks an ISigner-form value (RSA block, ECDSA r||s) against a certificate's public key.</summary>
    public static bool Verifies(System.Security.Cryptography.X509Certificates.X509Certificate2 cert, byte[] digest, byte[] value,
        RsaPadding padding = RsaPadding.Pkcs1)
    {
        using var rsa = cert.GetRSAPublicKey();
        if (rsa is not null)
            return rsa.VerifyHash(digest, value, HashAlgorithmName.SHA256, padding == RsaPadding.Pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
        using var ec = cert.GetECDsaPublicKey()!;
        return ec.VerifyHash(digest, value);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }
}

/// <summary>A clock that always says the same time.</summary>
internal sealed class FixedClock : TimeProvider
{
    private readonly DateTimeOffset _now;
    public FixedClock(DateTimeOffset now) => _now = now;
    public override DateTimeOffset GetUtcNow() => _now;
}
