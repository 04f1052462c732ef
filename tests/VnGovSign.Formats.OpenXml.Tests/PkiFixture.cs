using VnGovSign.Testing;
using VnGovSign.Trust;
using VnGovSign.Validation;

namespace VnGovSign.Formats.OpenXml.Tests;

/// <summary>One test PKI for the whole test collection (RSA key generation takes seconds).</summary>
public sealed class PkiFixture
{
    /// <summary>Fixed so the golden sig1.xml stays byte-for-byte stable; certificates stay valid until late 2028.</summary>
    public static readonly DateTimeOffset PkiTime = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public PkiFixture()
    {
        Pki = TestPki.Create(new TestPkiOptions { Seed = 20261101, Now = PkiTime });
        Validator = new CertificateValidator(TrustStore.Empty.With(new[] { Pki.Root.Certificate }),
            ValidationPolicy.Default with { Revocation = RevocationMode.None });
    }

    public TestPki Pki { get; }
    public CertificateValidator Validator { get; }
    public OoxmlValidator OoxmlValidator => new(Validator);
}

[CollectionDefinition("pki")]
public sealed class PkiCollection : ICollectionFixture<PkiFixture> { }
