using System.Text.Json;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace VnGovSign.Testing;

/// <summary>
/// A generated PKI in the shape of Ban Cơ yếu Chính phủ's: a root, a sub-CA for state bodies with the
/// state-body certificate policy, and end entities with Vietnamese UTF-8 names — a leader, an
/// organisation (UID=MST:…), a TSA, a delegated OCSP responder, and revoked, expired and
/// not-yet-valid people; RSA and ECDSA P-256 variants. Made in code, never from real CA keys.
/// </summary>
public sealed partial class TestPki
{
    /// <summary>The state-body certificate policy of the Ban Cơ yếu sub-CA (reused so policy checks see a real OID).</summary>
    public const string StateBodyPolicyOid = "2.16.704.1.1.1.1.1";

    /// <summary>The default password of the PKCS#12 files <see cref="WriteTo"/> writes.</summary>
    public const string DefaultPassword = "demo-pass-123";

    private static readonly DerObjectIdentifier OcspNoCheck = new("1.3.6.1.5.5.7.48.1.5");
    private readonly SecureRandom _random;
    private long _serial;
    private readonly List<(BigInteger Serial, DateTimeOffset Time)> _revoked = new();

    private TestPki(TestPkiOptions options)
    {
        Options = options;
        Now = TruncateToSeconds(options.Now ?? DateTimeOffset.UtcNow);
        _random = CreateRandom(options.Seed);
        _serial = 0x1000 + (options.Seed ?? _random.NextInt() & 0xFFFF);
        BaseUrl = options.BaseUrl.TrimEnd('/');

        var rootKey = RsaKey(3072);
        Root = Issue("root", "root-ca", Name("Test RootCA chuyên dùng Chính phủ G2", "Ban Cơ yếu Chính phủ (thử nghiệm)"), rootKey, null,
            Now.AddYears(-1), Now.AddYears(20), ca: true, pathLen: null);
        var caKey = RsaKey(2048);
        SubCa = Issue("ca", "sub-ca", Name("Test CA phục vụ các cơ quan Nhà nước G2", "Ban Cơ yếu Chính phủ (thử nghiệm)"), caKey, Root,
            Now.AddYears(-1), Now.AddYears(10), ca: true, pathLen: 0);

        Leader = Person("leader", "person", "Nguyễn Văn An", "CCCD:079085001234", RsaKey(options.RsaKeySize), Now.AddDays(-30), Now.AddYears(2));
        Organization = Issue("org", "organization",
            Name("Sở Thông tin và Truyền thông tỉnh Tây Ninh", "Sở Thông tin và Truyền thông tỉnh Tây Ninh", "MST:3900123456"),
            RsaKey(options.RsaKeySize), SubCa, Now.AddDays(-30), Now.AddYears(2));
        Tsa = Issue("tsa", "tsa", Name("Dịch vụ cấp dấu thời gian (thử nghiệm)", "Ban Cơ yếu Chính phủ (thử nghiệm)"), RsaKey(2048), SubCa,
            Now.AddDays(-30), Now.AddYears(5), eku: KeyPurposeID.id_kp_timeStamping);
        Ocsp = Issue("ocsp", "ocsp", Name("Máy chủ OCSP (thử nghiệm)", "Ban Cơ yếu Chính phủ (thử nghiệm)"), RsaKey(2048), SubCa,
            Now.AddDays(-30), Now.AddYears(1), eku: KeyPurposeID.id_kp_OCSPSigning);
        Revoked = Person("revoked", "revoked", "Trần Thị Bình", "CCCD:079190004321", RsaKey(2048), Now.AddDays(-60), Now.AddYears(2));
        _revoked.Add((Revoked.BcCertificate.SerialNumber, Now.AddDays(-1)));
        Expired = Person("expired", "expired", "Lê Văn Cường", "CCCD:079080005678", RsaKey(2048), Now.AddYears(-2), Now.AddDays(-30));
        NotYetValid = Person("notyet", "not-yet-valid", "Phạm Thị Dung", "CCCD:079095008765", RsaKey(2048), Now.AddDays(30), Now.AddYears(2));
        LeaderEc = Person("leader-ec", "person", "Hoàng Văn Em", "CCCD:079088002468", EcKey(), Now.AddDays(-30), Now.AddYears(2));
    }

