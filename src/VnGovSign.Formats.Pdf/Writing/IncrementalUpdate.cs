using System.Globalization;
using System.Text;
using VnGovSign.Formats.Pdf.Appearance;
using VnGovSign.Formats.Pdf.Parsing;
using PdfNumber = VnGovSign.Formats.Pdf.Parsing.PdfNumber;

namespace VnGovSign.Formats.Pdf.Writing;

/// <summary>
/// One incremental update (ISO 32000-1 §7.5.6): new and changed objects, then a cross-reference
/// section in the file's own style (table or stream) whose trailer points back with /Prev.
/// Nothing before the update is ever rewritten.
/// </summary>
internal sealed class IncrementalUpdate : IPdfObjectSink
{
    private readonly PdfFile _file;
    private readonly SortedDictionary<int, byte[]?> _objects = new();
    private int _next;

    public IncrementalUpdate(PdfFile file)
    {
        _file = file;
        _next = Math.Max(1, file.Size);
    }

    /// <inheritdoc />
    public int Add(byte[] objectBody)
    {
        int n = _next++;
        _objects[n] = objectBody ?? throw new ArgumentNullException(nameof(objectBody));
        return n;
    }

    /// <inheritdoc />
    public int Reserve()
    {
        int n = _next++;
        _objects[n] = null;
        return n;
    }

    /// <inheritdoc />
    public void Set(int objectNumber, byte[] objectBody)
    {
        if (!_objects.TryGetValue(objectNumber, out var existing) || existing is not null)
            throw new ArgumentException("object " + objectNumber + " was not reserved", nameof(objectNumber));
        _objects[objectNumber] = objectBody ?? throw new ArgumentNullException(nameof(objectBody));
    }

    public int Add(PdfObject obj) => Add(Serialize(obj));

    /// <summary>Writes a new version of an existing object (same number, same generation).</summary>
    public void Replace(int number, PdfObject obj) => _objects[number] = Serialize(obj);

    public bool Contains(int number) => _objects.ContainsKey(number);

    public static byte[] Serialize(PdfObject obj) => new PdfBuffer().Append(obj).ToArray();

    private int Generation(int number) =>
        _file.Xref.TryGetValue(number, out var e) && e.Type == 1 ? e.Generation : 0;

    /// <summary>
    /// Lays out the update as it will follow the original bytes; <paramref name="baseLength"/> is the
    /// original file's length. Returns the bytes and each object's absolute offset.
    /// </summary>
    public (byte[] Bytes, Dictionary<int, long> Offsets) Build(long baseLength)
    {
        foreach (var o in _objects) if (o.Value is null) throw new InvalidOperationException("object " + o.Key + " reserved but never set");
        var b = new PdfBuffer();
        int last = baseLength > 0 ? _file.Source[baseLength - 1] : 10;
        if (last != 10 && last != 13) b.Append("\n");
        var offsets = new Dictionary<int, long>();
        foreach (var o in _objects)
        {
            offsets[o.Key] = baseLength + b.Length;
            b.Append(o.Key.ToString(CultureInfo.InvariantCulture) + " " + Generation(o.Key).ToString(CultureInfo.InvariantCulture) + " obj\n");
            b.AppendBytes(o.Value!);
            b.Append("\nendobj\n");
        }

        var trailer = new PdfDictionary();
        foreach (var key in new[] { "Root", "Info", "ID" })
            if (_file.Trailer[key] is { } v) trailer[key] = v;
        trailer["Prev"] = new PdfNumber(_file.LastXrefOffset);

        long xrefOffset = baseLength + b.Length;
        if (_file.LastSectionIsStream)
        {
            int self = _next++;
            offsets[self] = xrefOffset;
            var numbers = offsets.Keys.OrderBy(k => k).ToList();
            int width = xrefOffset + 64 < uint.MaxValue ? 4 : 8;
            var data = new List<byte>();
            var index = new PdfArray();
            foreach (var run in Runs(numbers))
            {
                index.Items.Add(new PdfNumber(run.First));
                index.Items.Add(new PdfNumber(run.Count));
            }
            foreach (var n in numbers)
            {
                data.Add(1);
                for (int i = width - 1; i >= 0; i--) data.Add((byte)(offsets[n] >> (8 * i)));
                int g = n == self ? 0 : Generation(n);
                data.Add((byte)(g >> 8));
                data.Add((byte)g);
            }
            trailer["Type"] = new PdfName("XRef");
            trailer["Size"] = new PdfNumber(Math.Max(_file.Size, self + 1));
            trailer["W"] = new PdfArray(new PdfObject[] { new PdfNumber(1), new PdfNumber(width), new PdfNumber(2) });
            trailer["Index"] = index;
            b.Append(self.ToString(CultureInfo.InvariantCulture) + " 0 obj\n");
            b.Append(new PdfStream(trailer, data.ToArray()));
            b.Append("\nendobj\n");
        }
        else
        {
            b.Append("xref\n");
            var numbers = offsets.Keys.OrderBy(k => k).ToList();
            foreach (var run in Runs(numbers))
            {
                b.Append(run.First.ToString(CultureInfo.InvariantCulture) + " " + run.Count.ToString(CultureInfo.InvariantCulture) + "\n");
                for (int n = run.First; n < run.First + run.Count; n++)
                    b.Append(offsets[n].ToString("D10", CultureInfo.InvariantCulture) + " " + Generation(n).ToString("D5", CultureInfo.InvariantCulture) + " n\r\n");
            }
            trailer["Size"] = new PdfNumber(Math.Max(_file.Size, _next));
            b.Append("trailer\n").Append(trailer).Append("\n");
        }
        b.Append("startxref\n" + xrefOffset.ToString(CultureInfo.InvariantCulture) + "\n%%EOF\n");
        return (b.ToArray(), offsets);
    }

    private static IEnumerable<(int First, int Count)> Runs(List<int> sorted)
    {
        int i = 0;
        while (i < sorted.Count)
        {
            int first = sorted[i], count = 1;
            while (i + count < sorted.Count && sorted[i + count] == first + count) count++;
            yield return (first, count);
            i += count;
        }
    }

    public static int IndexOf(byte[] haystack, string needle, int from)
    {
        var n = Encoding.ASCII.GetBytes(needle);
        for (int i = Math.Max(0, from); i + n.Length <= haystack.Length; i++)
        {
            int k = 0;
            while (k < n.Length && haystack[i + k] == n[k]) k++;
            if (k == n.Length) return i;
        }
        return -1;
    }
}
