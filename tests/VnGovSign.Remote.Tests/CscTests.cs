using System.Security.Cryptography;
using VnGovSign.Cms;
using VnGovSign.Remote.Csc;

namespace VnGovSign.Remote.Tests;

public sealed class CscTests : IDisposable
{
    private readonly RemoteServers _s = new();
    private readonly CmsCheck _cms = new();

    public void Dispose() { _s.Dispose(); _cms.Dispose(); }

    private static readonly RemoteRetryPolicy FastRetry = new() { MaxAttempts = 3, InitialDelay = TimeSpan.FromMilliseconds(5) };

    private CscClientOptions Options(string suffix = "") => new(new Uri(_s.CscUrl + suffix))
    {
        ClientId = "vngovsign-test", ClientSecret = "test-secret", Retry = FastRetry,
    };

    private Task<CscSigner> Connect(string credential = "leader", string? pin = SharedPki.Pin, CscClientOptions? options = null,
        Func<CancellationToken, Task<string>>? otp = null, IProgress<RemoteSigningStatus>? progress = null) =>
        CscSigner.ConnectAsync(options ?? Options(), credential, new CscSignerOptions { Pin = pin, OtpProvider = otp, Progress = progress });

    [Theory]
    [InlineData(CscApiVersion.V1)]
    [InlineData(CscApiVersion.V2)]
    public async Task Client_credentials_list_info_authorize_and_sign_one_hash(CscApiVersion version)
    {
        using var client = new CscClient(Options() with { Version = version });
        var ids = await client.ListCredentialsAsync();
        Assert.Contains("leader", ids);
        Assert.Contains("org", ids);
        Assert.Equal(version, client.Version);

        var info = await client.GetCredentialInfoAsync("leader");
        Assert.Equal(SharedPki.Pki.Leader.Certificate.Thumbprint, info.Certificate.Thumbprint);
        Assert.Equal(new[] { SharedPki.Pki.SubCa.Certificate.Thumbprint, SharedPki.Pki.Root.Certificate.Thumbprint },
            info.Chain.Select(c => c.Thumbprint));
        Assert.Contains("1.2.840.113549.1.1.1", info.KeyAlgorithms);
        Assert.Equal(2048, info.KeyLength);
        Assert.True(info.PinRequired);
        Assert.False(info.OtpRequired);
        Assert.Equal(2, info.Scal);
        Assert.Equal("valid", info.CertificateStatus);

        var digest = CmsCheck.Digest("một văn bản");
        var sad = await client.AuthorizeAsync("leader", 1, new ReadOnlyMemory<byte>[] { digest }, HashAlgorithmName.SHA256, SharedPki.Pin, null);
        Assert.False(string.IsNullOrEmpty(sad.Sad));
        Assert.NotNull(sad.ExpiresAt);
        var values = await client.SignHashAsync("leader", sad.Sad, new ReadOnlyMemory<byte>[] { digest }, HashAlgorithmName.SHA256, "1.2.840.113549.1.1.1");
        Assert.True(CmsCheck.Verifies(info.Certificate, digest, Assert.Single(values)));

        string v = version == CscApiVersion.V1 ? "v1/" : "v2/";
        Assert.Equal(1, _s.Count(v + "oauth2/token"));          // one token for all calls
        Assert.Equal(0, _s.Csc.RequestLog.Count(e => !e.StartsWith(v, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_version_is_asked_from_the_service_or_fixed_by_the_url()
    {
        using (var auto = new CscClient(Options()))
        {
            var info = await auto.GetInfoAsync();
            Assert.Equal(CscApiVersion.V2, auto.Version);
            Assert.StartsWith("2", info.Specs);
            Assert.Contains("signatures/signHash", info.Methods);
        }
        using var v1 = new CscClient(Options("/v1"));
        var i1 = await v1.GetInfoAsync();
        Assert.Equal(CscApiVersion.V1, v1.Version);
        Assert.StartsWith("1.0.4", i1.Specs);
        Assert.Equal(1, _s.Count("v1/info"));
    }

    [Theory]
    [InlineData(CscApiVersion.V1)]
    [InlineData(CscApiVersion.V2)]
    public async Task Many_hashes_are_signed_in_one_signHash(CscApiVersion version)
    {
        using var signer = await Connect(options: Options() with { Version = version });
        var digests = Enumerable.Range(1, 5).Select(i => CmsCheck.Digest("văn bản " + i)).ToList();
        var values = await signer.SignDigestsAsync(digests.Select(d => (ReadOnlyMemory<byte>)d).ToList(), HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
        Assert.Equal(5, values.Count);
        for (int i = 0; i < 5; i++) Assert.True(CmsCheck.Verifies(signer.Certificate, digests[i], values[i]), "value " + i);
        Assert.Equal(1, _s.Csc.AuthorizeCount);
        Assert.Equal(1, _s.Csc.SignHashCount);
        Assert.Equal(5, _s.Csc.SignatureCount);
        Assert.Equal(1, signer.AuthorizationCount);
    }

    [Fact]
    public async Task A_supplied_bearer_token_is_used_instead_of_client_credentials()
    {
        _s.Csc.StaticBearerTokens.Add("token-from-the-user-login");
        using var signer = await Connect(options: new CscClientOptions(_s.CscUrl) { AccessToken = "token-from-the-user-login", Retry = FastRetry });
        var digest = CmsCheck.Digest("x");
        var value = await signer.SignDigestAsync(digest, HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
        Assert.True(CmsCheck.Verifies(signer.Certificate, digest, value));
        Assert.DoesNotContain(_s.Csc.RequestLog, e => e.EndsWith("oauth2/token", StringComparison.Ordinal));

        var e = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Connect(options: new CscClientOptions(_s.CscUrl) { AccessToken = "a-wrong-token", Retry = FastRetry }));
        Assert.Equal(RemoteMessages.Unauthorized, e.MessageKey);
    }

    [Fact]
    public async Task A_wrong_client_secret_is_refused_with_a_clear_error()
    {
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Connect(options: Options() with { ClientSecret = "nope" }));
        Assert.Equal(RemoteMessages.Unauthorized, e.MessageKey);
        Assert.Contains("invalid_client", e.Message);
        Assert.Contains("client", e.GetMessage(Messages.English));
        Assert.Contains("từ chối", e.GetMessage());
    }

    [Theory]
    [InlineData(CscApiVersion.V1)]
    [InlineData(CscApiVersion.V2)]
    public async Task A_wrong_pin_is_a_WrongPinException_and_is_never_retried(CscApiVersion version)
    {
        using var signer = await Connect(pin: "0000", options: Options() with { Version = version });
        var e = await Assert.ThrowsAsync<WrongPinException>(async () =>
            await signer.SignDigestAsync(CmsCheck.Digest("x"), HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
        Assert.Equal(RemoteMessages.WrongPin, e.MessageKey);
        Assert.Contains("PIN", e.GetMessage());
        string v = version == CscApiVersion.V1 ? "v1/" : "v2/";
        Assert.Equal(1, _s.Count(v + "credentials/authorize"));
        Assert.Equal(0, _s.Csc.SignHashCount);
    }

    [Fact]
    public async Task A_credential_that_wants_a_pin_without_one_fails_before_any_call()
    {
        using var signer = await Connect(pin: null);
        var e = await Assert.ThrowsAsync<InvalidInputException>(async () =>
            await signer.SignDigestAsync(CmsCheck.Digest("x"), HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
        Assert.Equal(RemoteMessages.PinRequired, e.MessageKey);
        Assert.Equal(0, _s.Count("v2/credentials/authorize"));
    }

    [Theory]
    [InlineData(CscApiVersion.V1)]
    [InlineData(CscApiVersion.V2)]
    public async Task An_online_otp_is_requested_sent_and_checked(CscApiVersion version)
    {
        _s.Csc.RequireOtp = true;
        int asked = 0;
        using var signer = await Connect(options: Options() with { Version = version },
            otp: _ => { asked++; return Task.FromResult(_s.Csc.Otp); });
        Assert.True(signer.CredentialInfo.OtpRequired);
        var digest = CmsCheck.Digest("x");
        var value = await signer.SignDigestAsync(digest, HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
        Assert.True(CmsCheck.Verifies(signer.Certificate, digest, value));
        Assert.Equal(1, asked);
        Assert.Equal(1, _s.Csc.OtpSentCount);

        using var wrong = await Connect(options: Options() with { Version = version }, otp: _ => Task.FromResult("999999"));
        var e = await Assert.ThrowsAsync<WrongPinException>(async () => await wrong.SignDigestAsync(digest, HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
        Assert.Equal(RemoteMessages.WrongOtp, e.MessageKey);

        using var none = await Connect(options: Options() with { Version = version });
        var missing = await Assert.ThrowsAsync<InvalidInputException>(async () => await none.SignDigestAsync(digest, HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
        Assert.Equal(RemoteMessages.OtpRequired, missing.MessageKey);
    }

    [Fact]
    public async Task Server_errors_are_retried_then_the_signature_succeeds()
    {
        using var signer = await Connect();
        _s.Csc.FailNextRequests(2);
        var digest = CmsCheck.Digest("x");
        var value = await signer.SignDigestAsync(digest, HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
        Assert.True(CmsCheck.Verifies(signer.Certificate, digest, value));
        Assert.Equal(2, _s.Csc.RequestLog.Count(e => e.EndsWith(" 503", StringComparison.Ordinal)));
        Assert.Equal(1, _s.Csc.AuthorizeCount);
    }

    [Fact]
    public async Task A_service_that_keeps_failing_is_ServiceUnavailable_after_the_configured_attempts()
    {
        using var signer = await Connect();
        _s.Csc.FailNextRequests(100);
        var e = await Assert.ThrowsAsync<ServiceUnavailableException>(async () =>
            await signer.SignDigestAsync(CmsCheck.Digest("x"), HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
        Assert.Contains("503", e.Message);
        Assert.Equal(FastRetry.MaxAttempts, _s.Csc.RequestLog.Count(x => x.EndsWith(" 503", StringComparison.Ordinal)));
        Assert.Equal(FastRetry.MaxAttempts, signer.Client.LastAttempts);
    }

    [Fact]
    public async Task An_unreachable_service_is_ServiceUnavailable()
    {
        int port;
        using (var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0)) { l.Start(); port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port; l.Stop(); }
        var e = await Assert.ThrowsAsync<ServiceUnavailableException>(() =>
            Connect(options: new CscClientOptions(new Uri($"http://127.0.0.1:{port}/csc")) { ClientId = "a", ClientSecret = "b", Retry = RemoteRetryPolicy.None }));
        Assert.Equal(RemoteMessages.ServiceUnavailable, e.MessageKey);
    }

    [Fact]
    public async Task Declined_on_the_phone_is_a_SigningException()
    {
        _s.Csc.RejectAuthorization = true;
        using var signer = await Connect();
        var e = await Assert.ThrowsAsync<SigningException>(async () =>
            await signer.SignDigestAsync(CmsCheck.Digest("x"), HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
        Assert.Equal(RemoteMessages.Rejected, e.MessageKey);
        Assert.Contains("từ chối", e.GetMessage());
    }

    [Fact]
    public async Task An_expired_authorisation_is_a_SigningException()
    {
        _s.Csc.SadLifetime = TimeSpan.Zero;
        using var signer = await Connect();
        var e = await Assert.ThrowsAsync<SigningException>(async () =>
            await signer.SignDigestAsync(CmsCheck.Digest("x"), HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
        Assert.Equal(RemoteMessages.AuthorizationExpired, e.MessageKey);
    }

    [Fact]
    public async Task An_unknown_credential_is_InvalidInput()
    {
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => Connect(credential: "nobody"));
        Assert.Equal(RemoteMessages.CredentialNotFound, e.MessageKey);
    }

    [Fact]
    public async Task Cancelling_while_the_phone_confirms_ends_the_wait()
    {
        _s.Csc.ConfirmationDelay = TimeSpan.FromSeconds(30);
        var progress = new StatusRecorder();
        using var signer = await Connect(progress: progress);
        using var cts = new CancellationTokenSource();
        var sign = signer.SignDigestAsync(CmsCheck.Digest("x"), HashAlgorithmName.SHA256, RsaPadding.Pkcs1, cts.Token).AsTask();
        while (!progress.States.Contains(RemoteSigningState.Authorizing)) await Task.Delay(5);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sign);
        Assert.Equal(0, _s.Csc.AuthorizeCount);
    }

    [Fact]
    public async Task Batches_larger_than_multisign_take_several_authorisations()
    {
        _s.Csc.MultiSign = 2;
        using var signer = await Connect();
        var digests = Enumerable.Range(1, 5).Select(i => (ReadOnlyMemory<byte>)CmsCheck.Digest("d" + i)).ToList();
        var values = await signer.SignDigestsAsync(digests, HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
        Assert.Equal(5, values.Count);
        for (int i = 0; i < 5; i++) Assert.True(CmsCheck.Verifies(signer.Certificate, digests[i].ToArray(), values[i]));
        Assert.Equal(3, _s.Csc.AuthorizeCount);
        Assert.Equal(3, signer.AuthorizationCount);
    }

    [Theory]
    [InlineData("leader", RsaPadding.Pkcs1)]
    [InlineData("leader", RsaPadding.Pss)]
    [InlineData("leader-ec", RsaPadding.Pkcs1)]
    public async Task A_CMS_signed_through_CSC_verifies_with_openssl(string credential, RsaPadding padding)
    {
        var progress = new StatusRecorder();
        using var signer = await Connect(credential, progress: progress);
        var cms = await new CadesSigner(CmsCheck.Options with { Padding = padding }).SignDetachedAsync(new MemoryStream(CmsCheck.Content), signer);
        _cms.AssertOpensslVerifies(cms);
        var tampered = (byte[])CmsCheck.Content.Clone();
        tampered[3] ^= 1;
        Assert.NotEqual(0, _cms.Openssl(cms, tampered).ExitCode);
        Assert.Equal(new[] { RemoteSigningState.Authorizing, RemoteSigningState.Signed }, progress.States);
    }

    [Fact]
    public async Task A_batch_of_prepared_CMS_signatures_is_signed_under_one_authorisation()
    {
        using var signer = await Connect("org");
        var documents = Enumerable.Range(1, 4).Select(i => System.Text.Encoding.UTF8.GetBytes($"Quyết định số {i}/QĐ-UBND\n")).ToList();
        var prepared = documents.Select(d => CadesSignatureBuilder.Prepare(SHA256.HashData(d), signer.Certificate, signer.Chain, signer.KeyAlgorithm,
            new CmsSignatureParameters { SigningTime = SharedPki.Now })).ToList();
        var values = await signer.SignAsync(prepared);
        Assert.Equal(1, _s.Csc.AuthorizeCount);
        Assert.Equal(1, _s.Csc.SignHashCount);
        for (int i = 0; i < documents.Count; i++) _cms.AssertOpensslVerifies(prepared[i].Complete(values[i]), documents[i]);
    }
}
