using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace VnGovSign.Pkcs11;

/// <summary>
/// A Core <see cref="ISigner"/> over a key on a USB token or an HSM. Sessions form a pool that is logged
/// in once and shared by concurrent callers (<see cref="Pkcs11SignerOptions.SessionCount"/>). When the
/// token drops its sessions (CKR_SESSION_HANDLE_INVALID, CKR_USER_NOT_LOGGED_IN, CKR_DEVICE_REMOVED…)
/// the pool reopens them once and logs in again with the PIN that already succeeded; a PIN the token
/// refused is never sent again. Dispose logs out and closes every session, even after errors.
/// </summary>
public sealed class Pkcs11Signer : ISigner, IDisposable
{
    private readonly Pkcs11Module _module;
    private readonly ISlot _slot;
    private readonly string? _pin;
    private readonly string? _keyLabel;
    private readonly byte[] _keyId;
    private readonly SemaphoreSlim _gate;
    private readonly ConcurrentStack<Pooled> _idle = new();
    private readonly List<ISession> _open = new();
    private readonly object _sync = new();
    private readonly HashSet<CKM> _mechanisms;
    private IObjectHandle _key;
    private int _generation;
    private bool _loggedInHere;
    private Exception? _fatal;
    private bool _disposed;
    private int _recoveries;

    private Pkcs11Signer(Pkcs11Module module, ISlot slot, TokenDescription token, Pkcs11SignerOptions options, ISession first,
        bool loggedIn, (RawObject Key, RawObject? PublicKey, RawObject? Certificate, KeyPairing Pairing) key, IReadOnlyList<RawObject> all)
    {
        _module = module;
        _slot = slot;
        Token = token;
        _pin = options.Pin;
        _keyLabel = options.KeyLabel;
        _keyId = key.Key.Id;
        _key = key.Key.Handle;
        _loggedInHere = loggedIn;
        Key = TokenObjects.ToTokenKey(key);
        Certificate = key.Certificate!.Certificate!;
        KeyAlgorithm = key.Key.KeyAlgorithm!.Value;
        var cas = all.Where(o => o.Kind == TokenObjectKind.Certificate && !ReferenceEquals(o, key.Certificate)).Select(o => o.Certificate!);
        Chain = options.Chain ?? CertificateChains.OrderIssuerFirst(Certificate, cas);
        SessionCount = options.SessionCount;
        _gate = new SemaphoreSlim(options.SessionCount, options.SessionCount);
        _open.Add(first);
        _idle.Push(new Pooled(first, 0));
        try { _mechanisms = new HashSet<CKM>(slot.GetMechanismList()); }
        catch (Pkcs11Exception) { _mechanisms = new HashSet<CKM>(); } // unknown: let C_SignInit decide
    }

    /// <summary>
    /// Loads the module, finds the token, logs in once, finds the key and its certificate.
    /// </summary>
    /// <exception cref="ServiceUnavailableException">The module cannot be loaded (CLI exit 69).</exception>
    /// <exception cref="TokenException">The token is absent (exit 69).</exception>
    /// <exception cref="WrongPinException">The PIN was refused (exit 77); it is not retried.</exception>
    /// <exception cref="TokenLockedException">The PIN is locked (exit 77).</exception>
    /// <exception cref="InvalidInputException">No such key, or no certificate for it (exit 65).</exception>
    public static Pkcs11Signer Open(Pkcs11SignerOptions options)
    {
        if (options is null) throw new ArgumentNullException(nameof(options));
        if (options.SessionCount < 1) throw new ArgumentOutOfRangeException(nameof(options), "SessionCount must be at least 1");
        var module = Pkcs11Module.Load(options.ModulePath);
        ISession? session = null;
        bool loggedIn = false;
        try
        {
            var token = module.FindToken(options.TokenLabel);
            var slot = module.Slot(token.SlotId);
            try { session = slot.OpenSession(SessionType.ReadOnly); }
            catch (Pkcs11Exception e) { throw Pkcs11Errors.Operation(e, "C_OpenSession", token.SlotId); }
            loggedIn = TokenLogin.Login(module, slot, session, token, options.Pin);
            List<RawObject> all;
            try { all = TokenObjects.ReadAll(module.Factories, session); }
            catch (Pkcs11Exception e) { throw Pkcs11Errors.Operation(e, "C_FindObjects", token.SlotId); }
            var key = TokenObjects.Find(all, options.KeyLabel, token.Label, needCertificate: true);
            return new Pkcs11Signer(module, slot, token, options, session, loggedIn, key, all);
        }
        catch
        {
            if (session is not null)
            {
                if (loggedIn) try { session.Logout(); } catch (Pkcs11Exception) { }
                try { session.CloseSession(); } catch (Pkcs11Exception) { }
            }
            module.Dispose();
            throw;
        }
    }

