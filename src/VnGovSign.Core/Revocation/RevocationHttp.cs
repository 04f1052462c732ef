using System.Net.Http;
using System.Net.Http.Headers;
using VnGovSign.Validation;

namespace VnGovSign.Revocation;

/// <summary>GET/POST with a per-request timeout and the policy's URL rewrites; failures come back as text, never thrown.</summary>
internal sealed class RevocationHttp
{
    private static readonly HttpClient SharedHttp = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly HttpClient _http;
    private readonly ValidationPolicy _policy;

    public RevocationHttp(HttpClient? http, ValidationPolicy policy)
    {
        _http = http ?? SharedHttp;
        _policy = policy;
    }

    public string Rewrite(string url)
    {
        foreach (var kv in _policy.UrlRewrites.OrderByDescending(k => k.Key.Length))
            if (url.StartsWith(kv.Key, StringComparison.OrdinalIgnoreCase)) return kv.Value + url.Substring(kv.Key.Length);
        return url;
    }

    public async Task<(byte[]? Body, string? Error)> SendAsync(string url, byte[]? postBody, string? contentType, CancellationToken ct)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            return (null, "unsupported URL");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_policy.RequestTimeout);
        try
        {
            HttpResponseMessage resp;
            if (postBody is null) resp = await _http.GetAsync(uri, timeout.Token).ConfigureAwait(false);
            else
            {
                var content = new ByteArrayContent(postBody);
                content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/octet-stream");
                resp = await _http.PostAsync(uri, content, timeout.Token).ConfigureAwait(false);
            }
            using (resp)
            {
                if (!resp.IsSuccessStatusCode) return (null, "HTTP " + (int)resp.StatusCode);
                return (await resp.Content.ReadAsByteArrayAsync().ConfigureAwait(false), null);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, "timeout " + _policy.RequestTimeout.TotalSeconds + " s");
        }
        catch (HttpRequestException e)
        {
            return (null, e.Message);
        }
    }
}
