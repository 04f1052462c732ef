using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;

namespace VnGovSign.Remote.Csc;

/// <summary>How a <see cref="CscSigner"/> authorises its credential.</summary>
public sealed record CscSignerOptions
{
    /// <summary>The credential's PIN, when the service asks for one.</summary>
    public string? Pin { get; init; }

    /// <summary>
    /// Gives the OTP when the service asks for one (after <c>credentials/sendOTP</c> for online OTPs):
    /// e.g. a prompt to the user. Without it an OTP-protected credential cannot be used.
    /// </summary>
    public Func<CancellationToken, Task<string>>? OtpProvider { get; init; }

    /// <summary>Status updates (authorising, signed) for a user interface.</summary>
    public IProgress<RemoteSigningStatus>? Progress { get; init; }
}

/// <summary>
/// An <see cref="ISigner"/> over a credential of a Cloud Signature Consortium API service (v1 or v2),
/// such as Viettel MySign: every signing call authorises the credential (<c>credentials/authorize</c>,
/// with the PIN/OTP and, for SCAL 2, the hashes) and then signs the hashes (<c>signatures/signHash</c>).
/// A batch is signed under one authorisation (<see cref="SignDigestsAsync"/>).
/// </summary>
public sealed class CscSigner : IBatchSigner, IDisposable
{
    internal const string RsaEncryption = "1.2.840.113549.1.1.1";
    internal const string RsaPss = "1.2.840.113549.1.1.10";
    internal const string EcPublicKey = "1.2.840.10045.2.1";

    private readonly CscClient _client;
    private readonly bool _ownsClient;
    private readonly CscSignerOptions _options;
    private readonly TimeProvider _clock;

    private CscSigner(CscClient client, bool ownsClient, CscCredentialInfo info, CscSignerOptions options, TimeProvider clock)
    {
        _client = client; _ownsClient = ownsClient; _options = options; _clock = clock;
        CredentialInfo = info;
        using var rsa = info.Certificate.GetRSAPublicKey();
        if (rsa is not null) KeyAlgorithm = KeyAlgorithm.Rsa;
        else
        {
            using var ec = info.Certificate.GetECDsaPublicKey();
            if (ec is null) throw new InvalidInputException(MessageKeys.UnsupportedKey, info.Certificate.Subject);
            KeyAlgorithm = KeyAlgorithm.Ecdsa;
            FieldSize = (ec.KeySize + 7) / 8;
        }
    }

    /// <summary>Reads the credential (<c>credentials/info</c>) and returns a signer over it, using <paramref name="client"/> (not disposed with the signer).</summary>
    public static async Task<CscSigner> CreateAsync(CscClient client, string credentialId, CscSignerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        if (client is null) throw new ArgumentNullException(nameof(client));
        var info = await client.GetCredentialInfoAsync(credentialId, cancellationToken).ConfigureAwait(false);
        return new CscSigner(client, false, info, options ?? new CscSignerOptions(), TimeProvider.System);
    }

