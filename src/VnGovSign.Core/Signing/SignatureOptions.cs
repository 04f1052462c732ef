using System.Security.Cryptography;
using VnGovSign.Timestamps;

namespace VnGovSign;

/// <summary>ETSI baseline levels, shared by CAdES, PAdES and XAdES.</summary>
public enum SignatureLevel
{
    /// <summary>B-B: signature with signed attributes and the signer's certificate.</summary>
    BaselineB,
    /// <summary>B-T: plus a signature timestamp.</summary>
    BaselineT,
    /// <summary>B-LT: plus certificates and revocation data for long-term validation.</summary>
    BaselineLT,
    /// <summary>B-LTA: plus an archive (document) timestamp over all of it.</summary>
    BaselineLTA,
}

/// <summary>Parsing and printing of levels as written on the command line ("B-B", "B-LTA").</summary>
public static class SignatureLevels
{
    /// <summary>"B-B", "B-T", "B-LT", "B-LTA".</summary>
    public static string Name(SignatureLevel level) => level switch
    {
        SignatureLevel.BaselineB => "B-B",
        SignatureLevel.BaselineT => "B-T",
        SignatureLevel.BaselineLT => "B-LT",
        _ => "B-LTA",
    };

    /// <summary>Parses "B-B", "b-t", "BLT", "B-LTA".</summary>
    /// <exception cref="InvalidInputException">Not a level.</exception>
    public static SignatureLevel Parse(string text) => text.Replace("-", "").ToUpperInvariant() switch
    {
        "BB" => SignatureLevel.BaselineB,
        "BT" => SignatureLevel.BaselineT,
        "BLT" => SignatureLevel.BaselineLT,
        "BLTA" => SignatureLevel.BaselineLTA,
        _ => throw new InvalidInputException(MessageKeys.UnknownLevel, text),
    };
}

/// <summary>Options shared by every format's signer.</summary>
public sealed record SignatureOptions
{
    /// <summary>The level to reach (B-B by default).</summary>
    public SignatureLevel Level { get; init; } = SignatureLevel.BaselineB;

    /// <summary>Digest algorithm (SHA-256 by default).</summary>
    public HashAlgorithmName Hash { get; init; } = HashAlgorithmName.SHA256;

    /// <summary>RSA padding (PKCS#1 v1.5 by default, as every Vietnamese receiver expects).</summary>
    public RsaPadding Padding { get; init; } = RsaPadding.Pkcs1;

    /// <summary>The timestamp authority for B-T and above.</summary>
    public ITimestampClient? Timestamps { get; init; }

    /// <summary>The clock (system time by default; fixed in tests so outputs are byte-for-byte stable).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
