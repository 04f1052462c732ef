using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;

namespace VnGovSign.Pkcs11;

/// <summary>One object read from a token, with what pairing and signing need.</summary>
internal sealed class RawObject
{
    public IObjectHandle Handle { get; init; } = null!;
    public TokenObjectKind Kind { get; init; }
    public string Label { get; init; } = "";
    public byte[] Id { get; init; } = Array.Empty<byte>();
    public KeyAlgorithm? KeyAlgorithm { get; init; }
    public int KeySize { get; init; }
    /// <summary>RSA modulus (unsigned, no leading zeros) or EC point (uncompressed) — what pairs keys and certificates.</summary>
    public byte[]? PublicValue { get; init; }
    public byte[]? RsaExponent { get; init; }
    public byte[]? EcParams { get; init; }
    public bool AlwaysAuthenticate { get; init; }
    public X509Certificate2? Certificate { get; init; }

    public TokenObject ToPublic() => new(Kind, Label, Id, KeyAlgorithm, KeySize, Certificate);
}

/// <summary>Reads, pairs and finds token objects.</summary>
internal static class TokenObjects
{
    public static List<RawObject> ReadAll(Pkcs11InteropFactories f, ISession session)
    {
        var result = new List<RawObject>();
        result.AddRange(Read(f, session, CKO.CKO_PRIVATE_KEY));
        result.AddRange(Read(f, session, CKO.CKO_PUBLIC_KEY));
        result.AddRange(Read(f, session, CKO.CKO_CERTIFICATE));
        return result;
    }

    public static IEnumerable<RawObject> Read(Pkcs11InteropFactories f, ISession session, CKO cls)
    {
        var handles = session.FindAllObjects(new List<IObjectAttribute> { f.ObjectAttributeFactory.Create(CKA.CKA_CLASS, cls) });
        foreach (var h in handles)
        {
            var o = cls == CKO.CKO_CERTIFICATE ? ReadCertificate(session, h) : ReadKey(session, h, cls);
            if (o is not null) yield return o;
        }
    }

    private static RawObject? ReadCertificate(ISession session, IObjectHandle h)
    {
        var a = session.GetAttributeValue(h, new List<CKA> { CKA.CKA_LABEL, CKA.CKA_ID, CKA.CKA_CERTIFICATE_TYPE, CKA.CKA_VALUE });
        if (!a[2].CannotBeRead && a[2].GetValueAsUlong() != (ulong)CKC.CKC_X_509) return null;
        if (a[3].CannotBeRead) return null;
        var der = a[3].GetValueAsByteArray();
        X509Certificate2 cert;
        try { cert = new X509Certificate2(der); }
        catch (CryptographicException) { return null; } // a broken object must not hide the others
        return new RawObject
        {
            Handle = h, Kind = TokenObjectKind.Certificate, Label = Label(a[0]), Id = Bytes(a[1]), Certificate = cert,
            PublicValue = CertificatePublicValue(der, out var alg, out int size), KeyAlgorithm = alg, KeySize = size,
        };
    }

    private static RawObject? ReadKey(ISession session, IObjectHandle h, CKO cls)
    {
        var a = session.GetAttributeValue(h, new List<CKA>
        {
            CKA.CKA_LABEL, CKA.CKA_ID, CKA.CKA_KEY_TYPE, CKA.CKA_MODULUS, CKA.CKA_PUBLIC_EXPONENT, CKA.CKA_EC_PARAMS, CKA.CKA_EC_POINT,
            CKA.CKA_ALWAYS_AUTHENTICATE,
        });
        if (a[2].CannotBeRead) return null;
        ulong type = a[2].GetValueAsUlong();
        var kind = cls == CKO.CKO_PRIVATE_KEY ? TokenObjectKind.PrivateKey : TokenObjectKind.PublicKey;
        bool always = kind == TokenObjectKind.PrivateKey && !a[7].CannotBeRead && a[7].GetValueAsByteArray() is { Length: > 0 } v && v[0] != 0;
        if (type == (ulong)CKK.CKK_RSA)
        {
            var mod = a[3].CannotBeRead ? null : TrimZeros(a[3].GetValueAsByteArray());
            return new RawObject
            {
                Handle = h, Kind = kind, Label = Label(a[0]), Id = Bytes(a[1]), KeyAlgorithm = VnGovSign.KeyAlgorithm.Rsa,
                KeySize = mod is null ? 0 : BitLength(mod), PublicValue = mod,
                RsaExponent = a[4].CannotBeRead ? null : a[4].GetValueAsByteArray(), AlwaysAuthenticate = always,
            };
        }
        if (type == (ulong)CKK.CKK_EC)
        {
            var ecParams = a[5].CannotBeRead ? null : a[5].GetValueAsByteArray();
            var point = a[6].CannotBeRead ? null : UnwrapEcPoint(a[6].GetValueAsByteArray());
            return new RawObject
            {
                Handle = h, Kind = kind, Label = Label(a[0]), Id = Bytes(a[1]), KeyAlgorithm = VnGovSign.KeyAlgorithm.Ecdsa,
                KeySize = CurveBits(ecParams), PublicValue = point, EcParams = ecParams, AlwaysAuthenticate = always,
            };
        }
        return new RawObject { Handle = h, Kind = kind, Label = Label(a[0]), Id = Bytes(a[1]) }; // listed, never used to sign
    }

