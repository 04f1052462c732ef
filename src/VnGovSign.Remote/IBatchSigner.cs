using System.Security.Cryptography;

namespace VnGovSign.Remote;

/// <summary>
/// A signer that signs many digests under one authorisation: one PIN/OTP or one confirmation on the
/// phone for a whole batch of documents (CSC <c>numSignatures</c> + one <c>signatures/signHash</c>
/// with many hashes; one asynchronous transaction with many hashes).
/// </summary>
public interface IBatchSigner : ISigner
{
    /// <summary>Signs every digest; the values come back in the same order, in the form of <see cref="ISigner.SignDigestAsync"/>.</summary>
    /// <param name="digests">Hash values (not DigestInfo), all computed with <paramref name="hash"/>.</param>
    /// <param name="hash">The hash algorithm of every digest.</param>
    /// <param name="padding">RSA padding; ignored for ECDSA.</param>
    /// <param name="cancellationToken">Cancels the wait for the service or the phone.</param>
    Task<IReadOnlyList<byte[]>> SignDigestsAsync(IReadOnlyList<ReadOnlyMemory<byte>> digests, HashAlgorithmName hash, RsaPadding padding,
        CancellationToken cancellationToken = default);
}

/// <summary>Batch signing of prepared signatures of any format (CMS, PDF, XML…): one authorisation for all.</summary>
public static class BatchSigning
{
    /// <summary>
    /// Signs the digests of <paramref name="prepared"/> in one batch and returns the signature values in
    /// the same order; give each to its format's Complete step.
    /// </summary>
    /// <exception cref="InvalidInputException">The prepared signatures use different hash algorithms or paddings.</exception>
    public static async Task<IReadOnlyList<byte[]>> SignAsync(this IBatchSigner signer, IReadOnlyList<IPreparedSignature> prepared,
        CancellationToken cancellationToken = default)
    {
        if (signer is null) throw new ArgumentNullException(nameof(signer));
        if (prepared is null) throw new ArgumentNullException(nameof(prepared));
        if (prepared.Count == 0) return Array.Empty<byte[]>();
        var hash = prepared[0].Hash;
        var padding = prepared[0].Padding;
        if (prepared.Any(p => p.Hash != hash || p.Padding != padding))
            throw new InvalidInputException(RemoteMessages.Resources, RemoteMessages.MixedBatch, null);
        return await signer.SignDigestsAsync(prepared.Select(p => p.Digest).ToList(), hash, padding, cancellationToken).ConfigureAwait(false);
    }
}
