using System.Security.Cryptography;
using System.Text;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace VnGovSign.Pkcs11;

/// <summary>
/// The one place that calls C_Login(CKU_USER). It never retries: a refused PIN is remembered for the
/// process (by token serial and the PIN's hash) and never sent to that token again, so a caller that
/// loops on errors cannot lock a token.
/// </summary>
internal static class TokenLogin
{
    /// <summary>(module path, token serial, label, SHA-256 of PIN) the token refused: never sent again in this process, even after the module was unloaded and loaded again.</summary>
    private static readonly HashSet<string> s_rejected = new(StringComparer.Ordinal);

    /// <summary>Logs in on <paramref name="session"/>; returns true when this call performed the login.</summary>
    public static bool Login(Pkcs11Module module, ISlot slot, ISession session, TokenDescription token, string? pin)
    {
        if (IsLoggedIn(session)) return false; // the application is already logged in to this token
        var flags = Pkcs11Module.Flags(slot.GetTokenInfo().TokenFlags);
        if (flags.HasFlag(TokenFlags.UserPinLocked)) throw Pkcs11Errors.Locked(null, token.Label);
        bool pinPad = flags.HasFlag(TokenFlags.ProtectedAuthenticationPath);
        if (pin is null && !pinPad)
        {
            if (!flags.HasFlag(TokenFlags.LoginRequired)) return false;
            throw new InvalidInputException(Pkcs11Messages.Resources, Pkcs11Messages.PinRequired, null, token.Label);
        }
        string? rejectKey = pin is null ? null : RejectKey(module.Path, token, pin);
        var rejected = s_rejected;
        if (rejectKey is not null)
            lock (rejected)
                if (rejected.Contains(rejectKey))
                    throw new WrongPinException(Pkcs11Messages.Resources, Pkcs11Messages.PinRejectedBefore, null, token.Label)
                    {
                        TriesRemaining = Pkcs11Errors.Tries(flags),
                    };
        try
        {
            session.Login(CKU.CKU_USER, pin); // null PIN: the token asks on its own PIN pad
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
        {
            return false;
        }
        catch (Pkcs11Exception e)
        {
            if (rejectKey is not null && e.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_LEN_RANGE or CKR.CKR_PIN_INVALID)
                lock (rejected) rejected.Add(rejectKey);
            TokenFlags after = flags;
            try { after = Pkcs11Module.Flags(slot.GetTokenInfo().TokenFlags); }
            catch (Pkcs11Exception) { /* keep the flags read before */ }
            throw Pkcs11Errors.Login(e, token.Label, after, token.MinPinLength, token.MaxPinLength);
        }
        if (rejectKey is not null)
        {
            // A good login: the PIN may have been changed since an earlier refusal.
            string prefix = module.Path + "\n" + token.SerialNumber + "\n" + token.Label + "\n";
            lock (rejected) rejected.RemoveWhere(k => k.StartsWith(prefix, StringComparison.Ordinal));
        }
        return true;
    }

    public static bool IsLoggedIn(ISession session)
    {
        var state = session.GetSessionInfo().State;
        return state is CKS.CKS_RO_USER_FUNCTIONS or CKS.CKS_RW_USER_FUNCTIONS or CKS.CKS_RW_SO_FUNCTIONS;
    }

    private static string RejectKey(string modulePath, TokenDescription token, string pin)
    {
        using var sha = SHA256.Create();
        return modulePath + "\n" + token.SerialNumber + "\n" + token.Label + "\n" + Hex.Upper(sha.ComputeHash(Encoding.UTF8.GetBytes(pin)));
    }
}
