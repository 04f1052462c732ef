using System.Security.Cryptography;

namespace VnGovSign;

/// <summary>
/// The state between Prepare and Complete of the two-phase flow: the digest a remote party signs,
/// and enough to finish later (it survives a server restart through <see cref="Serialize"/>).
/// </summary>
public interface IPreparedSignature
{
    /// <summary>The digest the signer signs (for CMS: the hash of the DER signed attributes).</summary>
    ReadOnlyMemory<byte> Digest { get; }

    /// <summary>The hash algorithm of <see cref="Digest"/>.</summary>
    HashAlgorithmName Hash { get; }

    /// <summary>RSA padding the signer must use.</summary>
    RsaPadding Padding { get; }

    /// <summary>Bytes from which the prepared state can be restored.</summary>
    byte[] Serialize();
}
