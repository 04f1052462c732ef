using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;

namespace VnGovSign.Cms;

/// <summary>CMS signatureAlgorithm identifiers and signature checks with the BCL's public keys.</summary>
internal static class SignatureAlgorithms
{
    internal const string RsaEncryption = "1.2.840.113549.1.1.1";
    internal const string RsaPss = "1.2.840.113549.1.1.10";

    /// <summary>The AlgorithmIdentifier written into SignerInfo.signatureAlgorithm.</summary>
    internal static AlgorithmIdentifier For(KeyAlgorithm key, HashAlgorithmName hash, RsaPadding padding)
    {
        if (key == KeyAlgorithm.Ecdsa)
        {
            string oid = hash.Name switch
            {
                "SHA1" => "1.2.840.10045.4.1",
                "SHA256" => "1.2.840.10045.4.3.2",
                "SHA384" => "1.2.840.10045.4.3.3",
                "SHA512" => "1.2.840.10045.4.3.4",
                _ => throw new InvalidInputException(MessageKeys.UnsupportedAlgorithm, hash.Name),
            };
            return new AlgorithmIdentifier(new DerObjectIdentifier(oid));
        }
        if (padding == RsaPadding.Pss)
        {
            var hashId = new AlgorithmIdentifier(new DerObjectIdentifier(Digests.Oid(hash)), DerNull.Instance);
            var mgf = new AlgorithmIdentifier(PkcsObjectIdentifiers.IdMgf1, hashId);
            var pss = new RsassaPssParameters(hashId, mgf, DerInteger.ValueOf(Digests.Length(hash)), DerInteger.ValueOf(1));
            return new AlgorithmIdentifier(PkcsObjectIdentifiers.IdRsassaPss, pss);
        }
        // rsaEncryption with the digest in digestAlgorithm: what Adobe, OpenSSL and the national tools write.
        return new AlgorithmIdentifier(new DerObjectIdentifier(RsaEncryption), DerNull.Instance);
    }

    /// <summary>Checks <paramref name="signature"/> over <paramref name="data"/> with the certificate's public key.</summary>
    internal static bool Verify(X509Certificate2 certificate, AlgorithmIdentifier signatureAlgorithm, HashAlgorithmName hash, byte[] data, byte[] signature)
    {
        string oid = signatureAlgorithm.Algorithm.Id;
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
        {
            if (oid == RsaPss)
            {
                var p = RsassaPssParameters.GetInstance(signatureAlgorithm.Parameters);
                var pssHash = Digests.FromOid(p.HashAlgorithm.Algorithm.Id);
                return rsa.VerifyData(data, signature, pssHash, RSASignaturePadding.Pss);
            }
            return rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1);
        }
        using var ec = certificate.GetECDsaPublicKey();
        if (ec is null) return false;
        int fieldBytes = (ec.KeySize + 7) / 8;
        byte[] p1363;
        try { p1363 = EcdsaSignatureFormat.ToP1363(signature, fieldBytes); }
        catch (InvalidInputException) { return false; }
        return ec.VerifyData(data, p1363, hash);
    }

    /// <summary>Checks a raw signature value made by an <see cref="ISigner"/> (P1363 for ECDSA) over a digest.</summary>
    internal static bool VerifyDigest(X509Certificate2 certificate, HashAlgorithmName hash, RsaPadding padding, byte[] digest, byte[] signature)
    {
        using var rsa = certificate.GetRSAPublicKey();
        if (rsa is not null)
            return rsa.VerifyHash(digest, signature, hash, padding == RsaPadding.Pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
        using var ec = certificate.GetECDsaPublicKey();
        return ec is not null && ec.VerifyHash(digest, signature);
    }
}
