using System.CommandLine;

namespace VnGovSign.Cli;

/// <summary>
/// SIGNER := --pfx FILE --password PW | --pkcs11 LIB --token LABEL --pin PIN [--key LABEL]
///         | --csc URL --credential ID --pin PIN [--client-id ID --client-secret S]
///         | --remote-async URL --user-id ID [--timeout SECONDS]
/// Every sign command takes these; each kind of signer adds its branch in <see cref="CreateAsync"/>.
/// </summary>
internal sealed class SignerOptions
{
    public Option<string> Pfx { get; } = new("--pfx") { Description = "Tệp PKCS#12 (.pfx/.p12) chứa khóa ký / PKCS#12 file with the signing key" };
    public Option<string> Password { get; } = new("--password") { Description = "Mật khẩu tệp PKCS#12 / PKCS#12 password" };

    public void AddTo(Command command)
    {
        command.Options.Add(Pfx);
        command.Options.Add(Password);
    }

    /// <summary>Builds the signer the arguments name; exactly one kind must be given.</summary>
    public Task<ISigner> CreateAsync(CliContext ctx)
    {
        var pfx = ctx.Get(Pfx);
        if (pfx is not null)
        {
            if (!File.Exists(pfx)) throw new InvalidInputException(MessageKeys.FileNotReadable, pfx, "not found");
            return Task.FromResult<ISigner>(SoftwareSigner.FromPfx(pfx, ctx.Get(Password)));
        }
        throw new UsageException(ctx.Text("SignerMissing"));
    }
}
