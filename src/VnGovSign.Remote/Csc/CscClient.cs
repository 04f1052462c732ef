using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace VnGovSign.Remote.Csc;

/// <summary>
/// A client of the Cloud Signature Consortium API v1.0.4 and v2.0 (<c>info</c>, <c>oauth2/token</c>,
/// <c>credentials/list|info|authorize|sendOTP</c>, <c>signatures/signHash</c>). Errors become the
/// VnGovSign exception family: <see cref="ServiceUnavailableException"/> (unreachable, 5xx after the
/// retries), <see cref="WrongPinException"/> (wrong PIN/OTP), <see cref="TokenLockedException"/>,
/// <see cref="SigningException"/> (declined, authorisation expired), <see cref="InvalidInputException"/>
/// (unknown credential, refused client authentication).
/// </summary>
public sealed class CscClient : IDisposable
{
    private readonly CscClientOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly RemoteHttp _remote;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Uri? _versionBase;
    private CscApiVersion _version;
    private string? _token;
    private DateTimeOffset _tokenExpires;

    /// <summary>Creates a client; nothing is sent until the first call.</summary>
    public CscClient(CscClientOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _ownsHttp = options.HttpClient is null;
        _http = options.HttpClient ?? new HttpClient { Timeout = TimeSpan.FromSeconds(100) };
        _remote = new RemoteHttp(_http, options.Retry, options.Clock, options.ServiceUrl.ToString());
    }

    /// <summary>The API version in use (known after the first call).</summary>
    public CscApiVersion Version => _version;

    /// <summary>HTTP attempts of the last request (1 unless a server error was retried).</summary>
    public int LastAttempts => _remote.LastAttempts;

