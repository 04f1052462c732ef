using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Tsp;
using Org.BouncyCastle.Asn1.X509;
using VnGovSign.Cms;
using VnGovSign.Testing;
using VnGovSign.Testing.Http;
using VnGovSign.Testing.Responders;
using VnGovSign.Tests;
using VnGovSign.Timestamps;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Core.Tests;

/// <summary>RFC 3161 against the loopback TSA: client (nonce, status, retries, timeouts), token validation, CAdES B-T.</summary>
[Collection("responders")]
public sealed class TimestampTests : IDisposable
{
    private static readonly DateTimeOffset Now = PkiFixture.Now;
    private static readonly byte[] Content = Encoding.UTF8.GetBytes("Quyết định số 12/QĐ-UBND — bản điện tử\n");
    private readonly RespondersFixture _f;
    private readonly string _dir = Directory.CreateTempSubdirectory("vgs-ts-").FullName;

    public TimestampTests(RespondersFixture f)
    {
        _f = f;
        _f.Reset();
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private TestPki Pki => _f.Pki;
    private TestResponders R => _f.Responders;

    private static readonly Rfc3161ClientOptions Quick = new() { RetryDelay = TimeSpan.FromMilliseconds(10) };
    private Rfc3161Client Client(Rfc3161ClientOptions? o = null, Uri? url = null) => new(url ?? R.TsaUri, null, o ?? Quick);

    private CertificateValidator Validator(ValidationPolicy? policy = null) =>
        new(TrustStore.Empty.With(new[] { Pki.Root.Certificate }), policy ?? ValidationPolicy.Default, null, null, RespondersFixture.Clock);

    private static byte[] Imprint(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task A_token_from_the_tsa_verifies_imprint_eku_and_path()
    {
        var imprint = Imprint("a");
        var der = await Client().GetTimestampTokenAsync(imprint, HashAlgorithmName.SHA256);
        var token = TimestampToken.Parse(der);
        Assert.Equal(Now, token.GenTime);
        Assert.Equal(imprint, token.MessageImprint);
        Assert.NotNull(token.Nonce);
        Assert.Equal(Pki.Tsa.Certificate.RawData, token.TsaCertificate!.RawData); // certReq: the TSA sent its certificate

        var r = await new TimestampValidator(Validator()).ValidateAsync(token, imprint);
        Assert.True(r.Indication == Indication.TotalPassed, string.Join(" | ", r.Messages.Select(m => m.ToText(Messages.English))));
        Assert.Contains(r.Messages, m => m.Key == MessageKeys.TimestampValid);
        Assert.Equal(3, r.Certificates.Count);
        Assert.Equal("good", r.Certificates[0].RevocationStatus); // the TSA's own certificate, by OCSP
    }

    [Fact]
    public async Task A_token_over_other_data_is_a_hash_failure()
    {
        var der = await Client().GetTimestampTokenAsync(Imprint("a"), HashAlgorithmName.SHA256);
        var r = await new TimestampValidator(Validator()).ValidateAsync(TimestampToken.Parse(der), Imprint("b"));
        Assert.Equal((Indication.TotalFailed, SubIndication.HashFailure), (r.Indication, r.SubIndication));
        Assert.Contains(r.Messages, m => m.Key == MessageKeys.TimestampImprintMismatch);
    }

    [Fact]
    public async Task The_client_refuses_a_tsa_that_stamped_another_imprint()
    {
        R.Tsa.Answer = TsaAnswer.WrongImprint;
        var e = await Assert.ThrowsAsync<ServiceUnavailableException>(() => Client().GetTimestampTokenAsync(Imprint("a"), HashAlgorithmName.SHA256));
        Assert.Equal(MessageKeys.TsaImprintMismatch, e.MessageKey);
    }

    [Fact]
    public async Task A_tsa_certificate_without_the_timestamping_eku_is_refused()
    {
        R.Tsa.Answer = TsaAnswer.NoTimestampingEku;
        var imprint = Imprint("a");
        var token = TimestampToken.Parse(await Client().GetTimestampTokenAsync(imprint, HashAlgorithmName.SHA256));
        var r = await new TimestampValidator(Validator()).ValidateAsync(token, imprint);
        Assert.Equal((Indication.Indeterminate, SubIndication.ChainConstraintsFailure), (r.Indication, r.SubIndication));
        Assert.Contains(r.Messages, m => m.Key == MessageKeys.EkuTimestampingMissing);
    }

    [Fact]
    public async Task A_replayed_response_with_another_nonce_is_refused()
    {
        var imprint = Imprint("a");
        var old = new TimeStampReq(new MessageImprint(new AlgorithmIdentifier(new DerObjectIdentifier("2.16.840.1.101.3.4.2.1"), DerNull.Instance), imprint),
            null, DerInteger.ValueOf(424242), DerBoolean.True, null);
        var replay = new FixedAnswer("/tsa", "application/timestamp-reply", R.Tsa.Respond(old.GetEncoded()));
        using var server = LoopbackServer.Start(0, replay);
        var e = await Assert.ThrowsAsync<ServiceUnavailableException>(() => Client(url: new Uri(server.BaseUrl + "/tsa")).GetTimestampTokenAsync(imprint, HashAlgorithmName.SHA256));
        Assert.Equal(MessageKeys.TsaNonceMismatch, e.MessageKey);
        Assert.Equal(1, replay.RequestCount); // a wrong answer is not retried
    }

    [Fact]
    public async Task Rejection_and_malformed_answers_are_typed_errors()
    {
        R.Tsa.Answer = TsaAnswer.Rejection;
        var rejected = await Assert.ThrowsAsync<ServiceUnavailableException>(() => Client().GetTimestampTokenAsync(Imprint("a"), HashAlgorithmName.SHA256));
        Assert.Equal(MessageKeys.TsaRejected, rejected.MessageKey);
        R.Tsa.Reset();
        R.Tsa.Behavior = ResponderBehavior.Malformed;
        var malformed = await Assert.ThrowsAsync<ServiceUnavailableException>(() => Client().GetTimestampTokenAsync(Imprint("a"), HashAlgorithmName.SHA256));
        Assert.Equal(MessageKeys.TsaResponseMalformed, malformed.MessageKey);
        await Assert.ThrowsAsync<InvalidInputException>(() => Client().GetTimestampTokenAsync(new byte[5], HashAlgorithmName.SHA256));
    }

    [Fact]
    public async Task Server_errors_are_retried_a_bounded_number_of_times()
    {
        int start = R.Tsa.RequestCount;
        R.Tsa.FailFirst = start + 2; // the next two requests get HTTP 500
        var der = await Client(Quick with { MaxAttempts = 3 }).GetTimestampTokenAsync(Imprint("a"), HashAlgorithmName.SHA256);
        Assert.NotEmpty(der);
        Assert.Equal(start + 3, R.Tsa.RequestCount);

        R.Tsa.Reset();
        R.Tsa.Behavior = ResponderBehavior.Fail;
        start = R.Tsa.RequestCount;
        var e = await Assert.ThrowsAsync<ServiceUnavailableException>(() => Client(Quick with { MaxAttempts = 2 }).GetTimestampTokenAsync(Imprint("a"), HashAlgorithmName.SHA256));
        Assert.Equal(MessageKeys.TsaHttpError, e.MessageKey);
        Assert.Equal(start + 2, R.Tsa.RequestCount);
    }

    [Fact]
    public async Task A_slow_tsa_times_out_per_attempt_and_an_absent_one_is_unreachable()
    {
        R.Tsa.Behavior = ResponderBehavior.Slow;
        R.Tsa.Delay = TimeSpan.FromSeconds(3);
        int start = R.Tsa.RequestCount;
        var slow = await Assert.ThrowsAsync<ServiceUnavailableException>(() =>
            Client(Quick with { Timeout = TimeSpan.FromMilliseconds(200), MaxAttempts = 2 }).GetTimestampTokenAsync(Imprint("a"), HashAlgorithmName.SHA256));
        Assert.Equal(MessageKeys.TsaTimeout, slow.MessageKey);
        Assert.Equal(start + 2, R.Tsa.RequestCount);

        var dead = new Uri("http://127.0.0.1:" + RespondersFixture.ClosedPort() + "/tsa");
        var down = await Assert.ThrowsAsync<ServiceUnavailableException>(() => Client(Quick with { MaxAttempts = 2 }, dead).GetTimestampTokenAsync(Imprint("a"), HashAlgorithmName.SHA256));
        Assert.Equal(MessageKeys.TsaUnreachable, down.MessageKey);
    }

    private async Task<byte[]> SignBT(TestIdentity who)
    {
        using var signer = who.CreateSigner();
        var options = new SignatureOptions { Level = SignatureLevel.BaselineT, Timestamps = Client(), Clock = RespondersFixture.Clock };
        return await new CadesSigner(options).SignDetachedAsync(new MemoryStream(Content), signer);
    }

    [Fact]
    public async Task Cades_b_t_passes_ours_openssl_cms_and_openssl_ts()
    {
        var cms = await SignBT(Pki.Leader);
        var report = (await new CadesValidator(Validator(), RespondersFixture.Clock).ValidateDetachedAsync(cms, new MemoryStream(Content), "b-t.p7s")).Signatures.Single();
        Assert.True(report.Indication == Indication.TotalPassed, string.Join(" | ", report.Messages.Select(m => m.ToText(Messages.English))));
        Assert.Equal("B-T", report.Level);
        Assert.Equal(Now, report.TimestampTime);
        Assert.Equal(Now, report.ValidationTime);

        File.WriteAllBytes(Path.Combine(_dir, "s.p7s"), cms);
        File.WriteAllBytes(Path.Combine(_dir, "c.txt"), Content);
        File.WriteAllText(Path.Combine(_dir, "root.pem"), CertificateFiles.ToPem(Pki.Root.Certificate.RawData));
        File.WriteAllText(Path.Combine(_dir, "ca.pem"), CertificateFiles.ToPem(Pki.SubCa.Certificate.RawData));
        var at = Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var cmsCheck = ExternalTool.Run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", Path.Combine(_dir, "s.p7s"),
            "-content", Path.Combine(_dir, "c.txt"), "-CAfile", Path.Combine(_dir, "root.pem"), "-purpose", "any", "-attime", at, "-out", "/dev/null");
        Assert.True(cmsCheck.ExitCode == 0, cmsCheck.All);

        // The signature-time-stamp is over the SignerInfo's signature value (CAdES): openssl ts judges it alone.
        var parsed = CmsSignature.Parse(cms);
        File.WriteAllBytes(Path.Combine(_dir, "tst.der"), parsed.SignatureTimestampTokens[0]);
        var digest = Convert.ToHexString(SHA256.HashData(parsed.SignatureValue));
        var ts = ExternalTool.Run("openssl", "ts", "-verify", "-token_in", "-in", Path.Combine(_dir, "tst.der"), "-digest", digest,
            "-CAfile", Path.Combine(_dir, "root.pem"), "-untrusted", Path.Combine(_dir, "ca.pem"), "-attime", at);
        Assert.True(ts.ExitCode == 0 && ts.All.Contains("Verification: OK"), ts.All);
        var wrong = ExternalTool.Run("openssl", "ts", "-verify", "-token_in", "-in", Path.Combine(_dir, "tst.der"), "-digest", Convert.ToHexString(SHA256.HashData(Content)),
            "-CAfile", Path.Combine(_dir, "root.pem"), "-untrusted", Path.Combine(_dir, "ca.pem"), "-attime", at);
        Assert.NotEqual(0, wrong.ExitCode);
    }

    [Fact]
    public async Task A_b_t_signature_made_before_the_revocation_stands_and_a_b_b_one_does_not()
    {
        // The TSA says two days ago; the certificate was revoked one day ago.
        var twoDaysAgo = new FixedClock(Now.AddDays(-2));
        R.Tsa.Clock = twoDaysAgo;
        using var signer = Pki.Revoked.CreateSigner();
        var bt = await new CadesSigner(new SignatureOptions { Level = SignatureLevel.BaselineT, Timestamps = Client(), Clock = twoDaysAgo })
            .SignDetachedAsync(new MemoryStream(Content), signer);
        var v = new CadesValidator(Validator(), RespondersFixture.Clock);
        var stands = (await v.ValidateDetachedAsync(bt, new MemoryStream(Content), "bt.p7s")).Signatures.Single();
        Assert.True(stands.Indication == Indication.TotalPassed, string.Join(" | ", stands.Messages.Select(m => m.ToText(Messages.English))));
        Assert.Contains(stands.Messages, m => m.Key == MessageKeys.RevokedAfterValidationTime);

        // The same without a timestamp: only the signer's word for the time → REVOKED_NO_POE.
        var bb = await new CadesSigner(new SignatureOptions { Clock = twoDaysAgo }).SignDetachedAsync(new MemoryStream(Content), signer);
        var noPoe = (await v.ValidateDetachedAsync(bb, new MemoryStream(Content), "bb.p7s")).Signatures.Single();
        Assert.Equal((Indication.Indeterminate, SubIndication.RevokedNoPoe), (noPoe.Indication, noPoe.SubIndication));

        // Signed after the revocation (now), with a timestamp: REVOKED.
        R.Tsa.Clock = RespondersFixture.Clock;
        var late = await SignBT(Pki.Revoked);
        var revoked = (await v.ValidateDetachedAsync(late, new MemoryStream(Content), "late.p7s")).Signatures.Single();
        Assert.Equal((Indication.TotalFailed, SubIndication.Revoked), (revoked.Indication, revoked.SubIndication));
    }

    [Fact]
    public async Task Local_time_written_as_utc_is_flagged_as_a_seven_hour_skew()
    {
        // Some tools write Vietnam local time into signingTime marked UTC: 7 h ahead of the timestamp.
        using var signer = Pki.Leader.CreateSigner();
        var skewed = await new CadesSigner(new SignatureOptions { Level = SignatureLevel.BaselineT, Timestamps = Client(), Clock = new FixedClock(Now.AddHours(7).AddMinutes(1)) })
            .SignDetachedAsync(new MemoryStream(Content), signer);
        var v = new CadesValidator(Validator(), RespondersFixture.Clock);
        var report = (await v.ValidateDetachedAsync(skewed, new MemoryStream(Content), "skew.p7s")).Signatures.Single();
        Assert.Equal(Indication.TotalPassed, report.Indication); // the timestamp's time is used, the skew is a warning
        Assert.Contains(report.Messages, m => m.Key == MessageKeys.SigningTimeSkew && m.Severity == ReportSeverity.Warning);
        var honest = (await v.ValidateDetachedAsync(await SignBT(Pki.Leader), new MemoryStream(Content), "ok.p7s")).Signatures.Single();
        Assert.DoesNotContain(honest.Messages, m => m.Key == MessageKeys.SigningTimeSkew);
    }

    [Fact]
    public async Task A_signature_timestamp_from_a_tsa_without_the_eku_makes_b_t_indeterminate()
    {
        R.Tsa.Answer = TsaAnswer.NoTimestampingEku;
        var cms = await SignBT(Pki.Leader);
        var report = (await new CadesValidator(Validator(), RespondersFixture.Clock).ValidateDetachedAsync(cms, new MemoryStream(Content), "x.p7s")).Signatures.Single();
        Assert.Equal(Indication.Indeterminate, report.Indication);
        Assert.Contains(report.Messages, m => m.Key == MessageKeys.SignatureTimestampInvalid);
        Assert.Contains(report.Messages, m => m.Key == MessageKeys.EkuTimestampingMissing);
    }
}
