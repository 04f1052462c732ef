using System.CommandLine;
using VnGovSign.Cms;
using VnGovSign.IO;

namespace VnGovSign.Cli.Commands;

/// <summary><c>vngovsign sign cms|pdf|xml|ooxml …</c></summary>
internal static class SignCommands
{
    public static Command Create()
    {
        var sign = new Command("sign", "Ký số tài liệu / sign a document");
        sign.Subcommands.Add(Cms());
        sign.Subcommands.Add(PdfSignCommand.Create());
        sign.Subcommands.Add(OoxmlSignCommand.Create());
        sign.Subcommands.Add(XmlSignCommand.Create());
        return sign;
    }

    private static Command Cms()
    {
        var args = new SignArguments();
        var cmd = new Command("cms", "Ký CMS/CAdES tách rời (.p7s) / detached CMS/CAdES signature");
        args.AddTo(cmd);
        CliRunner.SetHandler(cmd, async ctx =>
        {
            var (input, output) = args.Files(ctx);
            var options = args.Options(ctx);
            var signer = await args.Signer.CreateAsync(ctx);
            byte[] cms;
            await using (var fs = File.OpenRead(input))
                cms = await new CadesSigner(options).SignDetachedAsync(fs, signer, includeSigningTime: true, ctx.CancellationToken);
            await AtomicFile.WriteAllBytesAsync(output, cms, ctx.CancellationToken);
            ctx.Out.WriteLine(ctx.Text("Signed", output, signer.Certificate.Subject, SignatureLevels.Name(options.Level)));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
