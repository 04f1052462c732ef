using System.IO.Compression;

namespace VnGovSign.Formats.Pdf.Appearance;

/// <summary>zlib (RFC 1950) compression for /FlateDecode streams.</summary>
internal static class Zlib
{
    public static byte[] Compress(byte[] data)
    {
        var output = new MemoryStream();
#if NET6_0_OR_GREATER
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data, 0, data.Length);
#else
        // netstandard2.0 has no ZLibStream: raw deflate between a zlib header and an Adler-32 trailer.
        output.WriteByte(0x78);
        output.WriteByte(0xDA);
        using (var d = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true)) d.Write(data, 0, data.Length);
        uint a = 1, b = 0;
        foreach (var x in data) { a = (a + x) % 65521; b = (b + a) % 65521; }
        uint adler = (b << 16) | a;
        output.WriteByte((byte)(adler >> 24)); output.WriteByte((byte)(adler >> 16));
        output.WriteByte((byte)(adler >> 8)); output.WriteByte((byte)adler);
#endif
        return output.ToArray();
    }
}
