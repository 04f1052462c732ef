using System.Net.Http;

namespace VnGovSign.Remote.Async;

/// <summary>How to reach an asynchronous confirm-on-phone signing service and how long to wait for the user.</summary>
public sealed record RemoteAsyncSignerOptions
{
    /// <summary>Creates options for <paramref name="userId"/> at the service <paramref name="serviceUrl"/>.</summary>
    public RemoteAsyncSignerOptions(Uri serviceUrl, string userId)
    {
        ServiceUrl = serviceUrl ?? throw new ArgumentNullException(nameof(serviceUrl));
        UserId = userId ?? throw new ArgumentNullException(nameof(userId));
    }

    /// <summary>The service's base URL.</summary>
    public Uri ServiceUrl { get; init; }

    /// <summary>The signer's account at the service (e.g. a CCCD number or a tax code).</summary>
    public string UserId { get; init; }

    /// <summary>Which of the user's certificates to use; the first one when null.</summary>
    public string? CredentialId { get; init; }

    /// <summary>The integrating application's id at the service (sent with HTTP Basic authentication).</summary>
    public string? ClientId { get; init; }

    /// <summary>The integrating application's secret.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>Shown to the user on the phone with the request (e.g. "Ký công văn số 12/UBND").</summary>
    public string? Description { get; init; }

    /// <summary>How long to wait for the confirmation before giving up (5 minutes by default).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The first wait between two status polls.</summary>
    public TimeSpan InitialPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two status polls.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Each wait is the previous one times this factor (back-off), up to <see cref="MaxPollInterval"/>.</summary>
    public double PollBackoff { get; init; } = 1.5;

    /// <summary>Status updates ("waiting for confirmation on the phone") for a user interface.</summary>
    public IProgress<RemoteSigningStatus>? Progress { get; init; }

    /// <summary>Retries of each HTTP call on HTTP 5xx/429 and unreachable service.</summary>
    public RemoteRetryPolicy Retry { get; init; } = RemoteRetryPolicy.Default;

    /// <summary>The clock for polling waits and the timeout.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>An HttpClient to use (not disposed by the signer); a new one when null.</summary>
    public HttpClient? HttpClient { get; init; }
}

/// <summary>
/// A submitted confirm-on-phone request: what an e-office server keeps (e.g. in its database, next to
/// the serialised prepared signatures) to resume the wait later with
/// <see cref="RemoteAsyncSigner.WaitForSignaturesAsync"/>.
/// </summary>
/// <param name="Id">The service's transaction id.</param>
/// <param name="SignatureCount">How many digests were submitted (and values are expected).</param>
/// <param name="SubmittedAt">When it was submitted (the timeout counts from here).</param>
public sealed record RemoteSigningTransaction(string Id, int SignatureCount, DateTimeOffset SubmittedAt);
