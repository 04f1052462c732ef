namespace VnGovSign.Testing;

/// <summary>How to generate a test PKI.</summary>
public sealed record TestPkiOptions
{
    /// <summary>Seed for key generation and serials: the same seed and time give the same PKI, byte for byte. Null: random.</summary>
    public long? Seed { get; init; }

    /// <summary>The time the PKI is made at (null: now). Validity periods are set around it.</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>
    /// Base URL written into the certificates: OCSP at BASE/ocsp, CRLs under BASE/crl/, CA certificates
    /// under BASE/certs/, TSA at BASE/tsa. Serve it again later on the same port with <c>vngovsign pki serve</c>.
    /// </summary>
    public string BaseUrl { get; init; } = "http://127.0.0.1:8790";

    /// <summary>RSA key size of the end entities (2048 by default; 3072 as Ban Cơ yếu tokens often use).</summary>
    public int RsaKeySize { get; init; } = 2048;
}
