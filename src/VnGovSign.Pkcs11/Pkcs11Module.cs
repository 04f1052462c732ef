using System.Text;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace VnGovSign.Pkcs11;

/// <summary>
/// A loaded PKCS#11 module (the vendor's .so/.dll/.dylib). A module may be initialised only once per
/// process, so every <see cref="Load"/> of the same path shares one initialised library; it is
/// finalised when the last <see cref="Pkcs11Module"/> over it is disposed.
/// </summary>
public sealed class Pkcs11Module : IDisposable
{
    private static readonly object s_lock = new();
    private static readonly Dictionary<string, Loaded> s_loaded = new(StringComparer.Ordinal);
    private Loaded? _loaded;

    private Pkcs11Module(Loaded loaded) => _loaded = loaded;

    /// <summary>
    /// Loads and initialises the module at <paramref name="path"/> (or shares the one already loaded).
    /// A bare file name (no folder) is looked up by the operating system's library search.
    /// </summary>
    /// <exception cref="ServiceUnavailableException">The file is missing or is not a loadable PKCS#11 module; the message names the path (CLI exit 69).</exception>
    public static Pkcs11Module Load(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("module path is empty", nameof(path));
        bool hasFolder = path.IndexOf('/') >= 0 || path.IndexOf('\\') >= 0;
        string key = hasFolder ? System.IO.Path.GetFullPath(path) : path;
        if (hasFolder && !File.Exists(key))
            throw new ServiceUnavailableException(Pkcs11Messages.Resources, Pkcs11Messages.ModuleNotFound, null, key);
        lock (s_lock)
        {
            if (s_loaded.TryGetValue(key, out var existing))
            {
                existing.References++;
                return new Pkcs11Module(existing);
            }
            NativeLibraryFix.Apply();
            var factories = new Pkcs11InteropFactories();
            IPkcs11Library library;
            try
            {
                library = factories.Pkcs11LibraryFactory.LoadPkcs11Library(factories, key, AppType.MultiThreaded);
            }
            catch (Exception e) when (e is Pkcs11Exception or UnmanagedException or DllNotFoundException or EntryPointNotFoundException
                                          or BadImageFormatException or IOException or InvalidOperationException)
            {
                string reason = e is Pkcs11Exception p ? p.Method + " → " + p.RV : e.Message;
                throw new ServiceUnavailableException(Pkcs11Messages.Resources, Pkcs11Messages.ModuleLoadFailed, e, key, reason);
            }
            var loaded = new Loaded(key, factories, library) { References = 1 };
            s_loaded[key] = loaded;
            return new Pkcs11Module(loaded);
        }
    }

    /// <summary>The module's path as loaded.</summary>
    public string Path => Shared.Path;

    /// <summary>The module's manufacturer and description (CK_INFO).</summary>
    public string Description
    {
        get
        {
            var info = Shared.Library.GetInfo();
            return (info.ManufacturerId.Trim() + " " + info.LibraryDescription.Trim() + " " + info.LibraryVersion).Trim();
        }
    }

    internal Loaded Shared => _loaded ?? throw new ObjectDisposedException(nameof(Pkcs11Module));
    internal Pkcs11InteropFactories Factories => Shared.Factories;

    /// <summary>Every slot that holds a token, with the token's label, serial, model and flags.</summary>
    /// <exception cref="TokenException">The module failed to list its slots.</exception>
    public IReadOnlyList<TokenDescription> GetTokens()
    {
        List<ISlot> slots;
        try { slots = Shared.Library.GetSlotList(SlotsType.WithTokenPresent); }
        catch (Pkcs11Exception e) { throw Pkcs11Errors.Operation(e, "C_GetSlotList"); }
        var result = new List<TokenDescription>();
        foreach (var slot in slots)
        {
            try { result.Add(Describe(slot)); }
            catch (Pkcs11Exception e) when (Pkcs11Errors.IsAbsent(e.RV)) { /* removed while listing */ }
            catch (Pkcs11Exception e) { throw Pkcs11Errors.Operation(e, "C_GetTokenInfo", slot.SlotId); }
        }
        return result;
    }

    /// <summary>Finds a token by label (Unicode-normalised, blanks trimmed; a label longer than the 32 bytes PKCS#11 keeps matches by its stored prefix) or by serial number.</summary>
    /// <exception cref="TokenException">No such token is present (CLI exit 69); the message lists the tokens that are.</exception>
    public TokenDescription FindToken(string labelOrSerial)
    {
        var tokens = GetTokens();
        var found = tokens.FirstOrDefault(t => LabelMatches(t.Label, labelOrSerial))
                    ?? tokens.FirstOrDefault(t => t.SerialNumber.Length > 0 && t.SerialNumber == labelOrSerial.Trim());
        if (found is not null) return found;
        var named = tokens.Where(t => t.Flags.HasFlag(TokenFlags.TokenInitialized)).ToList(); // not the empty slot SoftHSM2 and others keep
        string present = named.Count == 0 ? "-" : string.Join(", ", named.Select(t => "'" + t.Label + "'"));
        throw new TokenException(Pkcs11Messages.Resources, Pkcs11Messages.TokenNotFound, null, labelOrSerial, Path, present);
    }

