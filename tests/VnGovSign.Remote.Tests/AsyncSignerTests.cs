using System.Security.Cryptography;
using VnGovSign.Cms;
using VnGovSign.Remote.Async;
using VnGovSign.Testing.Remote;

namespace VnGovSign.Remote.Tests;

public sealed class AsyncSignerTests : IDisposable
{
    private readonly RemoteServers _s = new();
    private readonly CmsCheck _cms = new();
    private readonly ManualClock _clock = new(SharedPki.Now);

    public AsyncSignerTests() => _s.Async.Clock = _clock; // the phone lives on the same (manual) time

    public void Dispose() { _s.Dispose(); _cms.Dispose(); }

    private RemoteAsyncSignerOptions Options(string user = "leader", StatusRecorder? progress = null) => new(_s.AsyncUrl, user)
    {
        Clock = _clock,
        InitialPollInterval = TimeSpan.FromSeconds(1),
        PollBackoff = 2,
        MaxPollInterval = TimeSpan.FromSeconds(4),
        Timeout = TimeSpan.FromMinutes(2),
        Progress = progress,
        Retry = new RemoteRetryPolicy { MaxAttempts = 3, InitialDelay = TimeSpan.Zero },
        Description = "Ký công văn số 12/UBND-VP",
    };

    private static readonly byte[] Digest = CmsCheck.Digest("công văn");

    private Task<IReadOnlyList<byte[]>> Sign(RemoteAsyncSigner signer, CancellationToken ct = default, params byte[][] digests) =>
        signer.SignDigestsAsync((digests.Length == 0 ? new[] { Digest } : digests).Select(d => (ReadOnlyMemory<byte>)d).ToList(),
            HashAlgorithmName.SHA256, RsaPadding.Pkcs1, ct);

    [Fact]
    public async Task Submit_then_poll_with_back_off_until_the_phone_confirms()
    {
        _s.Async.ConfirmationDelay = TimeSpan.FromSeconds(10);
        var progress = new StatusRecorder();
        using var signer = await RemoteAsyncSigner.ConnectAsync(Options(progress: progress));
        Assert.Equal(SharedPki.Pki.Leader.Certificate.Thumbprint, signer.Certificate.Thumbprint);
        Assert.Equal(2, signer.Chain.Count);

        var values = await _clock.RunAsync(Sign(signer));
        Assert.True(CmsCheck.Verifies(signer.Certificate, Digest, Assert.Single(values)));
        // Polls at 0, 1, 3, 7 (pending) and 11 s (signed): waits of 1, 2, 4 and 4 s (capped).
        Assert.Equal(new[] { 1, 2, 4, 4 }.Select(s => TimeSpan.FromSeconds(s)), _clock.Requested);
        Assert.Equal(5, signer.LastPollCount);
        Assert.Equal(5, _s.Async.StatusPollCount);
        var states = progress.States.Distinct().ToList();
        Assert.Equal(new[] { RemoteSigningState.Submitted, RemoteSigningState.WaitingForConfirmation, RemoteSigningState.Signed }, states);
        var waiting = progress.Items.First(i => i.State == RemoteSigningState.WaitingForConfirmation);
        Assert.Contains("Đang chờ xác nhận trên điện thoại", waiting.GetMessage());
        Assert.Contains("Waiting for confirmation on the phone", waiting.GetMessage(Messages.English));
        Assert.Equal(TimeSpan.FromSeconds(11), progress.Items.Last().Elapsed);
    }

    [Fact]
    public async Task Rejected_on_the_phone_is_a_SigningException()
    {
        _s.Async.Outcome = AsyncConfirmOutcome.Reject;
        _s.Async.ConfirmationDelay = TimeSpan.FromSeconds(2);
        var progress = new StatusRecorder();
        using var signer = await RemoteAsyncSigner.ConnectAsync(Options(progress: progress));
        var e = await Assert.ThrowsAsync<SigningException>(() => _clock.RunAsync(Sign(signer)));
        Assert.Equal(RemoteMessages.Rejected, e.MessageKey);
        Assert.Contains("từ chối", e.GetMessage());
        Assert.Equal(RemoteSigningState.Rejected, progress.States.Last());
    }

