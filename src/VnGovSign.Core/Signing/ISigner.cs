using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VnGovSign;

/// <summary>The family of the signing key.</summary>
public enum KeyAlgorithm
{
    /// <summary>RSA (PKCS#1 v1.5 or PSS padding).</summary>
    Rsa,
    /// <summary>ECDSA on a NIST curve (P-256, P-384, P-521).</summary>
    Ecdsa,
}

/// <summary>RSA signature padding. Ignored for ECDSA keys.</summary>
public enum RsaPadding
{
    /// <summary>RSASSA-PKCS1-v1_5: what every Vietnamese token and receiver uses today (the default).</summary>
    Pkcs1,
    /// <summary>RSASSA-PSS with MGF1 over the same hash and a salt as long as the hash.</summary>
    Pss,
}

/// <summary>
/// Something that holds a private key and signs a digest: a PFX file, a USB token or HSM through
/// PKCS#11, or a remote service that waits for a confirmation on the user's phone. Formats never see
/// the key, only this contract, so every format works with every kind of signer.
/// </summary>
public interface ISigner
{
    /// <summary>The signer's certificate (without a private key as far as callers are concerned).</summary>
    X509Certificate2 Certificate { get; }

    /// <summary>The CA certificates the signer knows (issuer first); may be empty when only the leaf is known.</summary>
    IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>The family of the key behind <see cref="Certificate"/>.</summary>
    KeyAlgorithm KeyAlgorithm { get; }

    /// <summary>
    /// Signs a precomputed digest. RSA returns the raw signature block; ECDSA returns the IEEE P1363
    /// form (r‖s, each as long as the curve order), which is what tokens produce: formats that need
    /// DER call <see cref="EcdsaSignatureFormat.ToDer"/>.
    /// </summary>
    /// <param name="digest">The hash value (not a DigestInfo) computed with <paramref name="hash"/>.</param>
    /// <param name="hash">The hash algorithm that produced <paramref name="digest"/>.</param>
    /// <param name="padding">RSA padding; ignored for ECDSA.</param>
    /// <param name="cancellationToken">Cancels a wait on a device or a remote confirmation.</param>
    ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, HashAlgorithmName hash, RsaPadding padding,
        CancellationToken cancellationToken = default);
}
