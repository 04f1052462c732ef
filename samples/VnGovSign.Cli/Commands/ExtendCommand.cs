using System.CommandLine;
using VnGovSign.Formats.Pdf;
using VnGovSign.Formats.Xml;
using VnGovSign.IO;
using VnGovSign.Revocation;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Cli.Commands;

/// <summary>One kind of signed file whose signatures <c>extend</c> can raise to a higher level.</summary>
internal interface IDocumentExtender
{
    /// <summary>True when the file (its first bytes and name) is of this kind.</summary>
    bool CanExtend(string path, ReadOnlySpan<byte> head);

    /// <summary>Writes <paramref name="output"/> (whole or not at all): the input with its signatures raised to <paramref name="level"/>.</summary>
    Task ExtendAsync(string input, string output, SignatureLevel level, SignatureOptions options, CliContext ctx);
}

/// <summary><c>vngovsign extend IN OUT --level B-T|B-LT|B-LTA [--tsa URL] [--trust PEM]...</c>: raises the level of a signed file's signatures.</summary>
internal static class ExtendCommand
{
    /// <summary>The formats <c>extend</c> knows, in order (each format's issue adds one line).</summary>
    internal static readonly List<IDocumentExtender> Extenders = new() { new PdfDocumentExtender(), new XmlDocumentExtender() };

    /// <summary>
    /// Extra anchors along which validation data is collected (XML: the signature carries no root). The built-in
    /// anchors are always used; collecting is not a trust decision, <c>verify</c> makes that.
    /// </summary>
    internal static readonly Option<string[]> Trust = new("--trust")
    {
        Description = "Chứng thư gốc để thu thập dữ liệu kiểm tra (PEM/DER; ngoài bộ gốc tích hợp) / root to collect validation data along (PEM or DER; besides the built-in anchors)",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "Tệp đã ký / signed file" };
        var output = new Argument<string>("output") { Description = "Tệp kết quả / output file" };
        var level = new Option<string>("--level") { Description = "B-T | B-LT | B-LTA", Required = true };
        var tsa = new Option<string?>("--tsa") { Description = "URL máy chủ dấu thời gian (RFC 3161) / timestamp server URL" };
        var cmd = new Command("extend", "Nâng mức chữ ký đã có (B-T: dấu thời gian; B-LT: dữ liệu kiểm tra; B-LTA: dấu thời gian lưu trữ) / raise the level of existing signatures") { input, output, level, tsa, Trust };
        CliRunner.SetHandler(cmd, async ctx =>
        {
            var from = ctx.Get(input)!;
            var to = ctx.Get(output)!;
            if (!File.Exists(from)) throw new InvalidInputException(MessageKeys.FileNotReadable, from, "not found");
            if (string.Equals(Path.GetFullPath(from), Path.GetFullPath(to), StringComparison.Ordinal))
                throw new UsageException(ctx.Text("OutputIsInput", to));
            var target = SignatureLevels.Parse(ctx.Get(level)!);
            var options = new SignatureOptions { Level = target };
            if (target == SignatureLevel.BaselineT || target == SignatureLevel.BaselineLTA)
            {
                var url = ctx.Get(tsa) ?? throw new UsageException(ctx.Text("TsaMissing"));
                options = options with { Timestamps = CliServices.CreateTimestampClient(url) };
            }
            else if (ctx.Get(tsa) is { } url) options = options with { Timestamps = CliServices.CreateTimestampClient(url) };
            var head = new byte[1024];
            int n;
            await using (var fs = File.OpenRead(from)) n = await fs.ReadAsync(head, ctx.CancellationToken);
            var extender = Extenders.FirstOrDefault(e => e.CanExtend(from, head.AsSpan(0, n)))
                           ?? throw new InvalidInputException(CliMessages.Resources, "ExtendUnsupported", null, from);
            await extender.ExtendAsync(from, to, target, options, ctx);
            ctx.Out.WriteLine(ctx.Text("Extended", to, SignatureLevels.Name(target)));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}

/// <summary>PDF: B-LT adds a /DSS revision, B-LTA a /DSS and a document timestamp (<c>/ETSI.RFC3161</c>).</summary>
internal sealed class PdfDocumentExtender : IDocumentExtender
{
    public bool CanExtend(string path, ReadOnlySpan<byte> head) => PdfDocumentVerifier.LooksLikePdf(head);

    public Task ExtendAsync(string input, string output, SignatureLevel level, SignatureOptions options, CliContext ctx) =>
        new PadesExtender(options) { ValidationDataSource = PdfValidationData.Online() }.ExtendAsync(input, output, level, ctx.CancellationToken);
}

/// <summary>
/// XML: the XAdES signatures are raised by <see cref="XadesExtender"/> (only unsigned properties are added, every
/// other byte is kept). Validation data is collected along the built-in anchors plus <c>--trust</c>.
/// </summary>
internal sealed class XmlDocumentExtender : IDocumentExtender
{
    public bool CanExtend(string path, ReadOnlySpan<byte> head) => new XmlDocumentVerifier().CanVerify(path, head);

    public async Task ExtendAsync(string input, string output, SignatureLevel level, SignatureOptions options, CliContext ctx)
    {
        var trust = TrustStore.BuiltIn(TrustWorld.ChuyenDung | TrustWorld.CongCong);
        foreach (var file in ctx.Get(ExtendCommand.Trust) ?? Array.Empty<string>()) trust = trust.WithFile(file);
        var extender = new XadesExtender(options)
        {
            ValidationDataCollector = level >= SignatureLevel.BaselineLT
                ? new ValidationDataCollector(trust, ValidationPolicy.Default with { Revocation = RevocationMode.Online })
                : null,
        };
        try { await extender.ExtendAsync(input, output, level, ctx.CancellationToken); }
        catch (InvalidInputException e) when (e.MessageKey == MessageKeys.NoChain)
        {
            throw new InvalidInputException(CliMessages.Resources, "ExtendNoChain", e, e.GetMessage(ctx.Culture));
        }
    }
}