    [Fact]
    public async Task A_request_that_expires_at_the_service_is_a_SigningException()
    {
        _s.Async.Outcome = AsyncConfirmOutcome.Expire;
        _s.Async.ConfirmationDelay = TimeSpan.FromSeconds(3);
        var progress = new StatusRecorder();
        using var signer = await RemoteAsyncSigner.ConnectAsync(Options(progress: progress));
        var e = await Assert.ThrowsAsync<SigningException>(() => _clock.RunAsync(Sign(signer)));
        Assert.Equal(RemoteMessages.Expired, e.MessageKey);
        Assert.Equal(RemoteSigningState.Expired, progress.States.Last());
    }

    [Fact]
    public async Task No_answer_within_the_timeout_withdraws_the_request()
    {
        _s.Async.Outcome = AsyncConfirmOutcome.Never;
        using var signer = await RemoteAsyncSigner.ConnectAsync(Options() with { Timeout = TimeSpan.FromSeconds(5) });
        var e = await Assert.ThrowsAsync<SigningException>(() => _clock.RunAsync(Sign(signer)));
        Assert.Equal(RemoteMessages.TimedOut, e.MessageKey);
        // Waits of 1 and 2 s, then only the 2 s left of the 5 s timeout.
        Assert.Equal(new[] { 1, 2, 2 }.Select(s => TimeSpan.FromSeconds(s)), _clock.Requested);
        Assert.Equal(1, _s.Async.CancelledCount);
    }

    [Fact]
    public async Task Cancelling_the_wait_cancels_the_transaction_at_the_service()
    {
        _s.Async.Outcome = AsyncConfirmOutcome.Never;
        var progress = new StatusRecorder();
        using var signer = await RemoteAsyncSigner.ConnectAsync(Options(progress: progress));
        using var cts = new CancellationTokenSource();
        var sign = Sign(signer, cts.Token);
        await _clock.WaitUntilWaitingAsync(sign);
        Assert.False(sign.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sign);
        Assert.Equal(1, _s.Async.CancelledCount);
        Assert.Equal(RemoteSigningState.Cancelled, progress.States.Last());
    }

    [Fact]
    public async Task Server_errors_are_retried_and_a_retried_submit_creates_one_transaction()
    {
        using var signer = await RemoteAsyncSigner.ConnectAsync(Options());
        _s.Async.FailNextRequests(2); // the submit fails twice, the third attempt is accepted
        var values = await _clock.RunAsync(Sign(signer));
        Assert.True(CmsCheck.Verifies(signer.Certificate, Digest, Assert.Single(values)));
        Assert.Equal(2, _s.Async.FailedRequestCount);
        Assert.Equal(1, _s.Async.TransactionCount);
    }

    [Fact]
    public async Task A_service_that_keeps_failing_is_ServiceUnavailable()
    {
        _s.Async.FailNextRequests(100);
        var e = await Assert.ThrowsAsync<ServiceUnavailableException>(() => RemoteAsyncSigner.ConnectAsync(Options()));
        Assert.Equal(RemoteMessages.ServiceUnavailable, e.MessageKey);
        Assert.Equal(3, _s.Async.FailedRequestCount);
    }

    [Fact]
    public async Task Many_digests_go_in_one_transaction()
    {
        var digests = Enumerable.Range(1, 6).Select(i => CmsCheck.Digest("hồ sơ " + i)).ToArray();
        using var signer = await RemoteAsyncSigner.ConnectAsync(Options("org"));
        var values = await _clock.RunAsync(Sign(signer, default, digests));
        Assert.Equal(6, values.Count);
        for (int i = 0; i < 6; i++) Assert.True(CmsCheck.Verifies(signer.Certificate, digests[i], values[i]));
        Assert.Equal(1, _s.Async.TransactionCount);
        Assert.Equal(6, _s.Async.LastTransactionHashCount);
    }

