using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Pkcs;

namespace VnGovSign.Pkcs11;

/// <summary>
/// One session on a token, logged in when a PIN (or the PIN pad) was given: list what the token holds,
/// generate a key pair on it, make a PKCS#10 request signed by a token key, import the issued
/// certificate beside its key. For signing many documents use <see cref="Pkcs11Signer"/>.
/// </summary>
public sealed class Pkcs11Token : IDisposable
{
    private readonly Pkcs11Module _module;
    private readonly ISlot _slot;
    private readonly ISession _session;
    private readonly string? _pin;
    private readonly bool _loggedInHere;
    private bool _disposed;

    internal Pkcs11Token(Pkcs11Module module, TokenDescription token, string? pin, bool readWrite)
    {
        _module = module;
        Token = token;
        _pin = pin;
        try
        {
            _slot = module.Slot(token.SlotId);
            _session = _slot.OpenSession(readWrite ? SessionType.ReadWrite : SessionType.ReadOnly);
        }
        catch (Pkcs11Exception e)
        {
            module.Dispose();
            throw Pkcs11Errors.Operation(e, "C_OpenSession", token.SlotId);
        }
        try
        {
            _loggedInHere = TokenLogin.Login(module, _slot, _session, token, pin);
        }
        catch
        {
            try { _session.CloseSession(); } catch (Pkcs11Exception) { }
            module.Dispose();
            throw;
        }
    }

    /// <summary>The token as found when it was opened.</summary>
    public TokenDescription Token { get; }

    private Pkcs11InteropFactories F => _module.Factories;

    /// <summary>Every certificate and key the session can see (private keys only after a login).</summary>
    public IReadOnlyList<TokenObject> ListObjects() => Guard("C_FindObjects", () => TokenObjects.ReadAll(F, _session).Select(o => o.ToPublic()).ToList());

    /// <summary>Every private key with the certificate paired to it (by CKA_ID, else by public key).</summary>
    public IReadOnlyList<TokenKey> ListKeys() => Guard("C_FindObjects", () => TokenObjects.Pair(TokenObjects.ReadAll(F, _session)).Select(TokenObjects.ToTokenKey).ToList());

    /// <summary>Finds one key by label (or its certificate's label, or "id:HEX").</summary>
    /// <exception cref="InvalidInputException">No such key.</exception>
    public TokenKey FindKey(string keyLabel) => Guard("C_FindObjects", () => TokenObjects.ToTokenKey(TokenObjects.Find(TokenObjects.ReadAll(F, _session), keyLabel, Token.Label, false)));

