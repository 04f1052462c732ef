using VnGovSign.Tests;
using VnGovSign.Revocation;
using VnGovSign.Testing;
using VnGovSign.Testing.Responders;
using VnGovSign.Timestamps;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Formats.OpenXml.Tests;

/// <summary>A PKI whose OCSP, CRL and TSA answer on 127.0.0.1 (real HTTP, no mocks).</summary>
public sealed class RespondersFixture : IDisposable
{
    public RespondersFixture() => Responders = TestResponders.CreateAndStart(new TestPkiOptions { Seed = 77 });
    public TestResponders Responders { get; }
    public TestPki Pki => Responders.Pki;
    public TrustStore Trust => TrustStore.Empty.With(new[] { Pki.Root.Certificate });
    public OoxmlValidator Validator(RevocationMode mode, bool softFail = true) =>
        new(new CertificateValidator(Trust, ValidationPolicy.Default with { Revocation = mode, SoftFail = softFail }));
    public void Dispose() => Responders.Dispose();
}

/// <summary>B-T (signature timestamp), B-LT (certificate and revocation values) and revocation at validation.</summary>
public sealed class LevelTests : IClassFixture<RespondersFixture>
{
    private readonly RespondersFixture _f;
    public LevelTests(RespondersFixture f) => _f = f;

    private async Task<byte[]> Sign(SignatureLevel level, TestIdentity? who = null)
    {
        using var signer = (who ?? _f.Pki.Leader).CreateSigner();
        var options = new SignatureOptions { Level = level, Timestamps = level >= SignatureLevel.BaselineT ? new Rfc3161Client(_f.Responders.TsaUri) : null };
        var ooxml = new OoxmlSigner(options)
        {
            ValidationDataCollector = level >= SignatureLevel.BaselineLT ? new ValidationDataCollector(_f.Trust, ValidationPolicy.Default) : null,
        };
        return await ooxml.SignAsync(OfficeFiles.Docx(), signer);
    }

    [Fact]
    public async Task B_T_carries_a_signature_timestamp_that_validates_online()
    {
        var signed = await Sign(SignatureLevel.BaselineT);
        Assert.Contains("xd:EncapsulatedTimeStamp", Zip.ReadText(signed, "_xmlsignatures/sig1.xml"));
        var s = Assert.Single((await _f.Validator(RevocationMode.Online).ValidateAsync(signed, "bt.docx")).Signatures);
        Assert.Equal(Indication.TotalPassed, s.Indication);
        Assert.Equal("B-T", s.Level);
        Assert.NotNull(s.TimestampTime);
        Assert.Equal(s.TimestampTime, s.ValidationTime);
        CheckWithOpensslAndXmlsec1(signed);
    }

