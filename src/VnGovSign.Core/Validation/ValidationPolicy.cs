namespace VnGovSign.Validation;

/// <summary>How revocation is checked.</summary>
public enum RevocationMode
{
    /// <summary>Use embedded/supplied data, then ask OCSP responders and fetch CRLs.</summary>
    Online,
    /// <summary>Use only embedded and supplied CRLs and OCSP responses; never touch the network.</summary>
    Offline,
    /// <summary>Do not check revocation (the report says so).</summary>
    None,
}

/// <summary>What a certificate is being validated for (decides key usage and EKU checks).</summary>
public enum CertificateUsage
{
    /// <summary>A document signer: digitalSignature or nonRepudiation.</summary>
    Signing,
    /// <summary>A timestamp authority: id-kp-timeStamping (critical).</summary>
    Timestamping,
    /// <summary>A delegated OCSP responder: id-kp-OCSPSigning.</summary>
    OcspSigning,
    /// <summary>No purpose check.</summary>
    Any,
}

/// <summary>The rules of a validation. Immutable; derive variants with <c>with</c>.</summary>
public sealed record ValidationPolicy
{
    /// <summary>The default policy: SHA-1 rejected, revocation online, soft-fail (unreachable services → warning only).</summary>
    public static ValidationPolicy Default { get; } = new();

    /// <summary>For old tax and BHXH files: SHA-1 accepted with a warning.</summary>
    public static ValidationPolicy Legacy { get; } = new() { AllowSha1 = true };

    /// <summary>Accept SHA-1 digests and signatures (with a warning). Off by default.</summary>
    public bool AllowSha1 { get; init; }

    /// <summary>How revocation is checked.</summary>
    public RevocationMode Revocation { get; init; } = RevocationMode.Online;

    /// <summary>
    /// What happens when no revocation service can be reached at all (connection refused, timeout, HTTP error,
    /// OCSP tryLater; no URL in the certificate; offline mode without supplied data).
    /// True (the default, soft-fail): the result is unchanged and the report carries a warning that revocation
    /// could not be checked. False (hard-fail, <c>--hard-fail</c>): INDETERMINATE/TRY_LATER.
    /// Either way an answer saying revoked gives REVOKED, and an "unknown" status or an answer that cannot be
    /// trusted (stale, unauthorised responder, bad signature, malformed) gives INDETERMINATE/TRY_LATER.
    /// </summary>
    public bool SoftFail { get; init; } = true;

    /// <summary>The default policy with hard-fail revocation (<see cref="SoftFail"/> false).</summary>
    public static ValidationPolicy HardFail { get; } = new() { SoftFail = false };

    /// <summary>The time to validate at when the signature gives no better one (null: now).</summary>
    public DateTimeOffset? ValidationTime { get; init; }

    /// <summary>Timeout of one OCSP/CRL/AIA request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>URL prefixes to rewrite before fetching (e.g. http://ocsp.ca.ptc → http://ocsp.ca.gov.vn).</summary>
    public IReadOnlyDictionary<string, string> UrlRewrites { get; init; } = new Dictionary<string, string>();

    /// <summary>Fetch missing issuers from AIA caIssuers URLs (online mode only).</summary>
    public bool FetchMissingIssuers { get; init; } = true;
    /// <summary>RFC 5280 §6.1.1 (c) user-initial-policy-set: certificate policy OIDs acceptable to the user; empty means anyPolicy.</summary>
    public IReadOnlyList<string> InitialPolicies { get; init; } = Array.Empty<string>();

    /// <summary>RFC 5280 §6.1.1 (f) initial-explicit-policy: the path must be valid for at least one policy of the initial set.</summary>
    public bool ExplicitPolicyRequired { get; init; }

    /// <summary>RFC 5280 §6.1.1 (e) initial-policy-mapping-inhibit.</summary>
    public bool InhibitPolicyMapping { get; init; }

    /// <summary>RFC 5280 §6.1.1 (g) initial-any-policy-inhibit.</summary>
    public bool InhibitAnyPolicy { get; init; }

    /// <summary>CRLs and OCSP responses supplied by the user (besides those embedded in a signature); used first, and alone in offline mode.</summary>
    public ValidationData? SuppliedData { get; init; }

    /// <summary>Tolerated clock difference with responders (thisUpdate in the future, nextUpdate just passed). Default 5 minutes.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How old an OCSP response without nextUpdate may be (default 1 day).</summary>
    public TimeSpan MaxOcspAge { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Send a nonce in OCSP requests (RFC 8954). Default true; a response without a nonce is still accepted when fresh.</summary>
    public bool OcspNonce { get; init; } = true;
}
