namespace VnGovSign.Cms;

/// <summary>
/// Detached CAdES signatures in one call: digest the content, prepare, sign with any
/// <see cref="ISigner"/>, assemble. The two-phase steps stay available through
/// <see cref="CadesSignatureBuilder"/> and <see cref="PreparedCmsSignature"/>.
/// </summary>
public sealed class CadesSigner
{
    /// <summary>Creates a signer with the given options.</summary>
    public CadesSigner(SignatureOptions? options = null) => Options = options ?? new SignatureOptions();

    /// <summary>The options.</summary>
    public SignatureOptions Options { get; }

    /// <summary>Signs <paramref name="content"/> (read from its position to its end) and returns the DER CMS.</summary>
    /// <param name="content">The document; it is only read.</param>
    /// <param name="signer">The key holder.</param>
    /// <param name="includeSigningTime">Writes the signing-time attribute from the options' clock (CAdES allows it; PAdES does not).</param>
    /// <param name="cancellationToken">Cancels reading and signing.</param>
    /// <exception cref="SigningException">The signer's certificate is expired, not yet valid or not for signing (<see cref="SigningCertificateCheck"/>); nothing is read or signed then.</exception>
    public async Task<byte[]> SignDetachedAsync(Stream content, ISigner signer, bool includeSigningTime = true, CancellationToken cancellationToken = default)
    {
        if (signer is null) throw new ArgumentNullException(nameof(signer));
        var now = Options.Clock.GetUtcNow();
        SigningCertificateCheck.Ensure(signer.Certificate, now);
        var digest = await Digests.ComputeAsync(Options.Hash, content, cancellationToken).ConfigureAwait(false);
        return await SignDigestCoreAsync(digest, signer, includeSigningTime, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Signs content known by its digest (computed with the options' hash).</summary>
    /// <exception cref="SigningException">The signer's certificate is expired, not yet valid or not for signing (<see cref="SigningCertificateCheck"/>); the signer is not asked then.</exception>
    public async Task<byte[]> SignDigestAsync(byte[] contentDigest, ISigner signer, bool includeSigningTime = true, CancellationToken cancellationToken = default)
    {
        if (signer is null) throw new ArgumentNullException(nameof(signer));
        var now = Options.Clock.GetUtcNow();
        SigningCertificateCheck.Ensure(signer.Certificate, now);
        return await SignDigestCoreAsync(contentDigest, signer, includeSigningTime, now, cancellationToken).ConfigureAwait(false);
    }

    private async Task<byte[]> SignDigestCoreAsync(byte[] contentDigest, ISigner signer, bool includeSigningTime, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var prepared = CadesSignatureBuilder.Prepare(contentDigest, signer.Certificate, signer.Chain, signer.KeyAlgorithm,
            new CmsSignatureParameters
            {
                Hash = Options.Hash,
                Padding = Options.Padding,
                SigningTime = includeSigningTime ? now : null,
            });
        var value = await signer.SignDigestAsync(prepared.Digest, prepared.Hash, prepared.Padding, cancellationToken).ConfigureAwait(false);
        var cms = prepared.Complete(value);
        if (Options.Level >= SignatureLevel.BaselineT)
            cms = await CadesTimestamping.AddSignatureTimestampAsync(cms, Options.Timestamps, Options.Hash, cancellationToken).ConfigureAwait(false);
        return cms;
    }
}
