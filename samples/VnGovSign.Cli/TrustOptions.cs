using System.CommandLine;
using System.Globalization;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Cli;

/// <summary>The trust and policy arguments shared by <c>verify</c> and <c>cert validate</c>.</summary>
internal sealed class TrustOptions
{
    public Option<string[]> Trust { get; } = new("--trust") { Description = "Chứng thư số gốc tin cậy (PEM/DER) / trusted root certificate (PEM or DER)", AllowMultipleArgumentsPerToken = false };
    public Option<string?> At { get; } = new("--at") { Description = "Thời điểm kiểm tra (ISO-8601) / validation time (ISO-8601)" };
    public Option<bool> Offline { get; } = new("--offline") { Description = "Không truy cập mạng / never use the network" };
    public Option<bool> LegacySha1 { get; } = new("--legacy") { Description = "Chấp nhận SHA-1 (cảnh báo) / accept SHA-1 with a warning" };

    public void AddTo(Command command)
    {
        command.Options.Add(Trust);
        command.Options.Add(At);
        command.Options.Add(Offline);
        command.Options.Add(LegacySha1);
    }

    public TrustStore BuildTrustStore(CliContext ctx)
    {
        var store = TrustStore.Empty;
        foreach (var file in ctx.Get(Trust) ?? Array.Empty<string>()) store = store.WithFile(file);
        return store;
    }

    public ValidationPolicy BuildPolicy(CliContext ctx)
    {
        var policy = ctx.Get(LegacySha1) ? ValidationPolicy.Legacy : ValidationPolicy.Default;
        if (ctx.Get(Offline)) policy = policy with { Revocation = RevocationMode.Offline };
        if (ctx.Get(At) is { } at)
        {
            if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                throw new UsageException(ctx.Text("BadTime", at));
            policy = policy with { ValidationTime = t };
        }
        return policy;
    }

    public CertificateValidator BuildValidator(CliContext ctx) => new(BuildTrustStore(ctx), BuildPolicy(ctx));
}
