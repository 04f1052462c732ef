using System.Net;
using System.Net.Sockets;

namespace VnGovSign.Testing.Http;

/// <summary>A handler mounted on a <see cref="LoopbackServer"/> under a path prefix (e.g. "/ocsp", "/csc/").</summary>
public interface ILoopbackEndpoint
{
    /// <summary>The path prefix this endpoint answers (matched case-sensitively; the longest prefix wins).</summary>
    string PathPrefix { get; }

    /// <summary>Answers one request. The server closes the response afterwards.</summary>
    Task HandleAsync(HttpListenerContext context, CancellationToken cancellationToken);
}

/// <summary>
/// A real HTTP server on 127.0.0.1 only (never another address), on an ephemeral or given port,
/// that hosts test endpoints: OCSP, CRL, TSA, remote-signing services.
/// </summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly List<ILoopbackEndpoint> _endpoints = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private LoopbackServer(HttpListener listener, int port)
    {
        _listener = listener;
        Port = port;
        BaseUri = new Uri($"http://127.0.0.1:{port}");
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The port listened on.</summary>
    public int Port { get; }

    /// <summary>http://127.0.0.1:PORT (no trailing slash when formatted with <c>ToString().TrimEnd('/')</c>).</summary>
    public Uri BaseUri { get; }

    /// <summary>The base URL without a trailing slash.</summary>
    public string BaseUrl => BaseUri.ToString().TrimEnd('/');

    /// <summary>Requests answered so far (all endpoints).</summary>
    public int RequestCount => _requestCount;
    private int _requestCount;

    /// <summary>Starts a server on <paramref name="port"/> (0: a free ephemeral port) with the given endpoints.</summary>
    public static LoopbackServer Start(int port = 0, params ILoopbackEndpoint[] endpoints)
    {
        for (int attempt = 0; ; attempt++)
        {
            int p = port != 0 ? port : FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{p}/");
            try
            {
                listener.Start();
            }
            catch (HttpListenerException) when (port == 0 && attempt < 5)
            {
                continue; // another process took the port between probe and bind
            }
            var server = new LoopbackServer(listener, p);
            foreach (var e in endpoints) server.Add(e);
            return server;
        }
    }

    /// <summary>Mounts another endpoint.</summary>
    public void Add(ILoopbackEndpoint endpoint)
    {
        lock (_endpoints) _endpoints.Add(endpoint);
    }

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync().ConfigureAwait(false); }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening) { return; }
            catch (HttpListenerException) { continue; }
            _ = Task.Run(() => HandleAsync(ctx));
        }
    }

    private async Task HandleAsync(HttpListenerContext ctx)
    {
        Interlocked.Increment(ref _requestCount);
        try
        {
            ILoopbackEndpoint? endpoint;
            var path = ctx.Request.Url?.AbsolutePath ?? "/";
            lock (_endpoints)
                endpoint = _endpoints.Where(e => path.StartsWith(e.PathPrefix, StringComparison.Ordinal))
                                     .OrderByDescending(e => e.PathPrefix.Length).FirstOrDefault();
            if (endpoint is null) ctx.Response.StatusCode = 404;
            else await endpoint.HandleAsync(ctx, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception)
        {
            try { ctx.Response.StatusCode = 500; } catch (InvalidOperationException) { /* headers already sent */ }
        }
        finally
        {
            try { ctx.Response.Close(); } catch (Exception) { /* client went away */ }
        }
    }

    /// <summary>Stops listening and closes pending requests.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        // Close alone: on Unix, Stop() then Close() removes the prefix twice, and the second removal re-binds the
        // port it just released — which another test process may have taken meanwhile ("Address already in use").
        try { _listener.Close(); }
        catch (ObjectDisposedException) { }
        catch (HttpListenerException) { /* the socket is gone either way; nothing to release */ }
        try { _loop.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}

/// <summary>Small helpers for endpoints.</summary>
public static class LoopbackHttp
{
    /// <summary>Reads the whole request body.</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpListenerRequest request, CancellationToken cancellationToken)
    {
        using var ms = new MemoryStream();
        await request.InputStream.CopyToAsync(ms, 81920, cancellationToken).ConfigureAwait(false);
        return ms.ToArray();
    }

    /// <summary>Writes a complete response body.</summary>
    public static async Task WriteAsync(HttpListenerResponse response, int status, string contentType, byte[] body, CancellationToken cancellationToken)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body, 0, body.Length, cancellationToken).ConfigureAwait(false);
    }
}
