using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace VnGovSign.Remote.Async;

/// <summary>
/// An <see cref="ISigner"/> for asynchronous confirm-on-phone services in the style of VNPT SmartCA:
/// the hashes are submitted (<c>POST transactions</c>) → the service returns a transaction id and
/// pushes the request to the user's phone → the signer polls (<c>GET transactions/{id}</c>) with
/// back-off until the values arrive, the user rejects, the request expires, the timeout passes or the
/// caller cancels (then the transaction is cancelled at the service, best effort). docs/remote-signing.md
/// describes the protocol; adapting another vendor's API means mapping these four calls.
/// </summary>
public sealed class RemoteAsyncSigner : IBatchSigner, IDisposable
{
    private readonly RemoteAsyncSignerOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly RemoteHttp _remote;
    private readonly AuthenticationHeaderValue? _auth;
    private readonly int _fieldSize;

    private RemoteAsyncSigner(RemoteAsyncSignerOptions options, HttpClient http, bool ownsHttp, RemoteHttp remote, AuthenticationHeaderValue? auth,
        string credentialId, X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain)
    {
        _options = options; _http = http; _ownsHttp = ownsHttp; _remote = remote; _auth = auth;
        CredentialId = credentialId; Certificate = certificate; Chain = chain;
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null) KeyAlgorithm = KeyAlgorithm.Rsa;
        else
        {
            using var ec = certificate.GetECDsaPublicKey() ?? throw new InvalidInputException(MessageKeys.UnsupportedKey, certificate.Subject);
            KeyAlgorithm = KeyAlgorithm.Ecdsa;
            _fieldSize = (ec.KeySize + 7) / 8;
        }
    }

    /// <summary>Asks the service for the user's certificate and returns a signer over it.</summary>
    /// <exception cref="InvalidInputException">The user or credential is unknown, or the client was refused.</exception>
    /// <exception cref="ServiceUnavailableException">The service cannot be reached.</exception>
    public static async Task<RemoteAsyncSigner> ConnectAsync(RemoteAsyncSignerOptions options, CancellationToken cancellationToken = default)
    {
        if (options is null) throw new ArgumentNullException(nameof(options));
        bool owns = options.HttpClient is null;
        var http = options.HttpClient ?? new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
        try
        {
            var remote = new RemoteHttp(http, options.Retry, options.Clock, options.ServiceUrl.ToString());
            AuthenticationHeaderValue? auth = options.ClientId is null ? null
                : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.ClientId + ":" + (options.ClientSecret ?? ""))));
            var r = await remote.SendAsync(() => RemoteHttp.Post(RemoteHttp.Combine(options.ServiceUrl, "certificates"),
                new JsonObject { ["userId"] = options.UserId }, auth), cancellationToken).ConfigureAwait(false);
            if (!r.IsSuccess) throw Map(r, options, options.UserId);
            var list = (r.Object?["certificates"] as JsonArray)?.OfType<JsonObject>().ToList() ?? new List<JsonObject>();
            var entry = options.CredentialId is null ? list.FirstOrDefault() : list.FirstOrDefault(c => c.Str("credentialId") == options.CredentialId);
            if (entry is null)
                throw new InvalidInputException(RemoteMessages.Resources, RemoteMessages.CredentialNotFound, null, options.CredentialId ?? options.UserId,
                    "no certificate");
            X509Certificate2 leaf;
            List<X509Certificate2> others;
            try
            {
                leaf = new X509Certificate2(Convert.FromBase64String(entry.Str("certificate") ?? ""));
                others = entry.Strings("chain").Select(b => new X509Certificate2(Convert.FromBase64String(b))).ToList();
            }
            catch (Exception e) when (e is FormatException or CryptographicException)
            {
                throw new InvalidInputException(RemoteMessages.Resources, RemoteMessages.ServiceBadResponse, e, options.ServiceUrl, "certificate: " + e.Message);
            }
            return new RemoteAsyncSigner(options, http, owns, remote, auth, entry.Str("credentialId") ?? options.UserId, leaf,
                CertificateChains.OrderIssuerFirst(leaf, others));
        }
        catch
        {
            if (owns) http.Dispose();
            throw;
        }
    }

    /// <summary>The credential used at the service.</summary>
    public string CredentialId { get; }

    /// <inheritdoc />
    public X509Certificate2 Certificate { get; }

    /// <inheritdoc />
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <inheritdoc />
    public KeyAlgorithm KeyAlgorithm { get; }

    /// <summary>Status polls made by the last request (shows the back-off at work).</summary>
    public int LastPollCount { get; private set; }

    /// <inheritdoc />
    public async ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, HashAlgorithmName hash, RsaPadding padding,
        CancellationToken cancellationToken = default)
    {
        var values = await SignDigestsAsync(new[] { digest }, hash, padding, cancellationToken).ConfigureAwait(false);
        return values[0];
    }

    /// <inheritdoc />
    /// <remarks>Submits the digests in one transaction and waits (polling with back-off) for the phone:
    /// <see cref="SubmitAsync"/> then <see cref="WaitForSignaturesAsync"/>.</remarks>
    public async Task<IReadOnlyList<byte[]>> SignDigestsAsync(IReadOnlyList<ReadOnlyMemory<byte>> digests, HashAlgorithmName hash, RsaPadding padding,
        CancellationToken cancellationToken = default)
    {
        if (digests is null) throw new ArgumentNullException(nameof(digests));
        if (digests.Count == 0)
        {
            return Array.Empty<byte[]>();
        }
        var transaction = await SubmitAsync(digests, hash, padding, cancellationToken).ConfigureAwait(false);
        return await WaitForSignaturesAsync(transaction, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Step 1 of a split wait: submits the digests (one transaction, one confirmation on the phone) and
    /// returns at once with the transaction to wait for. An e-office server may store the transaction
    /// (<see cref="RemoteSigningTransaction.Id"/>, <see cref="RemoteSigningTransaction.SignatureCount"/>,
    /// <see cref="RemoteSigningTransaction.SubmittedAt"/>) with the prepared signatures and call
    /// <see cref="WaitForSignaturesAsync"/> later, even in another process.
    /// </summary>
    /// <exception cref="InvalidInputException">A digest does not match <paramref name="hash"/>, or the user is unknown.</exception>
    /// <exception cref="ServiceUnavailableException">The service cannot be reached (after the retries).</exception>
    public async Task<RemoteSigningTransaction> SubmitAsync(IReadOnlyList<ReadOnlyMemory<byte>> digests, HashAlgorithmName hash, RsaPadding padding,
        CancellationToken cancellationToken = default)
    {
        if (digests is null) throw new ArgumentNullException(nameof(digests));
        if (digests.Count == 0) throw new ArgumentException("no digest to sign", nameof(digests));
        int length = Digests.Length(hash);
        foreach (var d in digests)
            if (d.Length != length) throw new InvalidInputException(MessageKeys.DigestLengthMismatch, d.Length, hash.Name);
        var clock = _options.Clock;
        long started = clock.GetTimestamp();
        var submittedAt = clock.GetUtcNow();

        var hashes = new JsonArray();
        foreach (var d in digests) hashes.Add(new JsonObject { ["hash"] = Convert.ToBase64String(d.ToArray()) });
        var body = new JsonObject
        {
            ["userId"] = _options.UserId,
            ["credentialId"] = CredentialId,
            // The same requestId on a retried submit lets the service answer with the first transaction.
            ["requestId"] = Guid.NewGuid().ToString("N"),
            ["hashAlgorithm"] = hash.Name,
            ["signAlgorithm"] = KeyAlgorithm == KeyAlgorithm.Ecdsa ? "ECDSA" : padding == RsaPadding.Pss ? "RSA_PSS" : "RSA_PKCS1",
            ["description"] = _options.Description,
            ["hashes"] = hashes,
        };
        var submitted = await _remote.SendAsync(() => RemoteHttp.Post(Url("transactions"), body.DeepCloneObject(), _auth), cancellationToken).ConfigureAwait(false);
        if (!submitted.IsSuccess) throw Map(submitted, _options, CredentialId);
        string id = submitted.Object.Str("transactionId")
                    ?? throw new InvalidInputException(RemoteMessages.Resources, RemoteMessages.ServiceBadResponse, null, _options.ServiceUrl, "no transactionId");
        Report(RemoteSigningState.Submitted, id, started);
        return new RemoteSigningTransaction(id, digests.Count, submittedAt);
    }

    /// <summary>
    /// Step 2 of a split wait: polls the transaction with back-off until the signature values arrive
    /// (returned in the order of the submitted digests), the user rejects, the request expires, the
    /// timeout (counted from <see cref="RemoteSigningTransaction.SubmittedAt"/>) passes or
    /// <paramref name="cancellationToken"/> is cancelled; in the last two cases the transaction is
    /// withdrawn at the service (best effort) so the phone stops asking.
    /// </summary>
    /// <exception cref="SigningException">Rejected on the phone, expired, or no answer within the timeout.</exception>
    /// <exception cref="ServiceUnavailableException">The service cannot be reached (after the retries).</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled the wait.</exception>
    public async Task<IReadOnlyList<byte[]>> WaitForSignaturesAsync(RemoteSigningTransaction transaction, CancellationToken cancellationToken = default)
    {
        if (transaction is null) throw new ArgumentNullException(nameof(transaction));
        var clock = _options.Clock;
        string id = transaction.Id;
        // Elapsed time counts from the submit, also when the wait resumes in another process.
        long started = clock.GetTimestamp() - (long)((clock.GetUtcNow() - transaction.SubmittedAt).TotalSeconds * clock.TimestampFrequency);
        LastPollCount = 0;
        var interval = _options.InitialPollInterval;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                LastPollCount++;
                var r = await _remote.SendAsync(() => RemoteHttp.Get(Url("transactions/" + Uri.EscapeDataString(id)), _auth), cancellationToken).ConfigureAwait(false);
                if (!r.IsSuccess) throw Map(r, _options, id);
                string status = (r.Object.Str("status") ?? "").ToLowerInvariant();
                switch (status)
                {
                    case "signed":
                    case "completed":
                        var values = r.Object.Strings("signatures");
                        if (values.Count != transaction.SignatureCount)
                            throw new SigningException(RemoteMessages.Resources, RemoteMessages.SignatureCountMismatch, null, transaction.SignatureCount, values.Count);
                        Report(RemoteSigningState.Signed, id, started);
                        try { return values.Select(v => Normalise(Convert.FromBase64String(v))).ToList(); }
                        catch (FormatException e)
                        {
                            throw new InvalidInputException(RemoteMessages.Resources, RemoteMessages.ServiceBadResponse, e, _options.ServiceUrl, "signatures: " + e.Message);
                        }
                    case "rejected":
                    case "denied":
                        Report(RemoteSigningState.Rejected, id, started);
                        throw new SigningException(RemoteMessages.Resources, RemoteMessages.Rejected, null, id);
                    case "expired":
                        Report(RemoteSigningState.Expired, id, started);
                        throw new SigningException(RemoteMessages.Resources, RemoteMessages.Expired, null, id);
                    case "cancelled":
                    case "canceled":
                        Report(RemoteSigningState.Cancelled, id, started);
                        throw new SigningException(RemoteMessages.Resources, RemoteMessages.Withdrawn, null, id);
                    case "pending":
                    case "waiting":
                        break;
                    default:
                        throw new InvalidInputException(RemoteMessages.Resources, RemoteMessages.ServiceBadResponse, null, _options.ServiceUrl, "status '" + status + "'");
                }
                Report(RemoteSigningState.WaitingForConfirmation, id, started);
                var remaining = _options.Timeout - clock.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero)
                {
                    await CancelAtServiceAsync(id).ConfigureAwait(false);
                    Report(RemoteSigningState.Expired, id, started);
                    throw new SigningException(RemoteMessages.Resources, RemoteMessages.TimedOut, null, id, (long)_options.Timeout.TotalSeconds);
                }
                await RemoteDelay.DelayAsync(clock, interval < remaining ? interval : remaining, cancellationToken).ConfigureAwait(false);
                interval = TimeSpan.FromMilliseconds(Math.Min(interval.TotalMilliseconds * Math.Max(1.0, _options.PollBackoff), _options.MaxPollInterval.TotalMilliseconds));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The user gave up here: withdraw the request so the phone stops asking.
            await CancelAtServiceAsync(id).ConfigureAwait(false);
            Report(RemoteSigningState.Cancelled, id, started);
            throw;
        }
    }

    private async Task CancelAtServiceAsync(string id)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            using var request = RemoteHttp.Post(Url("transactions/" + Uri.EscapeDataString(id) + "/cancel"), new JsonObject(), _auth);
            using var _ = await _http.SendAsync(request, cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            // Best effort: the transaction expires at the service anyway.
        }
    }

    private void Report(RemoteSigningState state, string id, long started) =>
        _options.Progress?.Report(new RemoteSigningStatus(state, id, _options.Clock.GetElapsedTime(started)));

    private Uri Url(string relative) => RemoteHttp.Combine(_options.ServiceUrl, relative);

    // ECDSA values may come DER-encoded or as r||s; the ISigner contract is r||s.
    private byte[] Normalise(byte[] value) =>
        KeyAlgorithm != KeyAlgorithm.Ecdsa || value.Length == 2 * _fieldSize ? value : EcdsaSignatureFormat.ToP1363(value, _fieldSize);

    private static Exception Map(RemoteResponse r, RemoteAsyncSignerOptions options, string reference)
    {
        string error = r.Object.Str("error") ?? "HTTP " + r.Status;
        string description = r.Object.Str("error_description") ?? r.Object.Str("message") ?? r.Text;
        var res = RemoteMessages.Resources;
        if (r.Status == 401 || r.Status == 403 || error is "invalid_client" or "unauthorized_client")
            return new InvalidInputException(res, RemoteMessages.Unauthorized, null, options.ServiceUrl, error + ": " + description);
        if (error == "user_not_found" || (r.Status == 404 && r.Object is not null && error != "transaction_not_found"))
            return new InvalidInputException(res, RemoteMessages.UserNotFound, null, options.UserId, description);
        if (r.Status == 404 && r.Object is null)
            return new ServiceUnavailableException(res, RemoteMessages.ServiceUnavailable, null, options.ServiceUrl, "HTTP 404");
        return new SigningException(res, RemoteMessages.ServiceError, null, error, description);
    }

    /// <summary>Releases the HttpClient when the signer created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}
