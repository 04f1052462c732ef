using System.Globalization;
using System.Text;

namespace VnGovSign.Formats.Pdf.Parsing;

/// <summary>A parsed PDF object (ISO 32000-1 §7.3). The model keeps what signing and validation need.</summary>
internal abstract class PdfObject
{
    public abstract void WriteTo(PdfBuffer b);

    public override string ToString()
    {
        var b = new PdfBuffer();
        WriteTo(b);
        return Encoding.GetEncoding("ISO-8859-1").GetString(b.ToArray());
    }
}

internal sealed class PdfNull : PdfObject
{
    public static readonly PdfNull Instance = new();
    public override void WriteTo(PdfBuffer b) => b.Append("null");
}

internal sealed class PdfBool : PdfObject
{
    public PdfBool(bool value) => Value = value;
    public bool Value { get; }
    public override void WriteTo(PdfBuffer b) => b.Append(Value ? "true" : "false");
}

internal sealed class PdfNumber : PdfObject
{
    public PdfNumber(string raw) => Raw = raw;
    public PdfNumber(long value) => Raw = value.ToString(CultureInfo.InvariantCulture);
    public PdfNumber(double value) => Raw = value.ToString("0.###", CultureInfo.InvariantCulture);
    public string Raw { get; }
    public double Value => double.TryParse(Raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0;
    public long LongValue => (long)Value;
    public int IntValue => (int)Value;
    public override void WriteTo(PdfBuffer b) => b.Append(Raw);
}

internal sealed class PdfName : PdfObject
{
    public PdfName(string value) => Value = value;
    public string Value { get; }
    public override void WriteTo(PdfBuffer b) => b.AppendName(Value);
    public override bool Equals(object? obj) => obj is PdfName n && n.Value == Value;
    public override int GetHashCode() => Value.GetHashCode();
}

internal sealed class PdfString : PdfObject
{
    public PdfString(byte[] value, bool hex = false, long start = -1, long end = -1)
    {
        Value = value; Hex = hex; Start = start; End = end;
    }

    /// <summary>The decoded bytes.</summary>
    public byte[] Value { get; }
    public bool Hex { get; }
    /// <summary>Offset of the opening delimiter in the file (-1 when not parsed from the file itself).</summary>
    public long Start { get; }
    /// <summary>Offset just after the closing delimiter.</summary>
    public long End { get; }

    /// <summary>Text: UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding (approximated by Latin-1).</summary>
    public string Text
    {
        get
        {
            if (Value.Length >= 2 && Value[0] == 0xFE && Value[1] == 0xFF) return Encoding.BigEndianUnicode.GetString(Value, 2, Value.Length - 2);
            if (Value.Length >= 3 && Value[0] == 0xEF && Value[1] == 0xBB && Value[2] == 0xBF) return Encoding.UTF8.GetString(Value, 3, Value.Length - 3);
            return Encoding.GetEncoding("ISO-8859-1").GetString(Value);
        }
    }

    /// <summary>A text string: ASCII stays literal, anything else becomes UTF-16BE with a BOM.</summary>
    public static PdfString FromText(string text)
    {
        if (text.All(c => c >= 0x20 && c < 0x7F)) return new PdfString(Encoding.ASCII.GetBytes(text));
        var bytes = new byte[] { 0xFE, 0xFF }.Concat(Encoding.BigEndianUnicode.GetBytes(text)).ToArray();
        return new PdfString(bytes, hex: true);
    }

    public override void WriteTo(PdfBuffer b)
    {
        if (Hex) { b.Append("<"); b.AppendHex(Value); b.Append(">"); return; }
        b.AppendByte((byte)'(');
        foreach (var c in Value)
        {
            if (c == '(' || c == ')' || c == '\\') { b.AppendByte((byte)'\\'); b.AppendByte(c); }
            else if (c < 0x20 || c > 0x7E) b.Append("\\" + Convert.ToString(c, 8).PadLeft(3, '0'));
            else b.AppendByte(c);
        }
        b.AppendByte((byte)')');
    }
}

internal sealed class PdfArray : PdfObject
{
    public PdfArray() { }
    public PdfArray(IEnumerable<PdfObject> items) => Items.AddRange(items);
    public List<PdfObject> Items { get; } = new();
    public int Count => Items.Count;
    public PdfObject this[int i] => Items[i];

    public override void WriteTo(PdfBuffer b)
    {
        b.Append("[");
        for (int i = 0; i < Items.Count; i++)
        {
            if (i > 0) b.Append(" ");
            Items[i].WriteTo(b);
        }
        b.Append("]");
    }
}

internal sealed class PdfDictionary : PdfObject
{
    private readonly List<KeyValuePair<string, PdfObject>> _entries = new();

