using System.Globalization;
using System.Text.Json;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace VnGovSign.Testing;

public sealed partial class TestPki
{
    /// <summary>
    /// Re-opens a PKI folder written by <see cref="WriteTo"/> (root.pfx, ca.pfx, … and manifest.json with
    /// the base URL and revoked serials), so the same PKI can be served again later (<c>vngovsign pki serve</c>).
    /// </summary>
    /// <exception cref="InvalidInputException">A file is missing, unreadable, or the password is wrong.</exception>
    public static TestPki Load(string directory, string password = DefaultPassword)
    {
        var manifestPath = Path.Combine(directory, "manifest.json");
        JsonDocument manifest;
        try { manifest = JsonDocument.Parse(File.ReadAllBytes(manifestPath)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new InvalidInputException(MessageKeys.FileNotReadable, e, manifestPath, e.Message);
        }
        using (manifest)
        {
            var root = manifest.RootElement;
            string baseUrl = root.TryGetProperty("baseUrl", out var b) ? b.GetString() ?? "" : "";
            DateTimeOffset now = root.TryGetProperty("createdAt", out var c) && DateTimeOffset.TryParse(c.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
                ? t : DateTimeOffset.UtcNow;
            var revoked = new List<(BigInteger, DateTimeOffset)>();
            if (root.TryGetProperty("revoked", out var list))
                foreach (var r in list.EnumerateArray())
                    revoked.Add((new BigInteger(r.GetProperty("serial").GetString(), 16),
                        DateTimeOffset.Parse(r.GetProperty("time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)));
            TestIdentity Read(string name, string role)
            {
                var path = Path.Combine(directory, name + ".pfx");
                try
                {
                    using var fs = File.OpenRead(path);
                    var store = new Pkcs12StoreBuilder().Build();
                    store.Load(fs, password.ToCharArray());
                    var alias = store.Aliases.First(store.IsKeyEntry);
                    var chain = store.GetCertificateChain(alias).Select(e => e.Certificate).ToList();
                    var cert = store.GetCertificate(alias).Certificate;
                    var above = chain.Where(x => !x.Equals(cert)).ToList();
                    return new TestIdentity(name, role, cert, store.GetKey(alias).Key, above);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException or Org.BouncyCastle.Crypto.CryptoException)
                {
                    throw new InvalidInputException(MessageKeys.PfxUnreadable, e, path, e.Message);
                }
            }
            return new TestPki(new TestPkiOptions { BaseUrl = baseUrl, Now = now }, now, Read, revoked);
        }
    }

    private TestPki(TestPkiOptions options, DateTimeOffset now, Func<string, string, TestIdentity> read, IEnumerable<(BigInteger, DateTimeOffset)> revoked)
    {
        Options = options;
        Now = now;
        _random = new SecureRandom();
        _serial = 0x7000_0000 + (_random.NextInt() & 0xFFFF);
        BaseUrl = options.BaseUrl.TrimEnd('/');
        Root = read("root", "root-ca");
        SubCa = read("ca", "sub-ca");
        Leader = read("leader", "person");
        Organization = read("org", "organization");
        Tsa = read("tsa", "tsa");
        Ocsp = read("ocsp", "ocsp");
        Revoked = read("revoked", "revoked");
        Expired = read("expired", "expired");
        NotYetValid = read("notyet", "not-yet-valid");
        LeaderEc = read("leader-ec", "person");
        _revoked.AddRange(revoked);
    }
}
