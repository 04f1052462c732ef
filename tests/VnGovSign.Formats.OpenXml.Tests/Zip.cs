using System.IO.Compression;
using System.Text;

namespace VnGovSign.Formats.OpenXml.Tests;

/// <summary>Plain zip access for tests (independent of the library's package reader).</summary>
internal static class Zip
{
    public static List<string> Names(byte[] zip)
    {
        using var z = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return z.Entries.Select(e => e.FullName).ToList();
    }

    public static byte[] Read(byte[] zip, string name)
    {
        using var z = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var e = z.GetEntry(name) ?? throw new KeyNotFoundException(name);
        using var s = e.Open();
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    public static string ReadText(byte[] zip, string name) => Encoding.UTF8.GetString(Read(zip, name));

    /// <summary>Copies a zip; <paramref name="change"/> returns new bytes, the same bytes, or null to drop an entry.</summary>
    public static byte[] Rewrite(byte[] zip, Func<string, byte[], byte[]?> change, IDictionary<string, byte[]>? add = null)
    {
        using var src = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var ms = new MemoryStream();
        using (var dst = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var e in src.Entries)
            {
                byte[] b;
                using (var s = e.Open()) { var m = new MemoryStream(); s.CopyTo(m); b = m.ToArray(); }
                var n = change(e.FullName, b);
                if (n is null) continue;
                using var d = dst.CreateEntry(e.FullName).Open();
                d.Write(n);
            }
            if (add is not null)
                foreach (var kv in add)
                {
                    using var d = dst.CreateEntry(kv.Key).Open();
                    d.Write(kv.Value);
                }
        }
        return ms.ToArray();
    }

    public static byte[] ReplaceText(byte[] zip, string name, string from, string to) =>
        Rewrite(zip, (n, b) => n == name ? Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(b).Replace(from, to)) : b);
}
