using VnGovSign.Tests;

namespace VnGovSign.Cli.Tests;

/// <summary>
/// The README's first command: <c>vngovsign demo</c> on its embedded defaults. Every step must say it went as
/// expected, and what it wrote must pass the independent tools too (openssl for CMS, qpdf and pdfsig for PDF).
/// </summary>
public sealed class DemoCliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vgs-demo-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task Demo_exits_0_and_its_outputs_pass_openssl_qpdf_and_pdfsig()
    {
        var r = await Cli.RunAsync("demo", "--out", _dir, "--lang", "en");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.DoesNotContain("✗", r.Out);
        Assert.DoesNotContain("   at ", r.All);
        foreach (var step in new[] { "CAdES", "OOXML", "XMLDSig tax", "XMLDSig e-invoice", "PAdES" })
            Assert.Contains(step, r.Out);

        var root = Path.Combine(_dir, "pki", "root.pem");
        var cms = ExternalTool.Run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", Path.Combine(_dir, "ke-hoach.txt.p7s"),
            "-content", Path.Combine(_dir, "ke-hoach.txt"), "-CAfile", root, "-purpose", "any", "-out", "/dev/null");
        Assert.True(cms.ExitCode == 0, cms.All);

        foreach (var pdf in new[] { "cong-van.signed.pdf", "phu-luc.signed.pdf" })
        {
            var path = Path.Combine(_dir, pdf);
            var qpdf = ExternalTool.Run("qpdf", "--check", path);
            Assert.True(qpdf.ExitCode == 0, pdf + ": " + qpdf.All);
            var sig = ExternalTool.Run("pdfsig", "-nocert", path);
            Assert.Contains("Signature is Valid", sig.StdOut);
            Assert.DoesNotContain("Signature is Invalid", sig.StdOut);
            Assert.Contains("Total document signed", sig.StdOut);
        }
    }
}
