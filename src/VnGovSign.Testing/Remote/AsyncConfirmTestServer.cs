using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using VnGovSign.Testing.Http;

namespace VnGovSign.Testing.Remote;

/// <summary>What the simulated user does with a request on the phone.</summary>
public enum AsyncConfirmOutcome
{
    /// <summary>Confirms after <see cref="AsyncConfirmTestServer.ConfirmationDelay"/>: the service signs.</summary>
    Approve,
    /// <summary>Declines after the delay.</summary>
    Reject,
    /// <summary>The request expires after the delay without an answer.</summary>
    Expire,
    /// <summary>Never answers: the request stays pending until its lifetime ends.</summary>
    Never,
}

/// <summary>
/// An asynchronous confirm-on-phone signing service for tests, in the style of VNPT SmartCA, mounted
/// on a <see cref="LoopbackServer"/> (protocol in docs/remote-signing.md):
/// <c>POST certificates</c> {userId} → the user's certificates;
/// <c>POST transactions</c> {userId, credentialId, requestId, hashAlgorithm, signAlgorithm, hashes} → {transactionId, status};
/// <c>GET transactions/{id}</c> → {status: pending|signed|rejected|expired|cancelled, signatures};
/// <c>POST transactions/{id}/cancel</c>.
/// The user ids are the credential ids (the PKI's file names: leader, org…).
/// </summary>
public sealed class AsyncConfirmTestServer : ILoopbackEndpoint
{
    private readonly Dictionary<string, RemoteTestCredential> _credentials;
    private readonly ConcurrentDictionary<string, Transaction> _transactions = new();
    private readonly ConcurrentDictionary<string, string> _byRequestId = new();
    private int _failNext;

    private sealed class Transaction
    {
        public Transaction(string id, RemoteTestCredential credential, List<byte[]> hashes, HashAlgorithmName hash, RsaPadding padding,
            DateTimeOffset created, AsyncConfirmOutcome outcome, TimeSpan delay, string? description)
        {
            Id = id; Credential = credential; Hashes = hashes; Hash = hash; Padding = padding; Created = created; Outcome = outcome; Delay = delay;
            Description = description;
        }
        public string Id { get; }
        public RemoteTestCredential Credential { get; }
        public List<byte[]> Hashes { get; }
        public HashAlgorithmName Hash { get; }
        public RsaPadding Padding { get; }
        public DateTimeOffset Created { get; }
        public AsyncConfirmOutcome Outcome { get; }
        public TimeSpan Delay { get; }
        public string? Description { get; }
        public bool Cancelled { get; set; }
        public List<string>? Signatures { get; set; }
    }

    /// <summary>Creates a service holding <paramref name="credentials"/>.</summary>
    public AsyncConfirmTestServer(IEnumerable<RemoteTestCredential> credentials, string pathPrefix = "/async/")
    {
        _credentials = credentials.ToDictionary(c => c.Id, StringComparer.Ordinal);
        PathPrefix = pathPrefix.EndsWith("/", StringComparison.Ordinal) ? pathPrefix : pathPrefix + "/";
    }

    /// <summary>Creates a service over the key holders of a test PKI (<see cref="RemoteTestCredential.FromPki"/>).</summary>
    public AsyncConfirmTestServer(TestPki pki, string pathPrefix = "/async/") : this(RemoteTestCredential.FromPki(pki), pathPrefix) { }

    /// <inheritdoc />
    public string PathPrefix { get; }

    /// <summary>When set, requests must carry HTTP Basic authentication with this id and <see cref="ClientSecret"/>.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret checked with <see cref="ClientId"/>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>How long the simulated user takes to answer (1 s by default).</summary>
    public TimeSpan ConfirmationDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>What the simulated user does with new requests.</summary>
    public AsyncConfirmOutcome Outcome { get; set; } = AsyncConfirmOutcome.Approve;

    /// <summary>How long an unanswered request lives before it expires.</summary>
    public TimeSpan TransactionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The clock of the simulated phone.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Answers the next <paramref name="count"/> requests with HTTP 503.</summary>
    public void FailNextRequests(int count) => Interlocked.Exchange(ref _failNext, count);

    /// <summary>Transactions created (a retried submit with the same requestId creates none).</summary>
    public int TransactionCount => _transactions.Count;

