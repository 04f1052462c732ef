using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Net.Pkcs11Interop.Common;

namespace VnGovSign.Pkcs11.Tests;

/// <summary>
/// SoftHSM2 seen through OpenSC's pkcs11-spy, which logs every PKCS#11 call between our library and
/// the module: the log is how a test counts the C_Login calls (the PIN tries) the library makes.
/// </summary>
public sealed class SpyFixture : SoftHsmFixture
{
    public const string Token = "PIN sai — Sở Nội vụ";
    public const string LockedToken = "Token đã khóa";
    public const string FinalTryToken = "Lần thử cuối";
    public const string AlwaysAuthToken = "Luôn xác thực";
    public const string ChangedPinToken = "PIN bị đổi";

    public SpyFixture()
    {
        if (!File.Exists(SoftHsm.SpyPath)) throw new InvalidOperationException("OpenSC's pkcs11-spy is not installed (apt-get install opensc-pkcs11)");
        foreach (var t in new[] { Token, LockedToken, FinalTryToken, ChangedPinToken })
        {
            InitToken(t);
            ImportKey(t, Pki.Instance.Leader, "Lãnh đạo", "01");
            WriteCertificate(t, Pki.Instance.Leader.Certificate, "Lãnh đạo", "01");
        }
        // A key that wants the PIN again for every signature (CKA_ALWAYS_AUTHENTICATE), made by OpenSC.
        InitToken(AlwaysAuthToken);
        Tool("pkcs11-tool", "--module", SoftHsm.ModulePath, "--token-label", AlwaysAuthToken, "--login", "--pin", SoftHsm.UserPin,
            "--keypairgen", "--key-type", "rsa:2048", "--id", "0A", "--label", "Ký từng lần", "--always-auth");
        // SoftHSM2 never locks a PIN and never reports a final try; its token file keeps the flags, so
        // these tokens are made to report what a bit4id token reports after two and three wrong PINs.
        SetStoredTokenFlags(LockedToken, 0x00040000);   // CKF_USER_PIN_LOCKED
        SetStoredTokenFlags(FinalTryToken, 0x00020000); // CKF_USER_PIN_FINAL_TRY
        SpyLog = Path.Combine(Directory, "spy.log");
        SoftHsm.SetEnvironment("PKCS11SPY", SoftHsm.ModulePath);
        SoftHsm.SetEnvironment("PKCS11SPY_OUTPUT", SpyLog);
        SpyModule = Pkcs11Module.Load(SoftHsm.SpyPath);
    }

    public string SpyLog { get; }
    public Pkcs11Module SpyModule { get; }

    /// <summary>C_Login calls the module received so far.</summary>
    public int Logins()
    {
        using var fs = new FileStream(SpyLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var r = new StreamReader(fs);
        return Regex.Matches(r.ReadToEnd(), @"^\d+: C_Login\s*$", RegexOptions.Multiline).Count;
    }

    public TokenFlags Flags(string token) => SpyModule.FindToken(token).Flags;

    public override void Dispose()
    {
        SpyModule.Dispose();
        base.Dispose();
    }
}

/// <summary>
/// PIN safety. What SoftHSM2 can prove: it returns CKR_PIN_INCORRECT and sets CKF_USER_PIN_COUNT_LOW
/// after a wrong PIN (clearing it after a good one), but it counts no tries and never locks. So "one
/// wrong PIN costs exactly one try" is proven by counting C_Login calls in the pkcs11-spy log (one per
/// wrong PIN, none when the same wrong PIN is given again), and the locked / final-try behaviour by a
/// SoftHSM2 token whose stored flags say so.
/// </summary>
public sealed class PinSafetyTests : IClassFixture<SpyFixture>
{
    private readonly SpyFixture _f;
    public PinSafetyTests(SpyFixture f) => _f = f;

    private Pkcs11SignerOptions Options(string token, string pin) => new() { ModulePath = SoftHsm.SpyPath, TokenLabel = token, Pin = pin };

