using System.Collections;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Net.Pkcs11Interop.Common;

namespace VnGovSign.Pkcs11.Tests;

public sealed class HsmFixture : SoftHsmFixture
{
    public const string Token = "HSM Bộ Nội vụ";

    public HsmFixture()
    {
        InitToken(Token);
        // The leader's key and certificate share CKA_ID 01 (the normal case)…
        ImportKey(Token, Pki.Instance.Leader, "Lãnh đạo Sở", "01");
        WriteCertificate(Token, Pki.Instance.Leader.Certificate, "Lãnh đạo Sở", "01");
        // …the organisation's certificate was written with another CKA_ID and label (seen on real tokens).
        ImportKey(Token, Pki.Instance.Organization, "Văn thư", "02");
        WriteCertificate(Token, Pki.Instance.Organization.Certificate, "Chứng thư cơ quan", "99");
    }

    public Pkcs11SignerOptions Options(string? key = "Lãnh đạo Sở", int sessions = 1, string pin = SoftHsm.UserPin) => new()
    {
        ModulePath = SoftHsm.ModulePath, TokenLabel = Token, Pin = pin, KeyLabel = key, SessionCount = sessions,
    };
}

/// <summary>HSM mode: the session pool under concurrent callers, batches, cancellation, recovery, disposal; discovery and typed errors.</summary>
public sealed class PoolTests : IClassFixture<HsmFixture>
{
    private readonly HsmFixture _f;
    public PoolTests(HsmFixture f) => _f = f;

    private static X509Certificate2 Leader => Pki.Instance.Leader.Certificate;

    private static byte[] Digest(int i) => SHA256.HashData(Encoding.UTF8.GetBytes("Văn bản số " + i));