    /// <summary>Connects to the service, reads the credential and returns a signer that owns its client.</summary>
    public static async Task<CscSigner> ConnectAsync(CscClientOptions clientOptions, string credentialId, CscSignerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var client = new CscClient(clientOptions);
        try
        {
            var info = await client.GetCredentialInfoAsync(credentialId, cancellationToken).ConfigureAwait(false);
            return new CscSigner(client, true, info, options ?? new CscSignerOptions(), clientOptions.Clock);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>What the service said about the credential.</summary>
    public CscCredentialInfo CredentialInfo { get; }

    /// <summary>The client in use.</summary>
    public CscClient Client => _client;

    /// <inheritdoc />
    public X509Certificate2 Certificate => CredentialInfo.Certificate;

    /// <inheritdoc />
    public IReadOnlyList<X509Certificate2> Chain => CredentialInfo.Chain;

    /// <inheritdoc />
    public KeyAlgorithm KeyAlgorithm { get; }

    private int FieldSize { get; }

    /// <summary>Authorisations made so far (one per batch chunk): a batch of N documents should add one.</summary>
    public int AuthorizationCount => _authorizations;
    private int _authorizations;

    /// <inheritdoc />
    public async ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, HashAlgorithmName hash, RsaPadding padding,
        CancellationToken cancellationToken = default)
    {
        var values = await SignDigestsAsync(new[] { digest }, hash, padding, cancellationToken).ConfigureAwait(false);
        return values[0];
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<byte[]>> SignDigestsAsync(IReadOnlyList<ReadOnlyMemory<byte>> digests, HashAlgorithmName hash, RsaPadding padding,
        CancellationToken cancellationToken = default)
    {
        if (digests is null) throw new ArgumentNullException(nameof(digests));
        int length = Digests.Length(hash);
        foreach (var d in digests)
            if (d.Length != length) throw new InvalidInputException(MessageKeys.DigestLengthMismatch, d.Length, hash.Name);
        if (digests.Count == 0) return Array.Empty<byte[]>();
        var (signAlgo, parameters) = SignAlgorithm(hash, padding);

        var info = CredentialInfo;
        if (info.PinRequired && _options.Pin is null)
            throw new InvalidInputException(RemoteMessages.Resources, RemoteMessages.PinRequired, null, info.CredentialId);
        if (info.OtpRequired && _options.OtpProvider is null)
            throw new InvalidInputException(RemoteMessages.Resources, RemoteMessages.OtpRequired, null, info.CredentialId);

        var started = _clock.GetTimestamp();
        var results = new List<byte[]>(digests.Count);
        // multisign bounds how many signatures one SAD allows: larger batches take several authorisations.
        int chunkSize = Math.Max(1, info.MultiSign);
        for (int offset = 0; offset < digests.Count; offset += chunkSize)
        {
            var chunk = digests.Skip(offset).Take(chunkSize).ToList();
            _options.Progress?.Report(new RemoteSigningStatus(RemoteSigningState.Authorizing, info.CredentialId, _clock.GetElapsedTime(started)));
            string? otp = null;
            if (info.OtpRequired)
            {
                if (!string.Equals(info.OtpType, "offline", StringComparison.OrdinalIgnoreCase))
                    await _client.SendOtpAsync(info.CredentialId, cancellationToken).ConfigureAwait(false);
                otp = await _options.OtpProvider!(cancellationToken).ConfigureAwait(false);
            }
            var sad = await _client.AuthorizeAsync(info.CredentialId, chunk.Count, chunk, hash, _options.Pin, otp, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _authorizations);
            var values = await _client.SignHashAsync(info.CredentialId, sad.Sad, chunk, hash, signAlgo, parameters, cancellationToken).ConfigureAwait(false);
            foreach (var v in values) results.Add(KeyAlgorithm == KeyAlgorithm.Ecdsa ? ToP1363(v) : v);
        }
        _options.Progress?.Report(new RemoteSigningStatus(RemoteSigningState.Signed, info.CredentialId, _clock.GetElapsedTime(started)));
        return results;
    }

    /// <summary>
    /// The CSC <c>signAlgo</c> (and <c>signAlgoParams</c>) for a hash and padding: rsaEncryption with the
    /// hash in <c>hashAlgo</c> for PKCS#1 v1.5 (or sha*WithRSAEncryption when only that is offered),
    /// RSASSA-PSS with its parameters, ecdsa-with-SHA*.
    /// </summary>
    internal (string SignAlgo, byte[]? Parameters) SignAlgorithm(HashAlgorithmName hash, RsaPadding padding)
    {
        var offered = CredentialInfo.KeyAlgorithms;
        bool Offers(string oid) => offered.Count == 0 || offered.Contains(oid);
        if (KeyAlgorithm == KeyAlgorithm.Ecdsa)
        {
            string oid = hash.Name switch
            {
                "SHA256" => "1.2.840.10045.4.3.2", "SHA384" => "1.2.840.10045.4.3.3", "SHA512" => "1.2.840.10045.4.3.4", "SHA1" => "1.2.840.10045.4.1",
                _ => throw new InvalidInputException(MessageKeys.UnsupportedAlgorithm, hash.Name),
            };
            if (Offers(oid) || Offers(EcPublicKey)) return (oid, null);
            throw new SigningException(RemoteMessages.Resources, RemoteMessages.AlgorithmNotOffered, null, CredentialInfo.CredentialId, oid);
        }
        if (padding == RsaPadding.Pss)
        {
            if (!Offers(RsaPss)) throw new SigningException(RemoteMessages.Resources, RemoteMessages.AlgorithmNotOffered, null, CredentialInfo.CredentialId, RsaPss);
            var hashId = new AlgorithmIdentifier(new DerObjectIdentifier(Digests.Oid(hash)), DerNull.Instance);
            var pss = new RsassaPssParameters(hashId, new AlgorithmIdentifier(PkcsObjectIdentifiers.IdMgf1, hashId),
                DerInteger.ValueOf(Digests.Length(hash)), DerInteger.ValueOf(1));
            return (RsaPss, pss.GetDerEncoded());
        }
        if (Offers(RsaEncryption)) return (RsaEncryption, null);
        string combined = hash.Name switch
        {
            "SHA256" => "1.2.840.113549.1.1.11", "SHA384" => "1.2.840.113549.1.1.12", "SHA512" => "1.2.840.113549.1.1.13", "SHA1" => "1.2.840.113549.1.1.5",
            _ => throw new InvalidInputException(MessageKeys.UnsupportedAlgorithm, hash.Name),
        };
        if (Offers(combined)) return (combined, null);
        throw new SigningException(RemoteMessages.Resources, RemoteMessages.AlgorithmNotOffered, null, CredentialInfo.CredentialId, RsaEncryption);
    }

    // CSC services return ECDSA values DER-encoded (as X.509 carries them); the ISigner contract is r||s.
    private byte[] ToP1363(byte[] value) =>
        value.Length == 2 * FieldSize ? value : EcdsaSignatureFormat.ToP1363(value, FieldSize);

    /// <summary>Releases the client when the signer created it.</summary>
    public void Dispose()
    {
        if (_ownsClient) _client.Dispose();
    }
}