    [Fact]
    public async Task One_wrong_pin_costs_exactly_one_try_and_the_right_pin_still_works()
    {
        int before = _f.Logins();
        Assert.False(_f.Flags(SpyFixture.Token).HasFlag(TokenFlags.UserPinCountLow));

        var e = Assert.Throws<WrongPinException>(() => Pkcs11Signer.Open(Options(SpyFixture.Token, "000000")));
        Assert.Equal(before + 1, _f.Logins());                           // exactly one C_Login
        Assert.Equal(PinTriesRemaining.CountLow, e.TriesRemaining);     // read from the token's flags after the failure
        Assert.True(_f.Flags(SpyFixture.Token).HasFlag(TokenFlags.UserPinCountLow));
        Assert.Contains("PIN", e.GetMessage(Messages.Vietnamese));
        Assert.Contains("PIN", e.GetMessage(Messages.English));
        Assert.Contains(SpyFixture.Token, e.GetMessage(Messages.Vietnamese));

        // The same wrong PIN again (a caller looping on errors) never reaches the token.
        var again = Assert.Throws<WrongPinException>(() => Pkcs11Signer.Open(Options(SpyFixture.Token, "000000")));
        Assert.Equal(Pkcs11Messages.PinRejectedBefore, again.MessageKey);
        Assert.Equal(before + 1, _f.Logins());

        // The right PIN: one more C_Login, the token clears its count-low flag, the signer signs.
        using (var signer = Pkcs11Signer.Open(Options(SpyFixture.Token, SoftHsm.UserPin)))
        {
            Assert.Equal(before + 2, _f.Logins());
            var digest = SHA256.HashData("Biên bản"u8.ToArray());
            var sig = await signer.SignDigestAsync(digest, HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
            Assert.True(Check.Verifies(Pki.Instance.Leader.Certificate, digest, sig, HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
        }
        Assert.False(_f.Flags(SpyFixture.Token).HasFlag(TokenFlags.UserPinCountLow));
        Assert.Equal(before + 2, _f.Logins()); // signing and disposing log in no more
    }

    [Fact]
    public void Locked_token_gives_TokenLockedException_without_sending_the_pin()
    {
        Assert.True(_f.Flags(SpyFixture.LockedToken).HasFlag(TokenFlags.UserPinLocked));
        int before = _f.Logins();
        var e = Assert.Throws<TokenLockedException>(() => Pkcs11Signer.Open(Options(SpyFixture.LockedToken, SoftHsm.UserPin)));
        Assert.Equal(Pkcs11Messages.PinLocked, e.MessageKey);
        Assert.Equal(before, _f.Logins());
        Assert.Throws<TokenLockedException>(() => _f.SpyModule.OpenToken(SpyFixture.LockedToken, "000000", readWrite: true));
        Assert.Equal(before, _f.Logins());
        Assert.NotEqual(e.GetMessage(Messages.Vietnamese), e.GetMessage(Messages.English));
    }

    [Fact]
    public void Wrong_pin_on_the_final_try_says_so()
    {
        int before = _f.Logins();
        var e = Assert.Throws<WrongPinException>(() => _f.SpyModule.OpenToken(SpyFixture.FinalTryToken, "999999"));
        Assert.Equal(before + 1, _f.Logins());
        Assert.Equal(PinTriesRemaining.FinalTry, e.TriesRemaining);
        Assert.Equal(Pkcs11Messages.WrongPinFinalTry, e.MessageKey);
    }

    [Fact]
    public async Task Always_authenticate_key_gets_a_context_specific_login_per_signature()
    {
        System.Security.Cryptography.X509Certificates.X509Certificate2 cert;
        using (var t = _f.SpyModule.OpenToken(SpyFixture.AlwaysAuthToken, SoftHsm.UserPin, readWrite: true))
        {
            Assert.True(t.FindKey("Ký từng lần").AlwaysAuthenticate);
            cert = Pki.Instance.IssueFromRequest(t.CreateCertificationRequest("Ký từng lần", "CN=Trần Thị Bình, O=Văn phòng UBND tỉnh, C=VN"));
            t.ImportCertificate("Ký từng lần", cert);
        }
        int before = _f.Logins();
        using var signer = Pkcs11Signer.Open(Options(SpyFixture.AlwaysAuthToken, SoftHsm.UserPin));
        Assert.True(signer.Key.AlwaysAuthenticate);
        Assert.Equal(before + 1, _f.Logins()); // the session login
        for (int i = 0; i < 2; i++)
        {
            var digest = SHA256.HashData(new[] { (byte)i });
            var sig = await signer.SignDigestAsync(digest, HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
            Assert.True(Check.Verifies(cert, digest, sig, HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
            Assert.Equal(before + 2 + i, _f.Logins()); // one CKU_CONTEXT_SPECIFIC login per signature
        }
    }

    [Fact]
    public async Task Recovery_never_resends_a_pin_the_token_refused()
    {
        using var signer = Pkcs11Signer.Open(Options(SpyFixture.ChangedPinToken, SoftHsm.UserPin) with { KeyLabel = "Lãnh đạo" });
        var digest = SHA256.HashData("Tờ trình"u8.ToArray());
        Assert.True(Check.Verifies(Pki.Instance.Leader.Certificate, digest,
            await signer.SignDigestAsync(digest, HashAlgorithmName.SHA256, RsaPadding.Pkcs1), HashAlgorithmName.SHA256, RsaPadding.Pkcs1));

        // The token drops this application's sessions, and meanwhile the PIN is changed (SoftHSM2 keeps
        // the PIN in memory, so the change is made through the same loaded module).
        signer.CloseAllSessionsUnderneath();
        var slot = _f.SpyModule.Slot(_f.SpyModule.FindToken(SpyFixture.ChangedPinToken).SlotId);
        using (var admin = slot.OpenSession(Net.Pkcs11Interop.Common.SessionType.ReadWrite))
        {
            admin.Login(CKU.CKU_USER, SoftHsm.UserPin);
            admin.SetPin(SoftHsm.UserPin, "654321");
            admin.Logout();
        }
        int before = _f.Logins();
        // Recovery logs in once with the PIN that had worked; the token refuses it now…
        await Assert.ThrowsAsync<WrongPinException>(async () => await signer.SignDigestAsync(digest, HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
        Assert.Equal(before + 1, _f.Logins());
        // …and the signer never sends it again, however often it is called.
        for (int i = 0; i < 3; i++)
            await Assert.ThrowsAsync<WrongPinException>(async () => await signer.SignDigestAsync(digest, HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
        Assert.Throws<WrongPinException>(() => Pkcs11Signer.Open(Options(SpyFixture.ChangedPinToken, SoftHsm.UserPin)));
        Assert.Equal(before + 1, _f.Logins());
        // The new PIN works.
        using var renewed = Pkcs11Signer.Open(Options(SpyFixture.ChangedPinToken, "654321") with { KeyLabel = "Lãnh đạo" });
        Assert.True(Check.Verifies(Pki.Instance.Leader.Certificate, digest,
            await renewed.SignDigestAsync(digest, HashAlgorithmName.SHA256, RsaPadding.Pkcs1), HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
    }

    [Fact]
    public void Pin_errors_of_C_Login_map_to_distinct_typed_errors()
    {
        // The mapping used after a refused C_Login (the flags are what the token reports afterwards).
        var locked = Pkcs11Errors.Login(new Pkcs11Exception("C_Login", CKR.CKR_PIN_LOCKED), "T", TokenFlags.None, 4, 8);
        Assert.IsType<TokenLockedException>(locked);
        var lockedNow = Pkcs11Errors.Login(new Pkcs11Exception("C_Login", CKR.CKR_PIN_INCORRECT), "T", TokenFlags.UserPinLocked, 4, 8);
        Assert.IsType<TokenLockedException>(lockedNow);
        var wrong = Assert.IsType<WrongPinException>(Pkcs11Errors.Login(new Pkcs11Exception("C_Login", CKR.CKR_PIN_INCORRECT), "T", TokenFlags.None, 4, 8));
        Assert.Equal(PinTriesRemaining.Unknown, wrong.TriesRemaining);
        var len = Assert.IsType<WrongPinException>(Pkcs11Errors.Login(new Pkcs11Exception("C_Login", CKR.CKR_PIN_LEN_RANGE), "T", TokenFlags.None, 4, 8));
        Assert.Contains("4", len.GetMessage(Messages.English));
        Assert.IsNotType<WrongPinException>(Pkcs11Errors.Login(new Pkcs11Exception("C_Login", CKR.CKR_DEVICE_ERROR), "T", TokenFlags.None, 4, 8));
    }
}