    /// <summary>The options the PKI was made with.</summary>
    public TestPkiOptions Options { get; }
    /// <summary>The time the PKI was made at.</summary>
    public DateTimeOffset Now { get; }
    /// <summary>The base URL in the certificates (no trailing slash).</summary>
    public string BaseUrl { get; }
    /// <summary>The root CA.</summary>
    public TestIdentity Root { get; }
    /// <summary>The sub-CA for state bodies (path length 0, state-body policy).</summary>
    public TestIdentity SubCa { get; }
    /// <summary>A leader (person) with a personal certificate.</summary>
    public TestIdentity Leader { get; }
    /// <summary>An organisation's certificate with UID=MST:….</summary>
    public TestIdentity Organization { get; }
    /// <summary>The timestamp authority (id-kp-timeStamping, critical).</summary>
    public TestIdentity Tsa { get; }
    /// <summary>The delegated OCSP responder (id-kp-OCSPSigning, ocsp-nocheck).</summary>
    public TestIdentity Ocsp { get; }
    /// <summary>A person whose certificate was revoked one day before <see cref="Now"/>.</summary>
    public TestIdentity Revoked { get; }
    /// <summary>A person whose certificate expired 30 days before <see cref="Now"/>.</summary>
    public TestIdentity Expired { get; }
    /// <summary>A person whose certificate becomes valid 30 days after <see cref="Now"/>.</summary>
    public TestIdentity NotYetValid { get; }
    /// <summary>A leader with an ECDSA P-256 key.</summary>
    public TestIdentity LeaderEc { get; }

    /// <summary>Every identity, CAs first.</summary>
    public IReadOnlyList<TestIdentity> All => new[] { Root, SubCa, Leader, Organization, Tsa, Ocsp, Revoked, Expired, NotYetValid, LeaderEc };

    /// <summary>Serials revoked by the sub-CA and when.</summary>
    internal IReadOnlyList<(BigInteger Serial, DateTimeOffset Time)> RevokedSerials => _revoked;

    /// <summary>URL of the OCSP responder.</summary>
    public string OcspUrl => BaseUrl + "/ocsp";
    /// <summary>URL of the TSA.</summary>
    public string TsaUrl => BaseUrl + "/tsa";
    /// <summary>URL of a CA's CRL ("root" or "ca").</summary>
    public string CrlUrl(string caName) => BaseUrl + "/crl/" + caName + ".crl";

    /// <summary>Generates a PKI. RSA key generation is the slow part: reuse one PKI per test class.</summary>
    public static TestPki Create(TestPkiOptions? options = null) => new(options ?? new TestPkiOptions());

    /// <summary>Marks a sub-CA-issued certificate revoked at <paramref name="time"/> (for later CRLs and OCSP answers).</summary>
    public void Revoke(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, DateTimeOffset time)
    {
        var serial = new BigInteger(1, Org.BouncyCastle.Asn1.X509.X509CertificateStructure.GetInstance(certificate.RawData).SerialNumber.Value.ToByteArrayUnsigned());
        _revoked.Add((serial, time));
    }

