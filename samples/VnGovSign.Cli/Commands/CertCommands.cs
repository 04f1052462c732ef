using System.CommandLine;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Cli.Commands;

/// <summary><c>vngovsign cert validate CERT …</c>: RFC 5280 path validation with revocation, as a report.</summary>
internal static class CertCommands
{
    public static Command Create()
    {
        var cert = new Command("cert", "Chứng thư số / certificates");
        cert.Subcommands.Add(Validate());
        return cert;
    }

    private static Command Validate()
    {
        var file = new Argument<string>("certificate") { Description = "Chứng thư số cần kiểm tra (PEM/DER) / certificate to validate (PEM or DER)" };
        var extra = new Option<string[]>("--extra") { Description = "Chứng thư số CA trung gian (PEM/DER) / intermediate CA certificates", AllowMultipleArgumentsPerToken = false };
        var policies = new Option<string[]>("--policy") { Description = "OID chính sách chấp nhận (RFC 5280 user-initial-policy-set) / acceptable policy OID", AllowMultipleArgumentsPerToken = false };
        var explicitPolicy = new Option<bool>("--explicit-policy") { Description = "initial-explicit-policy" };
        var inhibitMapping = new Option<bool>("--inhibit-policy-mapping") { Description = "initial-policy-mapping-inhibit" };
        var inhibitAny = new Option<bool>("--inhibit-any-policy") { Description = "initial-any-policy-inhibit" };
        var trust = new TrustOptions();
        var cmd = new Command("validate", "Kiểm tra chuỗi chứng thực và tình trạng thu hồi / validate a certificate's path and revocation")
        {
            file, extra, policies, explicitPolicy, inhibitMapping, inhibitAny,
        };
        trust.AddTo(cmd);
        CliRunner.SetHandler(cmd, async ctx =>
        {
            var path = ctx.Get(file)!;
            var certs = CertificateFiles.Load(path);
            var extras = certs.Skip(1).ToList();
            foreach (var e in ctx.Get(extra) ?? Array.Empty<string>()) extras.AddRange(CertificateFiles.Load(e));
            var policy = trust.BuildPolicy(ctx) with
            {
                InitialPolicies = ctx.Get(policies) ?? Array.Empty<string>(),
                ExplicitPolicyRequired = ctx.Get(explicitPolicy),
                InhibitPolicyMapping = ctx.Get(inhibitMapping),
                InhibitAnyPolicy = ctx.Get(inhibitAny),
            };
            var validator = new CertificateValidator(trust.BuildTrustStore(ctx), policy);
            var at = policy.ValidationTime ?? DateTimeOffset.UtcNow;
            var result = await validator.ValidateAsync(certs[0], at, extras, CertificateUsage.Any, null, ctx.CancellationToken);
            var entry = new SignatureReport
            {
                Id = Path.GetFileName(path),
                Format = "X509",
                Indication = result.Indication,
                SubIndication = result.SubIndication,
                Signer = result.Certificates.FirstOrDefault(),
                ValidationTime = at,
            };
            foreach (var c in result.Certificates) entry.Certificates.Add(c);
            foreach (var m in result.Messages) entry.Messages.Add(m);
            if (result.Anchor is { } anchor)
                entry.Details["trustAnchor"] = anchor.Name + " (" + anchor.Certificate.Subject + ")";
            var report = new ValidationReport(Path.GetFileName(path), new[] { entry });
            VerifyCommand.Print(report, ctx);
            return ExitCodes.For(report.Indication);
        });
        return cmd;
    }
}
