using System.Security.Cryptography;
using System.Text;
using VnGovSign.Formats.Xml;
using VnGovSign.Validation;

namespace VnGovSign.Formats.Xml.Tests;

[Collection("xml")]
public sealed class AlgorithmAndTwoPhaseTests
{
    private readonly XmlFixture _f;
    public AlgorithmAndTwoPhaseTests(XmlFixture f) => _f = f;

    [Fact]
    public async Task Ecdsa_signature_is_r_concat_s_and_verifies_in_ours_and_xmlsec1()
    {
        var signed = await _f.SignAsync(XmlSignatureProfile.Tax, XmlFixture.Data("tax-842.xml"), _f.LeaderEc);
        Assert.Contains("ecdsa-sha256", Encoding.UTF8.GetString(signed));
        Assert.Equal(Indication.TotalPassed, (await _f.ValidateAsync(signed)).Indication);
        var xs = _f.XmlSec(signed);
        Assert.True(xs.ExitCode == 0, xs.All);
    }

    [Fact]
    public async Task Rsa_pss_verifies_in_ours()
    {
        var signed = await _f.SignAsync(XmlSignatureProfile.Tax, XmlFixture.Data("tax-842.xml"), options: _f.Options() with { Padding = RsaPadding.Pss });
        Assert.Contains("http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1", Encoding.UTF8.GetString(signed));
        Assert.Equal(Indication.TotalPassed, (await _f.ValidateAsync(signed)).Indication);
    }

    [Fact]
    public async Task Legacy_sha1_is_refused_by_default_and_accepted_with_a_warning_by_the_legacy_policy()
    {
        var signed = await _f.SignAsync(XmlSignatureProfile.Tax, XmlFixture.Data("tax-842.xml"), options: _f.Options() with { Hash = HashAlgorithmName.SHA1 });
        Assert.Contains("http://www.w3.org/2000/09/xmldsig#rsa-sha1", Encoding.UTF8.GetString(signed));
        var strict = await _f.ValidateAsync(signed);
        Assert.Equal(SubIndication.CryptoConstraintsFailure, strict.Signatures[0].SubIndication);
        var legacy = await _f.ValidateAsync(signed, ValidationPolicy.Legacy with { Revocation = RevocationMode.None });
        Assert.Equal(Indication.TotalPassed, legacy.Indication);
        Assert.Contains(legacy.Signatures[0].Messages, m => m.Key == "Sha1Legacy");
        Assert.Equal(0, _f.XmlSec(signed).ExitCode);
    }

    [Fact]
    public async Task Two_phase_prepare_serialize_sign_elsewhere_complete()
    {
        var signer = new XmlSigner(XmlSignatureProfile.EInvoice, _f.Options());
        var prepared = signer.Prepare(XmlFixture.Data("einvoice.xml"), _f.Organization.Certificate, _f.Organization.Chain, KeyAlgorithm.Rsa, "inv.xml");
        var state = prepared.Serialize();
        var restored = PreparedXmlSignature.Deserialize(state);
        Assert.True(restored.Digest.Span.SequenceEqual(prepared.Digest.Span));
        byte[] value = await _f.Organization.SignDigestAsync(restored.Digest, restored.Hash, restored.Padding);
        var signed = await signer.CompleteAsync(restored, value);
        Assert.Equal(Indication.TotalPassed, (await _f.ValidateAsync(signed)).Indication);
        Assert.Equal(signed, await _f.SignAsync(XmlSignatureProfile.EInvoice, XmlFixture.Data("einvoice.xml"), _f.Organization));
        await Assert.ThrowsAsync<InvalidInputException>(() => Task.FromResult(PreparedXmlSignature.Deserialize(new byte[] { 1, 0, 0, 0, 9 })));
    }

    [Fact]
    public async Task A_signature_value_from_another_key_is_a_crypto_failure()
    {
        var signer = new XmlSigner(XmlSignatureProfile.Tax, _f.Options());
        var prepared = signer.Prepare(XmlFixture.Data("tax-842.xml"), _f.Leader.Certificate, _f.Leader.Chain, KeyAlgorithm.Rsa);
        byte[] wrong = await _f.Organization.SignDigestAsync(prepared.Digest, prepared.Hash, prepared.Padding);
        var signed = await signer.CompleteAsync(prepared, wrong);
        var report = await _f.ValidateAsync(signed);
        Assert.Equal(SubIndication.SigCryptoFailure, report.Signatures[0].SubIndication);
        Assert.NotEqual(0, _f.XmlSec(signed).ExitCode);
    }

    [Fact]
    public async Task Expired_or_not_yet_valid_signer_is_refused_before_anything_is_written()
    {
        using var expired = _f.Pki.Expired.CreateSigner();
        var output = new MemoryStream();
        var signer = new XmlSigner(XmlSignatureProfile.Tax, _f.Options());
        var e = await Assert.ThrowsAsync<SigningException>(() => signer.SignAsync(new MemoryStream(XmlFixture.Data("tax-842.xml")), output, expired));
        Assert.Equal(MessageKeys.SignerCertificateExpired, e.MessageKey);
        Assert.Contains("đã hết hạn ngày", e.GetMessage(Messages.Vietnamese));
        Assert.Contains("signing time 2026-11-20 03:04:05 UTC", e.GetMessage(Messages.English)); // the options' clock
        Assert.Equal(0, output.Length);

        using var future = _f.Pki.NotYetValid.CreateSigner();
        var e2 = Assert.Throws<SigningException>(() => signer.Prepare(XmlFixture.Data("tax-842.xml"), future.Certificate, future.Chain, future.KeyAlgorithm));
        Assert.Equal(MessageKeys.SignerCertificateNotYetValid, e2.MessageKey);
    }
}
