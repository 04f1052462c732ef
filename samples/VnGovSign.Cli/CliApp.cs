using System.CommandLine;
using VnGovSign.Cli.Commands;

namespace VnGovSign.Cli;

/// <summary>The vngovsign command tree; <see cref="RunAsync"/> is what Main calls (tests call it in-process).</summary>
public static class CliApp
{
    /// <summary>Builds the command tree (each area adds its command here).</summary>
    internal static RootCommand CreateRoot()
    {
        var root = new RootCommand("vngovsign — ký số và kiểm tra chữ ký số theo quy định của Việt Nam / Vietnamese government digital signatures");
        root.Options.Add(GlobalOptions.Lang);
        root.Options.Add(GlobalOptions.Json);
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(PkiCommands.Create());
        root.Subcommands.Add(SignCommands.Create());
        root.Subcommands.Add(ExtendCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(CertCommands.Create());
        root.Subcommands.Add(TokenCommands.Create());
        return root;
    }

    /// <summary>The writers of the current run (in-process tests run several at once).</summary>
    internal static readonly AsyncLocal<(TextWriter Out, TextWriter Error)?> Writers = new();

    /// <summary>Runs the tool with <paramref name="args"/>, writing to the given writers; returns the contract exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        var parse = CreateRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            // The contract says 64 for usage errors (System.CommandLine would say 1, which means "invalid").
            var culture = Messages.FromLanguage(parse.GetValue(GlobalOptions.Lang));
            foreach (var e in parse.Errors)
                error.WriteLine(Messages.Format(CliMessages.Resources, "UsageError", culture, e.Message));
            return ExitCodes.Usage;
        }
        var config = new InvocationConfiguration { Output = output, Error = error };
        Writers.Value = (output, error);
        try
        {
            return await parse.InvokeAsync(config, cancellationToken);
        }
        catch (Exception e)
        {
            // Last line of defence: one line, never a stack trace.
            error.WriteLine("Lỗi nội bộ / internal error: " + e.GetType().Name + ": " + e.Message);
            return ExitCodes.Internal;
        }
    }
}