    /// <summary><see cref="Open"/> off the caller's thread (a USB token can take a second, a PIN pad longer).</summary>
    public static Task<Pkcs11Signer> OpenAsync(Pkcs11SignerOptions options, CancellationToken cancellationToken = default) =>
        Task.Run(() => Open(options), cancellationToken);

    /// <summary>The token the signer uses.</summary>
    public TokenDescription Token { get; }

    /// <summary>The key the signer uses and how its certificate was paired.</summary>
    public TokenKey Key { get; }

    /// <summary>The number of sessions in the pool.</summary>
    public int SessionCount { get; }

    /// <inheritdoc />
    public X509Certificate2 Certificate { get; }

    /// <inheritdoc />
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <inheritdoc />
    public KeyAlgorithm KeyAlgorithm { get; }

    /// <inheritdoc />
    public ValueTask<byte[]> SignDigestAsync(ReadOnlyMemory<byte> digest, HashAlgorithmName hash, RsaPadding padding,
        CancellationToken cancellationToken = default)
    {
        var d = digest.ToArray();
        CheckMechanism(padding);
        return RunAsync((session, key) => TokenSigning.Sign(_module.Factories, session, key, KeyAlgorithm, d, hash, padding, Key.AlwaysAuthenticate, _pin),
            cancellationToken);
    }

