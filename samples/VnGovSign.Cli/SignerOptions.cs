using System.CommandLine;

namespace VnGovSign.Cli;

/// <summary>
/// SIGNER := --pfx FILE --password PW | --pkcs11 LIB --token LABEL --pin PIN [--key LABEL]
///         | --csc URL --credential ID --pin PIN [--client-id ID --client-secret S]
///         | --remote-async URL --user-id ID [--timeout SECONDS]
/// Every sign command takes these. Each kind of signer is one <see cref="ISignerKind"/> listed in
/// <see cref="Kinds"/>; the first kind whose main option is present builds the signer.
/// </summary>
internal sealed class SignerOptions
{
    /// <summary>The kinds of signer the tool knows (one line per kind; order = precedence).</summary>
    internal static readonly List<Func<SharedSignerOptions, ISignerKind>> Kinds = new()
    {
        _ => new PfxSignerKind(),
        shared => new Pkcs11SignerKind(shared),
        shared => new CscSignerKind(shared),
        _ => new RemoteAsyncSignerKind(),
    };

    private readonly List<ISignerKind> _kinds;

    public SignerOptions() => _kinds = Kinds.Select(k => k(Shared)).ToList();

    /// <summary>Options more than one kind reads (one instance per command).</summary>
    public SharedSignerOptions Shared { get; } = new();

    public void AddTo(Command command)
    {
        var added = new HashSet<Option>();
        foreach (var kind in _kinds)
            foreach (var option in kind.Options)
                if (added.Add(option)) command.Options.Add(option); // shared options (e.g. --pin) once
    }

    /// <summary>Builds the signer the arguments name; exactly one kind must be given.</summary>
    public async Task<ISigner> CreateAsync(CliContext ctx)
    {
        foreach (var kind in _kinds)
        {
            var signer = await kind.TryCreateAsync(ctx).ConfigureAwait(false);
            if (signer is not null) return ctx.DisposeAtEnd(signer);
        }
        throw new UsageException(ctx.Text("SignerMissing"));
    }
}

/// <summary>Options several signer kinds share; a kind lists the ones it uses in its <see cref="ISignerKind.Options"/>.</summary>
internal sealed class SharedSignerOptions
{
    /// <summary><c>--pin</c>: the token or remote credential PIN (never retried on failure).</summary>
    public Option<string> Pin { get; } = new("--pin") { Description = "Mã PIN (không bao giờ tự thử lại) / PIN (never retried)" };
}

/// <summary>One way of naming a signer on the command line.</summary>
internal interface ISignerKind
{
    /// <summary>The options this kind adds to every sign command.</summary>
    IEnumerable<Option> Options { get; }

    /// <summary>The signer, when this kind's main option was given; otherwise null.
    /// A signer that holds a session (token, remote) may implement IDisposable/IAsyncDisposable;
    /// the tool disposes it when the command ends.</summary>
    Task<ISigner?> TryCreateAsync(CliContext ctx);
}

/// <summary><c>--pfx FILE --password PW</c>: a software key in a PKCS#12 file.</summary>
internal sealed class PfxSignerKind : ISignerKind
{
    public Option<string> Pfx { get; } = new("--pfx") { Description = "Tệp PKCS#12 (.pfx/.p12) chứa khóa ký / PKCS#12 file with the signing key" };
    public Option<string> Password { get; } = new("--password") { Description = "Mật khẩu tệp PKCS#12 / PKCS#12 password" };

    public IEnumerable<Option> Options => new Option[] { Pfx, Password };

    public Task<ISigner?> TryCreateAsync(CliContext ctx)
    {
        var pfx = ctx.Get(Pfx);
        if (pfx is null) return Task.FromResult<ISigner?>(null);
        if (!File.Exists(pfx)) throw new InvalidInputException(MessageKeys.FileNotReadable, pfx, "not found");
        return Task.FromResult<ISigner?>(SoftwareSigner.FromPfx(pfx, ctx.Get(Password)));
    }
}
