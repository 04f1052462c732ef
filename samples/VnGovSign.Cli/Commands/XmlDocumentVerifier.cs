using System.Text;
using VnGovSign.Formats.Xml;
using VnGovSign.Validation;

namespace VnGovSign.Cli.Commands;

/// <summary>XML documents (tax declarations, e-invoices, BHXH filings, XAdES): text that starts with '&lt;' after an optional BOM and whitespace.</summary>
internal sealed class XmlDocumentVerifier : IDocumentVerifier
{
    public bool CanVerify(string path, ReadOnlySpan<byte> head)
    {
        if (head.Length >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
            return true; // UTF-16 with a BOM: only XML among the formats we read
        int i = head.Length >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF ? 3 : 0;
        while (i < head.Length && head[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        if (i >= head.Length || head[i] != (byte)'<') return false;
        return head.Slice(i).StartsWith("<?xml"u8) || string.Equals(Path.GetExtension(path), ".xml", StringComparison.OrdinalIgnoreCase)
               || (i + 1 < head.Length && (char.IsLetter((char)head[i + 1]) || head[i + 1] == (byte)'_'));
    }

    public async Task<ValidationReport> VerifyAsync(string path, VerifyRequest request, CliContext ctx)
    {
        byte[] bytes;
        try { bytes = await File.ReadAllBytesAsync(path, ctx.CancellationToken); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException(MessageKeys.FileNotReadable, e, path, e.Message);
        }
        return await new XmlSignatureValidator(request.Validator).ValidateAsync(bytes, Path.GetFileName(path), ctx.CancellationToken);
    }
}
