using System.CommandLine;
using VnGovSign.Testing;

namespace VnGovSign.Cli.Commands;

/// <summary><c>vngovsign pki init|serve|issue</c>: the test PKI of VnGovSign.Testing.</summary>
internal static class PkiCommands
{
    public static Command Create()
    {
        var pki = new Command("pki", "PKI thử nghiệm (không dùng thật) / test PKI (never for production)");
        pki.Subcommands.Add(Init());
        pki.Subcommands.Add(PkiServeCommand.Create());
        pki.Subcommands.Add(Issue());
        return pki;
    }

    private static Command Init()
    {
        var output = new Option<string>("--out") { Description = "Thư mục đích / output folder", Required = true };
        var password = new Option<string>("--password") { Description = "Mật khẩu các tệp .pfx / password of the .pfx files", DefaultValueFactory = _ => TestPki.DefaultPassword };
        var baseUrl = new Option<string>("--base-url") { Description = "URL gốc ghi vào chứng thư (OCSP, CRL, TSA) / base URL written into the certificates", DefaultValueFactory = _ => new TestPkiOptions().BaseUrl };
        var seed = new Option<long?>("--seed") { Description = "Hạt giống để tạo lại đúng PKI này / seed for a reproducible PKI" };
        var cmd = new Command("init", "Tạo PKI thử nghiệm theo mô hình Ban Cơ yếu / create a test PKI in the Ban Cơ yếu shape") { output, password, baseUrl, seed };
        CliRunner.SetHandler(cmd, ctx =>
        {
            var url = ctx.Get(baseUrl)!;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https"))
                throw new UsageException(ctx.Text("BadUrl", url));
            var pkiObj = TestPki.Create(new TestPkiOptions { BaseUrl = url, Seed = ctx.Get(seed) });
            var dir = ctx.Get(output)!;
            pkiObj.WriteTo(dir, ctx.Get(password)!);
            ctx.Out.WriteLine(ctx.Text("PkiCreated", Path.GetFullPath(dir), pkiObj.BaseUrl));
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    /// <summary><c>pki issue --dir DIR --csr FILE --out CERT</c>: the test sub-CA signs a PKCS#10 request (PEM or DER).</summary>
    private static Command Issue()
    {
        var dir = new Option<string>("--dir") { Description = "Thư mục PKI thử nghiệm (pki init) / test PKI folder (pki init)", Required = true };
        var csr = new Option<string>("--csr") { Description = "Yêu cầu PKCS#10 (PEM/DER) / PKCS#10 request (PEM or DER)", Required = true };
        var output = new Option<string>("--out") { Description = "Chứng thư được cấp (PEM) / issued certificate (PEM)", Required = true };
        var password = new Option<string>("--password") { Description = "Mật khẩu các tệp .pfx của PKI / password of the PKI's .pfx files", DefaultValueFactory = _ => TestPki.DefaultPassword };
        var days = new Option<int>("--days") { Description = "Thời hạn (ngày) / validity in days", DefaultValueFactory = _ => 730 };
        var cmd = new Command("issue", "CA thử nghiệm cấp chứng thư cho yêu cầu PKCS#10 / the test CA signs a PKCS#10 request") { dir, csr, output, password, days };
        CliRunner.SetHandler(cmd, async ctx =>
        {
            var csrPath = ctx.Get(csr)!;
            var bytes = File.ReadAllBytes(csrPath);
            var der = VnGovSign.Trust.CertificateFiles.PemBlocks(bytes, "CERTIFICATE REQUEST").FirstOrDefault()
                      ?? VnGovSign.Trust.CertificateFiles.PemBlocks(bytes, "NEW CERTIFICATE REQUEST").FirstOrDefault()
                      ?? bytes;
            int validity = ctx.Get(days);
            if (validity < 1) throw new UsageException(ctx.Text("UsageError", "--days"));
            var pkiObj = TestPki.Load(ctx.Get(dir)!, ctx.Get(password)!);
            var cert = pkiObj.IssueFromRequest(der, TimeSpan.FromDays(validity));
            var outPath = ctx.Get(output)!;
            await VnGovSign.IO.AtomicFile.WriteAllBytesAsync(outPath,
                System.Text.Encoding.ASCII.GetBytes(VnGovSign.Trust.CertificateFiles.ToPem(cert.RawData)), ctx.CancellationToken);
            ctx.Out.WriteLine(ctx.Text("PkiIssued", outPath, cert.Subject));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
