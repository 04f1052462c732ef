using System.Security.Cryptography;

namespace VnGovSign;

/// <summary>Hash algorithms by name and OID, and hashing of bytes and streams.</summary>
public static class Digests
{
    /// <summary>SHA-256 of <paramref name="data"/>.</summary>
    public static byte[] Sha256(byte[] data)
    {
        using var h = SHA256.Create();
        return h.ComputeHash(data);
    }

    /// <summary>Creates an incremental hash for <paramref name="hash"/>.</summary>
    /// <exception cref="InvalidInputException">The algorithm is not one VnGovSign supports.</exception>
    public static IncrementalHash Create(HashAlgorithmName hash)
    {
        Oid(hash); // validates the name
        return IncrementalHash.CreateHash(hash);
    }

    /// <summary>Hashes <paramref name="data"/>.</summary>
    public static byte[] Compute(HashAlgorithmName hash, ReadOnlySpan<byte> data)
    {
        using var h = Create(hash);
        h.AppendData(data.ToArray());
        return h.GetHashAndReset();
    }

    /// <summary>Hashes a stream from its current position to its end without loading it whole.</summary>
    public static async Task<byte[]> ComputeAsync(HashAlgorithmName hash, Stream stream, CancellationToken cancellationToken = default)
    {
        using var h = Create(hash);
        var buffer = new byte[81920];
        int n;
        while ((n = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false)) > 0)
            h.AppendData(buffer, 0, n);
        return h.GetHashAndReset();
    }

    /// <summary>The OID of a hash algorithm.</summary>
    public static string Oid(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA1" => "1.3.14.3.2.26",
        "SHA256" => "2.16.840.1.101.3.4.2.1",
        "SHA384" => "2.16.840.1.101.3.4.2.2",
        "SHA512" => "2.16.840.1.101.3.4.2.3",
        _ => throw new InvalidInputException(MessageKeys.UnsupportedAlgorithm, hash.Name),
    };

    /// <summary>The hash algorithm of an OID.</summary>
    public static HashAlgorithmName FromOid(string oid) => oid switch
    {
        "1.3.14.3.2.26" => HashAlgorithmName.SHA1,
        "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
        "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
        "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
        _ => throw new InvalidInputException(MessageKeys.UnsupportedAlgorithm, oid),
    };

    /// <summary>Parses SHA256, sha-256, SHA384… as given on a command line.</summary>
    public static HashAlgorithmName Parse(string name) => name.Replace("-", "").ToUpperInvariant() switch
    {
        "SHA1" => HashAlgorithmName.SHA1,
        "SHA256" => HashAlgorithmName.SHA256,
        "SHA384" => HashAlgorithmName.SHA384,
        "SHA512" => HashAlgorithmName.SHA512,
        _ => throw new InvalidInputException(MessageKeys.UnsupportedAlgorithm, name),
    };

    /// <summary>Digest length in bytes.</summary>
    public static int Length(HashAlgorithmName hash) => hash.Name switch
    {
        "SHA1" => 20, "SHA256" => 32, "SHA384" => 48, "SHA512" => 64,
        _ => throw new InvalidInputException(MessageKeys.UnsupportedAlgorithm, hash.Name),
    };
}

/// <summary>
/// The PKCS#1 DigestInfo (hash OID + digest) that RSA PKCS#1 v1.5 signs. Tokens that only offer
/// CKM_RSA_PKCS need it built by the caller.
/// </summary>
public static class DigestInfo
{
    /// <summary>DER DigestInfo for <paramref name="digest"/>.</summary>
    public static byte[] Encode(HashAlgorithmName hash, ReadOnlySpan<byte> digest)
    {
        var algId = new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(
            new Org.BouncyCastle.Asn1.DerObjectIdentifier(Digests.Oid(hash)), Org.BouncyCastle.Asn1.DerNull.Instance);
        return new Org.BouncyCastle.Asn1.X509.DigestInfo(algId, digest.ToArray()).GetDerEncoded();
    }
}

/// <summary>Converts ECDSA signatures between IEEE P1363 (r‖s) and DER (SEQUENCE of two INTEGERs).</summary>
public static class EcdsaSignatureFormat
{
    /// <summary>r‖s to DER, as CMS and X.509 carry it.</summary>
    public static byte[] ToDer(ReadOnlySpan<byte> p1363)
    {
        if (p1363.Length == 0 || p1363.Length % 2 != 0) throw new InvalidInputException(MessageKeys.EcdsaSignatureMalformed, p1363.Length);
        int half = p1363.Length / 2;
        var r = new Org.BouncyCastle.Math.BigInteger(1, p1363.Slice(0, half).ToArray());
        var s = new Org.BouncyCastle.Math.BigInteger(1, p1363.Slice(half).ToArray());
        return new Org.BouncyCastle.Asn1.DerSequence(new Org.BouncyCastle.Asn1.DerInteger(r), new Org.BouncyCastle.Asn1.DerInteger(s)).GetDerEncoded();
    }

    /// <summary>DER to r‖s with each half <paramref name="fieldSizeBytes"/> long, as XML-DSig carries it.</summary>
    public static byte[] ToP1363(ReadOnlySpan<byte> der, int fieldSizeBytes)
    {
        Org.BouncyCastle.Asn1.Asn1Sequence seq;
        try { seq = Org.BouncyCastle.Asn1.Asn1Sequence.GetInstance(der.ToArray()); }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException)
        {
            throw new InvalidInputException(MessageKeys.EcdsaSignatureMalformed, e, der.Length);
        }
        var result = new byte[2 * fieldSizeBytes];
        for (int i = 0; i < 2; i++)
        {
            var v = Org.BouncyCastle.Asn1.DerInteger.GetInstance(seq[i]).PositiveValue.ToByteArrayUnsigned();
            if (v.Length > fieldSizeBytes) throw new InvalidInputException(MessageKeys.EcdsaSignatureMalformed, der.Length);
            Buffer.BlockCopy(v, 0, result, (i + 1) * fieldSizeBytes - v.Length, v.Length);
        }
        return result;
    }
}
