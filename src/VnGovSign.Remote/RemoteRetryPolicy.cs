namespace VnGovSign.Remote;

/// <summary>
/// Bounded retries of a remote call that failed with a server error (HTTP 5xx, 429) or could not
/// reach the service. Client errors (4xx: wrong PIN, rejected, unknown credential) are never retried.
/// </summary>
public sealed record RemoteRetryPolicy
{
    /// <summary>Three attempts, 0.5 s then 1 s apart.</summary>
    public static RemoteRetryPolicy Default { get; } = new();

    /// <summary>One attempt, no retry.</summary>
    public static RemoteRetryPolicy None { get; } = new() { MaxAttempts = 1 };

    /// <summary>Attempts in all, including the first (at least 1).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The wait before the second attempt; each later wait doubles, up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    internal TimeSpan DelayBefore(int attempt)
    {
        // attempt is the 1-based number of the attempt about to be made (>= 2).
        double ms = InitialDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 2));
        return TimeSpan.FromMilliseconds(Math.Min(ms, MaxDelay.TotalMilliseconds));
    }
}
