using System.Security.Cryptography.X509Certificates;
using VnGovSign.Cms;
using VnGovSign.Formats.Pdf.Parsing;
using VnGovSign.Formats.Pdf.Writing;
using VnGovSign.IO;
using VnGovSign.Timestamps;
using VnGovSign.Validation;

namespace VnGovSign.Formats.Pdf;

/// <summary>
/// Raises the level of the signatures already in a PDF, by incremental updates only:
/// B-T and B-LTA add a document timestamp (<c>/ETSI.RFC3161</c>); B-LT adds a /DSS with the certificates,
/// OCSP responses and CRLs needed to validate every signature and timestamp later.
/// </summary>
public sealed class PadesExtender
{
    /// <summary>Creates an extender; <paramref name="options"/> gives the TSA, hash and clock.</summary>
    public PadesExtender(SignatureOptions? options = null) => Options = options ?? new SignatureOptions();

    /// <summary>The options.</summary>
    public SignatureOptions Options { get; }

    /// <summary>Where B-LT gets validation data for a certificate (see <see cref="PadesSigner.ValidationDataSource"/>).</summary>
    public Func<X509Certificate2, IReadOnlyList<X509Certificate2>, CancellationToken, Task<ValidationData>>? ValidationDataSource { get; init; }

    /// <summary>Extends <paramref name="inputPath"/> into <paramref name="outputPath"/> (written whole or not at all).</summary>
    public Task ExtendAsync(string inputPath, string outputPath, SignatureLevel level, CancellationToken cancellationToken = default) =>
        VnGovSign.IO.AtomicFile.WriteAsync(outputPath, async (output, ct) =>
        {
            using var input = new FileStream(inputPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            await ExtendAsync(input, output, level, ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Extends <paramref name="input"/> (seekable, only read) into <paramref name="output"/> (seekable).</summary>
    /// <exception cref="InvalidInputException">Not a PDF, no signatures, or an unsupported level.</exception>
    /// <exception cref="ServiceUnavailableException">The TSA or a revocation service did not answer.</exception>
    public async Task ExtendAsync(Stream input, Stream output, SignatureLevel level, CancellationToken cancellationToken = default)
    {
        if (level == SignatureLevel.BaselineB) throw new InvalidInputException(PdfMessages.Resources, "PdfExtendLevel", null, SignatureLevels.Name(level));
        var file = PdfFile.Open(input, NameOf(input));
        if (PdfSignatureInfo.Find(file).Count == 0) throw new InvalidInputException(PdfMessages.Resources, "PdfNoSignatureToExtend", null, file.Name);
        output.Position = 0;
        output.SetLength(0);
        if (level == SignatureLevel.BaselineT)
        {
            await AddDocumentTimestampAsync(file, output, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (level == SignatureLevel.BaselineLT)
        {
            await AddDssAsync(file, output, cancellationToken).ConfigureAwait(false);
            return;
        }
        var temp = Path.GetTempFileName();
        try
        {
            using var t = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            await AddDssAsync(file, t, cancellationToken).ConfigureAwait(false);
            t.Position = 0;
            var withDss = PdfFile.Open(t, file.Name);
            await AddDocumentTimestampAsync(withDss, output, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static string NameOf(Stream s) => (s as FileStream)?.Name is { } n ? Path.GetFileName(n) : "PDF";

    /// <summary>Appends a document timestamp (<c>/Type /DocTimeStamp /SubFilter /ETSI.RFC3161</c>) over the whole file.</summary>
    internal async Task AddDocumentTimestampAsync(PdfFile file, Stream output, CancellationToken ct)
    {
        var tsa = Options.Timestamps ?? throw new InvalidInputException(MessageKeys.TimestampUrlMissing);
        var spec = new SignatureSpec { DocumentTimestamp = true, ContentsBytes = PadesSigner.TimestampReserve + 2048 };
        var (update, sigNumber) = SignatureRevision.Build(file, spec);
        var revision = await SignatureRevision.WriteAsync(file, update, sigNumber, output, Options.Hash, ct).ConfigureAwait(false);
        var token = await tsa.GetTimestampTokenAsync(revision.Digest, Options.Hash, ct).ConfigureAwait(false);
        await SignatureRevision.PatchContentsAsync(output, revision.ContentsOffset, revision.ContentsHexLength, token, ct).ConfigureAwait(false);
    }

    /// <summary>Appends a /DSS revision holding validation data for every signature and timestamp of the file.</summary>
    internal async Task AddDssAsync(PdfFile file, Stream output, CancellationToken ct)
    {
        var data = new ValidationData();
        var pool = new List<X509Certificate2>();
        var targets = new List<X509Certificate2>();
        foreach (var sig in PdfSignatureInfo.Find(file))
        {
            if (sig.Contents.Length == 0) continue;
            var subjects = new List<(X509Certificate2 Cert, IReadOnlyList<X509Certificate2> Extra)>();
            try
            {
                if (sig.IsDocumentTimestamp)
                {
                    var tst = TimestampToken.Parse(sig.Contents, file.Name);
                    if (tst.TsaCertificate is { } tsaCert) subjects.Add((tsaCert, tst.Certificates));
                }
                else
                {
                    var cms = CmsSignature.Parse(sig.Contents, file.Name);
                    cms.ResolveSigner(Array.Empty<X509Certificate2>());
                    if (cms.SignerCertificate is { } signerCert) subjects.Add((signerCert, cms.Certificates));
                    foreach (var t in cms.SignatureTimestampTokens)
                    {
                        var tst = TimestampToken.Parse(t, file.Name);
                        if (tst.TsaCertificate is { } tsaCert) subjects.Add((tsaCert, tst.Certificates));
                    }
                }
            }
            catch (InvalidInputException) { continue; } // a broken signature gets no validation data
            foreach (var (cert, extra) in subjects)
            {
                foreach (var c in extra) AddCertificate(pool, c);
                AddCertificate(pool, cert);
                targets.Add(cert);
            }
        }
        // Every certificate the file carries helps build every path (a TSA token often holds only the TSA's certificate).
        foreach (var c in pool) AddUnique(data.Certificates, c.RawData);
        if (ValidationDataSource is not null)
        {
            var done = new HashSet<string>(StringComparer.Ordinal);
            foreach (var cert in targets)
            {
                if (!done.Add(cert.Thumbprint)) continue;
                var collected = await ValidationDataSource(cert, pool, ct).ConfigureAwait(false);
                foreach (var c in collected.Certificates) AddUnique(data.Certificates, c);
                foreach (var o in collected.OcspResponses) AddUnique(data.OcspResponses, o);
                foreach (var c in collected.Crls) AddUnique(data.Crls, c);
            }
        }
        var update = DssRevision.Build(file, data);
        var (bytes, _) = update.Build(file.Length);
        file.Stream.Position = 0;
        await CopyAsync(file.Stream, output, file.Length, ct).ConfigureAwait(false);
        await output.WriteAsync(bytes, 0, bytes.Length, ct).ConfigureAwait(false);
        await output.FlushAsync(ct).ConfigureAwait(false);
    }

    private static void AddCertificate(List<X509Certificate2> pool, X509Certificate2 c)
    {
        if (!pool.Any(x => x.RawData.AsSpan().SequenceEqual(c.RawData))) pool.Add(c);
    }

    private static void AddUnique(IList<byte[]> list, byte[] item)
    {
        if (!list.Any(x => x.AsSpan().SequenceEqual(item))) list.Add(item);
    }

    internal static async Task CopyAsync(Stream from, Stream to, long count, CancellationToken ct)
    {
        var buffer = new byte[1 << 16];
        while (count > 0)
        {
            int n = await BlockIo.ReadAsync(from, buffer, 0, (int)Math.Min(buffer.Length, count), ct).ConfigureAwait(false);
            if (n <= 0) throw new EndOfStreamException();
            await BlockIo.WriteAsync(to, buffer, 0, n, ct).ConfigureAwait(false);
            count -= n;
        }
    }
}
