using System.Text;
using VnGovSign.Tests;

namespace VnGovSign.Cli.Tests;

/// <summary>The foundation's command-line contract: pki init → sign cms → openssl → verify, and every error path.</summary>
public sealed class FoundationCliTests : IClassFixture<CliPkiFixture>
{
    private readonly CliPkiFixture _f;
    public FoundationCliTests(CliPkiFixture f) => _f = f;

    private string NewFile(string name, string text)
    {
        var p = Path.Combine(_f.Dir, Guid.NewGuid().ToString("N")[..6] + "-" + name);
        File.WriteAllText(p, text, new UTF8Encoding(false));
        return p;
    }

    [Fact]
    public void Pki_init_writes_the_files_the_contract_names()
    {
        foreach (var f in new[] { "root.pem", "ca.pem", "leader.pfx", "org.pfx", "tsa.pfx", "ocsp.pfx", "revoked.pem", "revoked.pfx",
                                  "expired.pfx", "notyet.pfx", "manifest.json", "crl/ca.crl", "crl/root.crl" })
            Assert.True(File.Exists(Path.Combine(_f.Pki, f)), f);
        var manifest = File.ReadAllText(Path.Combine(_f.Pki, "manifest.json"));
        Assert.Contains("\"role\": \"organization\"", manifest);
        // The CRL names the revoked certificate (openssl reads it independently).
        var crl = ExternalTool.Run("openssl", "crl", "-inform", "DER", "-in", Path.Combine(_f.Pki, "crl/ca.crl"), "-noout", "-text");
        var serial = ExternalTool.Run("openssl", "x509", "-in", Path.Combine(_f.Pki, "revoked.pem"), "-noout", "-serial").StdOut.Trim().Split('=')[1];
        Assert.Contains(serial, crl.StdOut.Replace(" ", "").ToUpperInvariant());
    }

    [Fact]
    public async Task Sign_cms_is_accepted_by_openssl_and_verify_exits_0_then_1_after_one_changed_byte()
    {
        var doc = NewFile("f.txt", "Kế hoạch chữ ký số 2027\n");
        var p7s = doc + ".p7s";
        var sign = await Cli.RunAsync("sign", "cms", doc, p7s, "--pfx", Path.Combine(_f.Pki, "leader.pfx"), "--password", CliPkiFixture.Password);
        Assert.True(sign.ExitCode == 0, sign.All);

        var ossl = ExternalTool.Run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", p7s, "-content", doc,
            "-CAfile", Path.Combine(_f.Pki, "root.pem"), "-purpose", "any", "-out", "/dev/null");
        Assert.True(ossl.ExitCode == 0, ossl.All);

        var ok = await Cli.RunAsync("verify", p7s, "--content", doc, "--trust", Path.Combine(_f.Pki, "root.pem"));
        Assert.True(ok.ExitCode is 0 or 2, ok.All);
        Assert.Contains("Nguyễn Văn An", ok.Out);

