using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using VnGovSign.IO;

namespace VnGovSign.Formats.OpenXml;

/// <summary>
/// Signs Word, Excel and PowerPoint files (.docx, .xlsx, .pptx and their macro/template variants)
/// with a package signature in the form Microsoft Office writes (ECMA-376 Part 2 + XAdES), so Word's
/// "Signatures" pane shows it. Works with any <see cref="ISigner"/>; for signers that answer later
/// (a phone, a browser plug-in) use <see cref="PrepareAsync"/> and <see cref="CompleteAsync"/>.
/// </summary>
public sealed class OoxmlSigner
{
    /// <summary>Creates a signer.</summary>
    /// <param name="options">Level, hash, clock, timestamp authority (B-B and SHA-256 by default).</param>
    public OoxmlSigner(SignatureOptions? options = null) => Options = options ?? new SignatureOptions();

    /// <summary>The options.</summary>
    public SignatureOptions Options { get; }

    /// <summary>
    /// Gathers the certificates and OCSP responses/CRLs that B-LT embeds (XAdES CertificateValues and
    /// RevocationValues). Required for <see cref="SignatureLevel.BaselineLT"/>.
    /// </summary>
    public VnGovSign.Revocation.ValidationDataCollector? ValidationDataCollector { get; init; }

    /// <summary>The "purpose for signing this document" Office shows (SignatureComments); empty by default.</summary>
    public string? Purpose { get; init; }

