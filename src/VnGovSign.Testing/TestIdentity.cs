using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace VnGovSign.Testing;

/// <summary>A key holder of the test PKI: its certificate, its private key and the chain above it.</summary>
public sealed class TestIdentity
{
    internal TestIdentity(string name, string role, Org.BouncyCastle.X509.X509Certificate certificate, AsymmetricKeyParameter privateKey,
        IReadOnlyList<Org.BouncyCastle.X509.X509Certificate> chain)
    {
        Name = name; Role = role; BcCertificate = certificate; PrivateKey = privateKey; BcChain = chain;
        Certificate = new X509Certificate2(certificate.GetEncoded());
    }

    /// <summary>File-name stem, e.g. "leader" (leader.pfx, leader.pem).</summary>
    public string Name { get; }
    /// <summary>What the identity is for: root-ca, sub-ca, person, organization, tsa, ocsp, revoked, expired, not-yet-valid.</summary>
    public string Role { get; }
    /// <summary>The certificate (without private key).</summary>
    public X509Certificate2 Certificate { get; }
    /// <summary>The CA certificates above it, issuer first (empty for the root).</summary>
    public IReadOnlyList<X509Certificate2> Chain => BcChain.Select(c => new X509Certificate2(c.GetEncoded())).ToList();

    /// <summary>The BouncyCastle certificate (for responders and CAs in this package).</summary>
    internal Org.BouncyCastle.X509.X509Certificate BcCertificate { get; }
    /// <summary>The BouncyCastle private key (for responders and CAs in this package).</summary>
    internal AsymmetricKeyParameter PrivateKey { get; }
    internal IReadOnlyList<Org.BouncyCastle.X509.X509Certificate> BcChain { get; }

    /// <summary>A PKCS#12 file with the key, the certificate and its chain (3DES, readable by .NET and OpenSSL 3 without the legacy provider).</summary>
    public byte[] ExportPfx(string password) => ExportPfx(password, null);

    internal byte[] ExportPfx(string password, SecureRandom? random)
    {
        var store = new Pkcs12StoreBuilder()
            .SetKeyAlgorithm(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc)
            .SetCertAlgorithm(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc)
            .SetUseDerEncoding(true)
            .Build();
        var entries = new[] { new X509CertificateEntry(BcCertificate) }
            .Concat(BcChain.Select(c => new X509CertificateEntry(c))).ToArray();
        store.SetKeyEntry(Name, new AsymmetricKeyEntry(PrivateKey), entries);
        using var ms = new MemoryStream();
        store.Save(ms, password.ToCharArray(), random ?? new SecureRandom());
        return ms.ToArray();
    }

    /// <summary>A software signer over this identity's key (for tests and the demo).</summary>
    public SoftwareSigner CreateSigner() => SoftwareSigner.FromPfx(ExportPfx("x"), "x", Name + ".pfx");
}