    /// <summary>A CRL of <paramref name="issuer"/> (root or sub-CA) listing what it revoked.</summary>
    public byte[] CreateCrl(TestIdentity issuer, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        var gen = new X509V2CrlGenerator();
        gen.SetIssuerDN(issuer.BcCertificate.SubjectDN);
        gen.SetThisUpdate(thisUpdate.UtcDateTime);
        gen.SetNextUpdate(nextUpdate.UtcDateTime);
        if (ReferenceEquals(issuer, SubCa))
            foreach (var (serial, time) in _revoked) gen.AddCrlEntry(serial, time.UtcDateTime, CrlReason.KeyCompromise);
        gen.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, X509ExtensionUtilities.CreateAuthorityKeyIdentifier(issuer.BcCertificate));
        gen.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(BigInteger.ValueOf(thisUpdate.ToUnixTimeSeconds())));
        return gen.Generate(new Asn1SignatureFactory("SHA256WITHRSA", issuer.PrivateKey, _random)).GetEncoded();
    }

    /// <summary>
    /// Signs a PKCS#10 request with the sub-CA (as a CA would for a token's key): the subject and key
    /// come from the request, the extensions are those of a person's signing certificate.
    /// </summary>
    /// <exception cref="InvalidInputException">The request is malformed or its self-signature is wrong.</exception>
    public System.Security.Cryptography.X509Certificates.X509Certificate2 IssueFromRequest(byte[] pkcs10, TimeSpan? validity = null)
    {
        Pkcs10CertificationRequest request;
        try
        {
            request = new Pkcs10CertificationRequest(pkcs10);
            if (!request.Verify()) throw new InvalidInputException(MessageKeys.CertificateUnreadable, "PKCS#10", "self-signature does not verify");
        }
        catch (Exception e) when (e is not InvalidInputException)
        {
            throw new InvalidInputException(MessageKeys.CertificateUnreadable, e, "PKCS#10", e.Message);
        }
        var info = request.GetCertificationRequestInfo();
        var cert = IssueCertificate(info.Subject, request.GetPublicKey(), SubCa, Now.AddMinutes(-5), Now.Add(validity ?? TimeSpan.FromDays(730)), false, null, null);
        return new System.Security.Cryptography.X509Certificates.X509Certificate2(cert.GetEncoded());
    }

    private TestIdentity Person(string file, string role, string cn, string uid, AsymmetricCipherKeyPair key, DateTimeOffset from, DateTimeOffset to) =>
        Issue(file, role, Name(cn, "Sở Thông tin và Truyền thông tỉnh Tây Ninh", uid, title: "Giám đốc"), key, SubCa, from, to);

    private TestIdentity Issue(string file, string role, X509Name subject, AsymmetricCipherKeyPair key, TestIdentity? issuer,
        DateTimeOffset from, DateTimeOffset to, bool ca = false, int? pathLen = null, KeyPurposeID? eku = null)
    {
        var cert = IssueCertificate(subject, key.Public, issuer, from, to, ca, pathLen, eku, issuer is null ? key.Private : null);
        var chain = issuer is null ? new List<BcCertificate>() : new[] { issuer.BcCertificate }.Concat(issuer.BcChain).ToList();
        return new TestIdentity(file, role, cert, key.Private, chain);
    }

    private BcCertificate IssueCertificate(X509Name subject, AsymmetricKeyParameter publicKey, TestIdentity? issuer,
        DateTimeOffset from, DateTimeOffset to, bool ca, int? pathLen, KeyPurposeID? eku, AsymmetricKeyParameter? selfKey = null)
    {
        var gen = new X509V3CertificateGenerator();
        gen.SetSerialNumber(BigInteger.ValueOf(++_serial).ShiftLeft(32).Add(BigInteger.ValueOf(_random.NextInt() & 0x7FFFFFFF)));
        gen.SetIssuerDN(issuer?.BcCertificate.SubjectDN ?? subject);
        gen.SetSubjectDN(subject);
        gen.SetNotBefore(TruncateToSeconds(from).UtcDateTime);
        gen.SetNotAfter(TruncateToSeconds(to).UtcDateTime);
        gen.SetPublicKey(publicKey);
        gen.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(publicKey));
        if (issuer is not null)
            gen.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, X509ExtensionUtilities.CreateAuthorityKeyIdentifier(issuer.BcCertificate));
        if (ca)
        {
            gen.AddExtension(X509Extensions.BasicConstraints, true, pathLen is { } n ? new BasicConstraints(n) : new BasicConstraints(true));
            gen.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign | KeyUsage.DigitalSignature));
        }
        else
        {
            gen.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
            gen.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(eku is null
                ? KeyUsage.DigitalSignature | KeyUsage.NonRepudiation
                : KeyUsage.DigitalSignature));
            if (eku is not null) gen.AddExtension(X509Extensions.ExtendedKeyUsage, true, new ExtendedKeyUsage(eku));
            if (eku == KeyPurposeID.id_kp_OCSPSigning) gen.AddExtension(OcspNoCheck, false, DerNull.Instance);
        }
        if (issuer is not null)
        {
            // The sub-CA and everything below it carry the state-body policy, as Ban Cơ yếu's do.
            gen.AddExtension(X509Extensions.CertificatePolicies, false, new CertificatePolicies(new PolicyInformation(new DerObjectIdentifier(StateBodyPolicyOid))));
            string crl = ReferenceEquals(issuer, Root) ? CrlUrl("root") : CrlUrl("ca");
            gen.AddExtension(X509Extensions.CrlDistributionPoints, false, new CrlDistPoint(new[]
            {
                new DistributionPoint(new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.UniformResourceIdentifier, crl))), null, null),
            }));
            var aia = new List<AccessDescription>();
            if (!ca && eku != KeyPurposeID.id_kp_OCSPSigning)
                aia.Add(new AccessDescription(AccessDescription.IdADOcsp, new GeneralName(GeneralName.UniformResourceIdentifier, OcspUrl)));
            aia.Add(new AccessDescription(AccessDescription.IdADCAIssuers,
                new GeneralName(GeneralName.UniformResourceIdentifier, BaseUrl + "/certs/" + (ReferenceEquals(issuer, Root) ? "root" : "ca") + ".cer")));
            gen.AddExtension(X509Extensions.AuthorityInfoAccess, false, new AuthorityInformationAccess(aia.ToArray()));
        }
        var signingKey = issuer?.PrivateKey ?? selfKey!;
        string alg = signingKey is ECPrivateKeyParameters ? "SHA256WITHECDSA" : "SHA256WITHRSA";
        return gen.Generate(new Asn1SignatureFactory(alg, signingKey, _random));
    }

    private static X509Name Name(string cn, string o, string? uid = null, string? title = null)
    {
        var oids = new List<DerObjectIdentifier>();
        var values = new List<string>();
        void Add(DerObjectIdentifier oid, string v) { oids.Add(oid); values.Add(v); }
        Add(X509Name.C, "VN");
        Add(X509Name.ST, "Tây Ninh");
        Add(X509Name.L, "Tây Ninh");
        Add(X509Name.O, o);
        if (title is not null) Add(X509Name.T, title);
        Add(X509Name.CN, cn);
        if (uid is not null) Add(X509Name.UID, uid);
        return new X509Name(oids, values);
    }

    private AsymmetricCipherKeyPair RsaKey(int bits)
    {
        var g = new RsaKeyPairGenerator();
        g.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), _random, bits, 100));
        return g.GenerateKeyPair();
    }

    private AsymmetricCipherKeyPair EcKey()
    {
        var g = new ECKeyPairGenerator();
        g.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, _random));
        return g.GenerateKeyPair();
    }

    private static SecureRandom CreateRandom(long? seed)
    {
        if (seed is null) return new SecureRandom();
        // A digest generator seeded only from the seed: the same seed replays the same keys.
        var gen = new DigestRandomGenerator(new Org.BouncyCastle.Crypto.Digests.Sha256Digest());
        gen.AddSeedMaterial(seed.Value);
        return new SecureRandom(gen);
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset t) =>
        new(t.UtcDateTime.Ticks - t.UtcDateTime.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    /// <summary>
    /// Writes the PKI as the command-line contract names it: root.pem, ca.pem, leader.pfx, org.pfx,
    /// tsa.pfx, ocsp.pfx, revoked.pem/.pfx, expired.pfx, notyet.pfx, leader-ec.pfx, a .pem beside every
    /// .pfx, root.pfx/ca.pfx (the CA keys, so the PKI can be served and extended later), crl/, certs/,
    /// and manifest.json naming each file and its role.
    /// </summary>
    public void WriteTo(string directory, string password = DefaultPassword)
    {
        Directory.CreateDirectory(directory);
        Directory.CreateDirectory(Path.Combine(directory, "crl"));
        Directory.CreateDirectory(Path.Combine(directory, "certs"));
        var files = new List<(string File, string Role, string Subject)>();
        foreach (var id in All)
        {
            File.WriteAllBytes(Path.Combine(directory, id.Name + ".pfx"), id.ExportPfx(password, _random));
            File.WriteAllText(Path.Combine(directory, id.Name + ".pem"), VnGovSign.Trust.CertificateFiles.ToPem(id.Certificate.RawData));
            files.Add((id.Name + ".pfx", id.Role, id.Certificate.Subject));
            files.Add((id.Name + ".pem", id.Role, id.Certificate.Subject));
        }
        File.WriteAllBytes(Path.Combine(directory, "certs", "root.cer"), Root.Certificate.RawData);
        File.WriteAllBytes(Path.Combine(directory, "certs", "ca.cer"), SubCa.Certificate.RawData);
        File.WriteAllBytes(Path.Combine(directory, "crl", "root.crl"), CreateCrl(Root, Now, Now.AddDays(30)));
        File.WriteAllBytes(Path.Combine(directory, "crl", "ca.crl"), CreateCrl(SubCa, Now, Now.AddDays(7)));
        files.Add(("crl/root.crl", "crl", Root.Certificate.Subject));
        files.Add(("crl/ca.crl", "crl", SubCa.Certificate.Subject));

        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("kind", "vngovsign-test-pki");
            w.WriteString("baseUrl", BaseUrl);
            w.WriteString("createdAt", Now.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("ocspUrl", OcspUrl);
            w.WriteString("tsaUrl", TsaUrl);
            w.WriteStartArray("revoked");
            foreach (var (serial, time) in _revoked)
            {
                w.WriteStartObject();
                w.WriteString("serial", serial.ToString(16).ToUpperInvariant());
                w.WriteString("time", time.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("files");
            foreach (var (file, role, subject) in files)
            {
                w.WriteStartObject();
                w.WriteString("file", file);
                w.WriteString("role", role);
                w.WriteString("subject", subject);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        File.WriteAllBytes(Path.Combine(directory, "manifest.json"), ms.ToArray());
    }
}
