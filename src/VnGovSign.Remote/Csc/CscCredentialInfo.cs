using System.Security.Cryptography.X509Certificates;

namespace VnGovSign.Remote.Csc;

/// <summary>What <c>credentials/info</c> tells about a credential: its certificate chain, key and how it is authorised.</summary>
public sealed class CscCredentialInfo
{
    internal CscCredentialInfo(string credentialId, X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain)
    {
        CredentialId = credentialId; Certificate = certificate; Chain = chain;
    }

    /// <summary>The credential's id at the service.</summary>
    public string CredentialId { get; }
    /// <summary>The signing certificate.</summary>
    public X509Certificate2 Certificate { get; }
    /// <summary>The CA certificates the service returned, issuer first (may be empty).</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }
    /// <summary>The service's description of the credential.</summary>
    public string? Description { get; internal set; }
    /// <summary>Key status ("enabled" or "disabled").</summary>
    public string? KeyStatus { get; internal set; }
    /// <summary>Key and signature algorithm OIDs the credential offers (<c>key/algo</c>).</summary>
    public IReadOnlyList<string> KeyAlgorithms { get; internal set; } = Array.Empty<string>();
    /// <summary>Key length in bits (<c>key/len</c>).</summary>
    public int? KeyLength { get; internal set; }
    /// <summary>Curve OID for ECDSA keys (<c>key/curve</c>).</summary>
    public string? Curve { get; internal set; }
    /// <summary>Certificate status ("valid", "expired", "revoked", "suspended").</summary>
    public string? CertificateStatus { get; internal set; }
    /// <summary>"implicit", "explicit" or "oauth2code".</summary>
    public string? AuthMode { get; internal set; }
    /// <summary>Sole Control Assurance Level: 1, or 2 when the authorisation must name the hashes.</summary>
    public int Scal { get; internal set; } = 1;
    /// <summary>Whether <c>credentials/authorize</c> wants a PIN.</summary>
    public bool PinRequired { get; internal set; }
    /// <summary>Whether <c>credentials/authorize</c> wants an OTP.</summary>
    public bool OtpRequired { get; internal set; }
    /// <summary>"online" (the service sends it on <c>credentials/sendOTP</c>) or "offline".</summary>
    public string? OtpType { get; internal set; }
    /// <summary>How many signatures one authorisation allows (<c>multisign</c>; 1 when the service does not say).</summary>
    public int MultiSign { get; internal set; } = 1;
}

/// <summary>Signature Activation Data returned by <c>credentials/authorize</c>.</summary>
public sealed record CscAuthorization(string Sad, DateTimeOffset? ExpiresAt);

/// <summary>What <c>info</c> tells about a service.</summary>
public sealed record CscServiceInfo(CscApiVersion Version, string? Specs, string? Name, IReadOnlyList<string> Methods, IReadOnlyList<string> AuthTypes);
