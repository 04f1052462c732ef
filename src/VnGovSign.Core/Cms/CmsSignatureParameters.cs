using System.Security.Cryptography;

namespace VnGovSign.Cms;

/// <summary>What goes into a CAdES signature's signed attributes and SignerInfo.</summary>
public sealed class CmsSignatureParameters
{
    /// <summary>Digest for the content and the signed attributes (SHA-256 by default).</summary>
    public HashAlgorithmName Hash { get; init; } = HashAlgorithmName.SHA256;

    /// <summary>RSA padding (PKCS#1 v1.5 by default).</summary>
    public RsaPadding Padding { get; init; } = RsaPadding.Pkcs1;

    /// <summary>The signing-time signed attribute; null leaves it out (PAdES forbids it: the time goes to /M).</summary>
    public DateTimeOffset? SigningTime { get; init; }

    /// <summary>Embed the signer certificate and its chain (default true).</summary>
    public bool EmbedCertificates { get; init; } = true;
}
