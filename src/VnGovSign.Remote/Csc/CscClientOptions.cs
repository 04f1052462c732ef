using System.Net.Http;

namespace VnGovSign.Remote.Csc;

/// <summary>The version of the Cloud Signature Consortium API a service speaks.</summary>
public enum CscApiVersion
{
    /// <summary>Ask the service (<c>v2/info</c>, then v1); a URL ending in /v1 or /v2 fixes it.</summary>
    Auto,
    /// <summary>CSC API v1.0.4 (e.g. Viettel MySign).</summary>
    V1,
    /// <summary>CSC API v2.0.</summary>
    V2,
}

/// <summary>How to reach and authenticate to a CSC API service.</summary>
public sealed record CscClientOptions
{
    /// <summary>Creates options for the service at <paramref name="serviceUrl"/> (e.g. https://host/csc or https://host/csc/v1).</summary>
    public CscClientOptions(Uri serviceUrl) => ServiceUrl = serviceUrl ?? throw new ArgumentNullException(nameof(serviceUrl));

    /// <summary>The service's base URL, without or with the version segment.</summary>
    public Uri ServiceUrl { get; init; }

    /// <summary>The API version (asked from the service by default).</summary>
    public CscApiVersion Version { get; init; } = CscApiVersion.Auto;

    /// <summary>OAuth2 client id for the client-credentials grant (<c>oauth2/token</c>).</summary>
    public string? ClientId { get; init; }

    /// <summary>OAuth2 client secret for the client-credentials grant.</summary>
    public string? ClientSecret { get; init; }

    /// <summary>A bearer token obtained elsewhere (e.g. the user's OAuth2 login); used instead of the client-credentials grant.</summary>
    public string? AccessToken { get; init; }

    /// <summary>Retries on HTTP 5xx/429 and unreachable service.</summary>
    public RemoteRetryPolicy Retry { get; init; } = RemoteRetryPolicy.Default;

    /// <summary>The clock for retry waits and token expiry.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>An HttpClient to use (not disposed by the client); a new one when null.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>Language asked from the service for its texts (CSC <c>lang</c>).</summary>
    public string Language { get; init; } = "vi-VN";
}
