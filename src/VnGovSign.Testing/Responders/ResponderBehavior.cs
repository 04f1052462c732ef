namespace VnGovSign.Testing.Responders;

/// <summary>How a test responder misbehaves (for INDETERMINATE/TRY_LATER and error-path tests).</summary>
public enum ResponderBehavior
{
    /// <summary>Answers correctly.</summary>
    Normal,
    /// <summary>Waits <c>Delay</c> before answering correctly (client timeouts, slow TSAs).</summary>
    Slow,
    /// <summary>Answers HTTP 500 with no body (responder down).</summary>
    Fail,
    /// <summary>Answers HTTP 200 with bytes that are not DER.</summary>
    Malformed,
}

/// <summary>What the OCSP responder says about a certificate.</summary>
public enum OcspAnswer
{
    /// <summary>The truth of the test PKI: revoked if revoked, otherwise good.</summary>
    Actual,
    /// <summary>Always good.</summary>
    Good,
    /// <summary>Always revoked (at the PKI's revocation time if known, else one hour ago).</summary>
    Revoked,
    /// <summary>Always unknown.</summary>
    Unknown,
}

/// <summary>Who signs the OCSP responses.</summary>
public enum OcspResponderKey
{
    /// <summary>The delegated responder (id-kp-OCSPSigning issued by the CA, with ocsp-nocheck); the root answers for itself.</summary>
    Delegated,
    /// <summary>The issuing CA itself.</summary>
    Ca,
    /// <summary>A certificate without id-kp-OCSPSigning (the leader's): clients must refuse the answer.</summary>
    Unauthorized,
}

/// <summary>What the TSA puts into its answer.</summary>
public enum TsaAnswer
{
    /// <summary>A correct token.</summary>
    Normal,
    /// <summary>A token over a different message imprint.</summary>
    WrongImprint,
    /// <summary>A token signed with a certificate that lacks id-kp-timeStamping (the leader's).</summary>
    NoTimestampingEku,
    /// <summary>A response with status rejection (2) and no token.</summary>
    Rejection,
}
