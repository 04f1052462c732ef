using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace VnGovSign.Cli.Tests;

/// <summary>`vngovsign cert validate` exit codes and JSON, offline and against `vngovsign pki serve`; soft- and hard-fail.</summary>
public sealed class CertValidateCliTests : IClassFixture<CliPkiFixture>
{
    private readonly CliPkiFixture _f;
    public CertValidateCliTests(CliPkiFixture f) => _f = f;

    private static string SharedTrust([CallerFilePath] string source = "")
    {
        var fromEnv = Environment.GetEnvironmentVariable("VNGOVSIGN_SHARED_TRUST");
        var dir = !string.IsNullOrEmpty(fromEnv) ? fromEnv : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "..", "shared", "trust"));
        Assert.True(File.Exists(Path.Combine(dir, "vgca-cp-nn-g2.pem")), "published trust folder not found at " + dir);
        return dir;
    }

    private static JsonElement Signature(Cli.Run r) => JsonDocument.Parse(r.Out).RootElement.GetProperty("signatures")[0];

    private static IEnumerable<string> Keys(JsonElement signature) =>
        signature.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("key").GetString()!);

    [Fact]
    public async Task The_real_vgca_sub_ca_validates_offline_to_the_built_in_root_with_a_soft_fail_warning()
    {
        var args = new[] { "cert", "validate", Path.Combine(SharedTrust(), "vgca-cp-nn-g2.pem"), "--trust-builtin", "vgca", "--at", "2026-06-01T00:00:00Z", "--offline", "--json" };
        var r = await Cli.RunAsync(args);
        Assert.True(r.ExitCode == 0, r.All);
        var s = Signature(r);
        Assert.Equal("TOTAL_PASSED", s.GetProperty("indication").GetString());
        Assert.Contains("RootCA chuyên dùng Chính phủ G2", s.GetProperty("certificates")[1].GetProperty("subject").GetString());
        Assert.Equal("vgca-root-g2", s.GetProperty("certificates")[1].GetProperty("trustAnchor").GetString());
        Assert.Contains(MessageKeys.RevocationUnavailableSoftFail, Keys(s));

        var hard = await Cli.RunAsync(args.Append("--hard-fail").ToArray());
        Assert.True(hard.ExitCode == 2, hard.All);
        Assert.Equal("TRY_LATER", Signature(hard).GetProperty("subIndication").GetString());
    }

    [Fact]
    public async Task A_public_ca_is_not_trusted_by_the_vgca_set_but_is_by_public()
    {
        var vnpt = Path.Combine(SharedTrust(), "vnpt-ca-sha2.pem");
        var vgca = await Cli.RunAsync("cert", "validate", vnpt, "--trust-builtin", "vgca", "--at", "2026-06-01T00:00:00Z", "--offline", "--json");
        Assert.Equal(2, vgca.ExitCode);
        Assert.Equal("NO_CERTIFICATE_CHAIN_FOUND", Signature(vgca).GetProperty("subIndication").GetString());
        var pub = await Cli.RunAsync("cert", "validate", vnpt, "--trust-builtin", "public", "--at", "2026-06-01T00:00:00Z", "--offline", "--lang", "en");
        Assert.True(pub.ExitCode == 0, pub.All);
        Assert.Contains("VALID", pub.Out);
    }

    [Fact]
    public async Task Offline_with_the_pkis_crls_revoked_is_1_and_good_is_0()
    {
        var crls = new[] { "--crl", Path.Combine(_f.Pki, "crl", "ca.crl"), "--crl", Path.Combine(_f.Pki, "crl", "root.crl") };
        var trust = new[] { "--trust", Path.Combine(_f.Pki, "root.pem"), "--extra", Path.Combine(_f.Pki, "ca.pem"), "--offline", "--json" };
        var revoked = await Cli.RunAsync(new[] { "cert", "validate", Path.Combine(_f.Pki, "revoked.pem") }.Concat(trust).Concat(crls).ToArray());
        Assert.True(revoked.ExitCode == 1, revoked.All);
        Assert.Equal("REVOKED", Signature(revoked).GetProperty("subIndication").GetString());
        Assert.Equal("embedded-crl", Signature(revoked).GetProperty("certificates")[0].GetProperty("revocationSource").GetString());

        var good = await Cli.RunAsync(new[] { "cert", "validate", Path.Combine(_f.Pki, "leader.pem") }.Concat(trust).Concat(crls).ToArray());
        Assert.True(good.ExitCode == 0, good.All);
        Assert.DoesNotContain(MessageKeys.RevocationUnavailableSoftFail, Keys(Signature(good)));
    }

    [Fact]
    public async Task Bad_inputs_follow_the_contract()
    {
        var junk = Path.Combine(_f.Dir, "junk.pem");
        File.WriteAllText(junk, "không phải chứng thư số");
        var bad = await Cli.RunAsync("cert", "validate", junk, "--trust-builtin", "vgca");
        Assert.Equal(65, bad.ExitCode);
        Assert.DoesNotContain("   at ", bad.All); // one line, no stack trace
        Assert.Equal(65, (await Cli.RunAsync("cert", "validate", Path.Combine(_f.Dir, "missing.pem"))).ExitCode);
        var leader = Path.Combine(_f.Pki, "leader.pem");
        Assert.Equal(64, (await Cli.RunAsync("cert", "validate", leader, "--trust-builtin", "everything")).ExitCode);
        Assert.Equal(64, (await Cli.RunAsync("cert", "validate", leader, "--at", "not-a-time")).ExitCode);
        Assert.Equal(65, (await Cli.RunAsync("cert", "validate", leader, "--crl", junk)).ExitCode);
    }

    [Fact]
    public async Task Pki_serve_answers_ocsp_then_stops_and_verification_soft_or_hard_fails()
    {
        int port;
        {
            var l = new TcpListener(IPAddress.Loopback, 0);
            l.Start();
            port = ((IPEndPoint)l.LocalEndpoint).Port;
            l.Stop();
        }
        var dir = Path.Combine(_f.Dir, "served");
        var init = await Cli.RunAsync("pki", "init", "--out", dir, "--password", CliPkiFixture.Password, "--base-url", "http://127.0.0.1:" + port);
        Assert.True(init.ExitCode == 0, init.All);
        var validate = new[] { "cert", "validate", Path.Combine(dir, "leader.pem"), "--trust", Path.Combine(dir, "root.pem"), "--json" };

        using var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var serve = CliApp.RunAsync(new[] { "pki", "serve", "--dir", dir, "--password", CliPkiFixture.Password }, output, output, stop.Token);
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            bool up = false;
            for (int i = 0; i < 100 && !up && !serve.IsCompleted; i++)
            {
                try { up = (await http.GetAsync($"http://127.0.0.1:{port}/crl/ca.crl")).IsSuccessStatusCode; }
                catch (HttpRequestException) { await Task.Delay(200); }
            }
            Assert.True(up, "pki serve did not come up: " + output);
        }
        var online = await Cli.RunAsync(validate);
        var revoked = await Cli.RunAsync("cert", "validate", Path.Combine(dir, "revoked.pem"), "--trust", Path.Combine(dir, "root.pem"), "--extra", Path.Combine(dir, "ca.pem"), "--json");
        stop.Cancel();
        Assert.Equal(0, await serve);

        Assert.True(online.ExitCode == 0, online.All);
        Assert.Equal("ocsp", Signature(online).GetProperty("certificates")[0].GetProperty("revocationSource").GetString());
        Assert.True(revoked.ExitCode == 1, revoked.All);
        Assert.Equal("REVOKED", Signature(revoked).GetProperty("subIndication").GetString());

        // Server gone: connection refused → soft-fail (exit 0 with a warning), or hard-fail (exit 2).
        var soft = await Cli.RunAsync(validate.Append("--extra").Append(Path.Combine(dir, "ca.pem")).ToArray());
        Assert.True(soft.ExitCode == 0, soft.All);
        Assert.Contains(MessageKeys.RevocationUnavailableSoftFail, Keys(Signature(soft)));
        var hard = await Cli.RunAsync(validate.Append("--extra").Append(Path.Combine(dir, "ca.pem")).Append("--hard-fail").ToArray());
        Assert.True(hard.ExitCode == 2, hard.All);
    }
}
