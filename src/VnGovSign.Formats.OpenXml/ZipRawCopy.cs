using System.IO.Compression;
using System.Text;

namespace VnGovSign.Formats.OpenXml;

/// <summary>
/// Copies a zip archive with some entries replaced and some added, moving the unchanged entries'
/// compressed bytes as they are (local header, data, data descriptor) instead of inflating and
/// deflating them again, which is what costs time on large packages. Handles the plain zip form Office,
/// LibreOffice and DocumentFormat.OpenXml write; anything else (ZIP64, encryption, multi-disk, an
/// inconsistent directory) makes <see cref="TryWrite"/> return false so the caller uses the slow, general path.
/// </summary>
internal static class ZipRawCopy
{
    private const uint LocalSig = 0x04034b50, CentralSig = 0x02014b50, EndSig = 0x06054b50, DescriptorSig = 0x08074b50;

    private sealed class Entry
    {
        public string Name = "";
        public byte[] Central = Array.Empty<byte>();   // the central directory record, as read
        public long LocalOffset;
        public long LocalEnd;                          // end of data (+ descriptor) in the input
        public byte[]? NewContent;                     // set when replaced or added
        public long NewOffset;
    }

    /// <summary>
    /// Writes <paramref name="zip"/> to <paramref name="output"/> with the entries in <paramref name="replaced"/>
    /// (by entry name, no leading slash) given new content in place and <paramref name="added"/> appended in order.
    /// Returns false, having written nothing, when the archive is not in the plain form this copier handles.
    /// </summary>
    public static bool TryWrite(byte[] zip, Stream output, IReadOnlyDictionary<string, byte[]> replaced, IReadOnlyList<KeyValuePair<string, byte[]>> added)
    {
        var entries = Read(zip);
        if (entries is null) return false;
        foreach (var e in entries)
            if (replaced.TryGetValue(e.Name, out var content)) e.NewContent = content;
        var names = new HashSet<string>(entries.Select(e => e.Name), StringComparer.OrdinalIgnoreCase);
        foreach (var kv in added)
        {
            if (names.Contains(kv.Key)) return false; // the caller adds only parts that do not exist
            entries.Add(new Entry { Name = kv.Key, NewContent = kv.Value });
        }

        // Every check is made before the first byte is written, so a false return leaves the output untouched.
        // Offsets stay far below 4 GB: the input is one array (< 2 GB) and the added parts are small.
        if (entries.Count > ushort.MaxValue || (long)zip.Length + added.Sum(a => (long)a.Value.Length) + replaced.Sum(r => (long)r.Value.Length)
                + 64L * entries.Count + 65536 > int.MaxValue)
            return false;
        long position = 0;
        void Put(byte[] bytes, int offset, int count)
        {
            output.Write(bytes, offset, count);
            position += count;
        }
        var dosTime = DosTime(DateTime.Now);
        foreach (var e in entries)
        {
            e.NewOffset = position;
            if (e.NewContent is null) Put(zip, (int)e.LocalOffset, (int)(e.LocalEnd - e.LocalOffset));
            else
            {
                var (local, data, central) = NewEntry(e.Name, e.NewContent, dosTime);
                Put(local, 0, local.Length);
                Put(data, 0, data.Length);
                e.Central = central;
            }
        }
        long cdStart = position;
        foreach (var e in entries)
        {
            var record = (byte[])e.Central.Clone();
            WriteUInt32(record, 42, (uint)e.NewOffset);
            Put(record, 0, record.Length);
        }
        var end = new byte[22];
        WriteUInt32(end, 0, EndSig);
        WriteUInt16(end, 8, (ushort)entries.Count);
        WriteUInt16(end, 10, (ushort)entries.Count);
        WriteUInt32(end, 12, (uint)(position - cdStart));
        WriteUInt32(end, 16, (uint)cdStart);
        Put(end, 0, end.Length);
        return true;
    }