    /// <summary>Pairs each private key with a certificate: same CKA_ID first, then same public key.</summary>
    public static List<(RawObject Key, RawObject? PublicKey, RawObject? Certificate, KeyPairing Pairing)> Pair(IReadOnlyList<RawObject> all)
    {
        var certs = all.Where(o => o.Kind == TokenObjectKind.Certificate).ToList();
        var publics = all.Where(o => o.Kind == TokenObjectKind.PublicKey).ToList();
        var result = new List<(RawObject, RawObject?, RawObject?, KeyPairing)>();
        foreach (var key in all.Where(o => o.Kind == TokenObjectKind.PrivateKey && o.KeyAlgorithm is not null))
        {
            var pub = publics.FirstOrDefault(p => key.Id.Length > 0 && p.Id.AsSpan().SequenceEqual(key.Id))
                      ?? publics.FirstOrDefault(p => key.PublicValue is not null && Same(p.PublicValue, key.PublicValue))
                      ?? publics.FirstOrDefault(p => key.Id.Length == 0 && p.Label == key.Label);
            var value = key.PublicValue ?? pub?.PublicValue;
            var byId = certs.Where(c => key.Id.Length > 0 && c.Id.AsSpan().SequenceEqual(key.Id))
                .OrderByDescending(c => value is not null && Same(c.PublicValue, value))
                .ThenByDescending(c => c.Certificate!.NotAfter).FirstOrDefault();
            if (byId is not null && (value is null || Same(byId.PublicValue, value)))
            {
                result.Add((key, pub, byId, KeyPairing.ById));
                continue;
            }
            var byKey = value is null ? null
                : certs.Where(c => Same(c.PublicValue, value)).OrderByDescending(c => c.Certificate!.NotAfter).FirstOrDefault();
            result.Add((key, pub, byKey, byKey is null ? KeyPairing.None : KeyPairing.ByPublicKey));
        }
        return result;
    }

    public static TokenKey ToTokenKey((RawObject Key, RawObject? PublicKey, RawObject? Certificate, KeyPairing Pairing) p) =>
        new(p.Key.Label, p.Key.Id, p.Key.KeyAlgorithm!.Value, p.Key.KeySize != 0 ? p.Key.KeySize : p.PublicKey?.KeySize ?? p.Certificate?.KeySize ?? 0,
            p.Certificate?.Certificate, p.Pairing, p.Key.AlwaysAuthenticate);

    /// <summary>Finds the private key named <paramref name="keyLabel"/> (its own label, or its certificate's, or "id:HEX"); null label: the only key with a certificate.</summary>
    public static (RawObject Key, RawObject? PublicKey, RawObject? Certificate, KeyPairing Pairing) Find(
        IReadOnlyList<RawObject> all, string? keyLabel, string tokenLabel, bool needCertificate)
    {
        var pairs = Pair(all);
        if (keyLabel is null)
        {
            var withCert = pairs.Where(p => p.Certificate is not null).ToList();
            if (withCert.Count == 1) return withCert[0];
            if (withCert.Count == 0)
                throw new InvalidInputException(Pkcs11Messages.Resources, Pkcs11Messages.NoKeyOnToken, null, tokenLabel);
            throw new InvalidInputException(Pkcs11Messages.Resources, Pkcs11Messages.KeyAmbiguous, null, tokenLabel,
                string.Join(", ", withCert.Select(p => "'" + p.Key.Label + "'")));
        }
        var matches = pairs.Where(p => Pkcs11Module.LabelMatches(p.Key.Label, keyLabel)).ToList();
        if (matches.Count == 0) matches = pairs.Where(p => p.Certificate is not null && Pkcs11Module.LabelMatches(p.Certificate.Label, keyLabel)).ToList();
        if (matches.Count == 0 && keyLabel.StartsWith("id:", StringComparison.OrdinalIgnoreCase))
        {
            byte[]? id = null;
            try { id = Hex.Parse(keyLabel.Substring(3)); } catch (FormatException) { }
            if (id is not null) matches = pairs.Where(p => p.Key.Id.AsSpan().SequenceEqual(id)).ToList();
        }
        if (matches.Count == 0)
            throw new InvalidInputException(Pkcs11Messages.Resources, Pkcs11Messages.KeyNotFound, null, keyLabel, tokenLabel,
                pairs.Count == 0 ? "-" : string.Join(", ", pairs.Select(p => "'" + p.Key.Label + "'")));
        // Several keys with one label (a renewal): prefer one with a certificate, the latest.
        var chosen = matches.OrderByDescending(p => p.Certificate is not null)
            .ThenByDescending(p => p.Certificate?.Certificate?.NotAfter ?? DateTime.MinValue).First();
        if (needCertificate && chosen.Certificate is null)
            throw new InvalidInputException(Pkcs11Messages.Resources, Pkcs11Messages.CertificateNotFound, null, keyLabel, tokenLabel);
        return chosen;
    }

