using System.CommandLine;
using VnGovSign.Formats.OpenXml;
using VnGovSign.IO;

namespace VnGovSign.Cli.Commands;

/// <summary><c>vngovsign sign ooxml IN OUT SIGNER [--level L] [--tsa URL]</c>: Office-compatible signature of a .docx/.xlsx/.pptx.</summary>
internal static class OoxmlSignCommand
{
    public static Command Create()
    {
        var args = new SignArguments();
        var purpose = new Option<string?>("--purpose") { Description = "Mục đích ký (Office hiển thị) / purpose for signing (shown by Office)" };
        var cmd = new Command("ooxml", "Ký tài liệu Office (.docx, .xlsx, .pptx) theo cách Microsoft Office ký / sign an Office document the way Office does");
        args.AddTo(cmd);
        cmd.Options.Add(purpose);
        CliRunner.SetHandler(cmd, async ctx =>
        {
            var (input, output) = args.Files(ctx);
            var options = args.Options(ctx);
            var signer = await args.Signer.CreateAsync(ctx);
            var bytes = await File.ReadAllBytesAsync(input, ctx.CancellationToken);
            // B-LT embeds the path's certificates and OCSP/CRL answers, fetched online along the signer's own chain
            // (as for XML: collecting is not a trust decision, verify makes that).
            var signed = await new OoxmlSigner(options)
                {
                    Purpose = ctx.Get(purpose),
                    ValidationDataCollector = options.Level >= SignatureLevel.BaselineLT ? XmlSignCommand.Collector(signer) : null,
                }
                .SignAsync(bytes, signer, Path.GetFileName(input), ctx.CancellationToken);
            await AtomicFile.WriteAllBytesAsync(output, signed, ctx.CancellationToken);
            ctx.Out.WriteLine(ctx.Text("Signed", output, signer.Certificate.Subject, SignatureLevels.Name(options.Level)));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
