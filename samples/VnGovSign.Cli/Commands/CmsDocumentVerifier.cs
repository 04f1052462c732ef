using VnGovSign.Cms;
using VnGovSign.Validation;

namespace VnGovSign.Cli.Commands;

/// <summary>Detached or attached CMS/CAdES (.p7s, .p7m, .cms): DER or PEM.</summary>
internal sealed class CmsDocumentVerifier : IDocumentVerifier
{
    public bool CanVerify(string path, ReadOnlySpan<byte> head)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        return ext is ".p7s" or ".p7m" or ".p7b" or ".cms" || (head.Length > 0 && head[0] == 0x30);
    }

    public async Task<ValidationReport> VerifyAsync(string path, VerifyRequest request, CliContext ctx)
    {
        var bytes = await File.ReadAllBytesAsync(path, ctx.CancellationToken);
        var pem = Trust.CertificateFiles.PemBlocks(bytes, "PKCS7");
        if (pem.Count == 0) pem = Trust.CertificateFiles.PemBlocks(bytes, "CMS");
        if (pem.Count > 0) bytes = pem[0];
        var cms = CmsSignature.Parse(bytes, path); // malformed → InvalidInputException → exit 65
        var validator = new CadesValidator(request.Validator);
        byte[] digest;
        if (request.DetachedContent is { } content)
        {
            await using var fs = File.OpenRead(content);
            digest = await Digests.ComputeAsync(cms.DigestAlgorithm, fs, ctx.CancellationToken);
        }
        else if (cms.EncapsulatedContent is { } inner) digest = Digests.Compute(cms.DigestAlgorithm, inner);
        else throw new UsageException(ctx.Text("ContentMissing", path));
        var report = await validator.ValidateAsync(cms, digest, ctx.CancellationToken);
        return new ValidationReport(Path.GetFileName(path), new[] { report });
    }
}
