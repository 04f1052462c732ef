using System.Security.Cryptography.X509Certificates;

namespace VnGovSign.Pkcs11;

/// <summary>What a <see cref="Pkcs11Signer"/> opens: a module, a token, a PIN, a key, and how many sessions.</summary>
public sealed record Pkcs11SignerOptions
{
    /// <summary>The PKCS#11 module (e.g. /usr/lib/softhsm/libsofthsm2.so, bit4ipki.dll, libeTPkcs11.so).</summary>
    public string ModulePath { get; init; } = "";

    /// <summary>The token's label (or serial number).</summary>
    public string TokenLabel { get; init; } = "";

    /// <summary>The user PIN; null logs in through the token's protected authentication path (PIN pad), or not at all when the token needs no login.</summary>
    public string? Pin { get; init; }

    /// <summary>The key's label, its certificate's label, or "id:HEX"; null when the token holds exactly one key with a certificate.</summary>
    public string? KeyLabel { get; init; }

    /// <summary>
    /// Sessions kept open (HSM mode): that many callers sign at the same time. 1 suits a USB token;
    /// an HSM serves more. All sessions share one login.
    /// </summary>
    public int SessionCount { get; init; } = 1;

    /// <summary>CA certificates to embed (issuer first); when null, the CA certificates found on the token are used.</summary>
    public IReadOnlyList<X509Certificate2>? Chain { get; init; }
}
