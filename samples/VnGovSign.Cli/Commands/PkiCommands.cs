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
}
