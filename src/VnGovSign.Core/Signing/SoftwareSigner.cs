using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace VnGovSign;

/// <summary>
/// A signer over a software key: a PFX/PKCS#12 file or an <see cref="X509Certificate2"/> that has a
/// private key. Useful for servers, demos and tests; officials' keys normally live on tokens.
/// </summary>
public sealed class SoftwareSigner : ISigner, IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;

    /// <summary>Creates a signer over a certificate that carries its private key.</summary>
    /// <param name="certificate">The signer's certificate with an RSA or ECDSA private key.</param>
    /// <param name="chain">CA certificates to embed, issuer first; may be empty.</param>
    /// <exception cref="InvalidInputException">The certificate has no usable private key.</exception>
    public SoftwareSigner(X509Certificate2 certificate, IEnumerable<X509Certificate2>? chain = null)
    {
        Certificate = certificate ?? throw new ArgumentNullException(nameof(certificate));
        Chain = (chain ?? Array.Empty<X509Certificate2>()).ToArray();
        if (!certificate.HasPrivateKey)
            throw new InvalidInputException(MessageKeys.NoPrivateKey, certificate.Subject);
        _rsa = certificate.GetRSAPrivateKey();
        if (_rsa is null) _ecdsa = certificate.GetECDsaPrivateKey();
        if (_rsa is null && _ecdsa is null)
            throw new InvalidInputException(MessageKeys.UnsupportedKey, certificate.Subject);
        KeyAlgorithm = _rsa is not null ? KeyAlgorithm.Rsa : KeyAlgorithm.Ecdsa;
    }

    /// <summary>
    /// Opens a PFX/PKCS#12 file. The certificate with a private key becomes the signer's; the other
    /// certificates in the file become its chain.
    /// </summary>
    /// <exception cref="InvalidInputException">The file is missing, is not PKCS#12, the password is wrong, or no key is inside.</exception>
    public static SoftwareSigner FromPfx(string path, string? password)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException(MessageKeys.FileNotReadable, e, path, e.Message);
        }
        return FromPfx(bytes, password, path);
    }

    /// <summary>Opens PFX/PKCS#12 bytes; <paramref name="sourceName"/> names them in errors.</summary>
    public static SoftwareSigner FromPfx(byte[] pfx, string? password, string sourceName = "PKCS#12")
    {
        if (pfx is null || pfx.Length == 0) throw new InvalidInputException(MessageKeys.PfxUnreadable, sourceName, "empty");
        var collection = new X509Certificate2Collection();
        try
        {
            collection.Import(pfx, password, KeyStorageFlags);
        }
        catch (CryptographicException e)
        {
            // .NET does not tell a wrong password from a broken file in a stable way; name both.
            throw new InvalidInputException(MessageKeys.PfxUnreadable, e, sourceName, e.Message);
        }
        var leaf = collection.Cast<X509Certificate2>().FirstOrDefault(c => c.HasPrivateKey)
                   ?? throw new InvalidInputException(MessageKeys.NoPrivateKey, sourceName);
        var others = collection.Cast<X509Certificate2>().Where(c => !ReferenceEquals(c, leaf));
        return new SoftwareSigner(leaf, CertificateChains.OrderIssuerFirst(leaf, others));
    }

    /// <inheritdoc />
    public X509Certificate2 Certificate { get; }

    /// <inheritdoc />
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <inheritdoc />
    public KeyAlgorithm KeyAlgorithm { get; }

    /// <inheritdoc />
    public ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, HashAlgorithmName hash, RsaPadding padding,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        byte[] d = digest.ToArray();
        if (_rsa is not null)
        {
            var pad = padding == RsaPadding.Pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
            return new ValueTask<byte[]>(_rsa.SignHash(d, hash, pad));
        }
        // .NET's ECDsa.SignHash returns IEEE P1363 (r||s): the contract's form.
        return new ValueTask<byte[]>(_ecdsa!.SignHash(d));
    }

    // Ephemeral keys never touch the disk where the platform allows it (not on .NET Framework).
#if NETSTANDARD2_0
    private static X509KeyStorageFlags KeyStorageFlags => X509KeyStorageFlags.Exportable;
#else
    private static X509KeyStorageFlags KeyStorageFlags => X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet;
#endif

    /// <summary>Releases the key handles.</summary>
    public void Dispose()
    {
        _rsa?.Dispose();
        _ecdsa?.Dispose();
    }
}

