using System.Text;
using System.Xml;
using VnGovSign.Formats.Xml;
using VnGovSign.Testing;
using VnGovSign.Tests;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Formats.Xml.Tests;

/// <summary>One test PKI (fixed seed and time) shared by the XML tests, with files for xmlsec1.</summary>
public sealed class XmlFixture : IDisposable
{
    public static readonly DateTimeOffset PkiTime = new(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset SignTime = new(2026, 11, 20, 3, 4, 5, TimeSpan.Zero);

    public XmlFixture()
    {
        Pki = TestPki.Create(new TestPkiOptions { Seed = 2026_06, Now = PkiTime });
        Dir = Path.Combine(Path.GetTempPath(), "vgs-xml-tests-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(Dir);
        RootPem = Path.Combine(Dir, "root.pem");
        CaPem = Path.Combine(Dir, "ca.pem");
        File.WriteAllText(RootPem, Pem(Pki.Root.Certificate.RawData));
        File.WriteAllText(CaPem, Pem(Pki.SubCa.Certificate.RawData));
        Leader = Pki.Leader.CreateSigner();
        Organization = Pki.Organization.CreateSigner();
        LeaderEc = Pki.LeaderEc.CreateSigner();
    }

    public TestPki Pki { get; }
    public string Dir { get; }
    public string RootPem { get; }
    public string CaPem { get; }
    public SoftwareSigner Leader { get; }
    public SoftwareSigner Organization { get; }
    public SoftwareSigner LeaderEc { get; }

    public static string Pem(byte[] der) =>
        "-----BEGIN CERTIFICATE-----\n" + Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE-----\n";

    public static byte[] Data(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", name));

    public SignatureOptions Options(SignatureLevel level = SignatureLevel.BaselineB) =>
        new() { Clock = new FixedClock(SignTime), Level = level };

    public XmlSignatureValidator Validator(ValidationPolicy? policy = null) =>
        new(new CertificateValidator(TrustStore.Empty.With(new[] { Pki.Root.Certificate }),
            policy ?? ValidationPolicy.Default with { Revocation = RevocationMode.None }), new FixedClock(SignTime));

    public Task<ValidationReport> ValidateAsync(byte[] xml, ValidationPolicy? policy = null) => Validator(policy).ValidateAsync(xml, "test.xml");

    public async Task<byte[]> SignAsync(XmlSignatureProfile profile, byte[] input, ISigner? signer = null, SignatureOptions? options = null) =>
        await new XmlSigner(profile, options ?? Options()).SignAsync(input, signer ?? Leader, "test.xml");

    /// <summary>xmlsec1 --verify of every ds:Signature, with every Id/id registered and the test root trusted.</summary>
    public ExternalTool.Result XmlSec(byte[] xml, string name = "doc.xml", string? rootPem = null, string? caPem = null, DateTimeOffset? at = null)
    {
        var path = Path.Combine(Dir, Guid.NewGuid().ToString("N").Substring(0, 6) + "-" + name);
        File.WriteAllBytes(path, xml);
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        doc.Load(path);
        var pairs = new SortedSet<string>(StringComparer.Ordinal);
        var args = new List<string>();
        foreach (XmlElement e in doc.SelectNodes("//*")!)
            foreach (XmlAttribute a in e.Attributes)
                if (a.NamespaceURI.Length == 0 && a.LocalName is "Id" or "id" or "ID" && e.NamespaceURI != XmlDsig.Namespace)
                    if (pairs.Add(a.LocalName + "|" + e.NamespaceURI + "|" + e.LocalName))
                    {
                        args.Add("--id-attr:" + a.LocalName);
                        args.Add(e.NamespaceURI.Length > 0 ? e.NamespaceURI + ":" + e.LocalName : e.LocalName);
                    }
        int count = doc.GetElementsByTagName("Signature", XmlDsig.Namespace).Count;
        var sb = new StringBuilder();
        int exit = count == 0 ? 1 : 0;
        for (int k = 1; k <= count; k++)
        {
            var a = new List<string> { "--verify", "--trusted-pem", rootPem ?? RootPem, "--untrusted-pem", caPem ?? CaPem, "--enabled-reference-uris", "empty,same-doc",
                "--verification-time", (at ?? SignTime).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss"),
                "--node-xpath", $"(//*[local-name()='Signature' and namespace-uri()='{XmlDsig.Namespace}'])[{k}]" };
            a.AddRange(args);
            a.Add(path);
            var r = ExternalTool.Run("xmlsec1", a);
            sb.Append("signature ").Append(k).Append(": ").Append(r.ExitCode).Append('\n').Append(r.StdErr).Append('\n');
            if (r.ExitCode != 0) exit = r.ExitCode;
        }
        return new ExternalTool.Result(exit, sb.ToString(), "");
    }

    public void Dispose()
    {
        Leader.Dispose(); Organization.Dispose(); LeaderEc.Dispose();
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}

public sealed class FixedClock : TimeProvider
{
    private readonly DateTimeOffset _now;
    public FixedClock(DateTimeOffset now) => _now = now;
    public override DateTimeOffset GetUtcNow() => _now;
}

[CollectionDefinition("xml")]
public sealed class XmlCollection : ICollectionFixture<XmlFixture> { }
