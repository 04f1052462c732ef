using System.Security.Cryptography.X509Certificates;

namespace VnGovSign.Trust;

/// <summary>The two Vietnamese trust worlds.</summary>
[Flags]
public enum TrustWorld
{
    /// <summary>None.</summary>
    None = 0,
    /// <summary>Chuyên dùng công vụ: Ban Cơ yếu Chính phủ's roots (vgca).</summary>
    ChuyenDung = 1,
    /// <summary>Công cộng: public CAs under the Vietnam National Root CA (public).</summary>
    CongCong = 2,
    /// <summary>Both (all).</summary>
    All = ChuyenDung | CongCong,
}

/// <summary>A published certificate known by its SHA-256 pin.</summary>
/// <param name="Name">Short name used in reports (e.g. vgca-root-g2).</param>
/// <param name="Sha256">SHA-256 of the DER certificate, upper-case hex.</param>
/// <param name="World">Which trust world it belongs to.</param>
/// <param name="IsAnchor">True for roots (trust anchors), false for sub-CAs (known intermediates).</param>
/// <param name="ResourceName">The embedded PEM, or null when only the pin is known.</param>
public sealed record PublishedCertificate(string Name, string Sha256, TrustWorld World, bool IsAnchor, string? ResourceName);

/// <summary>
/// The Vietnamese CA certificates VnGovSign knows: four embedded (pinned by SHA-256, checked at load)
/// and three known by pin only (Ban Cơ yếu G1 root, G1 sub-CA <c>cp</c>, the Party-bodies G2 sub-CA),
/// which are recognised when a user supplies them.
/// </summary>
public static class BuiltInTrust
{
    /// <summary>Every published certificate known, embedded or by pin.</summary>
    public static IReadOnlyList<PublishedCertificate> Published { get; } = new[]
    {
        new PublishedCertificate("vgca-root-g2", "F04BA4B459A7C9A1B971AD9B1CB833E695A80C79AEA63B174B66A70EDFE2FDB8", TrustWorld.ChuyenDung, true, "vgca-root-g2.pem"),
        new PublishedCertificate("vgca-cp-nn-g2", "D8CAB7A4AEF92E6BB2509D7C61CEE7B44F3731B2D21074963530277B366FAE4B", TrustWorld.ChuyenDung, false, "vgca-cp-nn-g2.pem"),
        new PublishedCertificate("vn-national-root", "BAC8BF609AB420A8EE1780D74F4DE5C7F7184959D2A7375B0A75E4C29F0908E7", TrustWorld.CongCong, true, "vn-national-root.pem"),
        new PublishedCertificate("vnpt-ca-sha2", "7D6BA5245317F9ED5D8BC765A4634D26AC6340D36B9F584DF3B52D9C4A81A306", TrustWorld.CongCong, false, "vnpt-ca-sha2.pem"),
        new PublishedCertificate("vgca-root-g1", "F7BC89054CEC7F12730D7B8CD3EB7955B163835087E5EB873EDFB584763B3F90", TrustWorld.ChuyenDung, true, null),
        new PublishedCertificate("vgca-cp-g1", "75E969C07BA35C29C72BBC1BFB880F20F3891A619B00B77EB02CA6160736A1FE", TrustWorld.ChuyenDung, false, null),
        new PublishedCertificate("vgca-dcs-g2", "E4B402E3CB4CACC0A20D21FA49BCE76BEB4EB47BA7FFB7A8F71C554DBE561A81", TrustWorld.ChuyenDung, false, null),
    };

    /// <summary>The published certificate whose pin <paramref name="certificate"/> matches, if any.</summary>
    public static PublishedCertificate? Recognize(X509Certificate2 certificate)
    {
        var pin = Hex.Upper(Digests.Sha256(certificate.RawData));
        return Published.FirstOrDefault(p => p.Sha256 == pin);
    }

    /// <summary>Loads an embedded certificate and checks it against its pin.</summary>
    /// <exception cref="InvalidOperationException">The embedded bytes do not match the pin (a damaged package).</exception>
    public static X509Certificate2 Load(PublishedCertificate published)
    {
        if (published.ResourceName is null) throw new InvalidOperationException(published.Name + " is known by pin only");
        using var stream = typeof(BuiltInTrust).Assembly.GetManifestResourceStream("VnGovSign.Trust.Anchors." + published.ResourceName)
                           ?? throw new InvalidOperationException("missing resource " + published.ResourceName);
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        var cert = CertificateFiles.Parse(ms.ToArray(), published.ResourceName)[0];
        if (Hex.Upper(Digests.Sha256(cert.RawData)) != published.Sha256)
            throw new InvalidOperationException(Messages.Get(MessageKeys.BuiltInPinMismatch, null, published.Name));
        return cert;
    }
}
