using System.Resources;

namespace VnGovSign.Pkcs11;

/// <summary>VnGovSign.Pkcs11's messages (Vietnamese by default, English), keyed by the constants below.</summary>
public static class Pkcs11Messages
{
    /// <summary>The package's resources, for <see cref="VnGovSignException.GetMessage"/> and reports.</summary>
    public static ResourceManager Resources { get; } = new("VnGovSign.Pkcs11.Resources.Pkcs11Messages", typeof(Pkcs11Messages).Assembly);

    /// <summary>The module file exists but cannot be loaded or initialised.</summary>
    public const string ModuleLoadFailed = nameof(ModuleLoadFailed);
    /// <summary>The module file does not exist.</summary>
    public const string ModuleNotFound = nameof(ModuleNotFound);
    /// <summary>No token with the given label.</summary>
    public const string TokenNotFound = nameof(TokenNotFound);
    /// <summary>The token disappeared (CKR_TOKEN_NOT_PRESENT, CKR_DEVICE_REMOVED…).</summary>
    public const string TokenNotPresent = nameof(TokenNotPresent);
    /// <summary>Any other PKCS#11 error.</summary>
    public const string TokenError = nameof(TokenError);
    /// <summary>CKR_PIN_INCORRECT, the token says nothing about the tries left.</summary>
    public const string WrongPin = nameof(WrongPin);
    /// <summary>CKR_PIN_INCORRECT with CKF_USER_PIN_COUNT_LOW.</summary>
    public const string WrongPinCountLow = nameof(WrongPinCountLow);
    /// <summary>CKR_PIN_INCORRECT with CKF_USER_PIN_FINAL_TRY.</summary>
    public const string WrongPinFinalTry = nameof(WrongPinFinalTry);
    /// <summary>The same PIN already failed on this token in this process: not sent again.</summary>
    public const string PinRejectedBefore = nameof(PinRejectedBefore);
    /// <summary>CKR_PIN_LOCKED or CKF_USER_PIN_LOCKED.</summary>
    public const string PinLocked = nameof(PinLocked);
    /// <summary>CKR_PIN_LEN_RANGE.</summary>
    public const string PinLengthInvalid = nameof(PinLengthInvalid);
    /// <summary>No PIN given and the token has no protected authentication path.</summary>
    public const string PinRequired = nameof(PinRequired);
    /// <summary>No private key with the given label or id.</summary>
    public const string KeyNotFound = nameof(KeyNotFound);
    /// <summary>Several keys and none named.</summary>
    public const string KeyAmbiguous = nameof(KeyAmbiguous);
    /// <summary>No private key with a certificate.</summary>
    public const string NoKeyOnToken = nameof(NoKeyOnToken);
    /// <summary>A key without certificate.</summary>
    public const string CertificateNotFound = nameof(CertificateNotFound);
    /// <summary>Key generation with a label already used.</summary>
    public const string KeyExists = nameof(KeyExists);
    /// <summary>A key type other than RSA or EC.</summary>
    public const string KeyTypeUnsupported = nameof(KeyTypeUnsupported);
    /// <summary>An algorithm name other than rsa2048, rsa3072, p256.</summary>
    public const string AlgorithmUnsupported = nameof(AlgorithmUnsupported);
    /// <summary>The token lacks a needed mechanism.</summary>
    public const string MechanismUnsupported = nameof(MechanismUnsupported);
    /// <summary>A distinguished name that cannot be parsed.</summary>
    public const string SubjectInvalid = nameof(SubjectInvalid);
    /// <summary>A certificate whose public key is not the token key's.</summary>
    public const string CertificateKeyMismatch = nameof(CertificateKeyMismatch);
    /// <summary>A certificate file or object that cannot be parsed.</summary>
    public const string CertificateUnreadable = nameof(CertificateUnreadable);
    /// <summary>Use after dispose.</summary>
    public const string SignerDisposed = nameof(SignerDisposed);
    /// <summary>Sessions lost and not reopened.</summary>
    public const string TokenRecoveryFailed = nameof(TokenRecoveryFailed);
    /// <summary>CKF_WRITE_PROTECTED on a write.</summary>
    public const string WriteProtected = nameof(WriteProtected);
}
