using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using VnGovSign.Testing.Http;

namespace VnGovSign.Testing.Remote;

/// <summary>
/// A Cloud Signature Consortium API service (v1.0.4 at PREFIX/v1/, v2.0 at PREFIX/v2/) for tests,
/// mounted on a <see cref="LoopbackServer"/>: <c>info</c>, <c>oauth2/token</c> (client credentials),
/// <c>credentials/list|info|authorize|sendOTP</c> and <c>signatures/signHash</c>, backed by real keys.
/// Switches make it slow, declining, expiring, OTP-protected or failing with HTTP 503, so clients
/// can be tested against every outcome. Never for production: the PIN is a plain string.
/// </summary>
public sealed class CscTestServer : ILoopbackEndpoint
{
    private readonly Dictionary<string, RemoteTestCredential> _credentials;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new();
    private readonly ConcurrentDictionary<string, Sad> _sads = new();
    private readonly ConcurrentQueue<string> _log = new();
    private int _failNext;

    private sealed class Sad
    {
        public Sad(string credentialId, int remaining, DateTimeOffset expires, HashSet<string>? hashes)
        {
            CredentialId = credentialId; Remaining = remaining; Expires = expires; Hashes = hashes;
        }
        public string CredentialId { get; }
        public int Remaining { get; set; }
        public DateTimeOffset Expires { get; }
        public HashSet<string>? Hashes { get; }
    }

    /// <summary>Creates a service holding <paramref name="credentials"/>, all protected by <paramref name="pin"/>.</summary>
    public CscTestServer(IEnumerable<RemoteTestCredential> credentials, string pin, string pathPrefix = "/csc/")
    {
        _credentials = credentials.ToDictionary(c => c.Id, StringComparer.Ordinal);
        Pin = pin ?? throw new ArgumentNullException(nameof(pin));
        PathPrefix = pathPrefix.EndsWith("/", StringComparison.Ordinal) ? pathPrefix : pathPrefix + "/";
    }

    /// <summary>Creates a service over the key holders of a test PKI (<see cref="RemoteTestCredential.FromPki"/>).</summary>
    public CscTestServer(TestPki pki, string pin, string pathPrefix = "/csc/") : this(RemoteTestCredential.FromPki(pki), pin, pathPrefix) { }

    /// <inheritdoc />
    public string PathPrefix { get; }

    /// <summary>The PIN of every credential.</summary>
    public string Pin { get; set; }

    /// <summary>The OAuth2 client id accepted by <c>oauth2/token</c>.</summary>
    public string ClientId { get; set; } = "vngovsign-test";

    /// <summary>The OAuth2 client secret accepted by <c>oauth2/token</c>.</summary>
    public string ClientSecret { get; set; } = "test-secret";