    /// <summary>
    /// Signs many digests (bulk signing on an HSM): they are spread over the pool's sessions and the
    /// results come back in the order of <paramref name="digests"/>. Cancelling stops before the next
    /// signature; the first error stops the batch and is thrown.
    /// </summary>
    public async Task<IReadOnlyList<byte[]>> SignDigestsAsync(IReadOnlyList<ReadOnlyMemory<byte>> digests, HashAlgorithmName hash, RsaPadding padding,
        CancellationToken cancellationToken = default)
    {
        if (digests is null) throw new ArgumentNullException(nameof(digests));
        CheckMechanism(padding);
        var results = new byte[digests.Count][];
        if (digests.Count == 0) return results;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        int next = -1;
        async Task Worker()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < digests.Count)
            {
                stop.Token.ThrowIfCancellationRequested();
                var d = digests[i].ToArray();
                results[i] = await RunAsync((session, key) =>
                    TokenSigning.Sign(_module.Factories, session, key, KeyAlgorithm, d, hash, padding, Key.AlwaysAuthenticate, _pin), stop.Token).ConfigureAwait(false);
            }
        }
        int workers = Math.Min(SessionCount, digests.Count);
        var tasks = new Task[workers];
        for (int w = 0; w < workers; w++)
            tasks[w] = Task.Run(async () =>
            {
                try { await Worker().ConfigureAwait(false); }
                catch { stop.Cancel(); throw; }
            }, CancellationToken.None);
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch
        {
            // The first real error, not the cancellations it caused in the other workers.
            var errors = tasks.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).ToList();
            var first = errors.FirstOrDefault(e => e is not OperationCanceledException) ?? errors.FirstOrDefault();
            cancellationToken.ThrowIfCancellationRequested();
            if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
        return results;
    }

    private void CheckMechanism(RsaPadding padding)
    {
        var m = TokenSigning.Mechanism(KeyAlgorithm, padding);
        if (_mechanisms.Count > 0 && !_mechanisms.Contains(m))
            throw new TokenException(Pkcs11Messages.Resources, Pkcs11Messages.MechanismUnsupported, null, Token.Label, m.ToString());
    }

    private async ValueTask<byte[]> RunAsync(Func<ISession, IObjectHandle, byte[]> operation, CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (int attempt = 0; ; attempt++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (pooled, key) = Take();
                try
                {
                    var result = operation(pooled.Session, key);
                    Return(pooled);
                    return result;
                }
                catch (Pkcs11Exception e) when (Pkcs11Errors.IsRecoverable(e.RV) && attempt == 0)
                {
                    Discard(pooled);
                    Recover(pooled.Generation, e);
                }
                catch (Pkcs11Exception e)
                {
                    Discard(pooled); // the operation state of that session is unknown now
                    throw MapFailure(e);
                }
                catch
                {
                    Return(pooled); // our own checks (digest length…) failed before the token was asked
                    throw;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private Exception MapFailure(Pkcs11Exception e)
    {
        if (_disposed) return new ObjectDisposedException(nameof(Pkcs11Signer), e);
        switch (e.RV)
        {
            case CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_LOCKED:
                // Only a context-specific login (CKA_ALWAYS_AUTHENTICATE) sends the PIN here: stop using it.
                TokenFlags flags = Token.Flags;
                try { flags = Pkcs11Module.Flags(_slot.GetTokenInfo().TokenFlags); } catch (Pkcs11Exception) { }
                var error = Pkcs11Errors.Login(e, Token.Label, flags, Token.MinPinLength, Token.MaxPinLength);
                lock (_sync) _fatal ??= error;
                return error;
            case CKR.CKR_MECHANISM_INVALID or CKR.CKR_MECHANISM_PARAM_INVALID:
                return new TokenException(Pkcs11Messages.Resources, Pkcs11Messages.MechanismUnsupported, e, Token.Label, e.Method);
            default:
                if (Pkcs11Errors.IsRecoverable(e.RV))
                    return new TokenException(Pkcs11Messages.Resources, Pkcs11Messages.TokenRecoveryFailed, e, Token.Label, e.RV.ToString());
                return Pkcs11Errors.Operation(e, e.Method, Token.SlotId);
        }
    }

    private (Pooled, IObjectHandle) Take()
    {
        lock (_sync)
        {
            ThrowIfUnusable();
            while (_idle.TryPop(out var p))
            {
                if (p.Generation == _generation) return (p, _key);
                CloseQuietly(p.Session);
            }
            // Fewer sessions than the gate allows are open: open one more (the login is shared).
            try
            {
                var s = _slot.OpenSession(SessionType.ReadOnly);
                _open.Add(s);
                return (new Pooled(s, _generation), _key);
            }
            catch (Pkcs11Exception e)
            {
                throw Pkcs11Errors.IsAbsent(e.RV)
                    ? Pkcs11Errors.Operation(e, "C_OpenSession", Token.SlotId)
                    : new TokenException(Pkcs11Messages.Resources, Pkcs11Messages.TokenRecoveryFailed, e, Token.Label, e.RV.ToString());
            }
        }
    }

    private void Return(Pooled p)
    {
        lock (_sync)
        {
            if (_disposed || p.Generation != _generation) { CloseQuietly(p.Session); return; }
        }
        _idle.Push(p);
    }

    private void Discard(Pooled p)
    {
        lock (_sync) CloseQuietly(p.Session);
    }

    /// <summary>
    /// Reopens after the token dropped its sessions: closes what is left, opens a fresh session, logs in
    /// again only if the token says it is logged out (with the PIN that already succeeded) and finds the
    /// key again. Callers that saw the same failure wait here and reuse the result.
    /// </summary>
    private void Recover(int observedGeneration, Pkcs11Exception cause)
    {
        lock (_sync)
        {
            ThrowIfUnusable();
            if (observedGeneration != _generation) return; // another caller already recovered
            _generation++;
            while (_idle.TryPop(out var p)) CloseQuietly(p.Session);
            ISession s;
            try { s = _slot.OpenSession(SessionType.ReadOnly); }
            catch (Pkcs11Exception e)
            {
                throw Pkcs11Errors.IsAbsent(e.RV)
                    ? Pkcs11Errors.Operation(e, "C_OpenSession", Token.SlotId)
                    : new TokenException(Pkcs11Messages.Resources, Pkcs11Messages.TokenRecoveryFailed, e, Token.Label, cause.RV + " → " + e.RV);
            }
            _open.Add(s);
            try
            {
                if (TokenLogin.Login(_module, _slot, s, Token, _pin)) _loggedInHere = true;
                var all = TokenObjects.ReadAll(_module.Factories, s);
                var key = all.FirstOrDefault(o => o.Kind == TokenObjectKind.PrivateKey && o.Id.AsSpan().SequenceEqual(_keyId) && o.Label == Key.Label)
                          ?? TokenObjects.Find(all, _keyLabel, Token.Label, needCertificate: false).Key;
                _key = key.Handle;
            }
            catch (Exception e) when (e is WrongPinException or TokenLockedException)
            {
                // The PIN that worked is refused now (changed, or another token): never send it again.
                _fatal = e;
                CloseQuietly(s);
                throw;
            }
            catch (Pkcs11Exception e)
            {
                CloseQuietly(s);
                throw new TokenException(Pkcs11Messages.Resources, Pkcs11Messages.TokenRecoveryFailed, e, Token.Label, cause.RV + " → " + e.RV);
            }
            _idle.Push(new Pooled(s, _generation));
            Interlocked.Increment(ref _recoveries);
        }
    }

    private void CloseQuietly(ISession s)
    {
        _open.Remove(s);
        try { s.CloseSession(); }
        catch (Pkcs11Exception) { /* already closed underneath */ }
    }

    private void ThrowIfUnusable()
    {
        if (_disposed) throw new ObjectDisposedException(nameof(Pkcs11Signer), Messages.Format(Pkcs11Messages.Resources, Pkcs11Messages.SignerDisposed, Messages.English));
        if (_fatal is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_fatal).Throw();
    }

    /// <summary>Logs out (when this signer logged in) and closes every session it opened; each step runs even when an earlier one failed.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            if (_disposed) return;
            _disposed = true; // no new operation starts from here (Take checks it under the same lock)
        }
        // Let operations already inside the token finish: closing a session under a running C_Sign is
        // undefined in PKCS#11 (and crashes some modules). Bounded, so a hung device cannot hang Dispose.
        int acquired = 0;
        while (acquired < SessionCount && _gate.Wait(TimeSpan.FromSeconds(30))) acquired++;
        List<ISession> sessions;
        lock (_sync)
        {
            sessions = _open.ToList();
            _open.Clear();
            _idle.Clear();
        }
        if (_loggedInHere)
        {
            bool done = false;
            foreach (var s in sessions)
            {
                try { s.Logout(); done = true; break; }
                catch (Pkcs11Exception e) when (e.RV == CKR.CKR_USER_NOT_LOGGED_IN) { done = true; break; }
                catch (Pkcs11Exception) { /* try the next session */ }
            }
            if (!done && sessions.Count == 0)
            {
                try
                {
                    var s = _slot.OpenSession(SessionType.ReadOnly);
                    try { s.Logout(); } catch (Pkcs11Exception) { }
                    try { s.CloseSession(); } catch (Pkcs11Exception) { }
                }
                catch (Pkcs11Exception) { /* token gone: nothing is logged in any more */ }
            }
        }
        foreach (var s in sessions)
            try { s.CloseSession(); } catch (Pkcs11Exception) { }
        _module.Dispose();
        if (acquired > 0) _gate.Release(acquired); // callers still waiting get ObjectDisposedException, not a hang
    }

    /// <summary>For tests: how many sessions the signer holds open now.</summary>
    internal int OpenSessions
    {
        get { lock (_sync) return _open.Count; }
    }

    /// <summary>For tests: how many times the pool reopened its sessions after the token dropped them.</summary>
    internal int Recoveries => Volatile.Read(ref _recoveries);

    /// <summary>For tests: closes every session of this application on the token underneath the signer (as a removed token would).</summary>
    internal void CloseAllSessionsUnderneath() => _slot.CloseAllSessions();

    private sealed class Pooled
    {
        public Pooled(ISession session, int generation) { Session = session; Generation = generation; }
        public ISession Session { get; }
        public int Generation { get; }
    }
}
