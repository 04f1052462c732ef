using System.Security.Cryptography.X509Certificates;

namespace VnGovSign.Pkcs11;

/// <summary>The token flags that matter to a signer (CK_TOKEN_INFO.flags).</summary>
[Flags]
public enum TokenFlags
{
    /// <summary>No flag.</summary>
    None = 0,
    /// <summary>CKF_LOGIN_REQUIRED: a PIN is needed before keys can be used.</summary>
    LoginRequired = 1 << 0,
    /// <summary>CKF_USER_PIN_INITIALIZED.</summary>
    UserPinInitialized = 1 << 1,
    /// <summary>CKF_USER_PIN_COUNT_LOW: a wrong PIN was entered since the last good one.</summary>
    UserPinCountLow = 1 << 2,
    /// <summary>CKF_USER_PIN_FINAL_TRY: the next wrong PIN locks the token.</summary>
    UserPinFinalTry = 1 << 3,
    /// <summary>CKF_USER_PIN_LOCKED: the PIN is locked.</summary>
    UserPinLocked = 1 << 4,
    /// <summary>CKF_PROTECTED_AUTHENTICATION_PATH: the PIN is entered on the device (PIN pad, biometrics).</summary>
    ProtectedAuthenticationPath = 1 << 5,
    /// <summary>CKF_TOKEN_INITIALIZED.</summary>
    TokenInitialized = 1 << 6,
    /// <summary>CKF_WRITE_PROTECTED.</summary>
    WriteProtected = 1 << 7,
    /// <summary>CKF_USER_PIN_TO_BE_CHANGED: the token wants a new PIN (first use).</summary>
    UserPinToBeChanged = 1 << 8,
}

/// <summary>A token found in a slot of a PKCS#11 module.</summary>
/// <param name="SlotId">The slot's id (module-specific; labels are the stable way to name a token).</param>
/// <param name="SlotDescription">The slot's description (reader name for USB tokens).</param>
/// <param name="Label">The token label (UTF-8, may carry Vietnamese diacritics).</param>
/// <param name="SerialNumber">The token's serial number.</param>
/// <param name="Manufacturer">The token's manufacturer.</param>
/// <param name="Model">The token's model.</param>
/// <param name="Flags">The flags the token reports now.</param>
/// <param name="MinPinLength">Shortest PIN the token accepts.</param>
/// <param name="MaxPinLength">Longest PIN the token accepts.</param>
public sealed record TokenDescription(ulong SlotId, string SlotDescription, string Label, string SerialNumber,
    string Manufacturer, string Model, TokenFlags Flags, int MinPinLength, int MaxPinLength)
{
    /// <summary>The flags as short words for a listing ("login-required, pin-count-low…").</summary>
    public string FlagNames => TokenFlagNames.Format(Flags);
}

internal static class TokenFlagNames
{
    public static string Format(TokenFlags flags)
    {
        var names = new List<string>();
        if (flags.HasFlag(TokenFlags.LoginRequired)) names.Add("login-required");
        if (flags.HasFlag(TokenFlags.ProtectedAuthenticationPath)) names.Add("pin-pad");
        if (flags.HasFlag(TokenFlags.UserPinCountLow)) names.Add("pin-count-low");
        if (flags.HasFlag(TokenFlags.UserPinFinalTry)) names.Add("pin-final-try");
        if (flags.HasFlag(TokenFlags.UserPinLocked)) names.Add("pin-locked");
        if (flags.HasFlag(TokenFlags.UserPinToBeChanged)) names.Add("pin-to-be-changed");
        if (!flags.HasFlag(TokenFlags.UserPinInitialized)) names.Add("pin-not-initialized");
        if (flags.HasFlag(TokenFlags.WriteProtected)) names.Add("write-protected");
        return string.Join(", ", names);
    }
}

/// <summary>The kind of a token object.</summary>
public enum TokenObjectKind
{
    /// <summary>CKO_CERTIFICATE (X.509).</summary>
    Certificate,
    /// <summary>CKO_PRIVATE_KEY.</summary>
    PrivateKey,
    /// <summary>CKO_PUBLIC_KEY.</summary>
    PublicKey,
}

/// <summary>A certificate or key object on a token, as a listing shows it.</summary>
/// <param name="Kind">Certificate, private key or public key.</param>
/// <param name="Label">CKA_LABEL (UTF-8).</param>
/// <param name="Id">CKA_ID (binary; often the key's SHA-1 or a random value).</param>
/// <param name="KeyAlgorithm">For keys: RSA or ECDSA; null for certificates.</param>
/// <param name="KeySize">For keys: RSA modulus bits or EC field bits; 0 when unknown.</param>
/// <param name="Certificate">For certificates: the certificate.</param>
public sealed record TokenObject(TokenObjectKind Kind, string Label, byte[] Id, KeyAlgorithm? KeyAlgorithm, int KeySize,
    X509Certificate2? Certificate)
{
    /// <summary>CKA_ID in upper-case hex.</summary>
    public string IdHex => Hex.Upper(Id);
}

/// <summary>How a key and its certificate were paired.</summary>
public enum KeyPairing
{
    /// <summary>No certificate found for the key.</summary>
    None,
    /// <summary>Same CKA_ID (the normal case).</summary>
    ById,
    /// <summary>Different CKA_ID but the same public key (seen on some tokens issued in Vietnam).</summary>
    ByPublicKey,
}

/// <summary>A private key on a token with the certificate that belongs to it, if any.</summary>
/// <param name="Label">The private key's CKA_LABEL.</param>
/// <param name="Id">The private key's CKA_ID.</param>
/// <param name="KeyAlgorithm">RSA or ECDSA.</param>
/// <param name="KeySize">RSA modulus bits or EC field bits.</param>
/// <param name="Certificate">The paired certificate, or null.</param>
/// <param name="Pairing">How the certificate was found.</param>
/// <param name="AlwaysAuthenticate">CKA_ALWAYS_AUTHENTICATE: every signature needs the PIN again.</param>
public sealed record TokenKey(string Label, byte[] Id, KeyAlgorithm KeyAlgorithm, int KeySize, X509Certificate2? Certificate,
    KeyPairing Pairing, bool AlwaysAuthenticate)
{
    /// <summary>CKA_ID in upper-case hex.</summary>
    public string IdHex => Hex.Upper(Id);
}

/// <summary>Key pairs <see cref="Pkcs11Token.GenerateKeyPair"/> can make.</summary>
public enum TokenKeyType
{
    /// <summary>RSA 2048 bits (public exponent 65537).</summary>
    Rsa2048,
    /// <summary>RSA 3072 bits, as on Ban Cơ yếu tokens.</summary>
    Rsa3072,
    /// <summary>ECDSA on NIST P-256 (secp256r1).</summary>
    EcP256,
}
