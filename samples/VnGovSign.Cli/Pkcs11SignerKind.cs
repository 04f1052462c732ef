using System.CommandLine;
using VnGovSign.Pkcs11;

namespace VnGovSign.Cli;

/// <summary><c>--pkcs11 LIB --token LABEL --pin PIN [--key LABEL]</c>: a key on a USB token or an HSM.</summary>
internal sealed class Pkcs11SignerKind : ISignerKind
{
    private readonly SharedSignerOptions _shared;

    public Pkcs11SignerKind(SharedSignerOptions shared) => _shared = shared;

    public Option<string> Module { get; } = new("--pkcs11") { Description = "Thư viện PKCS#11 của token/HSM / the token's or HSM's PKCS#11 module" };
    public Option<string> Token { get; } = new("--token") { Description = "Nhãn (hoặc số sê-ri) của token / token label (or serial number)" };
    public Option<string> Key { get; } = new("--key") { Description = "Nhãn khóa hoặc chứng thư trên token (bỏ trống nếu chỉ có một) / key or certificate label (omit when there is only one)" };

    public IEnumerable<Option> Options => new Option[] { Module, Token, _shared.Pin, Key };

    public async Task<ISigner?> TryCreateAsync(CliContext ctx)
    {
        var module = ctx.Get(Module);
        if (module is null) return null;
        var token = ctx.Get(Token);
        if (string.IsNullOrWhiteSpace(token)) throw new UsageException(ctx.Text("TokenLabelMissing"));
        // Opened once per command: one login, one session; the command disposes it (log out, close).
        return await Pkcs11Signer.OpenAsync(new Pkcs11SignerOptions
        {
            ModulePath = module,
            TokenLabel = token!,
            Pin = ctx.Get(_shared.Pin),
            KeyLabel = ctx.Get(Key),
        }, ctx.CancellationToken).ConfigureAwait(false);
    }
}