    /// <summary>
    /// Generates a key pair on the token: the private key is sensitive and non-extractable, both halves
    /// carry <paramref name="label"/> and one random CKA_ID (which the certificate gets on import).
    /// Needs a read-write session and a login.
    /// </summary>
    /// <exception cref="InvalidInputException">A key with that label exists.</exception>
    public TokenKey GenerateKeyPair(string label, TokenKeyType type)
    {
        if (string.IsNullOrWhiteSpace(label)) throw new ArgumentException("label is empty", nameof(label));
        return Guard("C_GenerateKeyPair", () =>
        {
            var existing = TokenObjects.Read(F, _session, CKO.CKO_PRIVATE_KEY).Where(k => Pkcs11Module.LabelMatches(k.Label, label)).ToList();
            if (existing.Count > 0) throw new InvalidInputException(Pkcs11Messages.Resources, Pkcs11Messages.KeyExists, null, Token.Label, label);
            var id = new byte[20];
            using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(id);
            var a = F.ObjectAttributeFactory;
            var pub = new List<IObjectAttribute>
            {
                a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_PRIVATE, false), a.Create(CKA.CKA_LABEL, label), a.Create(CKA.CKA_ID, id),
                a.Create(CKA.CKA_VERIFY, true),
            };
            var priv = new List<IObjectAttribute>
            {
                a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_PRIVATE, true), a.Create(CKA.CKA_LABEL, label), a.Create(CKA.CKA_ID, id),
                a.Create(CKA.CKA_SIGN, true), a.Create(CKA.CKA_SENSITIVE, true), a.Create(CKA.CKA_EXTRACTABLE, false),
            };
            CKM mech;
            if (type == TokenKeyType.EcP256)
            {
                mech = CKM.CKM_EC_KEY_PAIR_GEN;
                pub.Add(a.Create(CKA.CKA_EC_PARAMS, X9ObjectIdentifiers.Prime256v1.GetDerEncoded()));
            }
            else
            {
                mech = CKM.CKM_RSA_PKCS_KEY_PAIR_GEN;
                pub.Add(a.Create(CKA.CKA_MODULUS_BITS, (ulong)(type == TokenKeyType.Rsa3072 ? 3072 : 2048)));
                pub.Add(a.Create(CKA.CKA_PUBLIC_EXPONENT, new byte[] { 0x01, 0x00, 0x01 }));
            }
            using var mechanism = F.MechanismFactory.Create(mech);
            _session.GenerateKeyPair(mechanism, pub, priv, out _, out _);
            var all = TokenObjects.ReadAll(F, _session);
            return TokenObjects.ToTokenKey(TokenObjects.Pair(all).First(p => p.Key.Id.AsSpan().SequenceEqual(id)));
        });
    }

    /// <summary>Parses a distinguished name as written by people ("CN=Nguyễn Văn An, O=…, L=Hà Nội, C=VN, UID=CCCD:…"), most specific first.</summary>
    /// <exception cref="InvalidInputException">The text is not a distinguished name.</exception>
    public static X500DistinguishedName ParseSubject(string subject) => new(ParseName(subject).GetDerEncoded());

    private static X509Name ParseName(string subject)
    {
        X509Name name;
        try
        {
            // RFC 4514 text lists the most specific part first; the DER order is the reverse (C first).
            name = new X509Name(true, subject);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidInputException(Pkcs11Messages.Resources, Pkcs11Messages.SubjectInvalid, e, subject, e.Message);
        }
        if (name.GetOidList().Count == 0)
            throw new InvalidInputException(Pkcs11Messages.Resources, Pkcs11Messages.SubjectInvalid, null, subject, "empty");
        return name;
    }

    /// <summary>
    /// A PKCS#10 certification request (DER) for the token key <paramref name="keyLabel"/>, signed by that
    /// key on the token (SHA-256 with RSA PKCS#1 v1.5, or ECDSA with SHA-256). Values are UTF-8, C is printable.
    /// </summary>
    public byte[] CreateCertificationRequest(string keyLabel, string subject)
    {
        var name = ParseName(subject);
        return Guard("C_Sign", () =>
        {
            var all = TokenObjects.ReadAll(F, _session);
            var found = TokenObjects.Find(all, keyLabel, Token.Label, false);
            var publicKey = TokenObjects.PublicKey(found.Key, found.PublicKey);
            var factory = new TokenSignatureFactory(this, found.Key);
            return new Pkcs10CertificationRequest(factory, name, publicKey, null).GetDerEncoded();
        });
    }

    /// <summary>
    /// Stores <paramref name="certificate"/> on the token beside the key <paramref name="keyLabel"/>, with the
    /// key's CKA_ID and label, after checking that the certificate's public key is the key's. Importing the
    /// same certificate twice changes nothing.
    /// </summary>
    /// <exception cref="InvalidInputException">The certificate is for another key.</exception>
    public TokenKey ImportCertificate(string keyLabel, X509Certificate2 certificate)
    {
        if (certificate is null) throw new ArgumentNullException(nameof(certificate));
        return Guard("C_CreateObject", () =>
        {
            var all = TokenObjects.ReadAll(F, _session);
            var found = TokenObjects.Find(all, keyLabel, Token.Label, false);
            var certValue = TokenObjects.CertificatePublicValue(certificate.RawData, out _, out _);
            var keyValue = found.Key.PublicValue ?? found.PublicKey?.PublicValue;
            if (certValue is null || (keyValue is not null && !TokenObjects.Same(certValue, keyValue)))
                throw new InvalidInputException(Pkcs11Messages.Resources, Pkcs11Messages.CertificateKeyMismatch, null, certificate.Subject, keyLabel);
            bool present = all.Any(o => o.Kind == TokenObjectKind.Certificate && o.Certificate!.RawData.AsSpan().SequenceEqual(certificate.RawData));
            if (!present)
            {
                var bc = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(certificate.RawData);
                var a = F.ObjectAttributeFactory;
                _session.CreateObject(new List<IObjectAttribute>
                {
                    a.Create(CKA.CKA_CLASS, CKO.CKO_CERTIFICATE), a.Create(CKA.CKA_CERTIFICATE_TYPE, CKC.CKC_X_509),
                    a.Create(CKA.CKA_TOKEN, true), a.Create(CKA.CKA_PRIVATE, false), a.Create(CKA.CKA_MODIFIABLE, true),
                    a.Create(CKA.CKA_LABEL, found.Key.Label), a.Create(CKA.CKA_ID, found.Key.Id),
                    a.Create(CKA.CKA_SUBJECT, certificate.SubjectName.RawData), a.Create(CKA.CKA_ISSUER, certificate.IssuerName.RawData),
                    a.Create(CKA.CKA_SERIAL_NUMBER, new DerInteger(bc.SerialNumber).GetDerEncoded()),
                    a.Create(CKA.CKA_VALUE, certificate.RawData),
                });
            }
            var after = TokenObjects.ReadAll(F, _session);
            return TokenObjects.ToTokenKey(TokenObjects.Pair(after).First(p => p.Key.Id.AsSpan().SequenceEqual(found.Key.Id) && p.Key.Label == found.Key.Label));
        });
    }

    internal byte[] SignWithKey(RawObject key, byte[] digest, System.Security.Cryptography.HashAlgorithmName hash, RsaPadding padding) =>
        TokenSigning.Sign(F, _session, key.Handle, key.KeyAlgorithm!.Value, digest, hash, padding, key.AlwaysAuthenticate, _pin);

    private T Guard<T>(string function, Func<T> body)
    {
        if (_disposed) throw new ObjectDisposedException(nameof(Pkcs11Token));
        try { return body(); }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_PIN_INCORRECT)
        {
            TokenFlags flags = Token.Flags;
            try { flags = Pkcs11Module.Flags(_slot.GetTokenInfo().TokenFlags); } catch (Pkcs11Exception) { }
            throw Pkcs11Errors.Login(e, Token.Label, flags, Token.MinPinLength, Token.MaxPinLength);
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_PIN_LOCKED) { throw Pkcs11Errors.Locked(e, Token.Label); }
        catch (Pkcs11Exception e) when (e.RV is CKR.CKR_TOKEN_WRITE_PROTECTED or CKR.CKR_SESSION_READ_ONLY)
        {
            throw new TokenException(Pkcs11Messages.Resources, Pkcs11Messages.WriteProtected, e, Token.Label);
        }
        catch (Pkcs11Exception e) when (e.RV == CKR.CKR_MECHANISM_INVALID)
        {
            throw new TokenException(Pkcs11Messages.Resources, Pkcs11Messages.MechanismUnsupported, e, Token.Label, function);
        }
        catch (Pkcs11Exception e) { throw Pkcs11Errors.Operation(e, e.Method ?? function, Token.SlotId); }
    }

    /// <summary>Logs out (when this object logged in) and closes the session; never throws.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_loggedInHere)
            try { _session.Logout(); } catch (Pkcs11Exception) { }
        try { _session.CloseSession(); } catch (Pkcs11Exception) { }
        _module.Dispose();
    }

    /// <summary>BouncyCastle's view of a token key: hashes what BC streams in, signs the digest on the token.</summary>
    private sealed class TokenSignatureFactory : ISignatureFactory
    {
        private readonly Pkcs11Token _token;
        private readonly RawObject _key;

        public TokenSignatureFactory(Pkcs11Token token, RawObject key)
        {
            _token = token; _key = key;
            AlgorithmDetails = key.KeyAlgorithm == KeyAlgorithm.Ecdsa
                ? new AlgorithmIdentifier(X9ObjectIdentifiers.ECDsaWithSha256)
                : new AlgorithmIdentifier(PkcsObjectIdentifiers.Sha256WithRsaEncryption, DerNull.Instance);
        }

        public object AlgorithmDetails { get; }

        public IStreamCalculator<IBlockResult> CreateCalculator() => new Calculator(this);

        private sealed class Calculator : IStreamCalculator<IBlockResult>
        {
            private readonly TokenSignatureFactory _owner;
            private readonly MemoryStream _data = new();
            public Calculator(TokenSignatureFactory owner) => _owner = owner;
            public Stream Stream => _data;

            public IBlockResult GetResult()
            {
                var digest = Digests.Compute(System.Security.Cryptography.HashAlgorithmName.SHA256, _data.ToArray());
                var sig = _owner._token.SignWithKey(_owner._key, digest, System.Security.Cryptography.HashAlgorithmName.SHA256, RsaPadding.Pkcs1);
                if (_owner._key.KeyAlgorithm == KeyAlgorithm.Ecdsa) sig = EcdsaSignatureFormat.ToDer(sig);
                return new SimpleBlockResult(sig);
            }
        }
    }
}
