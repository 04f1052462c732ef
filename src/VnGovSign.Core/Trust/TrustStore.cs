using System.Security.Cryptography.X509Certificates;

namespace VnGovSign.Trust;

/// <summary>
/// Trust anchors (roots a user trusts) and known intermediates (used only to complete paths).
/// Immutable: <see cref="With(IEnumerable{X509Certificate2})"/> returns a new store.
/// </summary>
public sealed class TrustStore
{
    private TrustStore(IReadOnlyList<TrustAnchor> anchors, IReadOnlyList<X509Certificate2> intermediates)
    {
        Anchors = anchors;
        Intermediates = intermediates;
    }

    /// <summary>An empty store: nothing is trusted.</summary>
    public static TrustStore Empty { get; } = new(Array.Empty<TrustAnchor>(), Array.Empty<X509Certificate2>());

    /// <summary>The trust anchors.</summary>
    public IReadOnlyList<TrustAnchor> Anchors { get; }

    /// <summary>Known CA certificates that are not trusted by themselves.</summary>
    public IReadOnlyList<X509Certificate2> Intermediates { get; }

    /// <summary>
    /// Adds trust anchors; a non-self-signed certificate given as anchor is trusted as it is (RFC 5280 allows any anchor).
    /// A certificate matching a published pin (e.g. the Ban Cơ yếu G1 root) is named after it and marked <see cref="TrustAnchorKind.Published"/>.
    /// </summary>
    public TrustStore With(IEnumerable<X509Certificate2> anchors)
    {
        var list = Anchors.ToList();
        foreach (var a in anchors)
        {
            if (list.Any(x => x.Certificate.RawData.AsSpan().SequenceEqual(a.RawData))) continue;
            list.Add(BuiltInTrust.Recognize(a) is { } p ? new TrustAnchor(a, p.Name, TrustAnchorKind.Published) : new TrustAnchor(a, NameOf(a), TrustAnchorKind.User));
        }
        return new(list, Intermediates);
    }

    /// <summary>
    /// The built-in anchors and intermediates of <paramref name="worlds"/>: <c>vgca</c> (chuyên dùng: Ban Cơ yếu root G2,
    /// sub-CA for state bodies G2) and <c>public</c> (Vietnam National Root CA, VNPT-CA SHA2). Each is checked against its pin.
    /// </summary>
    public static TrustStore BuiltIn(TrustWorld worlds)
    {
        var anchors = new List<TrustAnchor>();
        var intermediates = new List<X509Certificate2>();
        foreach (var p in BuiltInTrust.Published.Where(p => p.ResourceName is not null && (p.World & worlds) != 0))
        {
            var cert = BuiltInTrust.Load(p);
            if (p.IsAnchor) anchors.Add(new TrustAnchor(cert, p.Name, TrustAnchorKind.BuiltIn));
            else intermediates.Add(cert);
        }
        return new(anchors, intermediates);
    }

    /// <summary>The built-in set named as on the command line: vgca, public or all.</summary>
    /// <exception cref="ArgumentException">Another name.</exception>
    public static TrustStore BuiltIn(string name) => name.ToLowerInvariant() switch
    {
        "vgca" or "chuyendung" => BuiltIn(TrustWorld.ChuyenDung),
        "public" or "congcong" => BuiltIn(TrustWorld.CongCong),
        "all" => BuiltIn(TrustWorld.All),
        _ => throw new ArgumentException("vgca | public | all", nameof(name)),
    };

    /// <summary>This store plus the anchors and intermediates of <paramref name="other"/>.</summary>
    public TrustStore With(TrustStore other)
    {
        var merged = this;
        foreach (var a in other.Anchors) merged = merged.With(a);
        return merged.WithIntermediates(other.Intermediates);
    }

    /// <summary>Loads PEM or DER certificates from a file and adds them as intermediates (used for path completion, not trusted).</summary>
    public TrustStore WithIntermediateFile(string path) => WithIntermediates(CertificateFiles.Load(path));

    /// <summary>Adds a named trust anchor.</summary>
    public TrustStore With(TrustAnchor anchor) => Contains(anchor.Certificate) ? this : new(Anchors.Concat(new[] { anchor }).ToList(), Intermediates);

    /// <summary>Adds intermediates used for path completion.</summary>
    public TrustStore WithIntermediates(IEnumerable<X509Certificate2> intermediates) =>
        new(Anchors, Intermediates.Concat(intermediates.Where(i => !Intermediates.Any(x => x.RawData.AsSpan().SequenceEqual(i.RawData)))).ToList());

    /// <summary>Loads PEM or DER certificates from a file and adds them as anchors.</summary>
    public TrustStore WithFile(string path) => With(CertificateFiles.Load(path));

    /// <summary>The anchor equal to <paramref name="certificate"/>, if trusted.</summary>
    public TrustAnchor? FindAnchor(X509Certificate2 certificate) =>
        Anchors.FirstOrDefault(a => a.Certificate.RawData.AsSpan().SequenceEqual(certificate.RawData));

    private bool Contains(X509Certificate2 c) => FindAnchor(c) is not null;

    private static string NameOf(X509Certificate2 c) => c.GetNameInfo(X509NameType.SimpleName, false);
}

/// <summary>Where a trust anchor comes from.</summary>
public enum TrustAnchorKind
{
    /// <summary>Supplied by the user.</summary>
    User,
    /// <summary>Built into VnGovSign (a published Vietnamese root, pinned by SHA-256).</summary>
    BuiltIn,
    /// <summary>Supplied by the user and recognised by its pin as a published Vietnamese CA certificate.</summary>
    Published,
}

/// <summary>A trusted certificate with a name for reports.</summary>
/// <param name="Certificate">The anchor.</param>
/// <param name="Name">A short name (e.g. vgca-root-g2).</param>
/// <param name="Kind">Built in or supplied.</param>
public sealed record TrustAnchor(X509Certificate2 Certificate, string Name, TrustAnchorKind Kind);
