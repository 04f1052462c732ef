using System.CommandLine;
using VnGovSign.Testing;
using VnGovSign.Testing.Http;
using VnGovSign.Testing.Responders;

namespace VnGovSign.Cli.Commands;

/// <summary><c>vngovsign pki serve --dir DIR</c>: serves a PKI folder's responders on its base URL's port (127.0.0.1 only) until stopped.</summary>
internal static class PkiServeCommand
{
    /// <summary>The OCSP, CRL, CA-certificate and TSA endpoints of a PKI (registered in <see cref="PkiServeEndpoints.Factories"/>).</summary>
    public static IEnumerable<ILoopbackEndpoint> Responders(TestPki pki, string password) => TestResponders.Endpoints(pki);

    public static Command Create()
    {
        var dir = new Option<string>("--dir") { Description = "Thư mục PKI (do pki init tạo) / PKI folder written by pki init", Required = true };
        var password = new Option<string>("--password") { Description = "Mật khẩu các tệp .pfx / password of the .pfx files", DefaultValueFactory = _ => TestPki.DefaultPassword };
        var cmd = new Command("serve", "Chạy OCSP, CRL, TSA (và các dịch vụ thử nghiệm khác) trên 127.0.0.1 / serve the PKI's responders on 127.0.0.1") { dir, password };
        CliRunner.SetHandler(cmd, async ctx =>
        {
            var pw = ctx.Get(password)!;
            var pki = TestPki.Load(ctx.Get(dir)!, pw);
            if (!Uri.TryCreate(pki.BaseUrl, UriKind.Absolute, out var uri) || !uri.IsLoopback)
                throw new UsageException(ctx.Text("BadUrl", pki.BaseUrl));
            var endpoints = PkiServeEndpoints.Factories.SelectMany(f => f(pki, pw)).ToArray();
            using var server = LoopbackServer.Start(TestResponders.PortOf(pki), endpoints);
            ctx.Out.WriteLine(ctx.Text("PkiServing", server.BaseUrl, string.Join(", ", endpoints.Select(e => e.PathPrefix))));
            ctx.Out.Flush();
            try { await Task.Delay(Timeout.Infinite, ctx.CancellationToken); }
            catch (OperationCanceledException) { /* stopped (Ctrl-C / SIGTERM) */ }
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
