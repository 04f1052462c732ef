using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VnGovSign.Testing.Http;

namespace VnGovSign.Testing.Remote;

/// <summary>A key held by a remote-signing test service: its id at the service and the signer behind it.</summary>
public sealed class RemoteTestCredential
{
    /// <summary>Creates a credential named <paramref name="id"/> over <paramref name="signer"/>.</summary>
    public RemoteTestCredential(string id, ISigner signer)
    {
        Id = id ?? throw new ArgumentNullException(nameof(id));
        Signer = signer ?? throw new ArgumentNullException(nameof(signer));
    }

    /// <summary>The credential id (CSC credentialID) and user id (asynchronous service): the identity's file name, e.g. "leader".</summary>
    public string Id { get; }

    /// <summary>The key.</summary>
    public ISigner Signer { get; }

    /// <summary>A credential over a test identity's key, named by its file name.</summary>
    public static RemoteTestCredential From(TestIdentity identity) => new(identity.Name, identity.CreateSigner());

    /// <summary>
    /// The PKI's key holders as credentials (leader, org, leader-ec, revoked, expired, notyet): every
    /// end entity except the TSA and OCSP responder.
    /// </summary>
    public static IReadOnlyList<RemoteTestCredential> FromPki(TestPki pki) =>
        pki.All.Where(i => i.Role is not ("root-ca" or "sub-ca" or "tsa" or "ocsp")).Select(From).ToList();
}

/// <summary>JSON in and out of the remote test endpoints.</summary>
internal static class RemoteTestJson
{
    public static async Task<JsonObject> ReadAsync(HttpListenerRequest request, CancellationToken cancellationToken)
    {
        var body = await LoopbackHttp.ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        if (body.Length == 0) return new JsonObject();
        var text = Encoding.UTF8.GetString(body);
        if ((request.ContentType ?? "").StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            var o = new JsonObject();
            foreach (var pair in text.Split('&'))
            {
                if (pair.Length == 0) continue;
                int eq = pair.IndexOf('=');
                string k = Uri.UnescapeDataString((eq < 0 ? pair : pair.Substring(0, eq)).Replace('+', ' '));
                string v = eq < 0 ? "" : Uri.UnescapeDataString(pair.Substring(eq + 1).Replace('+', ' '));
                o[k] = v;
            }
            return o;
        }
        try { return JsonNode.Parse(text) as JsonObject ?? new JsonObject(); }
        catch (JsonException) { return new JsonObject { ["__malformed"] = true }; }
    }

    public static Task WriteAsync(HttpListenerResponse response, int status, JsonObject body, CancellationToken cancellationToken) =>
        LoopbackHttp.WriteAsync(response, status, "application/json; charset=utf-8", Encoding.UTF8.GetBytes(body.ToJsonString()), cancellationToken);

    public static Task ErrorAsync(HttpListenerResponse response, int status, string error, string description, CancellationToken cancellationToken) =>
        WriteAsync(response, status, new JsonObject { ["error"] = error, ["error_description"] = description }, cancellationToken);

    public static string? Str(this JsonObject o, string name) =>
        o.TryGetPropertyValue(name, out var v) && v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null;

    public static long? Num(this JsonObject o, string name)
    {
        if (!o.TryGetPropertyValue(name, out var v) || v is not JsonValue jv) return null;
        if (jv.TryGetValue<long>(out var l)) return l;
        if (jv.TryGetValue<int>(out var i)) return i;
        if (jv.TryGetValue<string>(out var s) && long.TryParse(s, out l)) return l;
        return null;
    }

    public static List<string>? Strings(this JsonObject o, string name) =>
        o.TryGetPropertyValue(name, out var v) && v is JsonArray a
            ? a.Select(x => x is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : null).Where(s => s is not null).Select(s => s!).ToList()
            : null;

    public static JsonArray Array(IEnumerable<string> values)
    {
        var a = new JsonArray();
        foreach (var v in values) a.Add(v);
        return a;
    }

    public static string NewId() => Guid.NewGuid().ToString("N");
}

/// <summary>Counting switches of the test endpoints.</summary>
internal static class RemoteTestSwitch
{
    /// <summary>Takes one from a positive counter; false when it is zero.</summary>
    public static bool Take(ref int counter)
    {
        while (true)
        {
            int v = Volatile.Read(ref counter);
            if (v <= 0) return false;
            if (Interlocked.CompareExchange(ref counter, v - 1, v) == v) return true;
        }
    }
}
