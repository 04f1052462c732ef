using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Tsp;
using Org.BouncyCastle.Asn1.X509;

namespace VnGovSign.Timestamps;

/// <summary>Settings of <see cref="Rfc3161Client"/>. The defaults suit the Ban Cơ yếu TSA (slow: seconds to minutes).</summary>
public sealed record Rfc3161ClientOptions
{
    /// <summary>Timeout of one attempt (default 2 minutes).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>Attempts in all, the first included (default 3). Only transport errors, timeouts and HTTP 5xx are retried.</summary>
    public int MaxAttempts { get; init; } = 3;
    /// <summary>Wait before the second attempt; doubled for each further one (default 2 s).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Ask the TSA to include its certificate (certReq). Default true: validators need it.</summary>
    public bool RequestCertificates { get; init; } = true;
    /// <summary>A TSA policy to request (reqPolicy), or null.</summary>
    public string? PolicyOid { get; init; }
}

/// <summary>
/// An RFC 3161 client over HTTP POST (application/timestamp-query): a random 64-bit nonce, certReq,
/// status handling, a long per-attempt timeout and bounded retries. The token returned has been checked
/// against the request (imprint, nonce); its signature and TSA are checked by <see cref="TimestampValidator"/>.
/// </summary>
public sealed class Rfc3161Client : ITimestampClient
{
    private static readonly HttpClient SharedHttp = new() { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    private readonly HttpClient _http;

    /// <summary>Creates a client for the TSA at <paramref name="url"/>.</summary>
    /// <param name="url">The TSA URL (e.g. http://tsa.ca.gov.vn/).</param>
    /// <param name="http">An HttpClient to use (its own timeout also applies); a shared one when null.</param>
    /// <param name="options">Timeouts and retries.</param>
    public Rfc3161Client(Uri url, HttpClient? http = null, Rfc3161ClientOptions? options = null)
    {
        Url = url ?? throw new ArgumentNullException(nameof(url));
        _http = http ?? SharedHttp;
        Options = options ?? new Rfc3161ClientOptions();
    }

    /// <summary>The TSA URL.</summary>
    public Uri Url { get; }
    /// <summary>The settings.</summary>
    public Rfc3161ClientOptions Options { get; }

    /// <inheritdoc />
    public async Task<byte[]> GetTimestampTokenAsync(ReadOnlyMemory<byte> messageImprint, HashAlgorithmName hash, CancellationToken cancellationToken = default)
    {
        if (messageImprint.Length != Digests.Length(hash))
            throw new InvalidInputException(MessageKeys.DigestLengthMismatch, messageImprint.Length, hash.Name);
        var nonceBytes = new byte[8];
        using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(nonceBytes);
        nonceBytes[0] &= 0x7F; // positive INTEGER
        var nonce = new DerInteger(new Org.BouncyCastle.Math.BigInteger(1, nonceBytes));
        var request = new TimeStampReq(
            new MessageImprint(new AlgorithmIdentifier(new DerObjectIdentifier(Digests.Oid(hash)), DerNull.Instance), messageImprint.ToArray()),
            Options.PolicyOid is { } p ? new DerObjectIdentifier(p) : null,
            nonce, Options.RequestCertificates ? DerBoolean.True : DerBoolean.False, null);
        byte[] body = request.GetEncoded(Asn1Encodable.Der);
        byte[] response = await PostWithRetriesAsync(body, cancellationToken).ConfigureAwait(false);
        return CheckResponse(response, messageImprint.Span, hash, nonce);
    }

    private async Task<byte[]> PostWithRetriesAsync(byte[] body, CancellationToken cancellationToken)
    {
        int attempts = Math.Max(1, Options.MaxAttempts);
        var delay = Options.RetryDelay;
        for (int attempt = 1; ; attempt++)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Options.Timeout);
            Exception failure;
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
                using var resp = await _http.PostAsync(Url, content, timeout.Token).ConfigureAwait(false);
                var bytes = await resp.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                if (resp.IsSuccessStatusCode) return bytes;
                var status = (int)resp.StatusCode;
                failure = new ServiceUnavailableException(MessageKeys.TsaHttpError, null, Url, status);
                if (status < 500) throw failure; // 4xx: retrying will not help
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new ServiceUnavailableException(MessageKeys.TsaTimeout, e, Url, Options.Timeout.TotalSeconds);
            }
            catch (HttpRequestException e)
            {
                failure = new ServiceUnavailableException(MessageKeys.TsaUnreachable, e, Url, e.Message);
            }
            if (attempt >= attempts) throw failure;
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(delay.Ticks * 2);
        }
    }

    private byte[] CheckResponse(byte[] der, ReadOnlySpan<byte> imprint, HashAlgorithmName hash, DerInteger nonce)
    {
        TimeStampResp resp;
        try { resp = TimeStampResp.GetInstance(Asn1Object.FromByteArray(der)); }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidCastException or InvalidOperationException)
        {
            throw new ServiceUnavailableException(MessageKeys.TsaResponseMalformed, e, Url, e.Message);
        }
        int status = resp.Status.Status.IntValueExact;
        if (status != (int)PkiStatus.Granted && status != (int)PkiStatus.GrantedWithMods)
        {
            string text = resp.Status.StatusString is { } s && s.Count > 0 ? s[0].GetString() : "";
            int fail = resp.Status.FailInfo?.IntValue ?? 0;
            throw new ServiceUnavailableException(MessageKeys.TsaRejected, null, Url, status, fail, text);
        }
        if (resp.TimeStampToken is null) throw new ServiceUnavailableException(MessageKeys.TsaResponseMalformed, null, Url, "no token");
        byte[] tokenDer = resp.TimeStampToken.GetEncoded(Asn1Encodable.Der);
        TimestampToken token;
        try { token = TimestampToken.Parse(tokenDer, Url.ToString()); }
        catch (InvalidInputException e) { throw new ServiceUnavailableException(MessageKeys.TsaResponseMalformed, e, Url, e.Message); }
        if (token.HashAlgorithm != hash || !token.MessageImprint.AsSpan().SequenceEqual(imprint))
            throw new ServiceUnavailableException(MessageKeys.TsaImprintMismatch, null, Url);
        if (token.Info.Nonce is null || !token.Info.Nonce.Value.Equals(nonce.Value))
            throw new ServiceUnavailableException(MessageKeys.TsaNonceMismatch, null, Url);
        return tokenDer;
    }
}
