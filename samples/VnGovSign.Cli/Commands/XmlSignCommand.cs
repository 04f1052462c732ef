using System.CommandLine;
using System.Security.Cryptography;
using VnGovSign.Formats.Xml;
using VnGovSign.IO;
using VnGovSign.Revocation;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Cli.Commands;

/// <summary>
/// <c>vngovsign sign xml IN OUT SIGNER --profile tax|einvoice|einvoice-buyer|einvoice-cqt|bhxh|bhxh-ivan|xades
/// [--level L] [--tsa URL] [--legacy-sha1]</c>: an XML signature placed where the receiving system expects it.
/// </summary>
internal static class XmlSignCommand
{
    public static Command Create()
    {
        var args = new SignArguments();
        var profile = new Option<string>("--profile")
        {
            Description = "tax | einvoice | einvoice-buyer | einvoice-cqt | bhxh | bhxh-ivan | xades",
            Required = true,
        };
        var legacySha1 = new Option<bool>("--legacy-sha1") { Description = "Ký RSA-SHA1 cho hệ thống tiếp nhận cũ (không khuyến nghị) / RSA-SHA1 for old receivers (not recommended)" };
        var cmd = new Command("xml", "Ký XML: tờ khai thuế, hóa đơn điện tử, hồ sơ BHXH, XAdES / sign XML: tax declaration, e-invoice, BHXH filing, XAdES");
        args.AddTo(cmd);
        cmd.Options.Add(profile);
        cmd.Options.Add(legacySha1);
        CliRunner.SetHandler(cmd, async ctx =>
        {
            var (input, output) = args.Files(ctx);
            var xmlProfile = XmlSignatureProfile.FromName(ctx.Get(profile)!);
            var options = args.Options(ctx);
            if (ctx.Get(legacySha1)) options = options with { Hash = HashAlgorithmName.SHA1 };
            var signer = await args.Signer.CreateAsync(ctx);
            var xmlSigner = new XmlSigner(xmlProfile, options)
            {
                ValidationDataCollector = options.Level >= SignatureLevel.BaselineLT ? Collector(signer) : null,
            };
            xmlSigner.CheckOptions(); // before the token or the phone is asked
            var bytes = await File.ReadAllBytesAsync(input, ctx.CancellationToken);
            var signed = await xmlSigner.SignAsync(bytes, signer, Path.GetFileName(input), ctx.CancellationToken);
            await AtomicFile.WriteAllBytesAsync(output, signed, ctx.CancellationToken);
            ctx.Out.WriteLine(ctx.Text("Signed", output, signer.Certificate.Subject, SignatureLevels.Name(options.Level)));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>
    /// Validation data for B-LT/B-LTA is fetched along the signer's own chain (its root as the anchor,
    /// plus the built-in Vietnamese and public anchors): collecting is not a trust decision, the verifier makes that.
    /// </summary>
    internal static ValidationDataCollector Collector(ISigner signer)
    {
        var roots = signer.Chain.Where(CertificateChains.IsSelfIssued).ToList();
        var trust = TrustStore.BuiltIn("all").With(roots).WithIntermediates(signer.Chain.Where(c => !CertificateChains.IsSelfIssued(c)));
        return new ValidationDataCollector(trust, ValidationPolicy.Default with { Revocation = RevocationMode.Online });
    }
}
