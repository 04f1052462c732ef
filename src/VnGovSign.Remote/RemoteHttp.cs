using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VnGovSign.Remote;

/// <summary>An HTTP answer of a remote service: status and JSON body (null when the body is not JSON).</summary>
internal sealed record RemoteResponse(int Status, JsonNode? Json, string Text)
{
    public bool IsSuccess => Status >= 200 && Status < 300;
    public JsonObject? Object => Json as JsonObject;
}

/// <summary>JSON over HTTP with bounded retries on server errors; maps "unreachable" to <see cref="ServiceUnavailableException"/>.</summary>
internal sealed class RemoteHttp
{
    private readonly HttpClient _http;
    private readonly RemoteRetryPolicy _retry;
    private readonly TimeProvider _clock;
    private readonly string _service;

    public RemoteHttp(HttpClient http, RemoteRetryPolicy retry, TimeProvider clock, string service)
    {
        _http = http; _retry = retry ?? RemoteRetryPolicy.Default; _clock = clock ?? TimeProvider.System; _service = service;
    }

    /// <summary>Attempts made by the last <see cref="SendAsync"/> (for diagnostics and tests).</summary>
    public int LastAttempts { get; private set; }

    /// <summary>Sends the request built by <paramref name="build"/> (called again for each attempt).</summary>
    public async Task<RemoteResponse> SendAsync(Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        int max = Math.Max(1, _retry.MaxAttempts);
        for (int attempt = 1; ; attempt++)
        {
            LastAttempts = attempt;
            if (attempt > 1) await RemoteDelay.DelayAsync(_clock, _retry.DelayBefore(attempt), cancellationToken).ConfigureAwait(false);
            HttpResponseMessage response;
            try
            {
                using var request = build();
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                if (attempt < max) continue;
                throw new ServiceUnavailableException(RemoteMessages.Resources, RemoteMessages.ServiceUnavailable, e, _service, e.Message);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                // HttpClient's own timeout, not the caller's cancellation.
                if (attempt < max) continue;
                throw new ServiceUnavailableException(RemoteMessages.Resources, RemoteMessages.ServiceUnavailable, e, _service, "timeout");
            }
            using (response)
            {
                int status = (int)response.StatusCode;
                string text = response.Content is null ? "" : await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                if (status >= 500 || status == 429)
                {
                    if (attempt < max) continue;
                    throw new ServiceUnavailableException(RemoteMessages.Resources, RemoteMessages.ServiceUnavailable, null, _service,
                        "HTTP " + status + Describe(text));
                }
                JsonNode? json = null;
                if (!string.IsNullOrWhiteSpace(text))
                {
                    try { json = JsonNode.Parse(text); }
                    catch (JsonException) { json = null; }
                }
                return new RemoteResponse(status, json, text);
            }
        }
    }

    private static string Describe(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        text = text.Trim();
        return ": " + (text.Length > 200 ? text.Substring(0, 200) + "…" : text);
    }

    /// <summary>A JSON POST.</summary>
    public static HttpRequestMessage Post(Uri uri, JsonObject body, AuthenticationHeaderValue? auth)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (auth is not null) request.Headers.Authorization = auth;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    /// <summary>A GET.</summary>
    public static HttpRequestMessage Get(Uri uri, AuthenticationHeaderValue? auth)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (auth is not null) request.Headers.Authorization = auth;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    /// <summary>Joins a base URL and a relative path with exactly one slash.</summary>
    public static Uri Combine(Uri baseUri, string relative) => new(baseUri.ToString().TrimEnd('/') + "/" + relative.TrimStart('/'));

    /// <summary>Checks and normalises a service URL given by a user.</summary>
    public static Uri ParseBase(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new InvalidInputException(RemoteMessages.Resources, RemoteMessages.BadUrl, null, url);
        return uri;
    }
}

/// <summary>JSON reading helpers that fail with a clear error instead of a null reference.</summary>
internal static class Json
{
    public static string? Str(this JsonObject? o, string name) =>
        o is not null && o.TryGetPropertyValue(name, out var v) && v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;

    public static long? Num(this JsonObject? o, string name)
    {
        if (o is null || !o.TryGetPropertyValue(name, out var v) || v is not JsonValue jv) return null;
        if (jv.TryGetValue<long>(out var l)) return l;
        if (jv.TryGetValue<int>(out var i)) return i;
        if (jv.TryGetValue<double>(out var d)) return (long)d;
        if (jv.TryGetValue<string>(out var s) && long.TryParse(s, out l)) return l;
        return null;
    }

    public static bool? Bool(this JsonObject? o, string name)
    {
        if (o is null || !o.TryGetPropertyValue(name, out var v) || v is not JsonValue jv) return null;
        if (jv.TryGetValue<bool>(out var b)) return b;
        if (jv.TryGetValue<string>(out var s)) return string.Equals(s, "true", StringComparison.OrdinalIgnoreCase);
        return null;
    }

    public static IReadOnlyList<string> Strings(this JsonObject? o, string name)
    {
        if (o is null || !o.TryGetPropertyValue(name, out var v) || v is not JsonArray a) return Array.Empty<string>();
        return a.OfType<JsonValue>().Select(x => x.TryGetValue<string>(out var s) ? s : null).Where(s => s is not null).Select(s => s!).ToList();
    }

    public static JsonArray Base64Array(IEnumerable<ReadOnlyMemory<byte>> values)
    {
        var a = new JsonArray();
        foreach (var v in values) a.Add(Convert.ToBase64String(v.ToArray()));
        return a;
    }
}

/// <summary>Waiting with a <see cref="TimeProvider"/> on every target framework.</summary>
internal static class RemoteDelay
{
    public static Task DelayAsync(TimeProvider clock, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero) { cancellationToken.ThrowIfCancellationRequested(); return Task.CompletedTask; }
#if NET8_0_OR_GREATER
        return Task.Delay(delay, clock, cancellationToken);
#else
        return clock.Delay(delay, cancellationToken);
#endif
    }
}

/// <summary>Copies a request body so a retried send never shares a node that already has a parent.</summary>
internal static class JsonNodeCloning
{
    public static System.Text.Json.Nodes.JsonObject DeepCloneObject(this System.Text.Json.Nodes.JsonObject o)
        => (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(o.ToJsonString())!;
}
