using System.Collections.Concurrent;

namespace VnGovSign.Revocation;

/// <summary>
/// An in-memory cache of revocation answers (OCSP responses, CRLs) and fetched CA certificates, each kept
/// until its nextUpdate (at most <see cref="MaxLifetime"/>). Thread-safe; share one across validators to
/// avoid asking responders again for the same certificate.
/// </summary>
public sealed class RevocationCache
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset Expiry, object Value)> _items = new(StringComparer.Ordinal);

    /// <summary>A process-wide cache (opt-in: pass it to validators that should share answers).</summary>
    public static RevocationCache Shared { get; } = new();

    /// <summary>The longest an item is kept even when its nextUpdate is later (default 1 day).</summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Items held (expired ones included until next looked up).</summary>
    public int Count => _items.Count;

    /// <summary>Forgets everything.</summary>
    public void Clear() => _items.Clear();

    internal bool TryGet<T>(string key, DateTimeOffset now, out T value) where T : class
    {
        if (_items.TryGetValue(key, out var item) && item.Expiry > now && item.Value is T t) { value = t; return true; }
        if (item.Value is not null && item.Expiry <= now) _items.TryRemove(key, out _);
        value = null!;
        return false;
    }

    internal void Set(string key, object value, DateTimeOffset now, DateTimeOffset? nextUpdate)
    {
        var expiry = nextUpdate is { } n && n - now < MaxLifetime ? n : now + MaxLifetime;
        if (expiry > now) _items[key] = (expiry, value);
    }
}
