using VnGovSign.Validation;

namespace VnGovSign.Cli.Commands;

/// <summary>One kind of signed file that <c>verify</c> understands.</summary>
internal interface IDocumentVerifier
{
    /// <summary>True when the file (its first bytes and name) is of this kind.</summary>
    bool CanVerify(string path, ReadOnlySpan<byte> head);

    /// <summary>Validates every signature of the file.</summary>
    Task<ValidationReport> VerifyAsync(string path, VerifyRequest request, CliContext ctx);
}

/// <summary>What <c>verify</c> parsed from its arguments.</summary>
internal sealed record VerifyRequest(string? DetachedContent, CertificateValidator Validator);

/// <summary>The verifiers <c>verify</c> tries, in order (each format's issue adds its own here).</summary>
internal static class DocumentVerifiers
{
    public static readonly IReadOnlyList<IDocumentVerifier> All = new IDocumentVerifier[]
    {
        new OoxmlDocumentVerifier(),
        new XmlDocumentVerifier(),
        new PdfDocumentVerifier(),
        new CmsDocumentVerifier(),
    };
}