    public IEnumerable<KeyValuePair<string, PdfObject>> Entries => _entries;
    public IEnumerable<string> Keys => _entries.Select(e => e.Key);
    public int Count => _entries.Count;

    public PdfObject? this[string key]
    {
        get
        {
            foreach (var e in _entries) if (e.Key == key) return e.Value;
            return null;
        }
        set
        {
            int i = _entries.FindIndex(e => e.Key == key);
            if (value is null) { if (i >= 0) _entries.RemoveAt(i); return; }
            if (i >= 0) _entries[i] = new KeyValuePair<string, PdfObject>(key, value);
            else _entries.Add(new KeyValuePair<string, PdfObject>(key, value));
        }
    }

    public bool ContainsKey(string key) => _entries.Any(e => e.Key == key);

    public string? NameOf(string key) => (this[key] as PdfName)?.Value;

    public PdfDictionary Clone()
    {
        var d = new PdfDictionary();
        foreach (var e in _entries) d._entries.Add(e);
        return d;
    }

    public override void WriteTo(PdfBuffer b)
    {
        b.Append("<<");
        foreach (var e in _entries)
        {
            b.AppendName(e.Key);
            b.Append(" ");
            e.Value.WriteTo(b);
            b.Append(" ");
        }
        b.Append(">>");
    }
}

internal sealed class PdfReference : PdfObject
{
    public PdfReference(int number, int generation = 0) { Number = number; Generation = generation; }
    public int Number { get; }
    public int Generation { get; }
    public override void WriteTo(PdfBuffer b) => b.Append(Number.ToString(CultureInfo.InvariantCulture) + " " + Generation.ToString(CultureInfo.InvariantCulture) + " R");
    public override bool Equals(object? obj) => obj is PdfReference r && r.Number == Number && r.Generation == Generation;
    public override int GetHashCode() => Number * 31 + Generation;
}

/// <summary>A stream: its dictionary and where its raw (still encoded) data lies in the file, or the data itself.</summary>
internal sealed class PdfStream : PdfObject
{
    public PdfStream(PdfDictionary dictionary, long dataOffset, long length)
    {
        Dictionary = dictionary; DataOffset = dataOffset; Length = length;
    }

    public PdfStream(PdfDictionary dictionary, byte[] data)
    {
        Dictionary = dictionary; Data = data; Length = data.Length; DataOffset = -1;
    }

    public PdfDictionary Dictionary { get; }
    public long DataOffset { get; }
    public long Length { get; }
    public byte[]? Data { get; }

    public override void WriteTo(PdfBuffer b)
    {
        if (Data is null) throw new InvalidOperationException("stream data not loaded");
        var d = Dictionary.Clone();
        d["Length"] = new PdfNumber(Data.Length);
        d.WriteTo(b);
        b.Append("\nstream\n");
        b.AppendBytes(Data);
        b.Append("\nendstream");
    }
}

/// <summary>A growable byte buffer with PDF syntax helpers.</summary>
internal sealed class PdfBuffer
{
    private byte[] _data = new byte[256];

    public int Length { get; private set; }

    public PdfBuffer Append(string ascii)
    {
        Ensure(ascii.Length);
        foreach (var c in ascii) _data[Length++] = (byte)c;
        return this;
    }

    public PdfBuffer AppendByte(byte b)
    {
        Ensure(1);
        _data[Length++] = b;
        return this;
    }

    public PdfBuffer AppendBytes(byte[] bytes)
    {
        Ensure(bytes.Length);
        Buffer.BlockCopy(bytes, 0, _data, Length, bytes.Length);
        Length += bytes.Length;
        return this;
    }

    public PdfBuffer AppendHex(byte[] bytes)
    {
        const string digits = "0123456789ABCDEF";
        Ensure(bytes.Length * 2);
        foreach (var x in bytes) { _data[Length++] = (byte)digits[x >> 4]; _data[Length++] = (byte)digits[x & 15]; }
        return this;
    }

    public PdfBuffer AppendName(string name)
    {
        Append("/");
        foreach (var ch in Encoding.UTF8.GetBytes(name))
        {
            bool regular = ch > 0x20 && ch < 0x7F && "()<>[]{}/%#".IndexOf((char)ch) < 0;
            if (regular) AppendByte(ch);
            else Append("#" + ch.ToString("X2", CultureInfo.InvariantCulture));
        }
        return this;
    }

    public PdfBuffer Append(PdfObject o)
    {
        o.WriteTo(this);
        return this;
    }

    public byte[] ToArray()
    {
        var r = new byte[Length];
        Buffer.BlockCopy(_data, 0, r, 0, Length);
        return r;
    }

    private void Ensure(int more)
    {
        if (Length + more <= _data.Length) return;
        var n = new byte[Math.Max(_data.Length * 2, Length + more)];
        Buffer.BlockCopy(_data, 0, n, 0, Length);
        _data = n;
    }
}
