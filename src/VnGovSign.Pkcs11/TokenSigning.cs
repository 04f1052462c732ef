using System.Security.Cryptography;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace VnGovSign.Pkcs11;

/// <summary>
/// One signature over a digest on a token. RSA PKCS#1 v1.5 uses CKM_RSA_PKCS over the DigestInfo
/// (every token has it; CKM_SHA256_RSA_PKCS would hash again, and a signer only receives the digest);
/// RSA-PSS uses CKM_RSA_PKCS_PSS with MGF1 over the same hash and a salt as long as the hash; ECDSA
/// uses CKM_ECDSA, whose r‖s output is exactly ISigner's ECDSA form.
/// </summary>
internal static class TokenSigning
{
    public static byte[] Sign(Pkcs11InteropFactories f, ISession session, IObjectHandle key, KeyAlgorithm algorithm,
        byte[] digest, HashAlgorithmName hash, RsaPadding padding, bool alwaysAuthenticate, string? pin)
    {
        if (digest.Length != Digests.Length(hash))
            throw new InvalidInputException(MessageKeys.DigestLengthMismatch, digest.Length, hash.Name);
        byte[] data;
        IMechanism mechanism;
        if (algorithm == KeyAlgorithm.Ecdsa)
        {
            mechanism = f.MechanismFactory.Create(CKM.CKM_ECDSA);
            data = digest;
        }
        else if (padding == RsaPadding.Pss)
        {
            var (hashMech, mgf) = PssParameters(hash);
            var p = f.MechanismParamsFactory.CreateCkRsaPkcsPssParams((ulong)hashMech, (ulong)mgf, (ulong)digest.Length);
            mechanism = f.MechanismFactory.Create(CKM.CKM_RSA_PKCS_PSS, p);
            data = digest;
        }
        else
        {
            mechanism = f.MechanismFactory.Create(CKM.CKM_RSA_PKCS);
            data = DigestInfo.Encode(hash, digest);
        }
        using (mechanism)
        {
            // CKA_ALWAYS_AUTHENTICATE keys want a context-specific login between C_SignInit and C_Sign.
            return alwaysAuthenticate ? session.Sign(mechanism, key, pin, data) : session.Sign(mechanism, key, data);
        }
    }

    /// <summary>The mechanism a signature needs (to check the token offers it).</summary>
    public static CKM Mechanism(KeyAlgorithm algorithm, RsaPadding padding) =>
        algorithm == KeyAlgorithm.Ecdsa ? CKM.CKM_ECDSA : padding == RsaPadding.Pss ? CKM.CKM_RSA_PKCS_PSS : CKM.CKM_RSA_PKCS;

    private static (CKM, CKG) PssParameters(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA256" => (CKM.CKM_SHA256, CKG.CKG_MGF1_SHA256),
        "SHA384" => (CKM.CKM_SHA384, CKG.CKG_MGF1_SHA384),
        "SHA512" => (CKM.CKM_SHA512, CKG.CKG_MGF1_SHA512),
        "SHA1" => (CKM.CKM_SHA_1, CKG.CKG_MGF1_SHA1),
        _ => throw new InvalidInputException(MessageKeys.UnsupportedAlgorithm, hash.Name),
    };
}
