namespace VnGovSign;

/// <summary>Hexadecimal without the netstandard2.0 gaps.</summary>
public static class Hex
{
    /// <summary>Upper-case hex of <paramref name="bytes"/>.</summary>
    public static string Upper(ReadOnlySpan<byte> bytes)
    {
        const string digits = "0123456789ABCDEF";
        var chars = new char[bytes.Length * 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            chars[2 * i] = digits[bytes[i] >> 4];
            chars[2 * i + 1] = digits[bytes[i] & 0xF];
        }
        return new string(chars);
    }

    /// <summary>Parses hex (either case, no separators).</summary>
    public static byte[] Parse(string hex)
    {
        if (hex.Length % 2 != 0) throw new FormatException("odd hex length");
        var b = new byte[hex.Length / 2];
        for (int i = 0; i < b.Length; i++) b[i] = Convert.ToByte(hex.Substring(2 * i, 2), 16);
        return b;
    }
}