    /// <summary>Transactions the client cancelled.</summary>
    public int CancelledCount => _transactions.Values.Count(t => t.Cancelled);

    /// <summary>Status polls answered.</summary>
    public int StatusPollCount => _polls;
    private int _polls;

    /// <summary>Hashes in the last transaction (one transaction can carry a whole batch).</summary>
    public int LastTransactionHashCount { get; private set; }

    /// <summary>Requests answered with HTTP 503 by <see cref="FailNextRequests"/>.</summary>
    public int FailedRequestCount => _failed;
    private int _failed;

    /// <inheritdoc />
    public async Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var response = context.Response;
        string path = (request.Url?.AbsolutePath ?? "").Substring(PathPrefix.Length).Trim('/');
        if (RemoteTestSwitch.Take(ref _failNext))
        {
            Interlocked.Increment(ref _failed);
            await RemoteTestJson.ErrorAsync(response, 503, "server_error", "Service temporarily unavailable (test switch)", cancellationToken).ConfigureAwait(false);
            return;
        }
        if (ClientId is not null && !Authenticated(request))
        {
            await RemoteTestJson.ErrorAsync(response, 401, "invalid_client", "Client authentication failed", cancellationToken).ConfigureAwait(false);
            return;
        }
        var parts = path.Split('/');
        if (request.HttpMethod == "POST" && path == "certificates")
            await CertificatesAsync(request, response, cancellationToken).ConfigureAwait(false);
        else if (request.HttpMethod == "POST" && path == "transactions")
            await SubmitAsync(request, response, cancellationToken).ConfigureAwait(false);
        else if (request.HttpMethod == "GET" && parts.Length == 2 && parts[0] == "transactions")
            await StatusAsync(parts[1], response, cancellationToken).ConfigureAwait(false);
        else if (request.HttpMethod == "POST" && parts.Length == 3 && parts[0] == "transactions" && parts[2] == "cancel")
        {
            if (!_transactions.TryGetValue(parts[1], out var t)) { await NotFoundAsync(response, cancellationToken).ConfigureAwait(false); return; }
            t.Cancelled = true;
            await RemoteTestJson.WriteAsync(response, 200, new JsonObject { ["transactionId"] = t.Id, ["status"] = "cancelled" }, cancellationToken).ConfigureAwait(false);
        }
        else
            await RemoteTestJson.ErrorAsync(response, 404, "not_found", "Unknown method " + request.HttpMethod + " " + path, cancellationToken).ConfigureAwait(false);
    }

    private bool Authenticated(HttpListenerRequest request)
    {
        var header = request.Headers["Authorization"];
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        try { return Encoding.UTF8.GetString(Convert.FromBase64String(header.Substring(6).Trim())) == ClientId + ":" + (ClientSecret ?? ""); }
        catch (FormatException) { return false; }
    }

    private static Task NotFoundAsync(HttpListenerResponse response, CancellationToken ct) =>
        RemoteTestJson.ErrorAsync(response, 404, "transaction_not_found", "Unknown transaction", ct);

    private async Task CertificatesAsync(HttpListenerRequest request, HttpListenerResponse response, CancellationToken ct)
    {
        var body = await RemoteTestJson.ReadAsync(request, ct).ConfigureAwait(false);
        var user = body.Str("userId");
        if (user is null || !_credentials.TryGetValue(user, out var c))
        {
            await RemoteTestJson.ErrorAsync(response, 404, "user_not_found", "Unknown user '" + user + "'", ct).ConfigureAwait(false);
            return;
        }
        var entry = new JsonObject
        {
            ["credentialId"] = c.Id,
            ["certificate"] = Convert.ToBase64String(c.Signer.Certificate.RawData),
            ["chain"] = RemoteTestJson.Array(c.Signer.Chain.Select(x => Convert.ToBase64String(x.RawData))),
            ["keyAlgorithm"] = c.Signer.KeyAlgorithm == KeyAlgorithm.Rsa ? "RSA" : "ECDSA",
        };
        await RemoteTestJson.WriteAsync(response, 200, new JsonObject { ["certificates"] = new JsonArray { entry } }, ct).ConfigureAwait(false);
    }

    private async Task SubmitAsync(HttpListenerRequest request, HttpListenerResponse response, CancellationToken ct)
    {
        var body = await RemoteTestJson.ReadAsync(request, ct).ConfigureAwait(false);
        Task Bad(string what) => RemoteTestJson.ErrorAsync(response, 400, "invalid_request", what, ct);
        var user = body.Str("userId");
        if (user is null || !_credentials.TryGetValue(user, out var c))
        {
            await RemoteTestJson.ErrorAsync(response, 404, "user_not_found", "Unknown user '" + user + "'", ct).ConfigureAwait(false);
            return;
        }
        if (body.Str("credentialId") is { } cred && cred != c.Id) { await Bad("Unknown credentialId").ConfigureAwait(false); return; }
        var requestId = body.Str("requestId");
        if (requestId is not null && _byRequestId.TryGetValue(requestId, out var existing))
        {
            // A retried submit: answer with the transaction the first one created.
            await RemoteTestJson.WriteAsync(response, 202, new JsonObject { ["transactionId"] = existing, ["status"] = "pending" }, ct).ConfigureAwait(false);
            return;
        }
        HashAlgorithmName hash;
        try { hash = Digests.Parse(body.Str("hashAlgorithm") ?? "SHA256"); }
        catch (InvalidInputException) { await Bad("Unsupported hashAlgorithm").ConfigureAwait(false); return; }
        var algo = body.Str("signAlgorithm") ?? "RSA_PKCS1";
        bool rsa = c.Signer.KeyAlgorithm == KeyAlgorithm.Rsa;
        if (rsa ? algo is not ("RSA_PKCS1" or "RSA_PSS") : algo != "ECDSA") { await Bad("signAlgorithm does not fit the key").ConfigureAwait(false); return; }
        var hashes = new List<byte[]>();
        if (body["hashes"] is JsonArray items)
            foreach (var item in items.OfType<JsonObject>())
            {
                try { hashes.Add(Convert.FromBase64String(item.Str("hash") ?? "")); }
                catch (FormatException) { await Bad("hash is not base64").ConfigureAwait(false); return; }
            }
        if (hashes.Count == 0 || hashes.Any(h => h.Length != Digests.Length(hash))) { await Bad("hashes missing or of the wrong length").ConfigureAwait(false); return; }
        string id = RemoteTestJson.NewId();
        var t = new Transaction(id, c, hashes, hash, algo == "RSA_PSS" ? RsaPadding.Pss : RsaPadding.Pkcs1, Clock.GetUtcNow(), Outcome, ConfirmationDelay,
            body.Str("description"));
        _transactions[id] = t;
        if (requestId is not null) _byRequestId[requestId] = id;
        LastTransactionHashCount = hashes.Count;
        await RemoteTestJson.WriteAsync(response, 202, new JsonObject
        {
            ["transactionId"] = id, ["status"] = "pending", ["expiresIn"] = (long)TransactionLifetime.TotalSeconds,
        }, ct).ConfigureAwait(false);
    }

    private async Task StatusAsync(string id, HttpListenerResponse response, CancellationToken ct)
    {
        Interlocked.Increment(ref _polls);
        if (!_transactions.TryGetValue(id, out var t)) { await NotFoundAsync(response, ct).ConfigureAwait(false); return; }
        var age = Clock.GetUtcNow() - t.Created;
        string status;
        if (t.Cancelled) status = "cancelled";
        else if (t.Signatures is not null) status = "signed";
        else if (age >= TransactionLifetime) status = "expired";
        else if (age < t.Delay || t.Outcome == AsyncConfirmOutcome.Never) status = "pending";
        else status = t.Outcome switch { AsyncConfirmOutcome.Reject => "rejected", AsyncConfirmOutcome.Expire => "expired", _ => "signed" };
        var o = new JsonObject { ["transactionId"] = id, ["status"] = status };
        if (status == "signed")
        {
            if (t.Signatures is null)
            {
                var values = new List<string>();
                foreach (var h in t.Hashes)
                {
                    var v = await t.Credential.Signer.SignDigestAsync(h, t.Hash, t.Padding, ct).ConfigureAwait(false);
                    values.Add(Convert.ToBase64String(v)); // r||s for ECDSA, as SmartCA-style services return raw values
                }
                lock (t) t.Signatures ??= values;
            }
            o["signatures"] = RemoteTestJson.Array(t.Signatures);
        }
        await RemoteTestJson.WriteAsync(response, 200, o, ct).ConfigureAwait(false);
    }
}
