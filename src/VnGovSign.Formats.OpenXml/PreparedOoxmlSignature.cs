using System.Security.Cryptography;
using System.Text.Json;
using System.Xml;

namespace VnGovSign.Formats.OpenXml;

/// <summary>
/// An OOXML signature between the two phases: the signature XML is complete except its
/// SignatureValue, and <see cref="Digest"/> (the digest of the canonical SignedInfo) is what the
/// signer signs. Survives a restart through <see cref="Serialize"/> / <see cref="Deserialize"/>.
/// </summary>
public sealed class PreparedOoxmlSignature : IPreparedSignature
{
    private readonly byte[] _digest;

    internal PreparedOoxmlSignature(HashAlgorithmName hash, KeyAlgorithm keyAlgorithm, string signaturePartName, byte[] signatureXml,
        byte[] signerCertificate, byte[] inputSha256)
    {
        Hash = hash; KeyAlgorithm = keyAlgorithm; SignaturePartName = signaturePartName; SignatureXml = signatureXml;
        SignerCertificate = signerCertificate; InputSha256 = inputSha256;
        XmlDocument doc;
        try { doc = SafeXml.Load(signatureXml); }
        catch (XmlException e) { throw new InvalidInputException(MessageKeys.PreparedStateInvalid, e, e.Message); }
        _digest = Digests.Compute(hash, SignatureDocument.CanonicalSignedInfo(doc));
    }

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Digest => _digest;
    /// <inheritdoc />
    public HashAlgorithmName Hash { get; }
    /// <inheritdoc />
    public RsaPadding Padding => RsaPadding.Pkcs1;
    /// <summary>The signer's key family.</summary>
    public KeyAlgorithm KeyAlgorithm { get; }
    /// <summary>The part the signature will be written to (e.g. /_xmlsignatures/sig1.xml).</summary>
    public string SignaturePartName { get; }
    /// <summary>The signature part's XML with an empty SignatureValue.</summary>
    public byte[] SignatureXml { get; }
    /// <summary>The signer's DER certificate.</summary>
    public byte[] SignerCertificate { get; }
    /// <summary>SHA-256 of the input package, so Complete refuses another file.</summary>
    public byte[] InputSha256 { get; }

    /// <inheritdoc />
    public byte[] Serialize()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("format", "OOXML");
            w.WriteString("hash", Hash.Name);
            w.WriteString("key", KeyAlgorithm.ToString());
            w.WriteString("part", SignaturePartName);
            w.WriteBase64String("signatureXml", SignatureXml);
            w.WriteBase64String("certificate", SignerCertificate);
            w.WriteBase64String("inputSha256", InputSha256);
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    /// <summary>Restores a prepared signature from <see cref="Serialize"/>'s bytes.</summary>
    /// <exception cref="InvalidInputException">The bytes are not a prepared OOXML signature.</exception>
    public static PreparedOoxmlSignature Deserialize(byte[] state)
    {
        try
        {
            using var doc = JsonDocument.Parse(state);
            var r = doc.RootElement;
            if (r.GetProperty("format").GetString() != "OOXML") throw new FormatException("not an OOXML state");
            return new PreparedOoxmlSignature(new HashAlgorithmName(r.GetProperty("hash").GetString()),
                (KeyAlgorithm)Enum.Parse(typeof(KeyAlgorithm), r.GetProperty("key").GetString()!),
                r.GetProperty("part").GetString()!, r.GetProperty("signatureXml").GetBytesFromBase64(),
                r.GetProperty("certificate").GetBytesFromBase64(), r.GetProperty("inputSha256").GetBytesFromBase64());
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidInputException(MessageKeys.PreparedStateInvalid, e, e.Message);
        }
    }
}
