using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Ocsp;
using Org.BouncyCastle.Ocsp;
using VnGovSign.Revocation;
using VnGovSign.Testing;
using VnGovSign.Testing.Http;
using VnGovSign.Testing.Responders;
using VnGovSign.Trust;
using VnGovSign.Validation;
using BcX509 = Org.BouncyCastle.Asn1.X509;

namespace VnGovSign.Core.Tests;

/// <summary>OCSP and CRL against real responders on 127.0.0.1 (VnGovSign.Testing), soft- and hard-fail.</summary>
[Collection("responders")]
public sealed class RevocationTests
{
    private static readonly DateTimeOffset Now = PkiFixture.Now;
    private readonly RespondersFixture _f;

    public RevocationTests(RespondersFixture f)
    {
        _f = f;
        _f.Reset();
    }

    private TestPki Pki => _f.Pki;
    private TestResponders R => _f.Responders;

    private CertificateValidator V(ValidationPolicy? policy = null, RevocationCache? cache = null, TimeProvider? clock = null) =>
        new(TrustStore.Empty.With(new[] { Pki.Root.Certificate }), policy ?? ValidationPolicy.Default, null, cache, clock ?? RespondersFixture.Clock);

    private static string Explain(CertificateValidationResult r) =>
        $"{r.Indication}/{r.SubIndication}: " + string.Join(" | ", r.Messages.Select(m => m.Key + " " + m.ToText(Messages.English)));

    private Task<CertificateValidationResult> Check(TestIdentity who, ValidationPolicy? policy = null, DateTimeOffset? at = null, CertificateValidator? v = null) =>
        (v ?? V(policy)).ValidateAsync(who.Certificate, at ?? Now, who.Chain);

    private static void Is(CertificateValidationResult r, Indication indication, SubIndication sub = SubIndication.None)
    {
        Assert.True(r.Indication == indication && r.SubIndication == sub, Explain(r));
    }

    [Fact]
    public async Task Good_leader_checked_by_ocsp_and_its_sub_ca_by_the_roots_crl()
    {
        var r = await Check(Pki.Leader);
        Is(r, Indication.TotalPassed);
        Assert.Equal(("good", "ocsp"), (r.Certificates[0].RevocationStatus, r.Certificates[0].RevocationSource));
        Assert.Equal(("good", "crl"), (r.Certificates[1].RevocationStatus, r.Certificates[1].RevocationSource));
        Assert.Equal("not-checked", r.Certificates[2].RevocationStatus); // the anchor
        // The data used comes back for LT levels: one OCSP response (leader), one CRL (sub-CA), the path.
        Assert.Single(r.DataUsed.OcspResponses);
        Assert.Single(r.DataUsed.Crls);
        Assert.Equal(3, r.DataUsed.Certificates.Count);
        Assert.Equal(OcspRespStatus.Successful, new OcspResp(r.DataUsed.OcspResponses[0]).Status);
    }

    [Fact]
    public async Task Revoked_before_the_validation_time_is_revoked_and_after_it_is_a_warning()
    {
        var r = await Check(Pki.Revoked);
        Is(r, Indication.TotalFailed, SubIndication.Revoked);
        Assert.Equal("revoked", r.Certificates[0].RevocationStatus);
        Assert.Equal(Now.AddDays(-1), r.Certificates[0].RevocationTime);
        Assert.Contains(r.Messages, m => m.Key == MessageKeys.CertificateRevoked);

        // Validated at a time before the revocation (a signature proven older): it stands, with a warning.
        var before = await Check(Pki.Revoked, at: Now.AddDays(-2));
        Is(before, Indication.TotalPassed);
        Assert.Contains(before.Messages, m => m.Key == MessageKeys.RevokedAfterValidationTime && m.Severity == ReportSeverity.Warning);
    }

    [Fact]
    public async Task Revoked_by_the_crl_when_ocsp_is_down()
    {
        R.Ocsp.Behavior = ResponderBehavior.Fail;
        var r = await Check(Pki.Revoked);
        Is(r, Indication.TotalFailed, SubIndication.Revoked);
        Assert.Equal("crl", r.Certificates[0].RevocationSource);
        Assert.Contains(r.Messages, m => m.Key == MessageKeys.OcspUnavailable);
    }

