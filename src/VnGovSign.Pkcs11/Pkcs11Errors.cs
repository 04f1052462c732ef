using Net.Pkcs11Interop.Common;

namespace VnGovSign.Pkcs11;

/// <summary>Turns PKCS#11 return values into VnGovSign's typed errors.</summary>
internal static class Pkcs11Errors
{
    /// <summary>Return values after which reopening sessions may help (never a PIN problem).</summary>
    public static bool IsRecoverable(CKR rv) => rv is CKR.CKR_SESSION_HANDLE_INVALID or CKR.CKR_SESSION_CLOSED
        or CKR.CKR_USER_NOT_LOGGED_IN or CKR.CKR_DEVICE_REMOVED or CKR.CKR_TOKEN_NOT_PRESENT
        or CKR.CKR_OBJECT_HANDLE_INVALID or CKR.CKR_KEY_HANDLE_INVALID or CKR.CKR_SESSION_COUNT;

    /// <summary>The token is gone (removed, reader unplugged).</summary>
    public static bool IsAbsent(CKR rv) => rv is CKR.CKR_DEVICE_REMOVED or CKR.CKR_TOKEN_NOT_PRESENT or CKR.CKR_SLOT_ID_INVALID
        or CKR.CKR_TOKEN_NOT_RECOGNIZED;

    /// <summary>
    /// The error for a failed C_Login. <paramref name="flagsAfter"/> are the token flags read right after
    /// the failure: PKCS#11 reports the remaining tries only through them.
    /// </summary>
    public static TokenException Login(Pkcs11Exception e, string tokenLabel, TokenFlags flagsAfter, int minPin, int maxPin) => e.RV switch
    {
        CKR.CKR_PIN_INCORRECT when flagsAfter.HasFlag(TokenFlags.UserPinLocked) => Locked(e, tokenLabel),
        CKR.CKR_PIN_INCORRECT => WrongPin(e, tokenLabel, flagsAfter),
        CKR.CKR_PIN_LOCKED => Locked(e, tokenLabel),
        CKR.CKR_PIN_LEN_RANGE => new WrongPinException(Pkcs11Messages.Resources, Pkcs11Messages.PinLengthInvalid, e, tokenLabel, minPin, maxPin)
        {
            TriesRemaining = Tries(flagsAfter),
        },
        CKR.CKR_PIN_EXPIRED or CKR.CKR_PIN_INVALID => new WrongPinException(Pkcs11Messages.Resources, Pkcs11Messages.WrongPin, e, tokenLabel)
        {
            TriesRemaining = Tries(flagsAfter),
        },
        _ => Operation(e, "C_Login"),
    };

    public static WrongPinException WrongPin(Exception? inner, string tokenLabel, TokenFlags flags)
    {
        var tries = Tries(flags);
        string key = tries switch
        {
            PinTriesRemaining.FinalTry => Pkcs11Messages.WrongPinFinalTry,
            PinTriesRemaining.CountLow => Pkcs11Messages.WrongPinCountLow,
            _ => Pkcs11Messages.WrongPin,
        };
        return new WrongPinException(Pkcs11Messages.Resources, key, inner, tokenLabel) { TriesRemaining = tries };
    }

    public static TokenLockedException Locked(Exception? inner, string tokenLabel) =>
        new(Pkcs11Messages.Resources, Pkcs11Messages.PinLocked, inner, tokenLabel);

    public static PinTriesRemaining Tries(TokenFlags flags) =>
        flags.HasFlag(TokenFlags.UserPinFinalTry) ? PinTriesRemaining.FinalTry
        : flags.HasFlag(TokenFlags.UserPinCountLow) ? PinTriesRemaining.CountLow
        : PinTriesRemaining.Unknown;

    /// <summary>Any other failure of a PKCS#11 call: absent token → 69-class error naming the slot, else the CKR.</summary>
    public static TokenException Operation(Pkcs11Exception e, string function, ulong? slotId = null) =>
        IsAbsent(e.RV)
            ? new TokenException(Pkcs11Messages.Resources, Pkcs11Messages.TokenNotPresent, e, slotId?.ToString() ?? "?", e.RV.ToString())
            : new TokenException(Pkcs11Messages.Resources, Pkcs11Messages.TokenError, e, function, e.RV.ToString());
}