    /// <summary>The BouncyCastle public key of a token key (for PKCS#10), from the private or the public object.</summary>
    public static Org.BouncyCastle.Crypto.AsymmetricKeyParameter PublicKey(RawObject key, RawObject? pub)
    {
        if (key.KeyAlgorithm == VnGovSign.KeyAlgorithm.Rsa)
        {
            var mod = key.PublicValue ?? pub?.PublicValue;
            var exp = key.RsaExponent ?? pub?.RsaExponent;
            if (mod is null || exp is null)
                throw new TokenException(Pkcs11Messages.Resources, Pkcs11Messages.TokenError, null, "C_GetAttributeValue(CKA_MODULUS)", "CKR_ATTRIBUTE_TYPE_INVALID");
            return new RsaKeyParameters(false, new BigInteger(1, mod), new BigInteger(1, exp));
        }
        var point = pub?.PublicValue ?? key.PublicValue;
        var parameters = pub?.EcParams ?? key.EcParams;
        if (point is null || parameters is null)
            throw new TokenException(Pkcs11Messages.Resources, Pkcs11Messages.TokenError, null, "C_GetAttributeValue(CKA_EC_POINT)", "CKR_ATTRIBUTE_TYPE_INVALID");
        var oid = (DerObjectIdentifier)Asn1Object.FromByteArray(parameters);
        var curve = Org.BouncyCastle.Asn1.X9.ECNamedCurveTable.GetByOid(oid);
        var domain = new ECNamedDomainParameters(oid, curve);
        return new ECPublicKeyParameters(curve.Curve.DecodePoint(point), domain);
    }

    public static byte[]? CertificatePublicValue(byte[] der, out KeyAlgorithm? algorithm, out int size)
    {
        algorithm = null; size = 0;
        try
        {
            var key = new Org.BouncyCastle.X509.X509CertificateParser().ReadCertificate(der).GetPublicKey();
            switch (key)
            {
                case RsaKeyParameters rsa:
                    algorithm = VnGovSign.KeyAlgorithm.Rsa; size = rsa.Modulus.BitLength;
                    return rsa.Modulus.ToByteArrayUnsigned();
                case ECPublicKeyParameters ec:
                    algorithm = VnGovSign.KeyAlgorithm.Ecdsa; size = ec.Parameters.Curve.FieldSize;
                    return ec.Q.GetEncoded(false);
            }
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException or Org.BouncyCastle.Security.SecurityUtilityException
                                      or Org.BouncyCastle.Security.Certificates.CertificateException) { }
        return null;
    }

    /// <summary>CKA_EC_POINT is a DER OCTET STRING around the point (some tokens give the bare point).</summary>
    public static byte[] UnwrapEcPoint(byte[] value)
    {
        if (value.Length > 2 && value[0] == 0x04 && (value.Length - 1) % 2 == 0 && value[1] != 0x81 && value[1] + 2 != value.Length)
            return value; // bare uncompressed point
        try { return Asn1OctetString.GetInstance(Asn1Object.FromByteArray(value)).GetOctets(); }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException) { return value; }
    }

    private static int CurveBits(byte[]? ecParams)
    {
        if (ecParams is null) return 0;
        try
        {
            var oid = (DerObjectIdentifier)Asn1Object.FromByteArray(ecParams);
            return Org.BouncyCastle.Asn1.X9.ECNamedCurveTable.GetByOid(oid)?.Curve.FieldSize ?? 0;
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException) { return 0; }
    }

    public static bool Same(byte[]? a, byte[]? b) => a is not null && b is not null && a.AsSpan().SequenceEqual(b);

    private static byte[] TrimZeros(byte[] v)
    {
        int i = 0;
        while (i < v.Length - 1 && v[i] == 0) i++;
        return i == 0 ? v : v.AsSpan(i).ToArray();
    }

    private static int BitLength(byte[] unsignedBigEndian) => new BigInteger(1, unsignedBigEndian).BitLength;

    private static string Label(IObjectAttribute a)
    {
        if (a.CannotBeRead) return "";
        var bytes = a.GetValueAsByteArray() ?? Array.Empty<byte>();
        return Encoding.UTF8.GetString(bytes).TrimEnd('\0', ' ').Normalize(NormalizationForm.FormC);
    }

    private static byte[] Bytes(IObjectAttribute a) => a.CannotBeRead ? Array.Empty<byte>() : a.GetValueAsByteArray() ?? Array.Empty<byte>();
}