    [Fact]
    public async Task Crl_fallback_gives_good_when_ocsp_fails()
    {
        R.Ocsp.Behavior = ResponderBehavior.Fail;
        var r = await Check(Pki.Leader);
        Is(r, Indication.TotalPassed);
        Assert.Equal("crl", r.Certificates[0].RevocationSource);
    }

    [Fact]
    public async Task Ocsp_unknown_falls_back_to_the_crl_and_is_never_soft_failed()
    {
        R.Ocsp.Answer = OcspAnswer.Unknown;
        var withCrl = await Check(Pki.Leader);
        Is(withCrl, Indication.TotalPassed);
        Assert.Equal("crl", withCrl.Certificates[0].RevocationSource);
        Assert.Contains(withCrl.Messages, m => m.Key == MessageKeys.OcspStatusUnknown);

        R.Crl.Behavior = ResponderBehavior.Fail;
        var r = await Check(Pki.Leader);
        Is(r, Indication.Indeterminate, SubIndication.TryLater);
        Assert.Contains(r.Messages, m => m.Key == MessageKeys.RevocationUnknown);
        Assert.DoesNotContain(r.Messages, m => m.Key == MessageKeys.RevocationUnavailableSoftFail && m.Arguments[0] as string == Pki.Leader.Certificate.Subject);
    }

    [Fact]
    public async Task Ocsp_signed_by_the_ca_itself_is_accepted()
    {
        R.Ocsp.Signer = OcspResponderKey.Ca;
        R.Crl.Behavior = ResponderBehavior.Fail; // so only OCSP can decide
        var r = await Check(Pki.Leader);
        Assert.Equal(("good", "ocsp"), (r.Certificates[0].RevocationStatus, r.Certificates[0].RevocationSource));
    }

    [Fact]
    public async Task Ocsp_signed_by_a_certificate_without_ocsp_signing_is_refused()
    {
        R.Ocsp.Signer = OcspResponderKey.Unauthorized;
        R.Crl.Behavior = ResponderBehavior.Fail;
        var r = await Check(Pki.Leader);
        Is(r, Indication.Indeterminate, SubIndication.TryLater);
        Assert.Contains(r.Messages, m => m.Key == MessageKeys.OcspUnauthorized);
        Assert.Equal("unknown", r.Certificates[0].RevocationStatus);

        // The delegated responder (id-kp-OCSPSigning, issued by the CA, ocsp-nocheck) is accepted.
        R.Ocsp.Signer = OcspResponderKey.Delegated;
        var ok = await Check(Pki.Leader);
        Assert.Equal(("good", "ocsp"), (ok.Certificates[0].RevocationStatus, ok.Certificates[0].RevocationSource));
    }

    [Fact]
    public async Task A_stale_ocsp_answer_is_not_used()
    {
        R.Ocsp.Age = TimeSpan.FromDays(-2); // thisUpdate two days ago, nextUpdate 12 h after that
        R.Crl.Behavior = ResponderBehavior.Fail;
        var r = await Check(Pki.Leader);
        Is(r, Indication.Indeterminate, SubIndication.TryLater);
        Assert.Contains(r.Messages, m => m.Key == MessageKeys.OcspStale);
    }

    [Fact]
    public async Task A_stale_crl_is_not_used()
    {
        R.Ocsp.Behavior = ResponderBehavior.Fail;
        R.Crl.Stale = true;
        var r = await Check(Pki.Leader);
        Is(r, Indication.Indeterminate, SubIndication.TryLater);
        Assert.Contains(r.Messages, m => m.Key == MessageKeys.CrlStale);
    }

