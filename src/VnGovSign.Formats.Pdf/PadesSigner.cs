using System.Security.Cryptography.X509Certificates;
using VnGovSign.Cms;
using VnGovSign.Formats.Pdf.Parsing;
using VnGovSign.Formats.Pdf.Writing;
using VnGovSign.IO;
using VnGovSign.Validation;

namespace VnGovSign.Formats.Pdf;

/// <summary>
/// Signs PDF documents as PAdES baseline signatures (<c>/SubFilter /ETSI.CAdES.detached</c>) by
/// incremental update: every earlier byte, and so every earlier signature, stays as it was.
/// B-B and B-T are one revision; B-LT adds a /DSS revision; B-LTA adds a document timestamp after it.
/// </summary>
public sealed class PadesSigner
{
    /// <summary>Bytes reserved in /Contents for a signature timestamp token (TSA certificates included).</summary>
    internal const int TimestampReserve = 12 * 1024;

    /// <summary>Creates a signer; <paramref name="options"/> gives the level, hash, TSA and clock.</summary>
    public PadesSigner(SignatureOptions? options = null) => Options = options ?? new SignatureOptions();

    /// <summary>The options.</summary>
    public SignatureOptions Options { get; }

    /// <summary>
    /// Where B-LT gets certificates, OCSP responses and CRLs for a certificate (with the certificates found
    /// in the signature as helpers). Null: only the certificates the signatures carry go into the DSS.
    /// </summary>
    public Func<X509Certificate2, IReadOnlyList<X509Certificate2>, CancellationToken, Task<ValidationData>>? ValidationDataSource { get; init; }

