using System.CommandLine;
using System.Globalization;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Cli;

/// <summary>The trust and policy arguments shared by <c>verify</c> and <c>cert validate</c>.</summary>
internal sealed class TrustOptions
{
    public Option<string[]> Trust { get; } = new("--trust") { Description = "Chứng thư số gốc tin cậy (PEM/DER) / trusted root certificate (PEM or DER)", AllowMultipleArgumentsPerToken = false };
    public Option<string?> TrustBuiltin { get; } = new("--trust-builtin") { Description = "Bộ CA gốc tích hợp / built-in anchors: vgca | public | all" };
    public Option<string[]> Crl { get; } = new("--crl") { Description = "CRL cung cấp sẵn (PEM/DER) / supplied CRL (PEM or DER)", AllowMultipleArgumentsPerToken = false };
    public Option<string?> At { get; } = new("--at") { Description = "Thời điểm kiểm tra (ISO-8601) / validation time (ISO-8601)" };
    public Option<bool> Offline { get; } = new("--offline") { Description = "Không truy cập mạng / never use the network" };
    public Option<bool> LegacySha1 { get; } = new("--legacy") { Description = "Chấp nhận SHA-1 (cảnh báo) / accept SHA-1 with a warning" };
    public Option<bool> HardFail { get; } = new("--hard-fail") { Description = "Không kết nối được OCSP/CRL thì kết quả là CHƯA XÁC ĐỊNH (mặc định: chỉ cảnh báo) / unreachable OCSP/CRL gives INDETERMINATE (default: a warning only)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Trust);
        command.Options.Add(TrustBuiltin);
        command.Options.Add(Crl);
        command.Options.Add(At);
        command.Options.Add(Offline);
        command.Options.Add(LegacySha1);
        command.Options.Add(HardFail);
    }

    public TrustStore BuildTrustStore(CliContext ctx)
    {
        var store = TrustStore.Empty;
        if (ctx.Get(TrustBuiltin) is { } builtin)
        {
            try { store = store.With(TrustStore.BuiltIn(builtin)); }
            catch (ArgumentException) { throw new UsageException(ctx.Text("BadTrustBuiltin", builtin)); }
        }
        foreach (var file in ctx.Get(Trust) ?? Array.Empty<string>()) store = store.WithFile(file);
        return store;
    }

    public ValidationPolicy BuildPolicy(CliContext ctx)
    {
        var policy = ctx.Get(LegacySha1) ? ValidationPolicy.Legacy : ValidationPolicy.Default;
        if (ctx.Get(Offline)) policy = policy with { Revocation = RevocationMode.Offline };
        if (ctx.Get(HardFail)) policy = policy with { SoftFail = false };
        if (ctx.Get(At) is { } at)
        {
            if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                throw new UsageException(ctx.Text("BadTime", at));
            policy = policy with { ValidationTime = t };
        }
        var crls = ctx.Get(Crl) ?? Array.Empty<string>();
        if (crls.Length > 0)
        {
            var data = new ValidationData();
            foreach (var file in crls) foreach (var der in LoadCrls(file)) data.Crls.Add(der);
            policy = policy with { SuppliedData = data };
        }
        return policy;
    }

    public CertificateValidator BuildValidator(CliContext ctx) => new(BuildTrustStore(ctx), BuildPolicy(ctx));

    private static IReadOnlyList<byte[]> LoadCrls(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException(MessageKeys.FileNotReadable, e, path, e.Message);
        }
        var pem = CertificateFiles.PemBlocks(bytes, "X509 CRL");
        var list = pem.Count > 0 ? pem : new[] { bytes };
        foreach (var der in list)
        {
            try { _ = new Org.BouncyCastle.X509.X509CrlParser().ReadCrl(der) ?? throw new IOException("empty"); }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new InvalidInputException(MessageKeys.CrlInvalid, e, path, e.Message);
            }
        }
        return list;
    }
}