    [Fact]
    public async Task Responders_down_soft_fail_passes_with_a_warning_and_hard_fail_is_try_later()
    {
        R.Ocsp.Behavior = ResponderBehavior.Fail;
        R.Crl.Behavior = ResponderBehavior.Fail;
        var soft = await Check(Pki.Leader);
        Is(soft, Indication.TotalPassed);
        Assert.Equal(("unknown", "unavailable"), (soft.Certificates[0].RevocationStatus, soft.Certificates[0].RevocationSource));
        var warning = Assert.Single(soft.Messages, m => m.Key == MessageKeys.RevocationUnavailableSoftFail && Equals(m.Arguments[0], Pki.Leader.Certificate.Subject));
        Assert.Equal(ReportSeverity.Warning, warning.Severity);
        Assert.Contains("không kiểm tra được tình trạng thu hồi", warning.ToText(Messages.Vietnamese));
        Assert.Contains("could not be checked", warning.ToText(Messages.English));

        var hard = await Check(Pki.Leader, ValidationPolicy.HardFail);
        Is(hard, Indication.Indeterminate, SubIndication.TryLater);
        Assert.Contains(hard.Messages, m => m.Key == MessageKeys.RevocationUnknownHardFail);

        // Soft-fail cannot tell a revoked certificate when nothing answers: that is the documented trade-off.
        Is(await Check(Pki.Revoked), Indication.TotalPassed);
        Is(await Check(Pki.Revoked, ValidationPolicy.HardFail), Indication.Indeterminate, SubIndication.TryLater);
    }

    [Fact]
    public async Task Connection_refused_is_unavailable_soft_and_hard()
    {
        var dead = "http://127.0.0.1:" + RespondersFixture.ClosedPort();
        var rewrites = new Dictionary<string, string> { [Pki.BaseUrl] = dead };
        var soft = await Check(Pki.Leader, ValidationPolicy.Default with { UrlRewrites = rewrites });
        Is(soft, Indication.TotalPassed);
        Assert.Contains(soft.Messages, m => m.Key == MessageKeys.OcspUnavailable && ((string)m.Arguments[0]!).StartsWith(dead));
        Assert.Contains(soft.Messages, m => m.Key == MessageKeys.CrlUnavailable);
        Is(await Check(Pki.Leader, ValidationPolicy.HardFail with { UrlRewrites = rewrites }), Indication.Indeterminate, SubIndication.TryLater);
    }

    [Fact]
    public async Task Malformed_responder_bytes_are_rejected_not_soft_failed()
    {
        R.Ocsp.Behavior = ResponderBehavior.Malformed;
        var fallback = await Check(Pki.Leader);
        Is(fallback, Indication.TotalPassed);
        Assert.Equal("crl", fallback.Certificates[0].RevocationSource);
        Assert.Contains(fallback.Messages, m => m.Key == MessageKeys.OcspResponseInvalid);

        R.Crl.Behavior = ResponderBehavior.Malformed;
        var r = await Check(Pki.Leader);
        Is(r, Indication.Indeterminate, SubIndication.TryLater);
        Assert.Contains(r.Messages, m => m.Key == MessageKeys.CrlInvalid);
    }

    [Fact]
    public async Task A_slow_responder_hits_the_per_request_timeout()
    {
        R.Ocsp.Behavior = ResponderBehavior.Slow;
        R.Crl.Behavior = ResponderBehavior.Slow;
        R.Ocsp.Delay = R.Crl.Delay = TimeSpan.FromSeconds(3);
        var policy = ValidationPolicy.Default with { RequestTimeout = TimeSpan.FromMilliseconds(200) };
        var r = await Check(Pki.Leader, policy);
        Is(r, Indication.TotalPassed); // soft-fail: a timeout is "unavailable"
        var m = Assert.Single(r.Messages, m => m.Key == MessageKeys.OcspUnavailable);
        Assert.Contains("timeout", (string)m.Arguments[1]!);
        Is(await Check(Pki.Leader, policy with { SoftFail = false }), Indication.Indeterminate, SubIndication.TryLater);
    }

    [Fact]
    public async Task Ocsp_nonce_is_sent_and_a_replayed_answer_with_another_nonce_is_refused()
    {
        // A real answer to an earlier request with its own nonce, replayed by a second server.
        var certId = new CertificateID(CertificateID.DigestSha1, Bc(Pki.SubCa), Bc(Pki.Leader).SerialNumber);
        var gen = new OcspReqGenerator();
        gen.AddRequest(certId);
        gen.SetRequestExtensions(new BcX509.X509Extensions(new Dictionary<DerObjectIdentifier, BcX509.X509Extension>
        {
            [OcspObjectIdentifiers.PkixOcspNonce] = new(false, new DerOctetString(new DerOctetString(new byte[16] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }).GetEncoded())),
        }));
        var replay = new FixedAnswer("/ocsp", "application/ocsp-response", R.Ocsp.Respond(gen.Generate().GetEncoded()));
        using var server = LoopbackServer.Start(0, replay);
        var rewrites = new Dictionary<string, string> { [Pki.OcspUrl] = server.BaseUrl + "/ocsp" };
        R.Crl.Behavior = ResponderBehavior.Fail;

