using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using VnGovSign.Cms;

namespace VnGovSign.Formats.Pdf;

/// <summary>
/// A PDF signature between <see cref="PadesSigner.PrepareAsync"/> and <see cref="PadesSigner.CompleteAsync"/>:
/// the scratch file already holds the new revision with an empty /Contents; <see cref="Digest"/> is what the
/// key holder signs. Serialisable, so a server can wait for a phone or a browser plug-in.
/// </summary>
public sealed class PreparedPdfSignature : IPreparedSignature
{
    internal PreparedPdfSignature(PreparedCmsSignature cms, long contentsOffset, int contentsHexLength, long[] byteRange, SignatureLevel level)
    {
        Cms = cms; ContentsOffset = contentsOffset; ContentsHexLength = contentsHexLength; ByteRange = byteRange; Level = level;
    }

    /// <summary>The prepared CMS (signed attributes over the ByteRange digest).</summary>
    public PreparedCmsSignature Cms { get; }
    /// <summary>Offset of the '&lt;' of /Contents in the scratch file.</summary>
    public long ContentsOffset { get; }
    /// <summary>Hex digits reserved for the CMS.</summary>
    public int ContentsHexLength { get; }
    /// <summary>The /ByteRange written.</summary>
    public IReadOnlyList<long> ByteRange { get; }
    /// <summary>The level asked for (B-T adds the signature timestamp at completion).</summary>
    public SignatureLevel Level { get; }

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Digest => Cms.Digest;
    /// <inheritdoc />
    public HashAlgorithmName Hash => Cms.Hash;
    /// <inheritdoc />
    public RsaPadding Padding => Cms.Padding;

    /// <inheritdoc />
    public byte[] Serialize()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WriteString("type", "pades");
            w.WriteNumber("contentsOffset", ContentsOffset);
            w.WriteNumber("contentsHexLength", ContentsHexLength);
            w.WriteString("byteRange", string.Join(" ", ByteRange.Select(x => x.ToString(CultureInfo.InvariantCulture))));
            w.WriteString("level", SignatureLevels.Name(Level));
            w.WriteBase64String("cms", Cms.Serialize());
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    /// <summary>Restores what <see cref="Serialize"/> wrote.</summary>
    /// <exception cref="InvalidInputException">Not a serialised prepared PDF signature.</exception>
    public static PreparedPdfSignature Deserialize(byte[] state)
    {
        try
        {
            using var doc = JsonDocument.Parse(state);
            var r = doc.RootElement;
            if (r.GetProperty("type").GetString() != "pades") throw new FormatException("type");
            var range = r.GetProperty("byteRange").GetString()!.Split(' ').Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            return new PreparedPdfSignature(PreparedCmsSignature.Deserialize(r.GetProperty("cms").GetBytesFromBase64()),
                r.GetProperty("contentsOffset").GetInt64(), r.GetProperty("contentsHexLength").GetInt32(), range,
                SignatureLevels.Parse(r.GetProperty("level").GetString()!));
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new InvalidInputException(MessageKeys.PreparedStateInvalid, e, e.Message);
        }
    }
}