        var bytes = File.ReadAllBytes(doc);
        bytes[3] ^= 0x01;
        var changed = NewFile("g.txt", "");
        File.WriteAllBytes(changed, bytes);
        var bad = await Cli.RunAsync("verify", p7s, "--content", changed, "--trust", Path.Combine(_f.Pki, "root.pem"), "--json");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("\"indication\": \"TOTAL_FAILED\"", bad.Out);
        Assert.Contains("\"subIndication\": \"HASH_FAILURE\"", bad.Out);
    }

    [Fact]
    public async Task Verify_json_carries_the_contract_fields()
    {
        var doc = NewFile("j.txt", "Báo cáo\n");
        var p7s = doc + ".p7s";
        Assert.Equal(0, (await Cli.RunAsync("sign", "cms", doc, p7s, "--pfx", Path.Combine(_f.Pki, "org.pfx"), "--password", CliPkiFixture.Password)).ExitCode);
        var r = await Cli.RunAsync("verify", p7s, "--content", doc, "--trust", Path.Combine(_f.Pki, "root.pem"), "--json");
        using var json = System.Text.Json.JsonDocument.Parse(r.Out);
        var sig = json.RootElement.GetProperty("signatures")[0];
        foreach (var field in new[] { "indication", "subIndication", "level", "format", "signingTime", "certificates" })
            Assert.True(sig.TryGetProperty(field, out _), field);
        Assert.Contains("MST:", sig.GetProperty("signer").GetProperty("subject").GetString());
        Assert.Equal("CAdES", sig.GetProperty("format").GetString());
    }

    [Fact]
    public async Task Untrusted_root_is_not_passed()
    {
        var doc = NewFile("u.txt", "x");
        var p7s = doc + ".p7s";
        Assert.Equal(0, (await Cli.RunAsync("sign", "cms", doc, p7s, "--pfx", Path.Combine(_f.Pki, "leader.pfx"), "--password", CliPkiFixture.Password)).ExitCode);
        var r = await Cli.RunAsync("verify", p7s, "--content", doc);
        Assert.NotEqual(0, r.ExitCode);
    }

    public static IEnumerable<object[]> MalformedSignatures() => new[]
    {
        new object[] { "empty", Array.Empty<byte>() },
        new object[] { "random", Enumerable.Range(0, 300).Select(i => (byte)(i * 73 + 11)).ToArray() },
        new object[] { "random-der-tag", new byte[] { 0x30, 0x82, 0x7F, 0x00, 0x01, 0x02 } },
    };

    [Theory]
    [MemberData(nameof(MalformedSignatures))]
    public async Task Malformed_signature_files_exit_65_with_one_clear_line(string name, byte[] bytes)
    {
        var doc = NewFile("c.txt", "x");
        var p7s = NewFile(name + ".p7s", "");
        File.WriteAllBytes(p7s, bytes);
        var r = await Cli.RunAsync("verify", p7s, "--content", doc);
        Assert.Equal(65, r.ExitCode);
        AssertOneClearLine(r);
    }

    [Fact]
    public async Task Truncated_cms_exits_65()
    {
        var doc = NewFile("t.txt", "nội dung");
        var p7s = doc + ".p7s";
        Assert.Equal(0, (await Cli.RunAsync("sign", "cms", doc, p7s, "--pfx", Path.Combine(_f.Pki, "leader.pfx"), "--password", CliPkiFixture.Password)).ExitCode);
        var cut = NewFile("cut.p7s", "");
        File.WriteAllBytes(cut, File.ReadAllBytes(p7s)[..400]);
        var r = await Cli.RunAsync("verify", cut, "--content", doc);
        Assert.Equal(65, r.ExitCode);
        AssertOneClearLine(r);
    }

    [Fact]
    public async Task Wrong_password_exits_65_and_leaves_no_output_file()
    {
        var doc = NewFile("w.txt", "x");
        var outFile = doc + ".p7s";
        var r = await Cli.RunAsync("sign", "cms", doc, outFile, "--pfx", Path.Combine(_f.Pki, "leader.pfx"), "--password", "sai-mat-khau");
        Assert.Equal(65, r.ExitCode);
        Assert.Contains("leader.pfx", r.Err);
        Assert.False(File.Exists(outFile));
        AssertOneClearLine(r);
    }

    [Fact]
    public async Task Missing_files_exit_65_and_say_which()
    {
        var r = await Cli.RunAsync("verify", "/nonexistent/khong-co.p7s", "--content", "/nonexistent/x");
        Assert.Equal(65, r.ExitCode);
        Assert.Contains("khong-co.p7s", r.Err);
        var doc = NewFile("m.txt", "x");
        var s = await Cli.RunAsync("sign", "cms", doc, doc + ".p7s", "--pfx", "/nonexistent/a.pfx", "--password", "x");
        Assert.Equal(65, s.ExitCode);
        Assert.Contains("a.pfx", s.Err);
    }

    [Fact]
    public async Task Usage_errors_exit_64()
    {
        Assert.Equal(64, (await Cli.RunAsync("sign", "cms")).ExitCode);
        Assert.Equal(64, (await Cli.RunAsync("verify")).ExitCode);
        Assert.Equal(64, (await Cli.RunAsync("no-such-command")).ExitCode);
        var doc = NewFile("n.txt", "x");
        var noSigner = await Cli.RunAsync("sign", "cms", doc, doc + ".p7s");
        Assert.Equal(64, noSigner.ExitCode);
        var sameFile = await Cli.RunAsync("sign", "cms", doc, doc, "--pfx", Path.Combine(_f.Pki, "leader.pfx"), "--password", CliPkiFixture.Password);
        Assert.Equal(64, sameFile.ExitCode);
        Assert.Equal("x", File.ReadAllText(doc)); // the input is never touched
    }

    [Fact]
    public async Task Messages_are_vietnamese_by_default_and_english_on_request()
    {
        var doc = NewFile("l.txt", "x");
        var vi = await Cli.RunAsync("sign", "cms", doc, doc + ".p7s", "--pfx", Path.Combine(_f.Pki, "leader.pfx"), "--password", "sai");
        var en = await Cli.RunAsync("sign", "cms", doc, doc + ".p7s", "--pfx", Path.Combine(_f.Pki, "leader.pfx"), "--password", "sai", "--lang", "en");
        Assert.Contains("Không mở được tệp PKCS#12", vi.Err);
        Assert.Contains("Cannot open PKCS#12 file", en.Err);
    }

    [Theory]
    [InlineData("expired.pfx", "Lê Văn Cường", "đã hết hạn ngày", "expired on")]
    [InlineData("notyet.pfx", "Phạm Thị Dung", "chưa có hiệu lực", "is not valid before")]
    public async Task Sign_with_an_expired_or_not_yet_valid_certificate_exits_65_in_one_line_and_writes_nothing(
        string pfx, string name, string vietnamese, string english)
    {
        var doc = NewFile("e.txt", "Công văn số 15/UBND\n");
        var p7s = doc + ".p7s";
        var vi = await Cli.RunAsync("sign", "cms", doc, p7s, "--pfx", Path.Combine(_f.Pki, pfx), "--password", CliPkiFixture.Password);
        Assert.True(vi.ExitCode == 65, vi.All);
        AssertOneClearLine(vi);
        Assert.StartsWith("Lỗi: Chứng thư số của người ký", vi.Err);
        Assert.Contains(name, vi.Err);
        Assert.Contains(vietnamese, vi.Err);
        Assert.Matches(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC", vi.Err);
        Assert.False(File.Exists(p7s));

        var en = await Cli.RunAsync("sign", "cms", doc, p7s, "--pfx", Path.Combine(_f.Pki, pfx), "--password", CliPkiFixture.Password, "--lang", "en");
        Assert.True(en.ExitCode == 65, en.All);
        AssertOneClearLine(en);
        Assert.StartsWith("Error: The signer's certificate", en.Err);
        Assert.Contains(english, en.Err);
        Assert.False(File.Exists(p7s));
        Assert.Single(Directory.GetFiles(_f.Dir, Path.GetFileName(doc) + "*")); // only the input: no output, no temporary file
    }

    private static void AssertOneClearLine(Cli.Run r)
    {
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.DoesNotContain("   at ", r.All);
        Assert.True(lines[0].Length > 10, r.Err);
    }
}