        var r = await Check(Pki.Leader, ValidationPolicy.Default with { UrlRewrites = rewrites });
        Is(r, Indication.Indeterminate, SubIndication.TryLater);
        Assert.Contains(r.Messages, m => m.Key == MessageKeys.OcspResponseInvalid && Equals(m.Arguments[1], "nonce"));
        Assert.Equal(1, replay.RequestCount);

        // Without a nonce of ours the same fresh answer is acceptable: the nonce is what refused it.
        var noNonce = await Check(Pki.Leader, ValidationPolicy.Default with { UrlRewrites = rewrites, OcspNonce = false });
        Assert.Equal(("good", "ocsp"), (noNonce.Certificates[0].RevocationStatus, noNonce.Certificates[0].RevocationSource));

        // A responder that leaves the nonce out is accepted when its answer is fresh (RFC 8954 allows it).
        R.Ocsp.EchoNonce = false;
        var echoless = await Check(Pki.Leader);
        Assert.Equal(("good", "ocsp"), (echoless.Certificates[0].RevocationStatus, echoless.Certificates[0].RevocationSource));
    }

    private static Org.BouncyCastle.X509.X509Certificate Bc(TestIdentity id) => new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(id.Certificate.RawData);

    [Fact]
    public async Task Url_rewrite_map_sends_requests_to_the_new_host()
    {
        var other = new OcspResponder(Pki, clock: RespondersFixture.Clock);
        using var server = LoopbackServer.Start(0, other);
        R.Ocsp.Behavior = ResponderBehavior.Fail;
        R.Crl.Behavior = ResponderBehavior.Fail;
        var r = await Check(Pki.Leader, ValidationPolicy.Default with { UrlRewrites = new Dictionary<string, string> { [Pki.OcspUrl] = server.BaseUrl + "/ocsp" } });
        Assert.Equal(("good", "ocsp"), (r.Certificates[0].RevocationStatus, r.Certificates[0].RevocationSource));
        Assert.Equal(1, other.RequestCount);
    }

    [Fact]
    public void Url_rewrite_replaces_the_longest_matching_prefix_case_insensitively()
    {
        var http = new RevocationHttp(null, ValidationPolicy.Default with
        {
            UrlRewrites = new Dictionary<string, string> { ["http://ocsp.ca.ptc"] = "http://ocsp.ca.gov.vn", ["http://ocsp.ca.ptc/g1"] = "http://g1.example" },
        });
        Assert.Equal("http://ocsp.ca.gov.vn/", http.Rewrite("http://ocsp.ca.ptc/"));
        Assert.Equal("http://ocsp.ca.gov.vn/x", http.Rewrite("HTTP://OCSP.CA.PTC/x"));
        Assert.Equal("http://g1.example/a", http.Rewrite("http://ocsp.ca.ptc/g1/a"));
        Assert.Equal("http://other/", http.Rewrite("http://other/"));
    }

    [Fact]
    public async Task The_cache_answers_until_next_update_then_asks_again()
    {
        R.Ocsp.Validity = TimeSpan.FromHours(1);
        var cache = new RevocationCache();
        int before = R.Ocsp.RequestCount;
        Is(await Check(Pki.Leader, v: V(cache: cache)), Indication.TotalPassed);
        Is(await Check(Pki.Leader, v: V(cache: cache)), Indication.TotalPassed);
        Assert.Equal(before + 1, R.Ocsp.RequestCount);

        // Two hours later the cached answer's nextUpdate has passed: the responder is asked again.
        var later = new FixedClock(Now.AddHours(2));
        R.Ocsp.Clock = later;
        R.Crl.Clock = later;
        var r = await Check(Pki.Leader, at: Now.AddHours(2), v: V(cache: cache, clock: later));
        Is(r, Indication.TotalPassed);
        Assert.Equal(before + 2, R.Ocsp.RequestCount);
        Assert.Equal("ocsp", r.Certificates[0].RevocationSource);
    }

    [Fact]
    public async Task Offline_mode_uses_only_supplied_crls()
    {
        var supplied = new ValidationData();
        supplied.Crls.Add(Pki.CreateCrl(Pki.SubCa, Now.AddHours(-1), Now.AddDays(7)));
        supplied.Crls.Add(Pki.CreateCrl(Pki.Root, Now.AddHours(-1), Now.AddDays(30)));
        var offline = ValidationPolicy.Default with { Revocation = RevocationMode.Offline, SuppliedData = supplied };
        int requests = R.Server.RequestCount;

        var good = await Check(Pki.Leader, offline);
        Is(good, Indication.TotalPassed);
        Assert.Equal(("good", "embedded-crl"), (good.Certificates[0].RevocationStatus, good.Certificates[0].RevocationSource));
        var revoked = await Check(Pki.Revoked, offline);
        Is(revoked, Indication.TotalFailed, SubIndication.Revoked);
        Assert.Equal("embedded-crl", revoked.Certificates[0].RevocationSource);
        Assert.Equal(requests, R.Server.RequestCount); // not one request

        // Offline with nothing supplied: soft-fail warns, hard-fail is TRY_LATER.
        var none = ValidationPolicy.Default with { Revocation = RevocationMode.Offline };
        Is(await Check(Pki.Leader, none), Indication.TotalPassed);
        Is(await Check(Pki.Leader, none with { SoftFail = false }), Indication.Indeterminate, SubIndication.TryLater);
        Assert.Equal(requests, R.Server.RequestCount);
    }

    [Fact]
    public async Task Embedded_ocsp_responses_are_used_first_at_a_past_time()
    {
        // Revocation data collected at signing time (LT), checked later offline at that time.
        var collected = await new ValidationDataCollector(V()).CollectAsync(Pki.Leader.Certificate, Pki.Leader.Chain);
        Assert.Single(collected.OcspResponses);
        Assert.Single(collected.Crls);
        Assert.Equal(3, collected.Certificates.Count);

        var later = new FixedClock(Now.AddDays(40));
        var v = new CertificateValidator(TrustStore.Empty.With(new[] { Pki.Root.Certificate }),
            ValidationPolicy.Default with { Revocation = RevocationMode.Offline }, null, null, later);
        var r = await v.ValidateAsync(Pki.Leader.Certificate, Now, Pki.Leader.Chain, CertificateUsage.Signing, collected);
        Is(r, Indication.TotalPassed);
        Assert.Equal("embedded-ocsp", r.Certificates[0].RevocationSource);
        Assert.Equal("embedded-crl", r.Certificates[1].RevocationSource);
    }

    [Fact]
    public async Task The_collector_refuses_when_no_revocation_data_can_be_had()
    {
        R.Ocsp.Behavior = ResponderBehavior.Fail;
        R.Crl.Behavior = ResponderBehavior.Fail;
        var e = await Assert.ThrowsAsync<ServiceUnavailableException>(() => new ValidationDataCollector(V()).CollectAsync(Pki.Leader.Certificate, Pki.Leader.Chain));
        Assert.Equal(MessageKeys.RevocationUnknown, e.MessageKey);
    }

    [Fact]
    public async Task A_missing_intermediate_is_fetched_from_aia_ca_issuers()
    {
        var r = await V().ValidateAsync(Pki.Leader.Certificate, Now); // leaf only, as many real files carry
        Is(r, Indication.TotalPassed);
        Assert.Equal(3, r.Path.Count);
        Assert.Contains(r.Messages, m => m.Key == MessageKeys.IssuerFetched);

        var offline = await V(ValidationPolicy.Default with { Revocation = RevocationMode.Offline }).ValidateAsync(Pki.Leader.Certificate, Now);
        Is(offline, Indication.Indeterminate, SubIndication.NoCertificateChainFound);
    }
}
