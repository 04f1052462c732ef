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
    public OoxmlValidator Validator(RevocationMode mode) => new(new CertificateValidator(Trust, ValidationPolicy.Default with { Revocation = mode }));
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
    }

    [Fact]
    public async Task B_LT_validates_offline_from_the_embedded_values_where_B_B_cannot()
    {
        var lt = await Sign(SignatureLevel.BaselineLT);
        var xml = Zip.ReadText(lt, "_xmlsignatures/sig1.xml");
        Assert.Contains("xd:CertificateValues", xml);
        Assert.Contains("xd:RevocationValues", xml);
        var offline = _f.Validator(RevocationMode.Offline);
        var s = Assert.Single((await offline.ValidateAsync(lt, "lt.docx")).Signatures);
        Assert.Equal("B-LT", s.Level);
        Assert.Equal(Indication.TotalPassed, s.Indication);

        var bb = Assert.Single((await offline.ValidateAsync(await Sign(SignatureLevel.BaselineB), "bb.docx")).Signatures);
        Assert.Equal(Indication.Indeterminate, bb.Indication); // nothing embedded, no network: revocation unknown
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
