using System.CommandLine;

namespace VnGovSign.Cli.Commands;

/// <summary>IN OUT SIGNER [--level L] [--tsa URL]: what every <c>sign</c> sub-command takes.</summary>
internal sealed class SignArguments
{
    public Argument<string> Input { get; } = new("input") { Description = "Tệp cần ký / file to sign" };
    public Argument<string> Output { get; } = new("output") { Description = "Tệp kết quả / output file" };
    public SignerOptions Signer { get; } = new();
    public Option<string> Level { get; } = new("--level") { Description = "B-B | B-T | B-LT | B-LTA", DefaultValueFactory = _ => "B-B" };
    public Option<string?> Tsa { get; } = new("--tsa") { Description = "URL máy chủ dấu thời gian (RFC 3161) / timestamp server URL" };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Input);
        command.Arguments.Add(Output);
        Signer.AddTo(command);
        command.Options.Add(Level);
        command.Options.Add(Tsa);
    }

    /// <summary>Checks the input exists and is not the output (signing never changes its input).</summary>
    public (string Input, string Output) Files(CliContext ctx)
    {
        var input = ctx.Get(Input)!;
        var output = ctx.Get(Output)!;
        if (!File.Exists(input)) throw new InvalidInputException(MessageKeys.FileNotReadable, input, "not found");
        if (string.Equals(Path.GetFullPath(input), Path.GetFullPath(output), StringComparison.Ordinal))
            throw new UsageException(ctx.Text("OutputIsInput", output));
        return (input, output);
    }

    /// <summary>The level and options shared by every format.</summary>
    public SignatureOptions Options(CliContext ctx)
    {
        var level = SignatureLevels.Parse(ctx.Get(Level) ?? "B-B");
        var options = new SignatureOptions { Level = level };
        if (level >= SignatureLevel.BaselineT)
        {
            var tsa = ctx.Get(Tsa) ?? throw new UsageException(ctx.Text("TsaMissing"));
            options = options with { Timestamps = CliServices.CreateTimestampClient(tsa) };
        }
        return options;
    }
}
