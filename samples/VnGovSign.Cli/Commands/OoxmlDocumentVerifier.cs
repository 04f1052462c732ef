using VnGovSign.Formats.OpenXml;
using VnGovSign.Validation;

namespace VnGovSign.Cli.Commands;

/// <summary>Office Open XML packages (.docx, .xlsx, .pptx and their macro/template variants): zip files that start with "PK".</summary>
internal sealed class OoxmlDocumentVerifier : IDocumentVerifier
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".docx", ".docm", ".dotx", ".dotm", ".xlsx", ".xlsm", ".xltx", ".xltm", ".pptx", ".pptm", ".potx", ".potm", ".ppsx", ".ppsm",
    };

    public bool CanVerify(string path, ReadOnlySpan<byte> head) =>
        head.Length >= 2 && head[0] == (byte)'P' && head[1] == (byte)'K'
        && (Extensions.Contains(Path.GetExtension(path)) || head.IndexOf("[Content_Types].xml"u8) >= 0);

    public async Task<ValidationReport> VerifyAsync(string path, VerifyRequest request, CliContext ctx)
    {
        var report = await new OoxmlValidator(request.Validator).ValidateAsync(path, ctx.CancellationToken);
        return report;
    }
}
