using System.CommandLine;
using System.Text;
using VnGovSign.Cms;
using VnGovSign.IO;
using VnGovSign.Testing;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Cli.Commands;

/// <summary>
/// <c>vngovsign demo [--out DIR]</c>: makes a test PKI, signs sample documents with the embedded
/// defaults and verifies them, printing one row per step. Exit 0 only when every step did what it should.
/// </summary>
internal static class DemoCommand
{
    /// <summary>A demo step: signs something in <see cref="DemoContext.Directory"/> and says how verification went.</summary>
    internal delegate Task<DemoRow> DemoStep(DemoContext demo);

    /// <summary>What the steps share.</summary>
    internal sealed record DemoContext(string Directory, TestPki Pki, CertificateValidator Validator, CliContext Cli);

    /// <summary>One printed row; <paramref name="AsExpected"/> false makes the demo exit 1.</summary>
    internal sealed record DemoRow(string Step, string File, string Result, bool AsExpected);

    /// <summary>The steps, in order; each format's issue adds its own.</summary>
    internal static readonly List<DemoStep> Steps = new() { CmsStep, OoxmlDemoStep.RunAsync, XmlDemoStep.RunAsync, XmlDemoStep.RunEInvoiceAndXadesAsync, PdfDemoStep.RunAsync };

    public static Command Create()
    {
        var output = new Option<string?>("--out") { Description = "Thư mục kết quả (mặc định: thư mục tạm) / output folder (default: a temp folder)" };
        var cmd = new Command("demo", "Chạy thử: tạo PKI thử nghiệm, ký và kiểm tra / demo: test PKI, sign and verify") { output };
        CliRunner.SetHandler(cmd, async ctx =>
        {
            var dir = ctx.Get(output) ?? Path.Combine(Path.GetTempPath(), "vngovsign-demo-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(dir);
            ctx.Out.WriteLine(ctx.Text("DemoStart", Path.GetFullPath(dir)));
            var pki = TestPki.Create(new TestPkiOptions());
            pki.WriteTo(Path.Combine(dir, "pki"));
            var validator = new CertificateValidator(TrustStore.Empty.With(new[] { pki.Root.Certificate }),
                ValidationPolicy.Default with { Revocation = RevocationMode.Offline });
            var demo = new DemoContext(dir, pki, validator, ctx);
            var rows = new List<DemoRow>();
            foreach (var step in Steps) rows.Add(await step(demo));
            PrintTable(rows, ctx);
            return rows.All(r => r.AsExpected) ? ExitCodes.Ok : ExitCodes.Invalid;
        });
        return cmd;
    }

    private static async Task<DemoRow> CmsStep(DemoContext demo)
    {
        var ctx = demo.Cli;
        var file = Path.Combine(demo.Directory, "ke-hoach.txt");
        await File.WriteAllTextAsync(file, "Kế hoạch triển khai chữ ký số chuyên dùng năm 2027 — bản chính.\n", new UTF8Encoding(false), ctx.CancellationToken);
        using var signer = demo.Pki.Leader.CreateSigner();
        byte[] cms;
        await using (var fs = File.OpenRead(file))
            cms = await new CadesSigner().SignDetachedAsync(fs, signer, true, ctx.CancellationToken);
        var p7s = file + ".p7s";
        await AtomicFile.WriteAllBytesAsync(p7s, cms, ctx.CancellationToken);
        var report = await VerifyCommand.VerifyAsync(p7s, file, demo.Validator, ctx);
        var sig = report.Signatures[0];
        return new DemoRow("CAdES B-B (.p7s)", Path.GetFileName(p7s),
            ValidationReport.EtsiName(report.Indication) + (sig.SubIndication == SubIndication.None ? "" : "/" + ValidationReport.EtsiName(sig.SubIndication)),
            report.Indication != Indication.TotalFailed);
    }

    private static void PrintTable(IReadOnlyList<DemoRow> rows, CliContext ctx)
    {
        int w1 = Math.Max(20, rows.Max(r => r.Step.Length)), w2 = Math.Max(12, rows.Max(r => r.File.Length));
        ctx.Out.WriteLine($"{ctx.Text("DemoColStep").PadRight(w1)}  {ctx.Text("DemoColFile").PadRight(w2)}  {ctx.Text("DemoColResult")}");
        ctx.Out.WriteLine(new string('-', w1 + w2 + 24));
        foreach (var r in rows) ctx.Out.WriteLine($"{r.Step.PadRight(w1)}  {r.File.PadRight(w2)}  {r.Result}{(r.AsExpected ? "" : "  ✗")}");
    }
}
