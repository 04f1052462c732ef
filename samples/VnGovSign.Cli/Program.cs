using System.CommandLine;
using System.Text;
using VnGovSign.Cli;
using VnGovSign.Cli.Commands;

Console.OutputEncoding = new UTF8Encoding(false);

var root = new RootCommand("vngovsign — ký số và kiểm tra chữ ký số theo quy định của Việt Nam / Vietnamese government digital signatures");
root.Options.Add(GlobalOptions.Lang);
root.Options.Add(GlobalOptions.Json);
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(PkiCommands.Create());
root.Subcommands.Add(SignCommands.Create());
root.Subcommands.Add(VerifyCommand.Create());

var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    // The contract says 64 for usage errors (System.CommandLine would say 1, which means "invalid").
    var culture = VnGovSign.Messages.FromLanguage(parse.GetValue(GlobalOptions.Lang));
    foreach (var error in parse.Errors)
        Console.Error.WriteLine(VnGovSign.Messages.Format(CliMessages.Resources, "UsageError", culture, error.Message));
    return ExitCodes.Usage;
}
return await parse.InvokeAsync();
