using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Core.Tests;

/// <summary>
/// The built-in Vietnamese anchors against what their operators publish: the pins are read from the
/// shared trust folder (../shared/trust/README.md beside the repository, or VNGOVSIGN_SHARED_TRUST),
/// never copied into the test.
/// </summary>
public sealed class TrustStoreTests
{
    private static string SharedTrust([CallerFilePath] string source = "")
    {
        var fromEnv = Environment.GetEnvironmentVariable("VNGOVSIGN_SHARED_TRUST");
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        // tests/VnGovSign.Core.Tests/X.cs → repository root → ../shared/trust
        var repo = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));
        var dir = Path.GetFullPath(Path.Combine(repo, "..", "shared", "trust"));
        Assert.True(File.Exists(Path.Combine(dir, "README.md")), "published trust folder not found at " + dir + " (set VNGOVSIGN_SHARED_TRUST)");
        return dir;
    }

    /// <summary>(file or null, pin) rows of the README's tables: every 64-hex-digit value in backquotes.</summary>
    private static List<(string? File, string Pin)> PublishedPins()
    {
        var rows = new List<(string?, string)>();
        foreach (var line in File.ReadAllLines(Path.Combine(SharedTrust(), "README.md")))
        {
            if (!line.StartsWith('|')) continue;
            var pin = Regex.Match(line, "`([0-9A-Fa-f]{64})`");
            if (!pin.Success) continue;
            var file = Regex.Match(line, "`([a-z0-9-]+\\.pem)`");
            rows.Add((file.Success ? file.Groups[1].Value : null, pin.Groups[1].Value.ToUpperInvariant()));
        }
        return rows;
    }

    private static X509Certificate2 SharedCertificate(string file) => CertificateFiles.Load(Path.Combine(SharedTrust(), file))[0];

    [Fact]
    public void Every_published_pin_is_known_and_every_embedded_certificate_hashes_to_its_pin()
    {
        var published = PublishedPins();
        Assert.Equal(7, published.Count); // four files and three pin-only certificates in the README
        foreach (var (file, pin) in published)
        {
            var known = Assert.Single(BuiltInTrust.Published, p => p.Sha256 == pin);
            if (file is null)
            {
                Assert.Null(known.ResourceName); // known by pin only
                continue;
            }
            Assert.Equal(file, known.ResourceName);
            // The embedded bytes, recomputed here (not through the loader's own check)…
            using var stream = typeof(BuiltInTrust).Assembly.GetManifestResourceStream("VnGovSign.Trust.Anchors." + file)!;
            using var ms = new MemoryStream();
            stream.CopyTo(ms);
            var embedded = CertificateFiles.Parse(ms.ToArray(), file)[0];
            Assert.Equal(pin, Convert.ToHexString(SHA256.HashData(embedded.RawData)));
            // …and the operator's file in the shared folder hash to the same pin.
            Assert.Equal(pin, Convert.ToHexString(SHA256.HashData(SharedCertificate(file).RawData)));
            Assert.Equal(pin, Convert.ToHexString(SHA256.HashData(BuiltInTrust.Load(known).RawData)));
        }
        Assert.Equal(published.Count, BuiltInTrust.Published.Count);
    }

    [Fact]
    public void Built_in_sets_hold_their_worlds_roots_and_intermediates()
    {
        var vgca = TrustStore.BuiltIn("vgca");
        Assert.Equal(new[] { "vgca-root-g2" }, vgca.Anchors.Select(a => a.Name));
        Assert.All(vgca.Anchors, a => Assert.Equal(TrustAnchorKind.BuiltIn, a.Kind));
        Assert.Contains("RootCA chuyên dùng Chính phủ G2", vgca.Anchors[0].Certificate.Subject);
        Assert.Single(vgca.Intermediates, c => c.Subject.Contains("CA phục vụ các cơ quan Nhà nước G2"));

        var pub = TrustStore.BuiltIn("public");
        Assert.Equal(new[] { "vn-national-root" }, pub.Anchors.Select(a => a.Name));
        Assert.Single(pub.Intermediates, c => c.Subject.Contains("VNPT-CA SHA2"));

        var all = TrustStore.BuiltIn("all");
        Assert.Equal(new[] { "vgca-root-g2", "vn-national-root" }, all.Anchors.Select(a => a.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(2, all.Intermediates.Count);
        Assert.Equal(all.Anchors.Count, TrustStore.BuiltIn(TrustWorld.All).Anchors.Count);
        Assert.Throws<ArgumentException>(() => TrustStore.BuiltIn("everything"));
        Assert.Empty(TrustStore.Empty.Anchors);
    }

    [Fact]
    public void A_user_file_matching_a_published_pin_is_recognised_as_that_anchor()
    {
        var store = TrustStore.Empty.WithFile(Path.Combine(SharedTrust(), "vgca-root-g2.pem"));
        var anchor = Assert.Single(store.Anchors);
        Assert.Equal(TrustAnchorKind.Published, anchor.Kind);
        Assert.Equal("vgca-root-g2", anchor.Name);

        // Any other certificate is a plain user anchor, named by its CN; adding it twice changes nothing.
        var own = new CertFactory().Root("Gốc riêng").Certificate;
        var mixed = store.With(new[] { own }).With(new[] { own });
        Assert.Equal(2, mixed.Anchors.Count);
        Assert.Equal(TrustAnchorKind.User, mixed.Anchors[1].Kind);
        Assert.Equal("Gốc riêng", mixed.Anchors[1].Name);
        Assert.NotNull(mixed.FindAnchor(own));
    }

    private static readonly DateTimeOffset InsideValidity = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_real_vgca_sub_ca_chains_to_the_built_in_g2_root_offline()
    {
        var v = new CertificateValidator(TrustStore.BuiltIn(TrustWorld.ChuyenDung), ValidationPolicy.Default with { Revocation = RevocationMode.Offline });
        var r = await v.ValidateAsync(SharedCertificate("vgca-cp-nn-g2.pem"), InsideValidity, usage: CertificateUsage.Any);
        Assert.Equal(Indication.TotalPassed, r.Indication);
        Assert.Equal("vgca-root-g2", r.Anchor!.Name);
        Assert.Equal(2, r.Path.Count);
        Assert.Equal("vgca-root-g2", r.Certificates[1].TrustAnchor);
        // Offline with no CRL: said, in both languages, but not held against the path (soft-fail).
        var warning = Assert.Single(r.Messages, m => m.Key == MessageKeys.RevocationUnavailableSoftFail);
        Assert.Contains("thu hồi", warning.ToText(Messages.Vietnamese));
        Assert.Contains("revocation", warning.ToText(Messages.English));
    }

    [Fact]
    public async Task Vnpt_ca_chains_to_the_national_root_but_not_to_the_vgca_set()
    {
        var vnpt = SharedCertificate("vnpt-ca-sha2.pem");
        var offline = ValidationPolicy.Default with { Revocation = RevocationMode.Offline };
        var pub = await new CertificateValidator(TrustStore.BuiltIn("public"), offline).ValidateAsync(vnpt, InsideValidity, usage: CertificateUsage.Any);
        Assert.Equal(Indication.TotalPassed, pub.Indication);
        Assert.Equal("vn-national-root", pub.Anchor!.Name);

        var vgca = await new CertificateValidator(TrustStore.BuiltIn("vgca"), offline).ValidateAsync(vnpt, InsideValidity, usage: CertificateUsage.Any);
        Assert.Equal(Indication.Indeterminate, vgca.Indication);
        Assert.Equal(SubIndication.NoCertificateChainFound, vgca.SubIndication);

        var all = await new CertificateValidator(TrustStore.BuiltIn("all"), offline).ValidateAsync(vnpt, InsideValidity, usage: CertificateUsage.Any);
        Assert.Equal("vn-national-root", all.Anchor!.Name);
    }

    [Fact]
    public async Task Offline_without_revocation_data_is_indeterminate_under_hard_fail()
    {
        var v = new CertificateValidator(TrustStore.BuiltIn("vgca"), ValidationPolicy.HardFail with { Revocation = RevocationMode.Offline });
        var r = await v.ValidateAsync(SharedCertificate("vgca-cp-nn-g2.pem"), InsideValidity, usage: CertificateUsage.Any);
        Assert.Equal(Indication.Indeterminate, r.Indication);
        Assert.Equal(SubIndication.TryLater, r.SubIndication);
        Assert.Contains(r.Messages, m => m.Key == MessageKeys.RevocationUnknownHardFail);
    }
}
