using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace VnGovSign.Trust;

/// <summary>Reads certificates and CRLs in PEM or DER.</summary>
public static class CertificateFiles
{
    /// <summary>All certificates in a PEM (one or many) or DER file.</summary>
    /// <exception cref="InvalidInputException">Missing, unreadable or holding no certificate.</exception>
    public static IReadOnlyList<X509Certificate2> Load(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException(MessageKeys.FileNotReadable, e, path, e.Message);
        }
        return Parse(bytes, path);
    }

    /// <summary>All certificates in PEM or DER bytes; <paramref name="source"/> names them in errors.</summary>
    public static IReadOnlyList<X509Certificate2> Parse(byte[] bytes, string source)
    {
        var list = new List<X509Certificate2>();
        try
        {
            foreach (var der in PemBlocks(bytes, "CERTIFICATE")) list.Add(new X509Certificate2(der));
            if (list.Count == 0 && bytes.Length > 0 && bytes[0] == 0x30) list.Add(new X509Certificate2(bytes));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or FormatException)
        {
            throw new InvalidInputException(MessageKeys.CertificateUnreadable, e, source, e.Message);
        }
        if (list.Count == 0) throw new InvalidInputException(MessageKeys.CertificateUnreadable, source, "no certificate");
        return list;
    }

    /// <summary>DER bodies of PEM blocks with <paramref name="label"/> (e.g. "X509 CRL"); DER input is returned as is.</summary>
    public static IReadOnlyList<byte[]> PemBlocks(byte[] bytes, string label)
    {
        var result = new List<byte[]>();
        string text;
        try { text = Encoding.ASCII.GetString(bytes); } catch (ArgumentException) { return result; }
        string begin = "-----BEGIN " + label + "-----", end = "-----END " + label + "-----";
        int i = 0;
        while ((i = text.IndexOf(begin, i, StringComparison.Ordinal)) >= 0)
        {
            int s = i + begin.Length;
            int e = text.IndexOf(end, s, StringComparison.Ordinal);
            if (e < 0) break;
            result.Add(Convert.FromBase64String(new string(text.Substring(s, e - s).Where(c => !char.IsWhiteSpace(c)).ToArray())));
            i = e + end.Length;
        }
        return result;
    }

    /// <summary>A PEM text for a DER object.</summary>
    public static string ToPem(byte[] der, string label = "CERTIFICATE")
    {
        var b64 = Convert.ToBase64String(der);
        var sb = new StringBuilder().Append("-----BEGIN ").Append(label).Append("-----\n");
        for (int i = 0; i < b64.Length; i += 64) sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
        return sb.Append("-----END ").Append(label).Append("-----\n").ToString();
    }
}
