using System.Text;
using VnGovSign.Testing;
using VnGovSign.Testing.Responders;
using VnGovSign.Tests;

namespace VnGovSign.Cli.Tests;

/// <summary>A PKI made by `vngovsign pki init --base-url` on a free loopback port, with its OCSP/CRL/TSA answering there.</summary>
public sealed class CliRespondersFixture : IAsyncLifetime
{
    public const string Password = CliPkiFixture.Password;
    public string Dir { get; } = Directory.CreateTempSubdirectory("vgs-cli-extend-").FullName;
    public string Pki => Path.Combine(Dir, "pki");
    public string Base { get; private set; } = "";
    public string RootPem => Path.Combine(Pki, "root.pem");
    private TestResponders? _responders;

    public async Task InitializeAsync()
    {
        for (int attempt = 0; ; attempt++)
        {
            var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            l.Start();
            int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
            Base = "http://127.0.0.1:" + port;
            if (Directory.Exists(Pki)) Directory.Delete(Pki, true);
            var r = await Cli.RunAsync("pki", "init", "--out", Pki, "--password", Password, "--base-url", Base);
            if (r.ExitCode != 0) throw new InvalidOperationException(r.All);
            try { _responders = TestResponders.Start(TestPki.Load(Pki, Password)); return; }
            catch (System.Net.HttpListenerException) when (attempt < 3) { }
        }
    }

    public Task DisposeAsync()
    {
        _responders?.Dispose();
        Directory.Delete(Dir, true);
        return Task.CompletedTask;
    }
}

/// <summary>`vngovsign extend` on XML: B-B → B-T → B-LTA through the command line, checked by `verify` (offline, hard-fail) and xmlsec1.</summary>
public sealed class XmlExtendCliTests : IClassFixture<CliRespondersFixture>
{
    private const string Declaration =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<HSoThueDTu xmlns=\"http://kekhaithue.gdt.gov.vn/TKhaiThue\">\n  <HSoKhaiThue id=\"ID_1\">\n"
        + "    <TTinChung><tenNNT>Công ty TNHH Thử nghiệm Chữ ký số</tenNNT><mst>0100109106</mst></TTinChung>\n"
        + "    <CTieuTKhaiChinh><ct22>15000000</ct22></CTieuTKhaiChinh>\n  </HSoKhaiThue>\n  <CKyDTu/>\n</HSoThueDTu>\n";

    private readonly CliRespondersFixture _f;
    public XmlExtendCliTests(CliRespondersFixture f) => _f = f;

    private string PathFor(string name) => Path.Combine(_f.Dir, Guid.NewGuid().ToString("N")[..6] + "-" + name);

    private async Task<string> SignAsync(string profile)
    {
        var input = PathFor("tax.xml");
        await File.WriteAllTextAsync(input, Declaration, new UTF8Encoding(false));
        var output = PathFor("signed.xml");
        var r = await Cli.RunAsync("sign", "xml", input, output, "--pfx", Path.Combine(_f.Pki, "leader.pfx"), "--password", CliRespondersFixture.Password, "--profile", profile);
        Assert.True(r.ExitCode == 0, r.All);
        return output;
    }

    private ExternalTool.Result XmlSec(string file) => ExternalTool.Run("xmlsec1", "--verify", "--trusted-pem", _f.RootPem, "--untrusted-pem", Path.Combine(_f.Pki, "ca.pem"),
        "--enabled-reference-uris", "empty,same-doc", "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties", file);

    [Fact]
    public async Task Extend_raises_a_XAdES_file_to_B_T_then_B_LTA_and_verify_passes_offline_under_hard_fail()
    {
        var bb = await SignAsync("xades");
        var bt = PathFor("bt.xml");
        var r = await Cli.RunAsync("extend", bb, bt, "--level", "B-T", "--tsa", _f.Base + "/tsa");
        Assert.True(r.ExitCode == 0, r.All);
        var v = await Cli.RunAsync("verify", bt, "--trust", _f.RootPem, "--json");
        Assert.True(v.ExitCode == 0, v.All);
        Assert.Contains("\"level\": \"B-T\"", v.Out);
        var xs = XmlSec(bt);
        Assert.True(xs.ExitCode == 0, xs.All);

        var lta = PathFor("lta.xml");
        r = await Cli.RunAsync("extend", bt, lta, "--level", "B-LTA", "--tsa", _f.Base + "/tsa", "--trust", _f.RootPem);
        Assert.True(r.ExitCode == 0, r.All);
        v = await Cli.RunAsync("verify", lta, "--trust", _f.RootPem, "--offline", "--hard-fail", "--json");
        Assert.True(v.ExitCode == 0, v.All);
        Assert.Contains("\"level\": \"B-LTA\"", v.Out);
        Assert.Contains("\"indication\": \"TOTAL_PASSED\"", v.Out);
        xs = XmlSec(lta);
        Assert.True(xs.ExitCode == 0, xs.All);

        // Everything before the new unsigned properties is the B-T file's, byte for byte.
        var a = await File.ReadAllBytesAsync(bt);
        var b = await File.ReadAllBytesAsync(lta);
        int at = b.AsSpan().IndexOf("<xades:CertificateValues>"u8);
        Assert.True(at > 0 && b.AsSpan(0, at).SequenceEqual(a.AsSpan(0, at)) && b.AsSpan(at + b.Length - a.Length).SequenceEqual(a.AsSpan(at)));

        // A changed amount after extending: exit 1.
        var bad = PathFor("bad.xml");
        await File.WriteAllTextAsync(bad, (await File.ReadAllTextAsync(lta)).Replace("<ct22>15000000<", "<ct22>15000001<"), new UTF8Encoding(false));
        Assert.Equal(1, (await Cli.RunAsync("verify", bad, "--trust", _f.RootPem, "--offline")).ExitCode);
    }

    [Fact]
    public async Task Extend_refuses_plain_XMLDSig_and_a_level_not_higher_with_exit_65_and_writes_nothing()
    {
        var tax = await SignAsync("tax");
        var out1 = PathFor("x.xml");
        var r = await Cli.RunAsync("extend", tax, out1, "--level", "B-T", "--tsa", _f.Base + "/tsa");
        Assert.Equal(65, r.ExitCode);
        Assert.Contains("không có chữ ký XAdES", r.All);
        Assert.False(File.Exists(out1));

        var bb = await SignAsync("xades");
        var bt = PathFor("bt.xml");
        Assert.Equal(0, (await Cli.RunAsync("extend", bb, bt, "--level", "B-T", "--tsa", _f.Base + "/tsa")).ExitCode);
        r = await Cli.RunAsync("extend", bt, out1, "--level", "B-T", "--tsa", _f.Base + "/tsa", "--lang", "en");
        Assert.Equal(65, r.ExitCode);
        Assert.Contains("already at level B-T", r.All);
        Assert.False(File.Exists(out1));

        // The test root is not a built-in anchor and an XML signature does not carry it: the message says what to add.
        r = await Cli.RunAsync("extend", bt, out1, "--level", "B-LT", "--lang", "en");
        Assert.Equal(65, r.ExitCode);
        Assert.Contains("--trust", r.All);
        Assert.False(File.Exists(out1));
    }
}