    /// <summary>
    /// Outside our code: xmlsec1 verifies the signature (the unsigned properties do not touch SignedInfo), and
    /// `openssl ts -verify` checks the XAdES SignatureTimeStamp against the digest of the canonical ds:SignatureValue
    /// element, written here by hand: the element carries no attribute and inherits only the default ds namespace, so
    /// its C14N is &lt;SignatureValue xmlns="http://www.w3.org/2000/09/xmldsig#"&gt;VALUE&lt;/SignatureValue&gt;.
    /// </summary>
    private void CheckWithOpensslAndXmlsec1(byte[] signed)
    {
        var sigXml = Zip.ReadText(signed, "_xmlsignatures/sig1.xml");
        var doc = System.Xml.Linq.XDocument.Parse(sigXml, System.Xml.Linq.LoadOptions.PreserveWhitespace);
        System.Xml.Linq.XNamespace ds = "http://www.w3.org/2000/09/xmldsig#", xd = "http://uri.etsi.org/01903/v1.3.2#";
        Assert.Equal(new[] { "xmlns" }, doc.Root!.Attributes().Where(a => a.IsNamespaceDeclaration).Select(a => a.Name.LocalName));
        var value = doc.Root.Element(ds + "SignatureValue")!;
        Assert.False(value.HasAttributes);
        var canonical = "<SignatureValue xmlns=\"http://www.w3.org/2000/09/xmldsig#\">" + value.Value + "</SignatureValue>";
        var token = Convert.FromBase64String(doc.Descendants(xd + "EncapsulatedTimeStamp").Single().Value);

        var dir = Directory.CreateTempSubdirectory("ooxml-ts").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "root.pem"), _f.Pki.Root.Certificate.ExportCertificatePem());
            File.WriteAllText(Path.Combine(dir, "ca.pem"), _f.Pki.SubCa.Certificate.ExportCertificatePem());
            File.WriteAllBytes(Path.Combine(dir, "tst.der"), token);
            File.WriteAllText(Path.Combine(dir, "sig1.xml"), sigXml);
            var digest = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));
            var ts = ExternalTool.Run("openssl", "ts", "-verify", "-token_in", "-in", Path.Combine(dir, "tst.der"), "-digest", digest,
                "-CAfile", Path.Combine(dir, "root.pem"), "-untrusted", Path.Combine(dir, "ca.pem"));
            Assert.True(ts.ExitCode == 0 && ts.All.Contains("Verification: OK"), ts.All);
            var other = ExternalTool.Run("openssl", "ts", "-verify", "-token_in", "-in", Path.Combine(dir, "tst.der"),
                "-digest", Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value.Value))),
                "-CAfile", Path.Combine(dir, "root.pem"), "-untrusted", Path.Combine(dir, "ca.pem"));
            Assert.NotEqual(0, other.ExitCode); // the imprint is over the canonical element, not the bare value

            var x = ExternalTool.Run("xmlsec1", "--verify", "--ignore-manifests", "--trusted-pem", Path.Combine(dir, "root.pem"),
                "--id-attr:Id", "Object", "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", Path.Combine(dir, "sig1.xml"));
            Assert.True(x.ExitCode == 0 && x.All.Contains("SignedInfo References (ok/all): 3/3"), x.All);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task B_LT_validates_offline_from_the_embedded_values_where_B_B_cannot()
    {
        var lt = await Sign(SignatureLevel.BaselineLT);
        var xml = Zip.ReadText(lt, "_xmlsignatures/sig1.xml");
        Assert.Contains("xd:CertificateValues", xml);
        Assert.Contains("xd:RevocationValues", xml);
        CheckWithOpensslAndXmlsec1(lt);
        // Hard-fail, offline: only the values inside the signature can answer "not revoked"; with soft-fail
        // (the default) an unanswered check would also pass, so it could not tell embedded values from none.
        var offline = _f.Validator(RevocationMode.Offline, softFail: false);
        var report = await offline.ValidateAsync(lt, "lt.docx");
        var s = Assert.Single(report.Signatures);
        Assert.Equal("B-LT", s.Level);
        Assert.True(s.Indication == Indication.TotalPassed, report.ToText(System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(s.Certificates.Where(c => c.TrustAnchor is null), c => Assert.Equal("good", c.RevocationStatus));

        var bb = Assert.Single((await offline.ValidateAsync(await Sign(SignatureLevel.BaselineB), "bb.docx")).Signatures);
        Assert.Equal(Indication.Indeterminate, bb.Indication); // nothing embedded, no network: revocation unknown
        Assert.Equal(SubIndication.TryLater, bb.SubIndication);
    }

    [Fact]
    public async Task Unreachable_revocation_follows_Cores_soft_fail_policy()
    {
        // The OOXML validator makes no revocation decision of its own: Core's policy decides.
        var bbBytes = await Sign(SignatureLevel.BaselineB);
        var soft = Assert.Single((await _f.Validator(RevocationMode.Offline).ValidateAsync(bbBytes, "bb.docx")).Signatures);
        Assert.Equal(Indication.TotalPassed, soft.Indication);
        Assert.Contains(soft.Messages, m => m.Key == MessageKeys.RevocationUnavailableSoftFail);
        var hard = Assert.Single((await _f.Validator(RevocationMode.Offline, softFail: false).ValidateAsync(bbBytes, "bb.docx")).Signatures);
        Assert.Equal(Indication.Indeterminate, hard.Indication);
        Assert.Equal(SubIndication.TryLater, hard.SubIndication);
    }

    [Fact]
    public async Task B_T_without_a_timestamp_client_is_a_clear_error()
    {
        using var signer = _f.Pki.Leader.CreateSigner();
        var e = await Assert.ThrowsAsync<InvalidInputException>(() =>
            new OoxmlSigner(new SignatureOptions { Level = SignatureLevel.BaselineT }).SignAsync(OfficeFiles.Docx(), signer));
        Assert.Equal(MessageKeys.TimestampUrlMissing, e.MessageKey);
    }

    [Fact]
    public async Task Revoked_signer_is_reported_revoked()
    {
        var signed = await Sign(SignatureLevel.BaselineB, _f.Pki.Revoked);
        var s = Assert.Single((await _f.Validator(RevocationMode.Online).ValidateAsync(signed, "revoked.docx")).Signatures);
        Assert.NotEqual(Indication.TotalPassed, s.Indication);
        Assert.Contains(s.SubIndication, new[] { SubIndication.Revoked, SubIndication.RevokedNoPoe });
        Assert.Equal("revoked", s.Certificates[0].RevocationStatus);
    }
}