    /// <summary>Asks the service what it is (<c>info</c>); fixes the API version when it is <see cref="CscApiVersion.Auto"/>.</summary>
    public async Task<CscServiceInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        await ResolveVersionAsync(cancellationToken).ConfigureAwait(false);
        var r = await _remote.SendAsync(() => RemoteHttp.Post(Url("info"), new JsonObject { ["lang"] = _options.Language }, null), cancellationToken).ConfigureAwait(false);
        var o = Expect(r, null);
        return new CscServiceInfo(_version, o.Str("specs"), o.Str("name"), o.Strings("methods"), o.Strings("authType"));
    }

    /// <summary>Lists the credential ids of the authenticated user (or of <paramref name="userId"/> where the service allows).</summary>
    public async Task<IReadOnlyList<string>> ListCredentialsAsync(string? userId = null, CancellationToken cancellationToken = default)
    {
        var ids = new List<string>();
        string? page = null;
        do
        {
            var body = new JsonObject { ["maxResults"] = 100 };
            if (userId is not null) body["userID"] = userId;
            if (page is not null) body["pageToken"] = page;
            var o = Expect(await CallAsync("credentials/list", body, cancellationToken).ConfigureAwait(false), null);
            ids.AddRange(o.Strings("credentialIDs"));
            page = o.Str("nextPageToken");
        } while (!string.IsNullOrEmpty(page));
        return ids;
    }

    /// <summary>Reads a credential's certificate chain, key algorithms and authorisation needs (<c>credentials/info</c>).</summary>
    public async Task<CscCredentialInfo> GetCredentialInfoAsync(string credentialId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(credentialId)) throw new ArgumentException("credentialId is empty", nameof(credentialId));
        var body = new JsonObject
        {
            ["credentialID"] = credentialId, ["certificates"] = "chain", ["certInfo"] = true, ["authInfo"] = true, ["lang"] = _options.Language,
        };
        var o = Expect(await CallAsync("credentials/info", body, cancellationToken).ConfigureAwait(false), credentialId);
        var cert = o["cert"] as JsonObject;
        var certs = new List<X509Certificate2>();
        foreach (var b64 in cert.Strings("certificates"))
        {
            try { certs.Add(new X509Certificate2(Convert.FromBase64String(b64))); }
            catch (Exception e) when (e is FormatException or CryptographicException)
            {
                throw new InvalidInputException(RemoteMessages.Resources, RemoteMessages.ServiceBadResponse, e, _options.ServiceUrl, "cert/certificates: " + e.Message);
            }
        }
        if (certs.Count == 0)
            throw new InvalidInputException(RemoteMessages.Resources, RemoteMessages.ServiceBadResponse, null, _options.ServiceUrl, "credentials/info returned no certificate");
        var leaf = certs[0];
        var info = new CscCredentialInfo(credentialId, leaf, CertificateChains.OrderIssuerFirst(leaf, certs.Skip(1)))
        {
            Description = o.Str("description"),
            CertificateStatus = cert.Str("status"),
            AuthMode = o.Str("authMode"),
        };
        var key = o["key"] as JsonObject;
        info.KeyStatus = key.Str("status");
        info.KeyAlgorithms = key.Strings("algo");
        info.KeyLength = (int?)key.Num("len");
        info.Curve = key.Str("curve");
        if (o.Num("SCAL") is { } scal) info.Scal = (int)scal;
        if (o.Num("multisign") is { } multi && multi > 0) info.MultiSign = (int)multi;
        // v1: PIN/OTP objects with "presence"; v2: auth.objects with ids PIN/OTP (both accepted in both versions).
        info.PinRequired = Presence(o["PIN"] as JsonObject);
        var otp = o["OTP"] as JsonObject;
        info.OtpRequired = Presence(otp);
        info.OtpType = otp.Str("type");
        if (o["auth"] is JsonObject auth)
        {
            info.AuthMode ??= auth.Str("mode");
            if (auth["objects"] is JsonArray objects)
                foreach (var item in objects.OfType<JsonObject>())
                {
                    var id = item.Str("id") ?? item.Str("type");
                    if (string.Equals(id, "PIN", StringComparison.OrdinalIgnoreCase)) info.PinRequired = true;
                    if (string.Equals(id, "OTP", StringComparison.OrdinalIgnoreCase)) { info.OtpRequired = true; info.OtpType ??= item.Str("generator") ?? item.Str("type"); }
                }
        }
        if (string.Equals(info.KeyStatus, "disabled", StringComparison.OrdinalIgnoreCase))
            throw new SigningException(RemoteMessages.Resources, RemoteMessages.CredentialUnusable, null, credentialId, "key disabled");
        return info;
    }

    private static bool Presence(JsonObject? o)
    {
        if (o is null) return false;
        var p = o.Str("presence") ?? (o.Bool("presence") is { } b ? (b ? "true" : "false") : null);
        return string.Equals(p, "true", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Asks the service to send an OTP to the user (<c>credentials/sendOTP</c>, online OTP only).</summary>
    public async Task SendOtpAsync(string credentialId, CancellationToken cancellationToken = default)
    {
        var r = await CallAsync("credentials/sendOTP", new JsonObject { ["credentialID"] = credentialId }, cancellationToken).ConfigureAwait(false);
        if (!r.IsSuccess) throw Map(r, credentialId);
    }

    /// <summary>
    /// Authorises <paramref name="numSignatures"/> signatures (<c>credentials/authorize</c>) and returns the SAD.
    /// The hashes are named when given (SCAL 2 needs them). Services that confirm on the phone answer
    /// only after the user did: this call may take minutes.
    /// </summary>
    public async Task<CscAuthorization> AuthorizeAsync(string credentialId, int numSignatures, IReadOnlyList<ReadOnlyMemory<byte>>? hashes,
        HashAlgorithmName hash, string? pin, string? otp, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["credentialID"] = credentialId, ["numSignatures"] = numSignatures };
        await ResolveVersionAsync(cancellationToken).ConfigureAwait(false);
        if (hashes is { Count: > 0 })
        {
            body[_version == CscApiVersion.V2 ? "hashes" : "hash"] = Json.Base64Array(hashes);
            if (_version == CscApiVersion.V2) body["hashAlgorithmOID"] = Digests.Oid(hash);
        }
        if (pin is not null) body["PIN"] = pin;
        if (otp is not null) body["OTP"] = otp;
        var o = Expect(await CallAsync("credentials/authorize", body, cancellationToken).ConfigureAwait(false), credentialId);
        var sad = o.Str("SAD") ?? throw new InvalidInputException(RemoteMessages.Resources, RemoteMessages.ServiceBadResponse, null, _options.ServiceUrl, "no SAD");
        DateTimeOffset? expires = o.Num("expiresIn") is { } s ? _options.Clock.GetUtcNow().AddSeconds(s) : null;
        return new CscAuthorization(sad, expires);
    }

    /// <summary>
    /// Signs one or many hash values (<c>signatures/signHash</c>). <paramref name="signAlgorithm"/> is the
    /// signature algorithm OID (e.g. rsaEncryption 1.2.840.113549.1.1.1, for which the hash algorithm is
    /// sent as <c>hashAlgo</c>/<c>hashAlgorithmOID</c>). Returns the values as the service sends them
    /// (ECDSA: usually DER).
    /// </summary>
    public async Task<IReadOnlyList<byte[]>> SignHashAsync(string credentialId, string sad, IReadOnlyList<ReadOnlyMemory<byte>> hashes,
        HashAlgorithmName hash, string signAlgorithm, byte[]? signAlgorithmParameters = null, CancellationToken cancellationToken = default)
    {
        await ResolveVersionAsync(cancellationToken).ConfigureAwait(false);
        bool v2 = _version == CscApiVersion.V2;
        var body = new JsonObject
        {
            ["credentialID"] = credentialId,
            ["SAD"] = sad,
            [v2 ? "hashes" : "hash"] = Json.Base64Array(hashes),
            [v2 ? "hashAlgorithmOID" : "hashAlgo"] = Digests.Oid(hash),
            ["signAlgo"] = signAlgorithm,
        };
        if (signAlgorithmParameters is not null) body["signAlgoParams"] = Convert.ToBase64String(signAlgorithmParameters);
        var o = Expect(await CallAsync("signatures/signHash", body, cancellationToken).ConfigureAwait(false), credentialId);
        var values = o.Strings("signatures");
        if (values.Count != hashes.Count)
            throw new SigningException(RemoteMessages.Resources, RemoteMessages.SignatureCountMismatch, null, hashes.Count, values.Count);
        try { return values.Select(Convert.FromBase64String).ToList(); }
        catch (FormatException e)
        {
            throw new InvalidInputException(RemoteMessages.Resources, RemoteMessages.ServiceBadResponse, e, _options.ServiceUrl, "signatures: " + e.Message);
        }
    }

    // ---- plumbing ----

    private Uri Url(string method) => RemoteHttp.Combine(_versionBase!, method);

    private async Task ResolveVersionAsync(CancellationToken cancellationToken)
    {
        if (_versionBase is not null) return;
        var baseUrl = _options.ServiceUrl.ToString().TrimEnd('/');
        var version = _options.Version;
        if (baseUrl.EndsWith("/v1", StringComparison.OrdinalIgnoreCase)) { version = CscApiVersion.V1; baseUrl = baseUrl.Substring(0, baseUrl.Length - 3); }
        else if (baseUrl.EndsWith("/v2", StringComparison.OrdinalIgnoreCase)) { version = CscApiVersion.V2; baseUrl = baseUrl.Substring(0, baseUrl.Length - 3); }
        if (version == CscApiVersion.Auto)
        {
            // v2 first: a v2 service answers v2/info with specs "2.x"; anything else is taken as v1.
            var probe = await _remote.SendAsync(() => RemoteHttp.Post(new Uri(baseUrl + "/v2/info"), new JsonObject { ["lang"] = _options.Language }, null),
                cancellationToken).ConfigureAwait(false);
            version = probe.IsSuccess && (probe.Object.Str("specs") ?? "").StartsWith("2", StringComparison.Ordinal) ? CscApiVersion.V2 : CscApiVersion.V1;
        }
        _version = version;
        _versionBase = new Uri(baseUrl + (version == CscApiVersion.V2 ? "/v2/" : "/v1/"));
    }

    private async Task<RemoteResponse> CallAsync(string method, JsonObject body, CancellationToken cancellationToken)
    {
        await ResolveVersionAsync(cancellationToken).ConfigureAwait(false);
        var auth = await AuthorizationHeaderAsync(false, cancellationToken).ConfigureAwait(false);
        var r = await _remote.SendAsync(() => RemoteHttp.Post(Url(method), body.DeepCloneObject(), auth), cancellationToken).ConfigureAwait(false);
        if (r.Status == 401 && _options.AccessToken is null && _options.ClientId is not null)
        {
            // The token we got from oauth2/token may have expired early: get a new one once.
            auth = await AuthorizationHeaderAsync(true, cancellationToken).ConfigureAwait(false);
            r = await _remote.SendAsync(() => RemoteHttp.Post(Url(method), body.DeepCloneObject(), auth), cancellationToken).ConfigureAwait(false);
        }
        return r;
    }

    private async Task<AuthenticationHeaderValue?> AuthorizationHeaderAsync(bool renew, CancellationToken cancellationToken)
    {
        if (_options.AccessToken is not null) return new AuthenticationHeaderValue("Bearer", _options.AccessToken);
        if (_options.ClientId is null) return null;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (renew || _token is null || _options.Clock.GetUtcNow() >= _tokenExpires)
            {
                var r = await _remote.SendAsync(TokenRequest, cancellationToken).ConfigureAwait(false);
                if (!r.IsSuccess) throw Map(r, null, tokenRequest: true);
                _token = r.Object.Str("access_token")
                         ?? throw new InvalidInputException(RemoteMessages.Resources, RemoteMessages.ServiceBadResponse, null, _options.ServiceUrl, "no access_token");
                long seconds = r.Object.Num("expires_in") ?? 3600;
                _tokenExpires = _options.Clock.GetUtcNow().AddSeconds(Math.Max(1, seconds - 30));
            }
            return new AuthenticationHeaderValue("Bearer", _token);
        }
        finally { _gate.Release(); }
    }

    private HttpRequestMessage TokenRequest()
    {
        var url = Url("oauth2/token");
        if (_version == CscApiVersion.V2)
        {
            // v2 follows RFC 6749: form-encoded parameters.
            var form = new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = _options.ClientId!, ["client_secret"] = _options.ClientSecret ?? "",
            };
            return new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        }
        return RemoteHttp.Post(url, new JsonObject
        {
            ["grant_type"] = "client_credentials", ["client_id"] = _options.ClientId, ["client_secret"] = _options.ClientSecret ?? "",
        }, null);
    }

    private JsonObject Expect(RemoteResponse r, string? credentialId)
    {
        if (!r.IsSuccess) throw Map(r, credentialId);
        return r.Object ?? throw new InvalidInputException(RemoteMessages.Resources, RemoteMessages.ServiceBadResponse, null, _options.ServiceUrl,
            "HTTP " + r.Status + ": not a JSON object");
    }

    /// <summary>Maps a CSC error answer (<c>error</c>, <c>error_description</c>) to the exception family.</summary>
    internal Exception Map(RemoteResponse r, string? credentialId, bool tokenRequest = false)
    {
        string error = r.Object.Str("error") ?? "HTTP " + r.Status;
        string description = r.Object.Str("error_description") ?? r.Text;
        string d = description.ToLowerInvariant();
        var res = RemoteMessages.Resources;
        if (r.Status == 404 && r.Object is null)
            return new ServiceUnavailableException(res, RemoteMessages.ServiceUnavailable, null, _options.ServiceUrl, "HTTP 404");
        if (tokenRequest || r.Status == 401 || error is "invalid_client" or "unauthorized_client" or "invalid_token")
            return new InvalidInputException(res, RemoteMessages.Unauthorized, null, _options.ServiceUrl, error + ": " + description);
        if (d.Contains("locked") || d.Contains("blocked"))
            return new TokenLockedException(res, RemoteMessages.CredentialLocked, null, credentialId, description);
        if (error == "invalid_pin" || (d.Contains("pin") && (d.Contains("invalid") || d.Contains("wrong")) && !d.Contains("missing")))
            return new WrongPinException(res, RemoteMessages.WrongPin, null, credentialId);
        if (error == "invalid_otp" || (d.Contains("otp") && (d.Contains("invalid") || d.Contains("wrong")) && !d.Contains("missing")))
            return new WrongPinException(res, RemoteMessages.WrongOtp, null, credentialId);
        if (error == "access_denied" || d.Contains("rejected") || d.Contains("declined"))
            return new SigningException(res, RemoteMessages.Rejected, null, credentialId);
        if (d.Contains("expired"))
            return new SigningException(res, RemoteMessages.AuthorizationExpired, null, credentialId, description);
        if (d.Contains("credentialid"))
            return new InvalidInputException(res, RemoteMessages.CredentialNotFound, null, credentialId, description);
        return new SigningException(res, RemoteMessages.ServiceError, null, error, description);
    }

    /// <summary>Releases the HttpClient when the client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
        _gate.Dispose();
    }
}