    [Fact]
    public async Task An_unknown_user_is_InvalidInput()
    {
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => RemoteAsyncSigner.ConnectAsync(Options("nobody")));
        Assert.Equal(RemoteMessages.UserNotFound, e.MessageKey);
    }

    [Fact]
    public async Task Client_authentication_is_sent_when_the_service_wants_it()
    {
        _s.Async.ClientId = "eoffice";
        _s.Async.ClientSecret = "s3cret";
        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => RemoteAsyncSigner.ConnectAsync(Options()));
        Assert.Equal(RemoteMessages.Unauthorized, refused.MessageKey);
        using var signer = await RemoteAsyncSigner.ConnectAsync(Options() with { ClientId = "eoffice", ClientSecret = "s3cret" });
        var values = await _clock.RunAsync(Sign(signer));
        Assert.True(CmsCheck.Verifies(signer.Certificate, Digest, Assert.Single(values)));
    }

    [Theory]
    [InlineData("leader", RsaPadding.Pkcs1)]
    [InlineData("leader", RsaPadding.Pss)]
    [InlineData("leader-ec", RsaPadding.Pkcs1)]
    public async Task A_CMS_signed_through_the_async_service_verifies_with_openssl(string user, RsaPadding padding)
    {
        _s.Async.ConfirmationDelay = TimeSpan.FromSeconds(3);
        using var signer = await RemoteAsyncSigner.ConnectAsync(Options(user));
        var cms = await _clock.RunAsync(new CadesSigner(CmsCheck.Options with { Padding = padding })
            .SignDetachedAsync(new MemoryStream(CmsCheck.Content), signer));
        _cms.AssertOpensslVerifies(cms);
    }

    [Fact]
    public async Task Two_phase_prepare_serialise_wait_for_the_phone_then_complete()
    {
        // The e-office flow of docs/remote-signing.md: the server prepares, keeps only bytes, and finishes later.
        _s.Async.ConfirmationDelay = TimeSpan.FromSeconds(5);
        byte[] state;
        RemoteSigningTransaction transaction;
        using (var first = await RemoteAsyncSigner.ConnectAsync(Options()))
        {
            var prepared = CadesSignatureBuilder.Prepare(SHA256.HashData(CmsCheck.Content), first.Certificate, first.Chain, first.KeyAlgorithm,
                new CmsSignatureParameters { SigningTime = SharedPki.Now });
            state = prepared.Serialize();
            transaction = await first.SubmitAsync(new[] { prepared.Digest }, prepared.Hash, prepared.Padding);
        }
        Assert.Equal(1, transaction.SignatureCount);
        Assert.Equal(SharedPki.Now, transaction.SubmittedAt);
        // "After a restart": a new signer, the stored state and transaction.
        var progress = new StatusRecorder();
        using var signer = await RemoteAsyncSigner.ConnectAsync(Options(progress: progress));
        var values = await _clock.RunAsync(signer.WaitForSignaturesAsync(transaction));
        Assert.Equal(1, _s.Async.TransactionCount);
        Assert.Equal(TimeSpan.FromSeconds(7), progress.Items.Last().Elapsed); // polls at 0, 1, 3, 7 s after the submit

        var restored = PreparedCmsSignature.Deserialize(state);
        var cms = restored.Complete(Assert.Single(values));
        _cms.AssertOpensslVerifies(cms);
        var report = await new CadesValidator(new Validation.CertificateValidator(
                Trust.TrustStore.Empty.With(new[] { SharedPki.Pki.Root.Certificate }),
                Validation.ValidationPolicy.Default with { Revocation = Validation.RevocationMode.None, ValidationTime = SharedPki.Now }),
            new FixedClock(SharedPki.Now)).ValidateDetachedAsync(cms, new MemoryStream(CmsCheck.Content), "cv.p7s");
        Assert.Equal(Validation.Indication.TotalPassed, report.Indication);
    }
}