    /// <summary>Signs <paramref name="inputPath"/> into <paramref name="outputPath"/> (written whole or not at all).</summary>
    /// <exception cref="SigningException">The signer's certificate is expired, not yet valid or not for signing (<see cref="SigningCertificateCheck"/>): no file is created.</exception>
    public async Task SignAsync(string inputPath, string outputPath, ISigner signer, PdfSignatureParameters? parameters = null, CancellationToken cancellationToken = default)
    {
        if (signer is null) throw new ArgumentNullException(nameof(signer));
        EnsureSigningCertificate(signer.Certificate);
        await VnGovSign.IO.AtomicFile.WriteAsync(outputPath, async (output, ct) =>
        {
            using var input = new FileStream(inputPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: false);
            await SignAsync(input, output, signer, parameters, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Signs <paramref name="input"/> (seekable, only read) into <paramref name="output"/> (seekable, written from its start).</summary>
    /// <exception cref="InvalidInputException">The PDF is malformed, encrypted or has no such page or field.</exception>
    /// <exception cref="SigningException">The signer's certificate is expired, not yet valid or not for signing (checked before
    /// <paramref name="output"/> is touched), DocMDP forbids a signature, or the signer returned a wrong value.</exception>
    public async Task SignAsync(Stream input, Stream output, ISigner signer, PdfSignatureParameters? parameters = null, CancellationToken cancellationToken = default)
    {
        if (signer is null) throw new ArgumentNullException(nameof(signer));
        EnsureSigningCertificate(signer.Certificate);
        if (Options.Level <= SignatureLevel.BaselineT)
        {
            await SignOneRevisionAsync(input, output, signer, parameters, cancellationToken).ConfigureAwait(false);
            return;
        }
        // B-LT and B-LTA: the signature revision goes to a temporary file, the extension reads it.
        var temp = Path.GetTempFileName();
        try
        {
            using (var t = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                await SignOneRevisionAsync(input, t, signer, parameters, cancellationToken).ConfigureAwait(false);
                t.Position = 0;
                await new PadesExtender(Options) { ValidationDataSource = ValidationDataSource }
                    .ExtendAsync(t, output, Options.Level, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private async Task SignOneRevisionAsync(Stream input, Stream output, ISigner signer, PdfSignatureParameters? parameters, CancellationToken ct)
    {
        output.Position = 0;
        output.SetLength(0);
        var prepared = await PrepareAsync(input, output, signer.Certificate, signer.Chain, signer.KeyAlgorithm, parameters, ct).ConfigureAwait(false);
        var value = await signer.SignDigestAsync(prepared.Digest, prepared.Hash, prepared.Padding, ct).ConfigureAwait(false);
        await CompleteAsync(output, prepared, value, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Step 1 of the two-phase flow: writes <paramref name="input"/> plus the signature revision (with an empty
    /// /Contents sized for the final CMS) into <paramref name="scratch"/> and returns what the key holder signs.
    /// </summary>
    /// <param name="input">The PDF (seekable; only read).</param>
    /// <param name="scratch">Receives the prepared file (seekable; kept until <see cref="CompleteAsync"/>).</param>
    /// <param name="certificate">The signer's certificate.</param>
    /// <param name="chain">CA certificates to embed (may be empty).</param>
    /// <param name="keyAlgorithm">The signer's key family.</param>
    /// <param name="parameters">Field, reason, certification, appearance.</param>
    /// <param name="cancellationToken">Cancels reading and writing.</param>
    /// <exception cref="SigningException">The certificate is expired or not yet valid at the signing time (/M), or not for
    /// signing (<see cref="SigningCertificateCheck"/>): checked before anything is written to <paramref name="scratch"/>.</exception>
    public async Task<PreparedPdfSignature> PrepareAsync(Stream input, Stream scratch, X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain,
        KeyAlgorithm keyAlgorithm, PdfSignatureParameters? parameters = null, CancellationToken cancellationToken = default)
    {
        if (certificate is null) throw new ArgumentNullException(nameof(certificate));
        var signingTime = Options.Clock.GetUtcNow();
        SigningCertificateCheck.Ensure(certificate, signingTime);
        chain ??= Array.Empty<X509Certificate2>();
        parameters ??= new PdfSignatureParameters();
        var file = PdfFile.Open(input, (input as FileStream)?.Name is { } n ? Path.GetFileName(n) : "PDF");
        // A text anchor (e.g. under "CHỦ TỊCH") becomes a page and a rectangle before anything is written.
        var appearance = Appearance.PdfAnchorResolver.Resolve(file, parameters.Appearance, parameters.FieldName);
        var spec = new SignatureSpec
        {
            ContentsBytes = EstimateCmsSize(certificate, chain, Options.Level),
            FieldName = parameters.FieldName,
            SigningTime = signingTime,
            Reason = parameters.Reason,
            Location = parameters.Location,
            ContactInfo = parameters.ContactInfo,
            SignerName = certificate.GetNameInfo(X509NameType.SimpleName, false),
            Certification = parameters.Certification,
            Appearance = appearance,
            Certificate = certificate,
        };
        var (update, sigNumber) = SignatureRevision.Build(file, spec);
        var revision = await SignatureRevision.WriteAsync(file, update, sigNumber, scratch, Options.Hash, cancellationToken).ConfigureAwait(false);
        // PAdES: no signing-time attribute in the CMS; the time is /M.
        var cms = CadesSignatureBuilder.Prepare(revision.Digest, certificate, chain, keyAlgorithm,
            new CmsSignatureParameters { Hash = Options.Hash, Padding = Options.Padding, SigningTime = null });
        return new PreparedPdfSignature(cms, revision.ContentsOffset, revision.ContentsHexLength, revision.ByteRange, Options.Level);
    }

    /// <summary>
    /// Step 3: builds the CMS around <paramref name="signatureValue"/> (checked against the certificate), adds the
    /// signature timestamp for B-T and above, and writes it into /Contents of <paramref name="scratch"/> in place.
    /// </summary>
    /// <exception cref="SigningException">The value does not verify, or the CMS does not fit.</exception>
    public async Task CompleteAsync(Stream scratch, PreparedPdfSignature prepared, byte[] signatureValue, CancellationToken cancellationToken = default)
    {
        if (prepared is null) throw new ArgumentNullException(nameof(prepared));
        if (scratch.Length < prepared.ContentsOffset + prepared.ContentsHexLength + 2)
            throw new InvalidInputException(PdfMessages.Resources, "PdfPreparedMismatch", null, prepared.ContentsOffset);
        if (scratch.CanRead)
        {
            var head = new byte[2];
            scratch.Position = prepared.ContentsOffset;
            if (scratch.Read(head, 0, 2) != 2 || head[0] != '<' || head[1] != '0')
                throw new InvalidInputException(PdfMessages.Resources, "PdfPreparedMismatch", null, prepared.ContentsOffset);
        }
        var cms = prepared.Cms.Complete(signatureValue);
        if (prepared.Level >= SignatureLevel.BaselineT)
            cms = await CadesTimestamping.AddSignatureTimestampAsync(cms, Options.Timestamps, Options.Hash, cancellationToken).ConfigureAwait(false);
        await SignatureRevision.PatchContentsAsync(scratch, prepared.ContentsOffset, prepared.ContentsHexLength, cms, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The pre-sign check at the options' clock, before any output exists (<see cref="PrepareAsync"/> repeats it at the time it writes).</summary>
    private void EnsureSigningCertificate(X509Certificate2 certificate) => SigningCertificateCheck.Ensure(certificate, Options.Clock.GetUtcNow());

    /// <summary>The CMS size from what it will hold: certificates, the signature value, attributes, and a timestamp token for B-T and above.</summary>
    internal static int EstimateCmsSize(X509Certificate2 certificate, IEnumerable<X509Certificate2> chain, SignatureLevel level)
    {
        int certs = certificate.RawData.Length + chain.Sum(c => c.RawData.Length);
        int value;
        using (var rsa = certificate.GetRSAPublicKey()) value = rsa is null ? 160 : rsa.KeySize / 8;
        int size = certs + value + 2048;
        if (level >= SignatureLevel.BaselineT) size += TimestampReserve;
        return size;
    }
}