    /// <summary>
    /// Opens a session on the token and logs in with <paramref name="pin"/> (null: through the token's
    /// protected authentication path, or no login when the token does not require one). Wrong PINs are
    /// never retried.
    /// </summary>
    /// <exception cref="WrongPinException">The token refused the PIN; <see cref="WrongPinException.TriesRemaining"/> says what the token told.</exception>
    /// <exception cref="TokenLockedException">The PIN is locked.</exception>
    public Pkcs11Token OpenToken(string tokenLabel, string? pin, bool readWrite = false)
    {
        var token = FindToken(tokenLabel);
        return new Pkcs11Token(Share(), token, pin, readWrite);
    }

    /// <summary>
    /// What anyone can see on the token without a PIN: certificates and public keys (private keys are
    /// hidden until a login on most tokens). Never logs in, so it can never cost a PIN try.
    /// </summary>
    /// <exception cref="TokenException">The token is absent or refused to list its objects.</exception>
    public IReadOnlyList<TokenObject> ListPublicObjects(TokenDescription token)
    {
        if (token is null) throw new ArgumentNullException(nameof(token));
        ISession session;
        try { session = Slot(token.SlotId).OpenSession(SessionType.ReadOnly); }
        catch (Pkcs11Exception e) { throw Pkcs11Errors.Operation(e, "C_OpenSession", token.SlotId); }
        try
        {
            return TokenObjects.ReadAll(Factories, session).Select(o => o.ToPublic()).ToList();
        }
        catch (Pkcs11Exception e) { throw Pkcs11Errors.Operation(e, "C_FindObjects", token.SlotId); }
        finally
        {
            try { session.CloseSession(); } catch (Pkcs11Exception) { }
        }
    }

    /// <summary>For tests: how many distinct modules are loaded in this process right now.</summary>
    internal static int LoadedCount
    {
        get { lock (s_lock) return s_loaded.Count; }
    }

    /// <summary>A second handle on the same loaded module (its own reference).</summary>
    internal Pkcs11Module Share()
    {
        lock (s_lock)
        {
            var l = Shared;
            l.References++;
            return new Pkcs11Module(l);
        }
    }

    internal ISlot Slot(ulong slotId)
    {
        foreach (var s in Shared.Library.GetSlotList(SlotsType.WithOrWithoutTokenPresent))
            if (s.SlotId == slotId) return s;
        throw new Pkcs11Exception("C_GetSlotList", CKR.CKR_SLOT_ID_INVALID);
    }

    internal static TokenDescription Describe(ISlot slot)
    {
        var si = slot.GetSlotInfo();
        var ti = slot.GetTokenInfo();
        return new TokenDescription(slot.SlotId, si.SlotDescription.Trim(), ti.Label.Trim(), ti.SerialNumber.Trim(), ti.ManufacturerId.Trim(),
            ti.Model.Trim(), Flags(ti.TokenFlags), ToInt(ti.MinPinLen), ToInt(ti.MaxPinLen));
    }

    private static int ToInt(ulong v) => v > int.MaxValue ? int.MaxValue : (int)v;

    internal static TokenFlags Flags(ITokenFlags f)
    {
        var r = TokenFlags.None;
        if (f.LoginRequired) r |= TokenFlags.LoginRequired;
        if (f.UserPinInitialized) r |= TokenFlags.UserPinInitialized;
        if (f.UserPinCountLow) r |= TokenFlags.UserPinCountLow;
        if (f.UserPinFinalTry) r |= TokenFlags.UserPinFinalTry;
        if (f.UserPinLocked) r |= TokenFlags.UserPinLocked;
        if (f.ProtectedAuthenticationPath) r |= TokenFlags.ProtectedAuthenticationPath;
        if (f.TokenInitialized) r |= TokenFlags.TokenInitialized;
        if (f.WriteProtected) r |= TokenFlags.WriteProtected;
        if (f.UserPinToBeChanged) r |= TokenFlags.UserPinToBeChanged;
        return r;
    }

    internal static bool LabelMatches(string stored, string wanted)
    {
        string a = stored.Trim().Normalize(NormalizationForm.FormC);
        string b = wanted.Trim().Normalize(NormalizationForm.FormC);
        if (a == b) return true;
        // CK_TOKEN_INFO.label holds 32 bytes: a longer UTF-8 label is cut (possibly inside a letter).
        var wb = Encoding.UTF8.GetBytes(b);
        if (wb.Length <= 32 || a.Length == 0) return false;
        var cut = Encoding.UTF8.GetString(wb, 0, 32).TrimEnd('\uFFFD').Trim();
        return cut.Length > 0 && (a == cut || a.TrimEnd('\uFFFD') == cut);
    }

    /// <summary>Releases this handle; the module is finalised when no handle is left.</summary>
    public void Dispose()
    {
        lock (s_lock)
        {
            var l = _loaded;
            if (l is null) return;
            _loaded = null;
            if (--l.References > 0) return;
            s_loaded.Remove(l.Path);
            try { l.Library.Dispose(); } // C_Finalize + unload
            catch (Exception e) when (e is Pkcs11Exception or UnmanagedException) { /* nothing left to save */ }
        }
    }

    internal sealed class Loaded
    {
        public Loaded(string path, Pkcs11InteropFactories factories, IPkcs11Library library)
        {
            Path = path; Factories = factories; Library = library;
        }

        public string Path { get; }
        public Pkcs11InteropFactories Factories { get; }
        public IPkcs11Library Library { get; }
        public int References { get; set; }
    }
}
