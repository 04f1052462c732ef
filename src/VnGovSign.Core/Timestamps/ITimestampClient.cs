using System.Security.Cryptography;

namespace VnGovSign.Timestamps;

/// <summary>An RFC 3161 timestamp authority.</summary>
public interface ITimestampClient
{
    /// <summary>Asks for a timestamp over <paramref name="messageImprint"/> (a digest made with <paramref name="hash"/>).</summary>
    /// <returns>The DER TimeStampToken (a CMS ContentInfo).</returns>
    /// <exception cref="ServiceUnavailableException">The TSA did not answer or refused.</exception>
    Task<byte[]> GetTimestampTokenAsync(ReadOnlyMemory<byte> messageImprint, HashAlgorithmName hash, CancellationToken cancellationToken = default);
}
