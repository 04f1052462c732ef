using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace VnGovSign.Core.Tests;

/// <summary>A certificate made in a test, with its key.</summary>
public sealed class Issued
{
    public Issued(BcCertificate cert, AsymmetricCipherKeyPair key) { Bc = cert; Key = key; Certificate = X509CertificateLoader.LoadCertificate(cert.GetEncoded()); }
    public BcCertificate Bc { get; }
    public AsymmetricCipherKeyPair Key { get; }
    public X509Certificate2 Certificate { get; }
}

/// <summary>
/// Builds the special certificates TestPki does not have (path length, key usage, name constraints,
/// policy constraints, unknown critical extensions) with BouncyCastle. ECDSA P-256 keys: fast to make.
/// </summary>
public sealed class CertFactory
{
    public const string AnyPolicy = "2.5.29.32.0";
    public static readonly DateTimeOffset T = PkiFixture.Now;
    private readonly SecureRandom _random = new();
    private long _serial = 100;

    public AsymmetricCipherKeyPair Key()
    {
        var g = new ECKeyPairGenerator();
        g.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, _random));
        return g.GenerateKeyPair();
    }

    public static X509Name Name(string cn, string o = "Ban Cơ yếu Chính phủ (thử nghiệm)") =>
        new(new[] { X509Name.C, X509Name.O, X509Name.CN }, new[] { "VN", o, cn });

    /// <summary>A self-signed root (CA, keyCertSign).</summary>
    public Issued Root(string cn = "Test Root") =>
        Issue(Name(cn), null, g =>
        {
            g.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(true));
            g.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
        });

    /// <summary>A CA certificate; <paramref name="extra"/> adds or replaces extensions.</summary>
    public Issued Ca(string cn, Issued issuer, int? pathLen = null, int keyUsage = KeyUsage.KeyCertSign | KeyUsage.CrlSign,
        Action<X509V3CertificateGenerator>? extra = null, X509Name? subject = null, bool basicConstraintsCa = true,
        AsymmetricKeyParameter? signWith = null) =>
        Issue(subject ?? Name(cn), issuer, g =>
        {
            g.AddExtension(X509Extensions.BasicConstraints, true,
                basicConstraintsCa ? (pathLen is { } n ? new BasicConstraints(n) : new BasicConstraints(true)) : new BasicConstraints(false));
            g.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(keyUsage));
            extra?.Invoke(g);
        }, signWith: signWith);

    /// <summary>An end-entity certificate (digitalSignature | nonRepudiation unless told).</summary>
    public Issued Leaf(string cn, Issued issuer, int keyUsage = KeyUsage.DigitalSignature | KeyUsage.NonRepudiation,
        Action<X509V3CertificateGenerator>? extra = null, X509Name? subject = null, DateTimeOffset? from = null, DateTimeOffset? to = null,
        AsymmetricKeyParameter? signWith = null) =>
        Issue(subject ?? Name(cn, "Sở Thông tin và Truyền thông tỉnh Tây Ninh"), issuer, g =>
        {
            g.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
            g.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(keyUsage));
            extra?.Invoke(g);
        }, from, to, signWith);

    public Issued Issue(X509Name subject, Issued? issuer, Action<X509V3CertificateGenerator> extensions,
        DateTimeOffset? from = null, DateTimeOffset? to = null, AsymmetricKeyParameter? signWith = null)
    {
        var key = Key();
        var g = new X509V3CertificateGenerator();
        g.SetSerialNumber(BigInteger.ValueOf(Interlocked.Increment(ref _serial)));
        g.SetIssuerDN(issuer?.Bc.SubjectDN ?? subject);
        g.SetSubjectDN(subject);
        g.SetNotBefore((from ?? T.AddYears(-1)).UtcDateTime);
        g.SetNotAfter((to ?? T.AddYears(5)).UtcDateTime);
        g.SetPublicKey(key.Public);
        g.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(key.Public));
        if (issuer is not null)
            g.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, X509ExtensionUtilities.CreateAuthorityKeyIdentifier(issuer.Bc));
        extensions(g);
        var signer = signWith ?? issuer?.Key.Private ?? key.Private;
        return new Issued(g.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", signer, _random)), key);
    }

    public static void Policies(X509V3CertificateGenerator g, params string[] oids) =>
        g.AddExtension(X509Extensions.CertificatePolicies, false,
            new CertificatePolicies(oids.Select(o => new PolicyInformation(new DerObjectIdentifier(o))).ToArray()));
}
