using System.Text.Json;
using VnGovSign.Cli.Commands;
using VnGovSign.Testing;
using VnGovSign.Testing.Responders;

namespace VnGovSign.Cli.Tests;

/// <summary>A PKI whose OCSP, CRL and TSA answer on 127.0.0.1, written to disk as `pki init` would write it.</summary>
public sealed class OoxmlCliFixture : IDisposable
{
    public const string Password = "demo-pass-123";
    public OoxmlCliFixture()
    {
        Responders = TestResponders.CreateAndStart(new TestPkiOptions { Seed = 7007 });
        Responders.Pki.WriteTo(Pki, Password);
    }

    public TestResponders Responders { get; }
    public string Dir { get; } = Directory.CreateTempSubdirectory("vgs-cli-ooxml-").FullName;
    public string Pki => Path.Combine(Dir, "pki");

    public void Dispose()
    {
        Responders.Dispose();
        Directory.Delete(Dir, true);
    }
}

/// <summary>`vngovsign sign ooxml` at each level the OOXML signer supports, judged by `vngovsign verify`.</summary>
public sealed class OoxmlCliTests : IClassFixture<OoxmlCliFixture>
{
    private readonly OoxmlCliFixture _f;
    public OoxmlCliTests(OoxmlCliFixture f) => _f = f;

    private string NewDocx()
    {
        var p = Path.Combine(_f.Dir, Guid.NewGuid().ToString("N")[..6] + ".docx");
        File.WriteAllBytes(p, OoxmlDemoStep.MinimalDocx("Kế hoạch số 12/KH-UBND năm 2027"));
        return p;
    }

    private string[] Signer => new[] { "--pfx", Path.Combine(_f.Pki, "leader.pfx"), "--password", OoxmlCliFixture.Password };

    [Theory]
    [InlineData("B-B")]
    [InlineData("B-T")]
    [InlineData("B-LT")]
    public async Task Sign_ooxml_at_each_level_verifies_with_that_level(string level)
    {
        var input = NewDocx();
        var output = input.Replace(".docx", ".signed.docx");
        var sign = await Cli.RunAsync(new[] { "sign", "ooxml", input, output, "--level", level, "--tsa", _f.Responders.TsaUrl }.Concat(Signer).ToArray());
        Assert.True(sign.ExitCode == 0, sign.All);

        // B-LT must pass offline under hard-fail: only the values embedded in the signature can say "not revoked".
        var verifyArgs = new List<string> { "verify", output, "--trust", Path.Combine(_f.Pki, "root.pem"), "--json", "--lang", "en" };
        if (level == "B-LT") verifyArgs.AddRange(new[] { "--offline", "--hard-fail" });
        var r = await Cli.RunAsync(verifyArgs.ToArray());
        Assert.True(r.ExitCode == 0, r.All);
        using var json = JsonDocument.Parse(r.Out);
        var sig = json.RootElement.GetProperty("signatures")[0];
        Assert.Equal("OOXML", sig.GetProperty("format").GetString());
        Assert.Equal(level, sig.GetProperty("level").GetString());
        Assert.Equal("TOTAL_PASSED", sig.GetProperty("indication").GetString());
        Assert.Contains("/word/document.xml", sig.GetProperty("signedParts").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task B_B_offline_hard_fail_is_indeterminate_exit_2()
    {
        var input = NewDocx();
        var output = input.Replace(".docx", ".signed.docx");
        Assert.Equal(0, (await Cli.RunAsync(new[] { "sign", "ooxml", input, output }.Concat(Signer).ToArray())).ExitCode);
        var r = await Cli.RunAsync("verify", output, "--trust", Path.Combine(_f.Pki, "root.pem"), "--offline", "--hard-fail");
        Assert.Equal(2, r.ExitCode);
    }

    [Fact]
    public async Task B_LTA_is_refused_with_exit_65_and_no_output()
    {
        var input = NewDocx();
        var output = input.Replace(".docx", ".signed.docx");
        var r = await Cli.RunAsync(new[] { "sign", "ooxml", input, output, "--level", "B-LTA", "--tsa", _f.Responders.TsaUrl, "--lang", "en" }.Concat(Signer).ToArray());
        Assert.Equal(65, r.ExitCode);
        Assert.Contains("B-LTA", r.Err);
        Assert.False(File.Exists(output));
    }
}
