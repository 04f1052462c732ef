using VnGovSign.Formats.Pdf;
using VnGovSign.Validation;

namespace VnGovSign.Cli.Commands;

/// <summary>PDF files (a <c>%PDF-</c> header in the first kilobyte): every signature and document timestamp (PAdES).</summary>
internal sealed class PdfDocumentVerifier : IDocumentVerifier
{
    /// <summary>True when <paramref name="head"/> holds a <c>%PDF-</c> header.</summary>
    internal static bool LooksLikePdf(ReadOnlySpan<byte> head) => head.IndexOf("%PDF-"u8) >= 0;

    public bool CanVerify(string path, ReadOnlySpan<byte> head) => LooksLikePdf(head);

    public Task<ValidationReport> VerifyAsync(string path, VerifyRequest request, CliContext ctx) =>
        new PadesValidator(request.Validator).ValidateAsync(path, ctx.CancellationToken);
}