    [Fact]
    public async Task Stress_8_threads_x_500_signatures_through_the_pool_all_verify()
    {
        using var signer = Pkcs11Signer.Open(_f.Options(sessions: 4));
        const int threads = 8, each = 500;
        var results = new byte[threads * each][];
        var tasks = Enumerable.Range(0, threads).Select(t => Task.Run(async () =>
        {
            for (int i = 0; i < each; i++)
            {
                int n = t * each + i;
                results[n] = await signer.SignDigestAsync(Digest(n), HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
            }
        })).ToArray();
        await Task.WhenAll(tasks);
        using var rsa = Leader.GetRSAPublicKey()!;
        int good = 0;
        for (int n = 0; n < results.Length; n++)
            if (rsa.VerifyHash(Digest(n), results[n], HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)) good++;
        Assert.Equal(threads * each, good);
        Assert.True(signer.OpenSessions <= 4, "the pool opened more sessions than its size: " + signer.OpenSessions);
    }

    [Fact]
    public async Task Batch_keeps_the_order_and_every_signature_verifies()
    {
        using var signer = Pkcs11Signer.Open(_f.Options(sessions: 2));
        var digests = Enumerable.Range(0, 120).Select(i => (ReadOnlyMemory<byte>)Digest(i)).ToList();
        var sigs = await signer.SignDigestsAsync(digests, HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
        Assert.Equal(120, sigs.Count);
        for (int i = 0; i < sigs.Count; i++)
            Assert.True(Check.Verifies(Leader, Digest(i), sigs[i], HashAlgorithmName.SHA256, RsaPadding.Pkcs1), "signature " + i);
        Assert.False(Check.Verifies(Leader, Digest(1), sigs[0], HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
        Assert.Empty(await signer.SignDigestsAsync(Array.Empty<ReadOnlyMemory<byte>>(), HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
    }

    [Fact]
    public async Task Cancellation_stops_a_batch_and_the_pool_stays_usable()
    {
        using var signer = Pkcs11Signer.Open(_f.Options(sessions: 2));
        using var pre = new CancellationTokenSource();
        pre.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await signer.SignDigestAsync(Digest(0), HashAlgorithmName.SHA256, RsaPadding.Pkcs1, pre.Token));

        // Cancelled while the batch runs: the list cancels when item 20 is read (no timing involved).
        using var cts = new CancellationTokenSource();
        var list = new CallbackList(1000, i => { if (i == 20) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signer.SignDigestsAsync(list, HashAlgorithmName.SHA256, RsaPadding.Pkcs1, cts.Token));
        Assert.True(list.MaxRead < 1000, "the batch went on after cancellation");

        var sig = await signer.SignDigestAsync(Digest(7), HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
        Assert.True(Check.Verifies(Leader, Digest(7), sig, HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
    }

    [Fact]
    public async Task Recovers_when_the_sessions_are_closed_underneath()
    {
        // One session: the batch's single worker closes the sessions between two signatures (SoftHSM2 must
        // not have a session closed while another thread is inside C_Sign on it).
        using var signer = Pkcs11Signer.Open(_f.Options(sessions: 1));
        var first = await signer.SignDigestAsync(Digest(1), HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
        Assert.True(Check.Verifies(Leader, Digest(1), first, HashAlgorithmName.SHA256, RsaPadding.Pkcs1));

        signer.CloseAllSessionsUnderneath(); // as a removed and re-inserted token, or an HSM fail-over: sessions and login gone
        var second = await signer.SignDigestAsync(Digest(2), HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
        Assert.True(Check.Verifies(Leader, Digest(2), second, HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
        Assert.Equal(1, signer.Recoveries);

        // Mid-batch: the list closes the sessions when item 50 is read; the batch still completes.
        var list = new CallbackList(200, i => { if (i == 50) signer.CloseAllSessionsUnderneath(); });
        var sigs = await signer.SignDigestsAsync(list, HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
        for (int i = 0; i < sigs.Count; i++)
            Assert.True(Check.Verifies(Leader, Digest(i), sigs[i], HashAlgorithmName.SHA256, RsaPadding.Pkcs1), "signature " + i);
        Assert.Equal(2, signer.Recoveries);
    }

    [Fact]
    public async Task Dispose_logs_out_and_closes_every_session_even_after_errors()
    {
        var slot = _f.Module.Slot(_f.Module.FindToken(HsmFixture.Token).SlotId);
        int refs = _f.Module.Shared.References;
        var signer = Pkcs11Signer.Open(_f.Options(sessions: 3));
        await signer.SignDigestsAsync(Enumerable.Range(0, 12).Select(i => (ReadOnlyMemory<byte>)Digest(i)).ToList(), HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
        using (var observer = slot.OpenSession(Net.Pkcs11Interop.Common.SessionType.ReadOnly))
        {
            // An observer session keeps the application's login alive, so only an explicit C_Logout ends it.
            Assert.Equal(CKS.CKS_RO_USER_FUNCTIONS, observer.GetSessionInfo().State);
            signer.Dispose();
            Assert.Equal(CKS.CKS_RO_PUBLIC_SESSION, observer.GetSessionInfo().State);
        }
        Assert.Equal(refs, _f.Module.Shared.References);
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await signer.SignDigestAsync(Digest(0), HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
        signer.Dispose(); // twice: nothing happens

        // After the token dropped everything underneath, Dispose still completes and releases the module.
        var broken = Pkcs11Signer.Open(_f.Options(sessions: 2));
        broken.CloseAllSessionsUnderneath();
        broken.Dispose();
        Assert.Equal(refs, _f.Module.Shared.References);
        using var check = slot.OpenSession(Net.Pkcs11Interop.Common.SessionType.ReadOnly);
        Assert.Equal(CKS.CKS_RO_PUBLIC_SESSION, check.GetSessionInfo().State);
    }

    [Fact]
    public async Task Dispose_while_callers_are_signing_waits_for_them_and_stops_the_rest()
    {
        var signer = Pkcs11Signer.Open(_f.Options(sessions: 2));
        var started = new TaskCompletionSource();
        var list = new CallbackList(400, i => { if (i == 10) started.TrySetResult(); });
        var batch = Task.Run(() => signer.SignDigestsAsync(list, HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
        var single = Enumerable.Range(0, 6).Select(i => Task.Run(async () => await signer.SignDigestAsync(Digest(i), HashAlgorithmName.SHA256, RsaPadding.Pkcs1))).ToArray();
        await started.Task;
        signer.Dispose(); // must neither crash the module (no session closed under a running C_Sign) nor hang the waiters
        foreach (var t in single.Append<Task>(batch))
        {
            try { await t; }
            catch (ObjectDisposedException) { /* stopped by Dispose: the expected outcome for what had not started */ }
        }
        Assert.True(list.MaxRead < 399 || batch.IsCompletedSuccessfully);
        using var after = Pkcs11Signer.Open(_f.Options());
        var sig = await after.SignDigestAsync(Digest(5), HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
        Assert.True(Check.Verifies(Leader, Digest(5), sig, HashAlgorithmName.SHA256, RsaPadding.Pkcs1));
    }

    [Fact]
    public async Task Pairs_by_id_and_by_public_key_and_finds_vietnamese_labels()
    {
        using (var t = _f.Module.OpenToken(HsmFixture.Token, SoftHsm.UserPin))
        {
            var keys = t.ListKeys();
            var leader = Assert.Single(keys, k => k.Label == "Lãnh đạo Sở");
            Assert.Equal(KeyPairing.ById, leader.Pairing);
            Assert.Equal(Leader.RawData, leader.Certificate!.RawData);
            var org = Assert.Single(keys, k => k.Label == "Văn thư");
            Assert.Equal(KeyPairing.ByPublicKey, org.Pairing);
            Assert.Equal(Pki.Instance.Organization.Certificate.RawData, org.Certificate!.RawData);
            Assert.Equal("02", org.IdHex);
            var objects = t.ListObjects();
            Assert.Contains(objects, o => o.Kind == TokenObjectKind.Certificate && o.Label == "Chứng thư cơ quan" && o.IdHex == "99");
        }
        // Without a PIN only public objects are listed.
        var pub = _f.Module.ListPublicObjects(_f.Module.FindToken(HsmFixture.Token));
        Assert.DoesNotContain(pub, o => o.Kind == TokenObjectKind.PrivateKey);
        Assert.Contains(pub, o => o.Kind == TokenObjectKind.Certificate && o.Label == "Lãnh đạo Sở");

        var token = Assert.Single(_f.Module.GetTokens(), t => t.Label == HsmFixture.Token);
        Assert.True(token.Flags.HasFlag(TokenFlags.LoginRequired));
        Assert.Equal("SoftHSM project", token.Manufacturer);
        Assert.NotEmpty(token.SerialNumber);
        Assert.Equal(token, _f.Module.FindToken(token.SerialNumber));

        // The organisation key is found by its own label, by its certificate's label, by id; the
        // label typed in decomposed Unicode (NFD) still matches.
        foreach (var name in new[] { "Văn thư", "Chứng thư cơ quan", "id:02", "Văn thư".Normalize(NormalizationForm.FormD) })
        {
            using var signer = Pkcs11Signer.Open(_f.Options(name));
            Assert.Equal(Pki.Instance.Organization.Certificate.RawData, signer.Certificate.RawData);
            var sig = await signer.SignDigestAsync(Digest(3), HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
            Assert.True(Check.Verifies(Pki.Instance.Organization.Certificate, Digest(3), sig, HashAlgorithmName.SHA256, RsaPadding.Pkcs1), name);
            Assert.False(Check.Verifies(Leader, Digest(3), sig, HashAlgorithmName.SHA256, RsaPadding.Pkcs1), name);
        }
        // The token carries no CA certificate, so the chain is the leaf only until the caller gives one.
        using (var withChain = Pkcs11Signer.Open(_f.Options() with { Chain = new[] { Pki.Instance.SubCa.Certificate } }))
            Assert.Single(withChain.Chain);
    }

    [Fact]
    public void Missing_module_key_and_token_give_typed_errors()
    {
        _ = _f.Module; // the fixture's handle: the one module that must stay loaded
        var path = Path.Combine(_f.Directory, "không-có", "libvendor-pkcs11.so");
        var missing = Assert.Throws<ServiceUnavailableException>(() => Pkcs11Module.Load(path));
        Assert.Contains(path, missing.GetMessage(Messages.Vietnamese));
        Assert.Contains(path, missing.GetMessage(Messages.English));
        Assert.Throws<ServiceUnavailableException>(() => Pkcs11Signer.Open(_f.Options() with { ModulePath = path }));

        var notAModule = Path.Combine(_f.Directory, "not-a-module.so");
        File.WriteAllText(notAModule, "this is text, not a shared library");
        var bad = Assert.Throws<ServiceUnavailableException>(() => Pkcs11Module.Load(notAModule));
        Assert.Equal(Pkcs11Messages.ModuleLoadFailed, bad.MessageKey);
        Assert.Contains(notAModule, bad.Message);

        var noKey = Assert.Throws<InvalidInputException>(() => Pkcs11Signer.Open(_f.Options("Không có khóa này")));
        Assert.Equal(Pkcs11Messages.KeyNotFound, noKey.MessageKey);
        Assert.Contains("Lãnh đạo Sở", noKey.GetMessage(Messages.Vietnamese)); // lists the keys there are
        var ambiguous = Assert.Throws<InvalidInputException>(() => Pkcs11Signer.Open(_f.Options(key: null)));
        Assert.Equal(Pkcs11Messages.KeyAmbiguous, ambiguous.MessageKey);

        var noToken = Assert.Throws<TokenException>(() => Pkcs11Signer.Open(_f.Options() with { TokenLabel = "Token không tồn tại" }));
        Assert.Equal(Pkcs11Messages.TokenNotFound, noToken.MessageKey);
        Assert.Contains(HsmFixture.Token, noToken.GetMessage(Messages.Vietnamese));
        Assert.DoesNotContain("''", noToken.GetMessage(Messages.Vietnamese)); // the empty slot is not listed as a token

        var noPin = Assert.Throws<InvalidInputException>(() => Pkcs11Signer.Open(_f.Options() with { Pin = null }));
        Assert.Equal(Pkcs11Messages.PinRequired, noPin.MessageKey);
        Assert.Equal(1, Pkcs11Module.LoadedCount); // every failed open released what it loaded (only the fixture's module is left)
    }

    /// <summary>A list of digests that calls back when an item is read: cancellation and removal at an exact point of a batch.</summary>
    private sealed class CallbackList : IReadOnlyList<ReadOnlyMemory<byte>>
    {
        private readonly Action<int> _onRead;
        private int _maxRead = -1;
        public CallbackList(int count, Action<int> onRead) { Count = count; _onRead = onRead; }
        public int Count { get; }
        public int MaxRead => Volatile.Read(ref _maxRead);
        public ReadOnlyMemory<byte> this[int index]
        {
            get
            {
                int seen;
                while ((seen = Volatile.Read(ref _maxRead)) < index && Interlocked.CompareExchange(ref _maxRead, index, seen) != seen) { }
                _onRead(index);
                return Digest(index);
            }
        }
        public IEnumerator<ReadOnlyMemory<byte>> GetEnumerator() { for (int i = 0; i < Count; i++) yield return this[i]; }
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