    /// <summary>The entries in central-directory order, or null when the archive is not one this copier handles.</summary>
    private static List<Entry>? Read(byte[] zip)
    {
        int eocd = -1;
        for (int i = zip.Length - 22; i >= Math.Max(0, zip.Length - 22 - 0xFFFF); i--)
            if (UInt32(zip, i) == EndSig && i + 22 + UInt16(zip, i + 20) == zip.Length) { eocd = i; break; }
        if (eocd < 0) return null;
        if (UInt16(zip, eocd + 4) != 0 || UInt16(zip, eocd + 6) != 0) return null; // multi-disk
        int count = UInt16(zip, eocd + 10);
        long cdSize = UInt32(zip, eocd + 12), cdOffset = UInt32(zip, eocd + 16);
        if (count == 0xFFFF || cdSize == 0xFFFFFFFF || cdOffset == 0xFFFFFFFF) return null; // ZIP64
        if (UInt16(zip, eocd + 8) != count || cdOffset + cdSize > eocd) return null;

        var list = new List<Entry>(count);
        long p = cdOffset;
        for (int n = 0; n < count; n++)
        {
            if (p + 46 > eocd || UInt32(zip, p) != CentralSig) return null;
            int flags = UInt16(zip, p + 8);
            long csize = UInt32(zip, p + 20), usize = UInt32(zip, p + 24);
            int nameLen = UInt16(zip, p + 28), extraLen = UInt16(zip, p + 30), commentLen = UInt16(zip, p + 32);
            long local = UInt32(zip, p + 42);
            if ((flags & 1) != 0 || csize == 0xFFFFFFFF || usize == 0xFFFFFFFF || local == 0xFFFFFFFF) return null; // encrypted or ZIP64
            long recordEnd = p + 46 + nameLen + extraLen + commentLen;
            if (recordEnd > eocd) return null;
            // Names are matched against ASCII part names ([Content_Types].xml, _rels/.rels…); UTF-8 is exact for those.
            var name = Encoding.UTF8.GetString(zip, (int)p + 46, nameLen);
            if (local + 30 > cdOffset || UInt32(zip, local) != LocalSig) return null;
            long dataStart = local + 30 + UInt16(zip, local + 26) + UInt16(zip, local + 28);
            long dataEnd = dataStart + csize;
            if ((UInt16(zip, local + 6) & 8) != 0)
            {
                // Data descriptor: crc, sizes, with or without its optional signature.
                if (dataEnd + 4 <= cdOffset && UInt32(zip, dataEnd) == DescriptorSig) dataEnd += 16; else dataEnd += 12;
            }
            if (dataEnd > cdOffset) return null;
            var central = new byte[recordEnd - p];
            Buffer.BlockCopy(zip, (int)p, central, 0, central.Length);
            list.Add(new Entry { Name = name, Central = central, LocalOffset = local, LocalEnd = dataEnd });
            p = recordEnd;
        }
        return list;
    }

    /// <summary>A new entry: its local header, its (deflated) data and its central directory record (offset filled in later).</summary>
    private static (byte[] Local, byte[] Data, byte[] Central) NewEntry(string name, byte[] content, uint dosTime)
    {
        // An empty entry (origin.sigs) is stored: DeflateStream writes no block at all for no input, which
        // unzip rejects as invalid compressed data.
        ushort method = (ushort)(content.Length == 0 ? 0 : 8);
        byte[] compressed = Array.Empty<byte>();
        if (method == 8)
            using (var ms = new MemoryStream())
            {
                using (var deflate = new DeflateStream(ms, CompressionLevel.Optimal, leaveOpen: true)) deflate.Write(content, 0, content.Length);
                compressed = ms.ToArray();
            }
        uint crc = Crc32(content);
        var nameBytes = Encoding.UTF8.GetBytes(name);
        bool utf8 = nameBytes.Any(b => b >= 0x80);
        ushort flags = (ushort)(utf8 ? 0x800 : 0);

        var local = new byte[30 + nameBytes.Length];
        WriteUInt32(local, 0, LocalSig);
        WriteUInt16(local, 4, 20);
        WriteUInt16(local, 6, flags);
        WriteUInt16(local, 8, method);
        WriteUInt32(local, 10, dosTime);
        WriteUInt32(local, 14, crc);
        WriteUInt32(local, 18, (uint)compressed.Length);
        WriteUInt32(local, 22, (uint)content.Length);
        WriteUInt16(local, 26, (ushort)nameBytes.Length);
        Buffer.BlockCopy(nameBytes, 0, local, 30, nameBytes.Length);

        var central = new byte[46 + nameBytes.Length];
        WriteUInt32(central, 0, CentralSig);
        WriteUInt16(central, 4, 20);
        WriteUInt16(central, 6, 20);
        WriteUInt16(central, 8, flags);
        WriteUInt16(central, 10, method);
        WriteUInt32(central, 12, dosTime);
        WriteUInt32(central, 16, crc);
        WriteUInt32(central, 20, (uint)compressed.Length);
        WriteUInt32(central, 24, (uint)content.Length);
        WriteUInt16(central, 28, (ushort)nameBytes.Length);
        Buffer.BlockCopy(nameBytes, 0, central, 46, nameBytes.Length);
        return (local, compressed, central);
    }

    private static uint DosTime(DateTime t)
    {
        if (t.Year < 1980) t = new DateTime(1980, 1, 1);
        return (uint)(((t.Year - 1980) << 25) | (t.Month << 21) | (t.Day << 16) | (t.Hour << 11) | (t.Minute << 5) | (t.Second / 2));
    }

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    internal static uint Crc32(byte[] data)
    {
        uint c = 0xFFFFFFFFu;
        foreach (var b in data) c = CrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
        return c ^ 0xFFFFFFFFu;
    }

    private static ushort UInt16(byte[] b, long i) => (ushort)(b[i] | (b[i + 1] << 8));
    private static uint UInt32(byte[] b, long i) => (uint)(b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24));
    private static void WriteUInt16(byte[] b, int i, ushort v) { b[i] = (byte)v; b[i + 1] = (byte)(v >> 8); }
    private static void WriteUInt32(byte[] b, int i, uint v) { b[i] = (byte)v; b[i + 1] = (byte)(v >> 8); b[i + 2] = (byte)(v >> 16); b[i + 3] = (byte)(v >> 24); }
}