    /// <summary>Signs the file at <paramref name="inputPath"/> into <paramref name="outputPath"/>, written whole or not at all.</summary>
    /// <exception cref="InvalidInputException">The input is not an OOXML package or is malformed.</exception>
    /// <exception cref="SigningException">The signer's certificate is expired, not yet valid or not for signing (<see cref="SigningCertificateCheck"/>): no file is written.</exception>
    public async Task SignAsync(string inputPath, string outputPath, ISigner signer, CancellationToken cancellationToken = default)
    {
        if (signer is null) throw new ArgumentNullException(nameof(signer));
        SigningCertificateCheck.Ensure(signer.Certificate, Options.Clock.GetUtcNow());
        byte[] input;
        try { input = File.ReadAllBytes(inputPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException(MessageKeys.FileNotReadable, e, inputPath, e.Message);
        }
        var signed = await SignAsync(input, signer, Path.GetFileName(inputPath), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllBytesAsync(outputPath, signed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Signs a package read from <paramref name="input"/> and writes the signed package to <paramref name="output"/>.</summary>
    /// <exception cref="SigningException">The signer's certificate is expired, not yet valid or not for signing (<see cref="SigningCertificateCheck"/>): nothing is written.</exception>
    public async Task SignAsync(Stream input, Stream output, ISigner signer, CancellationToken cancellationToken = default)
    {
        if (signer is null) throw new ArgumentNullException(nameof(signer));
        SigningCertificateCheck.Ensure(signer.Certificate, Options.Clock.GetUtcNow());
        var bytes = await ReadAllAsync(input, cancellationToken).ConfigureAwait(false);
        var signed = await SignAsync(bytes, signer, "package", cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(signed, 0, signed.Length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Signs package bytes and returns the signed package.</summary>
    public async Task<byte[]> SignAsync(byte[] package, ISigner signer, string name = "package", CancellationToken cancellationToken = default)
    {
        if (signer is null) throw new ArgumentNullException(nameof(signer));
        var prepared = Prepare(package, signer.Certificate, signer.Chain, signer.KeyAlgorithm, name);
        var value = await signer.SignDigestAsync(prepared.Digest, prepared.Hash, prepared.Padding, cancellationToken).ConfigureAwait(false);
        return await CompleteCoreAsync(prepared, package, value, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Step 1 of the two-phase flow: decides what is signed, digests it and builds the signature XML.
    /// The returned <see cref="PreparedOoxmlSignature.Digest"/> is what the remote party signs.
    /// </summary>
    /// <param name="input">The package (read to its end; not changed).</param>
    /// <param name="certificate">The signer's certificate.</param>
    /// <param name="chain">CA certificates to embed in KeyInfo (issuer first); may be empty.</param>
    /// <param name="keyAlgorithm">The signer's key family.</param>
    /// <param name="cancellationToken">Cancels reading.</param>
    /// <exception cref="SigningException">The certificate is expired or not yet valid at the signing time written into the
    /// signature, or not for signing (<see cref="SigningCertificateCheck"/>): checked before the package is read.</exception>
    public async Task<PreparedOoxmlSignature> PrepareAsync(Stream input, X509Certificate2 certificate, IReadOnlyList<X509Certificate2>? chain,
        KeyAlgorithm keyAlgorithm, CancellationToken cancellationToken = default)
    {
        if (certificate is null) throw new ArgumentNullException(nameof(certificate));
        SigningCertificateCheck.Ensure(certificate, Options.Clock.GetUtcNow());
        var bytes = await ReadAllAsync(input, cancellationToken).ConfigureAwait(false);
        return Prepare(bytes, certificate, chain ?? Array.Empty<X509Certificate2>(), keyAlgorithm, "package");
    }

    /// <summary>
    /// Step 2: checks <paramref name="signatureValue"/> (r‖s for ECDSA, as <see cref="ISigner"/> returns it)
    /// against the certificate, adds the timestamp for B-T, and writes the signed package to <paramref name="output"/>.
    /// <paramref name="input"/> must be the same package as in step 1.
    /// </summary>
    /// <exception cref="SigningException">The value does not verify with the certificate.</exception>
    /// <exception cref="InvalidInputException">The input is not the prepared package.</exception>
    public async Task CompleteAsync(PreparedOoxmlSignature prepared, Stream input, Stream output, byte[] signatureValue,
        CancellationToken cancellationToken = default)
    {
        var bytes = await ReadAllAsync(input, cancellationToken).ConfigureAwait(false);
        var signed = await CompleteCoreAsync(prepared, bytes, signatureValue, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(signed, 0, signed.Length, cancellationToken).ConfigureAwait(false);
    }

    private PreparedOoxmlSignature Prepare(byte[] input, X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain, KeyAlgorithm key, string name)
    {
        if (certificate is null) throw new ArgumentNullException(nameof(certificate));
        var now = Options.Clock.GetUtcNow();
        SigningCertificateCheck.Ensure(certificate, now);
        if (key == KeyAlgorithm.Rsa && Options.Padding == RsaPadding.Pss)
            throw new InvalidInputException(OoxmlMessages.Resources, "PssNotSupported", null);
        if (Options.Level > SignatureLevel.BaselineLT)
            throw new InvalidInputException(OoxmlMessages.Resources, "LevelNotSupported", null, SignatureLevels.Name(Options.Level));
        if (Options.Level >= SignatureLevel.BaselineT && Options.Timestamps is null)
            throw new InvalidInputException(MessageKeys.TimestampUrlMissing);
        if (Options.Level >= SignatureLevel.BaselineLT && ValidationDataCollector is null)
            throw new InvalidInputException(OoxmlMessages.Resources, "CollectorMissing", null);
        using var ms = new MemoryStream(input, writable: false);
        using var package = OpcPackage.Open(ms, name);
        var manifest = PackageManifest.Compute(package, Options.Hash);
        if (!manifest.Any(e => e.RelationshipIds is null))
            throw new InvalidInputException(OoxmlMessages.Resources, "NothingToSign", null, name);
        var partName = PackageWriter.NextSignaturePartName(package);
        var doc = SignatureDocument.Build(manifest, Options.Hash, key, certificate, chain, now, Purpose);
        return new PreparedOoxmlSignature(Options.Hash, key, partName, SignatureDocument.Serialize(doc), certificate.RawData,
            Digests.Sha256(input));
    }

    private async Task<byte[]> CompleteCoreAsync(PreparedOoxmlSignature prepared, byte[] input, byte[] signatureValue, CancellationToken cancellationToken)
    {
        if (prepared is null) throw new ArgumentNullException(nameof(prepared));
        if (!Digests.Sha256(input).AsSpan().SequenceEqual(prepared.InputSha256))
            throw new InvalidInputException(OoxmlMessages.Resources, "PreparedInputChanged", null);
        using (var cert = new X509Certificate2(prepared.SignerCertificate))
        {
            if (signatureValue is null || signatureValue.Length == 0
                || !SignatureValues.VerifyDigest(cert, prepared.Hash, prepared.Digest.ToArray(), signatureValue))
                throw new SigningException(MessageKeys.SignatureValueInvalid, null);
        }
        var doc = SafeXml.Load(prepared.SignatureXml);
        var ns = SignatureDocument.NamespaceManager(doc);
        var valueEl = (XmlElement)doc.SelectSingleNode("/ds:Signature/ds:SignatureValue", ns)!;
        valueEl.InnerText = Convert.ToBase64String(signatureValue);
        byte[]? token = null;
        if (Options.Level >= SignatureLevel.BaselineT)
            token = await XadesTimestamp.AddSignatureTimestampAsync(doc, Options.Timestamps!, Options.Hash, cancellationToken).ConfigureAwait(false);
        if (Options.Level >= SignatureLevel.BaselineLT)
        {
            using var signerCert = new X509Certificate2(prepared.SignerCertificate);
            var chain = ReadKeyInfoChain(doc);
            await XadesTimestamp.AddValidationDataAsync(doc, ValidationDataCollector!, signerCert, chain, token, cancellationToken).ConfigureAwait(false);
        }
        var signatureXml = SignatureDocument.Serialize(doc);

        using var ms = new MemoryStream(input, writable: false);
        using var package = OpcPackage.Open(ms, "package");
        using var output = new MemoryStream(input.Length + signatureXml.Length + 4096);
        PackageWriter.Write(package, output, prepared.SignaturePartName, signatureXml, input);
        return output.ToArray();
    }

    private static List<X509Certificate2> ReadKeyInfoChain(XmlDocument doc)
    {
        var ns = SignatureDocument.NamespaceManager(doc);
        return doc.SelectNodes("/ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509Certificate", ns)!.OfType<XmlElement>()
            .Select(e => new X509Certificate2(Convert.FromBase64String(e.InnerText))).ToList();
    }

    private static async Task<byte[]> ReadAllAsync(Stream input, CancellationToken cancellationToken)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        using var ms = new MemoryStream();
        await input.CopyToAsync(ms, 81920, cancellationToken).ConfigureAwait(false);
        return ms.ToArray();
    }
}

/// <summary>Signature checks with the BCL's public keys, over digests and data.</summary>
internal static class SignatureValues
{
    public static bool VerifyDigest(X509Certificate2 certificate, HashAlgorithmName hash, byte[] digest, byte[] value)
    {
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null) return rsa.VerifyHash(digest, value, hash, RSASignaturePadding.Pkcs1);
        using var ec = certificate.GetECDsaPublicKey();
        return ec is not null && ec.VerifyHash(digest, value);
    }
}
