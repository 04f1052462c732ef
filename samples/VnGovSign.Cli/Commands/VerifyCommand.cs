using System.CommandLine;
using VnGovSign.Validation;

namespace VnGovSign.Cli.Commands;

/// <summary><c>vngovsign verify FILE [--content DETACHED] [--trust PEM]... [--json]</c></summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "Tệp đã ký / signed file" };
        var content = new Option<string?>("--content") { Description = "Nội dung tách rời (cho .p7s) / detached content (for .p7s)" };
        var trust = new TrustOptions();
        var cmd = new Command("verify", "Kiểm tra chữ ký số / verify signatures") { file, content };
        trust.AddTo(cmd);
        CliRunner.SetHandler(cmd, async ctx =>
        {
            var path = ctx.Get(file)!;
            var report = await VerifyAsync(path, ctx.Get(content), trust.BuildValidator(ctx), ctx);
            Print(report, ctx);
            return ExitCodes.For(report.Indication);
        });
        return cmd;
    }

    public static async Task<ValidationReport> VerifyAsync(string path, string? content, CertificateValidator validator, CliContext ctx)
    {
        if (!File.Exists(path)) throw new InvalidInputException(MessageKeys.FileNotReadable, path, "not found");
        if (content is not null && !File.Exists(content)) throw new InvalidInputException(MessageKeys.FileNotReadable, content, "not found");
        var head = new byte[1024];
        int n;
        await using (var fs = File.OpenRead(path)) n = await fs.ReadAsync(head, ctx.CancellationToken);
        var verifier = DocumentVerifiers.All.FirstOrDefault(v => v.CanVerify(path, head.AsSpan(0, n)))
                       ?? throw new InvalidInputException(CliMessages.Resources, "UnsupportedFile", null, path);
        return await verifier.VerifyAsync(path, new VerifyRequest(content, validator), ctx);
    }

    public static void Print(ValidationReport report, CliContext ctx)
    {
        if (ctx.Json) ctx.Out.WriteLine(report.ToJson(ctx.Culture));
        else ctx.Out.Write(report.ToText(ctx.Culture));
    }
}