    /// <summary>Bearer tokens accepted besides those <c>oauth2/token</c> issued (a "supplied" token).</summary>
    public ISet<string> StaticBearerTokens { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Whether the credential methods need a bearer token (true by default).</summary>
    public bool RequireAuthentication { get; set; } = true;

    /// <summary>Whether <c>credentials/authorize</c> also wants an OTP (online: sent by <c>credentials/sendOTP</c>).</summary>
    public bool RequireOtp { get; set; }

    /// <summary>The OTP that is accepted.</summary>
    public string Otp { get; set; } = "123456";

    /// <summary>How long <c>credentials/authorize</c> takes, as if it waited for the user's phone.</summary>
    public TimeSpan ConfirmationDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Makes <c>credentials/authorize</c> answer access_denied, as when the user declines on the phone.</summary>
    public bool RejectAuthorization { get; set; }

    /// <summary>How long a SAD is valid; zero makes every SAD expired by the time it is used.</summary>
    public TimeSpan SadLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Signatures one authorisation allows (<c>multisign</c>).</summary>
    public int MultiSign { get; set; } = 100;

    /// <summary>Sole Control Assurance Level: 2 binds the SAD to the hashes named in <c>credentials/authorize</c>.</summary>
    public int Scal { get; set; } = 2;

    /// <summary>The clock for token and SAD expiry.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Answers the next <paramref name="count"/> requests with HTTP 503.</summary>
    public void FailNextRequests(int count) => Interlocked.Exchange(ref _failNext, count);

    /// <summary>Successful <c>credentials/authorize</c> calls.</summary>
    public int AuthorizeCount => _authorizeCount;
    private int _authorizeCount;

    /// <summary>Successful <c>signatures/signHash</c> calls.</summary>
    public int SignHashCount => _signHashCount;
    private int _signHashCount;

    /// <summary>Hashes signed so far.</summary>
    public int SignatureCount => _signatureCount;
    private int _signatureCount;

    /// <summary>OTPs "sent" so far.</summary>
    public int OtpSentCount => _otpSent;
    private int _otpSent;

    /// <summary>Requests seen ("v1/credentials/info", "v2/signatures/signHash 503"…), oldest first.</summary>
    public IReadOnlyList<string> RequestLog => _log.ToArray();

    /// <inheritdoc />
    public async Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var response = context.Response;
        string path = (request.Url?.AbsolutePath ?? "").Substring(PathPrefix.Length).Trim('/');
        int slash = path.IndexOf('/');
        string version = slash < 0 ? path : path.Substring(0, slash);
        string method = slash < 0 ? "" : path.Substring(slash + 1);
        if (version is not ("v1" or "v2"))
        {
            _log.Enqueue(path + " 404");
            await RemoteTestJson.ErrorAsync(response, 404, "invalid_request", "Unknown API version", cancellationToken).ConfigureAwait(false);
            return;
        }
        bool v2 = version == "v2";
        if (RemoteTestSwitch.Take(ref _failNext))
        {
            _log.Enqueue(path + " 503");
            await RemoteTestJson.ErrorAsync(response, 503, "server_error", "Service temporarily unavailable (test switch)", cancellationToken).ConfigureAwait(false);
            return;
        }
        _log.Enqueue(path);
        if (request.HttpMethod != "POST")
        {
            await RemoteTestJson.ErrorAsync(response, 405, "invalid_request", "Use POST", cancellationToken).ConfigureAwait(false);
            return;
        }
        var body = await RemoteTestJson.ReadAsync(request, cancellationToken).ConfigureAwait(false);
        if (body.ContainsKey("__malformed"))
        {
            await RemoteTestJson.ErrorAsync(response, 400, "invalid_request", "Malformed JSON body", cancellationToken).ConfigureAwait(false);
            return;
        }

        switch (method)
        {
            case "info":
                await RemoteTestJson.WriteAsync(response, 200, Info(v2, request), cancellationToken).ConfigureAwait(false);
                return;
            case "oauth2/token":
                await TokenAsync(body, response, cancellationToken).ConfigureAwait(false);
                return;
        }
        if (RequireAuthentication && !Authenticated(request))
        {
            response.AddHeader("WWW-Authenticate", "Bearer");
            await RemoteTestJson.ErrorAsync(response, 401, "invalid_token", "The access token is missing, invalid or expired", cancellationToken).ConfigureAwait(false);
            return;
        }
        switch (method)
        {
            case "credentials/list":
                await RemoteTestJson.WriteAsync(response, 200, new JsonObject { ["credentialIDs"] = RemoteTestJson.Array(_credentials.Keys.OrderBy(k => k, StringComparer.Ordinal)) },
                    cancellationToken).ConfigureAwait(false);
                return;
            case "credentials/info":
                await CredentialInfoAsync(body, v2, response, cancellationToken).ConfigureAwait(false);
                return;
            case "credentials/sendOTP":
                if (Credential(body) is null) { await BadCredentialAsync(response, cancellationToken).ConfigureAwait(false); return; }
                Interlocked.Increment(ref _otpSent);
                response.StatusCode = 200;
                return;
            case "credentials/authorize":
                await AuthorizeAsync(body, v2, response, cancellationToken).ConfigureAwait(false);
                return;
            case "signatures/signHash":
                await SignHashAsync(body, v2, response, cancellationToken).ConfigureAwait(false);
                return;
            default:
                await RemoteTestJson.ErrorAsync(response, 404, "invalid_request", "Unknown method " + method, cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    private static readonly string[] Methods =
        { "info", "oauth2/token", "credentials/list", "credentials/info", "credentials/authorize", "credentials/sendOTP", "signatures/signHash" };

    private static JsonObject Info(bool v2, HttpListenerRequest request) => new()
    {
        ["specs"] = v2 ? "2.0.0.2" : "1.0.4.0",
        ["name"] = "VnGovSign CSC test service",
        ["logo"] = "",
        ["region"] = "VN",
        ["lang"] = "vi-VN",
        ["description"] = "Dịch vụ ký từ xa thử nghiệm (không dùng thật) / remote signing test service (never for production)",
        ["authType"] = RemoteTestJson.Array(new[] { "oauth2client" }),
        ["oauth2"] = request.Url is { } u ? u.GetLeftPart(UriPartial.Authority) : "",
        ["methods"] = RemoteTestJson.Array(Methods),
    };

    private async Task TokenAsync(JsonObject body, HttpListenerResponse response, CancellationToken ct)
    {
        if (body.Str("grant_type") != "client_credentials")
        {
            await RemoteTestJson.ErrorAsync(response, 400, "unsupported_grant_type", "Only client_credentials is supported", ct).ConfigureAwait(false);
            return;
        }
        if (body.Str("client_id") != ClientId || body.Str("client_secret") != ClientSecret)
        {
            await RemoteTestJson.ErrorAsync(response, 401, "invalid_client", "Client authentication failed", ct).ConfigureAwait(false);
            return;
        }
        string token = RemoteTestJson.NewId();
        _tokens[token] = Clock.GetUtcNow().AddHours(1);
        await RemoteTestJson.WriteAsync(response, 200, new JsonObject { ["access_token"] = token, ["token_type"] = "Bearer", ["expires_in"] = 3600 }, ct)
            .ConfigureAwait(false);
    }

    private bool Authenticated(HttpListenerRequest request)
    {
        var header = request.Headers["Authorization"];
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return false;
        var token = header.Substring(7).Trim();
        if (StaticBearerTokens.Contains(token)) return true;
        return _tokens.TryGetValue(token, out var expires) && Clock.GetUtcNow() < expires;
    }

    private RemoteTestCredential? Credential(JsonObject body) =>
        body.Str("credentialID") is { } id && _credentials.TryGetValue(id, out var c) ? c : null;

    private static Task BadCredentialAsync(HttpListenerResponse response, CancellationToken ct) =>
        RemoteTestJson.ErrorAsync(response, 400, "invalid_request", "Invalid parameter credentialID", ct);

    private async Task CredentialInfoAsync(JsonObject body, bool v2, HttpListenerResponse response, CancellationToken ct)
    {
        var c = Credential(body);
        if (c is null) { await BadCredentialAsync(response, ct).ConfigureAwait(false); return; }
        var signer = c.Signer;
        bool rsa = signer.KeyAlgorithm == KeyAlgorithm.Rsa;
        var certs = new[] { signer.Certificate }.Concat(body.Str("certificates") == "single" ? Enumerable.Empty<X509Certificate2>() : signer.Chain)
            .Select(x => Convert.ToBase64String(x.RawData));
        if (body.Str("certificates") == "none") certs = Enumerable.Empty<string>();
        var key = new JsonObject
        {
            ["status"] = "enabled",
            ["algo"] = RemoteTestJson.Array(rsa
                ? new[] { "1.2.840.113549.1.1.1", "1.2.840.113549.1.1.11", "1.2.840.113549.1.1.12", "1.2.840.113549.1.1.13", "1.2.840.113549.1.1.10" }
                : new[] { "1.2.840.10045.2.1", "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3", "1.2.840.10045.4.3.4" }),
        };
        if (rsa) { using var k = signer.Certificate.GetRSAPublicKey(); key["len"] = k!.KeySize; }
        else { using var k = signer.Certificate.GetECDsaPublicKey(); key["len"] = k!.KeySize; key["curve"] = "1.2.840.10045.3.1.7"; }
        var now = Clock.GetUtcNow();
        var cert = new JsonObject
        {
            ["status"] = now.UtcDateTime > signer.Certificate.NotAfter.ToUniversalTime() ? "expired" : "valid",
            ["certificates"] = RemoteTestJson.Array(certs),
            ["issuerDN"] = signer.Certificate.Issuer,
            ["serialNumber"] = signer.Certificate.SerialNumber,
            ["subjectDN"] = signer.Certificate.Subject,
            ["validFrom"] = signer.Certificate.NotBefore.ToUniversalTime().ToString("yyyyMMddHHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["validTo"] = signer.Certificate.NotAfter.ToUniversalTime().ToString("yyyyMMddHHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };
        var o = new JsonObject
        {
            ["description"] = "Khóa ký từ xa thử nghiệm " + c.Id,
            ["key"] = key,
            ["cert"] = cert,
            ["authMode"] = "explicit",
            ["SCAL"] = Scal.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["multisign"] = MultiSign,
            ["lang"] = "vi-VN",
        };
        if (v2)
        {
            var objects = new JsonArray { new JsonObject { ["type"] = "Password", ["id"] = "PIN", ["format"] = "A", ["label"] = "PIN" } };
            if (RequireOtp) objects.Add(new JsonObject { ["type"] = "Password", ["id"] = "OTP", ["format"] = "N", ["label"] = "OTP", ["generator"] = "online" });
            o["auth"] = new JsonObject { ["mode"] = "explicit", ["expression"] = RequireOtp ? "PIN AND OTP" : "PIN", ["objects"] = objects };
        }
        else
        {
            o["PIN"] = new JsonObject { ["presence"] = "true", ["format"] = "A", ["label"] = "PIN" };
            o["OTP"] = RequireOtp
                ? new JsonObject { ["presence"] = "true", ["type"] = "online", ["format"] = "N", ["label"] = "OTP", ["ID"] = "otp-sms", ["provider"] = "test" }
                : new JsonObject { ["presence"] = "false" };
        }
        await RemoteTestJson.WriteAsync(response, 200, o, ct).ConfigureAwait(false);
    }

    private async Task AuthorizeAsync(JsonObject body, bool v2, HttpListenerResponse response, CancellationToken ct)
    {
        var c = Credential(body);
        if (c is null) { await BadCredentialAsync(response, ct).ConfigureAwait(false); return; }
        long n = body.Num("numSignatures") ?? 0;
        if (n < 1) { await RemoteTestJson.ErrorAsync(response, 400, "invalid_request", "Missing (or invalid type) integer parameter numSignatures", ct).ConfigureAwait(false); return; }
        if (n > MultiSign) { await RemoteTestJson.ErrorAsync(response, 400, "invalid_request", "Numbers of signatures is too high", ct).ConfigureAwait(false); return; }
        var hashes = body.Strings(v2 ? "hashes" : "hash");
        if (Scal >= 2 && (hashes is null || hashes.Count != n))
        {
            await RemoteTestJson.ErrorAsync(response, 400, "invalid_request", "Missing (or invalid type) array parameter " + (v2 ? "hashes" : "hash"), ct).ConfigureAwait(false);
            return;
        }
        var pin = body.Str("PIN");
        if (pin is null) { await RemoteTestJson.ErrorAsync(response, 400, "invalid_request", "Missing (or invalid type) string parameter PIN", ct).ConfigureAwait(false); return; }
        if (pin != Pin) { await RemoteTestJson.ErrorAsync(response, 400, "invalid_pin", "Invalid PIN", ct).ConfigureAwait(false); return; }
        if (RequireOtp)
        {
            var otp = body.Str("OTP");
            if (otp is null) { await RemoteTestJson.ErrorAsync(response, 400, "invalid_request", "Missing (or invalid type) string parameter OTP", ct).ConfigureAwait(false); return; }
            if (otp != Otp) { await RemoteTestJson.ErrorAsync(response, 400, "invalid_otp", "Invalid OTP", ct).ConfigureAwait(false); return; }
        }
        // The phone: the user looks at the request, then confirms or declines.
        if (ConfirmationDelay > TimeSpan.Zero) await Task.Delay(ConfirmationDelay, ct).ConfigureAwait(false);
        if (RejectAuthorization)
        {
            await RemoteTestJson.ErrorAsync(response, 400, "access_denied", "The user rejected the signing request on the phone", ct).ConfigureAwait(false);
            return;
        }
        string sad = RemoteTestJson.NewId();
        _sads[sad] = new Sad(c.Id, (int)n, Clock.GetUtcNow().Add(SadLifetime), Scal >= 2 ? new HashSet<string>(hashes!, StringComparer.Ordinal) : null);
        Interlocked.Increment(ref _authorizeCount);
        await RemoteTestJson.WriteAsync(response, 200, new JsonObject { ["SAD"] = sad, ["expiresIn"] = (long)SadLifetime.TotalSeconds }, ct).ConfigureAwait(false);
    }

    private async Task SignHashAsync(JsonObject body, bool v2, HttpListenerResponse response, CancellationToken ct)
    {
        Task Error(string description) => RemoteTestJson.ErrorAsync(response, 400, "invalid_request", description, ct);
        var c = Credential(body);
        if (c is null) { await BadCredentialAsync(response, ct).ConfigureAwait(false); return; }
        var sadId = body.Str("SAD");
        if (sadId is null || !_sads.TryGetValue(sadId, out var sad) || sad.CredentialId != c.Id) { await Error("Invalid parameter SAD").ConfigureAwait(false); return; }
        if (Clock.GetUtcNow() >= sad.Expires) { await Error("SAD expired").ConfigureAwait(false); return; }
        var hashes = body.Strings(v2 ? "hashes" : "hash");
        if (hashes is null || hashes.Count == 0) { await Error("Missing (or invalid type) array parameter " + (v2 ? "hashes" : "hash")).ConfigureAwait(false); return; }
        if (sad.Hashes is not null && hashes.Any(h => !sad.Hashes.Contains(h))) { await Error("Invalid parameter hash: not authorized by the SAD").ConfigureAwait(false); return; }
        bool allowed;
        lock (sad)
        {
            allowed = sad.Remaining >= hashes.Count;
            if (allowed) sad.Remaining -= hashes.Count;
        }
        if (!allowed) { await Error("Numbers of signatures exceeds the SAD").ConfigureAwait(false); return; }

        string? signAlgo = body.Str("signAlgo");
        string? hashAlgo = body.Str(v2 ? "hashAlgorithmOID" : "hashAlgo") ?? body.Str("hashAlgo");
        bool rsaKey = c.Signer.KeyAlgorithm == KeyAlgorithm.Rsa;
        HashAlgorithmName hash;
        RsaPadding padding = RsaPadding.Pkcs1;
        try
        {
            switch (signAlgo)
            {
                case "1.2.840.113549.1.1.1" when rsaKey:
                    if (hashAlgo is null) { await Error("Missing (or invalid type) string parameter hashAlgo").ConfigureAwait(false); return; }
                    hash = Digests.FromOid(hashAlgo);
                    break;
                case "1.2.840.113549.1.1.5" when rsaKey: hash = HashAlgorithmName.SHA1; break;
                case "1.2.840.113549.1.1.11" when rsaKey: hash = HashAlgorithmName.SHA256; break;
                case "1.2.840.113549.1.1.12" when rsaKey: hash = HashAlgorithmName.SHA384; break;
                case "1.2.840.113549.1.1.13" when rsaKey: hash = HashAlgorithmName.SHA512; break;
                case "1.2.840.113549.1.1.10" when rsaKey:
                    if (body.Str("signAlgoParams") is not { } p) { await Error("Missing (or invalid type) string parameter signAlgoParams").ConfigureAwait(false); return; }
                    var pss = Org.BouncyCastle.Asn1.Pkcs.RsassaPssParameters.GetInstance(Convert.FromBase64String(p));
                    hash = Digests.FromOid(pss.HashAlgorithm.Algorithm.Id);
                    padding = RsaPadding.Pss;
                    break;
                case "1.2.840.10045.4.1" when !rsaKey: hash = HashAlgorithmName.SHA1; break;
                case "1.2.840.10045.4.3.2" when !rsaKey: hash = HashAlgorithmName.SHA256; break;
                case "1.2.840.10045.4.3.3" when !rsaKey: hash = HashAlgorithmName.SHA384; break;
                case "1.2.840.10045.4.3.4" when !rsaKey: hash = HashAlgorithmName.SHA512; break;
                case "1.2.840.10045.2.1" when !rsaKey:
                    if (hashAlgo is null) { await Error("Missing (or invalid type) string parameter hashAlgo").ConfigureAwait(false); return; }
                    hash = Digests.FromOid(hashAlgo);
                    break;
                default:
                    await Error("Invalid parameter signAlgo").ConfigureAwait(false);
                    return;
            }
        }
        catch (Exception e) when (e is InvalidInputException or FormatException or ArgumentException or InvalidCastException)
        {
            await Error("Invalid parameter hashAlgo or signAlgoParams").ConfigureAwait(false);
            return;
        }

        var values = new JsonArray();
        foreach (var h in hashes)
        {
            byte[] digest;
            try { digest = Convert.FromBase64String(h); }
            catch (FormatException) { await Error("Invalid parameter hash").ConfigureAwait(false); return; }
            if (digest.Length != Digests.Length(hash)) { await Error("Invalid parameter hash: length does not match hashAlgo").ConfigureAwait(false); return; }
            var value = await c.Signer.SignDigestAsync(digest, hash, padding, ct).ConfigureAwait(false);
            // CSC services return ECDSA values DER-encoded, as X.509 and CMS carry them.
            if (!rsaKey) value = EcdsaSignatureFormat.ToDer(value);
            values.Add(Convert.ToBase64String(value));
        }
        Interlocked.Increment(ref _signHashCount);
        Interlocked.Add(ref _signatureCount, hashes.Count);
        await RemoteTestJson.WriteAsync(response, 200, new JsonObject { ["signatures"] = values }, ct).ConfigureAwait(false);
    }
}
