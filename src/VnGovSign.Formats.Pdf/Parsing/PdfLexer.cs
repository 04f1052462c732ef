using System.Globalization;
using System.Text;

namespace VnGovSign.Formats.Pdf.Parsing;

/// <summary>Random access to the bytes of a file through a small window: a 500 MB PDF is never loaded whole.</summary>
internal sealed class ByteSource
{
    private const int Window = 16 * 1024;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[Window];
    private long _bufferStart = -1;
    private int _bufferLength;

    public ByteSource(Stream stream)
    {
        _stream = stream;
        Length = stream.Length;
    }

    public ByteSource(byte[] bytes) : this(new MemoryStream(bytes, writable: false)) { }

    public long Length { get; }

    /// <summary>The byte at <paramref name="position"/>, or -1 past the end.</summary>
    public int this[long position]
    {
        get
        {
            if (position < 0 || position >= Length) return -1;
            if (position < _bufferStart || position >= _bufferStart + _bufferLength) Load(position);
            return _buffer[position - _bufferStart];
        }
    }

    public byte[] Read(long position, int count)
    {
        if (position < 0 || count < 0 || position + count > Length) throw new EndOfStreamException();
        var r = new byte[count];
        if (count <= Window && position >= _bufferStart && position + count <= _bufferStart + _bufferLength)
        {
            Buffer.BlockCopy(_buffer, (int)(position - _bufferStart), r, 0, count);
            return r;
        }
        _stream.Position = position;
        int off = 0;
        while (off < count)
        {
            int n = _stream.Read(r, off, count - off);
            if (n <= 0) throw new EndOfStreamException();
            off += n;
        }
        return r;
    }

    private void Load(long position)
    {
        _bufferStart = Math.Max(0, position - 256);
        _stream.Position = _bufferStart;
        _bufferLength = 0;
        while (_bufferLength < Window)
        {
            int n = _stream.Read(_buffer, _bufferLength, Window - _bufferLength);
            if (n <= 0) break;
            _bufferLength += n;
        }
    }

    /// <summary>Last occurrence of <paramref name="needle"/> that starts before <paramref name="before"/> and at or after <paramref name="notBefore"/>.</summary>
    public long LastIndexOf(string needle, long before, long notBefore)
    {
        for (long p = Math.Min(before, Length - needle.Length); p >= notBefore; p--)
        {
            int i = 0;
            while (i < needle.Length && this[p + i] == needle[i]) i++;
            if (i == needle.Length) return p;
        }
        return -1;
    }
}

/// <summary>The syntax error every parsing failure turns into (caught and reported with the file name).</summary>
internal sealed class PdfSyntaxException : Exception
{
    public PdfSyntaxException(string message, long position) : base(message + " (offset " + position.ToString(CultureInfo.InvariantCulture) + ")") => Position = position;
    public long Position { get; }
}

/// <summary>Reads PDF objects (ISO 32000-1 §7.2–7.3) from a <see cref="ByteSource"/> at a position.</summary>
internal sealed class PdfParser
{
    private readonly ByteSource _src;

    public PdfParser(ByteSource source, long position)
    {
        _src = source;
        Position = position;
    }

    public long Position { get; set; }

    /// <summary>Resolves an indirect /Length of a stream; null when unknown.</summary>
    public Func<PdfReference, long?>? LengthResolver { get; set; }

    public static bool IsWhite(int c) => c == 0 || c == 9 || c == 10 || c == 12 || c == 13 || c == 32;
    public static bool IsDelimiter(int c) => c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' || c == '/' || c == '%';

    public void SkipWhite()
    {
        while (true)
        {
            int c = _src[Position];
            if (IsWhite(c)) { Position++; continue; }
            if (c == '%')
            {
                while (c != -1 && c != 10 && c != 13) c = _src[++Position];
                continue;
            }
            return;
        }
    }

    /// <summary>Reads a bare keyword or number token (no delimiters).</summary>
    public string ReadWord()
    {
        SkipWhite();
        var sb = new StringBuilder();
        int c;
        while ((c = _src[Position]) != -1 && !IsWhite(c) && !IsDelimiter(c)) { sb.Append((char)c); Position++; }
        return sb.ToString();
    }

    public bool TryKeyword(string keyword)
    {
        long save = Position;
        if (ReadWord() == keyword) return true;
        Position = save;
        return false;
    }

    /// <summary>"N G obj" → (N, G).</summary>
    public (int Number, int Generation) ReadObjectHeader()
    {
        long start = Position;
        var n = ReadWord();
        var g = ReadWord();
        var k = ReadWord();
        if (k != "obj" || !int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var num) || !int.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out var gen))
            throw new PdfSyntaxException("expected 'N G obj'", start);
        return (num, gen);
    }

    /// <summary>Reads an indirect object's body after its header: an object, or a stream.</summary>
    public PdfObject ReadIndirectBody()
    {
        var obj = ReadObject();
        if (obj is PdfDictionary dict)
        {
            long save = Position;
            if (TryKeyword("stream"))
            {
                // The keyword is followed by CRLF or LF (a lone CR is tolerated).
                if (_src[Position] == 13) Position++;
                if (_src[Position] == 10) Position++;
                long dataStart = Position;
                long? length = dict["Length"] switch
                {
                    PdfNumber num => num.LongValue,
                    PdfReference r => LengthResolver?.Invoke(r),
                    _ => null,
                };
                if (length is null || length < 0 || !EndstreamAt(dataStart + length.Value))
                {
                    // A wrong /Length: find endstream instead (trailing EOL excluded).
                    long end = FindEndstream(dataStart);
                    if (end < 0) throw new PdfSyntaxException("stream without endstream", dataStart);
                    long e = end;
                    if (e > dataStart && _src[e - 1] == 10) e--;
                    if (e > dataStart && _src[e - 1] == 13) e--;
                    length = e - dataStart;
                }
                Position = dataStart + length.Value;
                SkipWhite();
                ReadWord(); // endstream
                return new PdfStream(dict, dataStart, length.Value);
            }
            Position = save;
        }
        return obj;
    }

    private bool EndstreamAt(long p)
    {
        if (p > _src.Length) return false;
        var saved = Position;
        Position = p;
        SkipWhite();
        bool ok = ReadWord() == "endstream";
        Position = saved;
        return ok;
    }

    private long FindEndstream(long from)
    {
        const string k = "endstream";
        for (long p = from; p + k.Length <= _src.Length; p++)
        {
            int i = 0;
            while (i < k.Length && _src[p + i] == k[i]) i++;
            if (i == k.Length) return p;
        }
        return -1;
    }

    public PdfObject ReadObject(int depth = 0)
    {
        if (depth > 200) throw new PdfSyntaxException("objects nested too deeply", Position);
        SkipWhite();
        long start = Position;
        int c = _src[Position];
        switch (c)
        {
            case -1: throw new PdfSyntaxException("unexpected end of file", Position);
            case '/': Position++; return new PdfName(ReadNameBody());
            case '(': return ReadLiteralString();
            case '[':
            {
                Position++;
                var a = new PdfArray();
                while (true)
                {
                    SkipWhite();
                    int d = _src[Position];
                    if (d == ']') { Position++; return a; }
                    if (d == -1) throw new PdfSyntaxException("unterminated array", start);
                    a.Items.Add(ReadObject(depth + 1));
                }
            }
            case '<':
                if (_src[Position + 1] == '<')
                {
                    Position += 2;
                    var dict = new PdfDictionary();
                    while (true)
                    {
                        SkipWhite();
                        int d = _src[Position];
                        if (d == '>' && _src[Position + 1] == '>') { Position += 2; return dict; }
                        if (d != '/') throw new PdfSyntaxException("expected a name as dictionary key", Position);
                        Position++;
                        var key = ReadNameBody();
                        var value = ReadObject(depth + 1);
                        if (value is not PdfNull) dict[key] = value;
                    }
                }
                return ReadHexString();
            case ']': case '>': case ')': case '{': case '}':
                throw new PdfSyntaxException("unexpected '" + (char)c + "'", Position);
        }
        var word = ReadWord();
        if (word.Length == 0) throw new PdfSyntaxException("unexpected byte " + c, start);
        if (word == "true") return new PdfBool(true);
        if (word == "false") return new PdfBool(false);
        if (word == "null") return PdfNull.Instance;
        if (IsNumber(word))
        {
            if (IsUnsignedInt(word))
            {
                long save = Position;
                var w2 = ReadWord();
                if (IsUnsignedInt(w2))
                {
                    var w3 = ReadWord();
                    if (w3 == "R") return new PdfReference(int.Parse(word, CultureInfo.InvariantCulture), int.Parse(w2, CultureInfo.InvariantCulture));
                }
                Position = save;
            }
            return new PdfNumber(word);
        }
        throw new PdfSyntaxException("unexpected token '" + word + "'", start);
    }

    private static bool IsUnsignedInt(string s) => s.Length > 0 && s.Length < 10 && s.All(ch => ch >= '0' && ch <= '9');

    private static bool IsNumber(string s)
    {
        if (s.Length == 0) return false;
        int i = (s[0] == '+' || s[0] == '-') ? 1 : 0;
        bool digit = false;
        for (; i < s.Length; i++)
        {
            if (s[i] >= '0' && s[i] <= '9') digit = true;
            else if (s[i] != '.') return false;
        }
        return digit;
    }

    private string ReadNameBody()
    {
        var bytes = new List<byte>();
        int c;
        while ((c = _src[Position]) != -1 && !IsWhite(c) && !IsDelimiter(c))
        {
            if (c == '#' && Hex(_src[Position + 1]) >= 0 && Hex(_src[Position + 2]) >= 0)
            {
                bytes.Add((byte)(Hex(_src[Position + 1]) * 16 + Hex(_src[Position + 2])));
                Position += 3;
                continue;
            }
            bytes.Add((byte)c);
            Position++;
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static int Hex(int c) => c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

    private PdfString ReadHexString()
    {
        long start = Position;
        Position++;
        var bytes = new List<byte>();
        int hi = -1;
        while (true)
        {
            int c = _src[Position++];
            if (c == -1) throw new PdfSyntaxException("unterminated hex string", start);
            if (c == '>') break;
            if (IsWhite(c)) continue;
            int h = Hex(c);
            if (h < 0) throw new PdfSyntaxException("bad hex digit in string", Position - 1);
            if (hi < 0) hi = h; else { bytes.Add((byte)(hi * 16 + h)); hi = -1; }
        }
        if (hi >= 0) bytes.Add((byte)(hi * 16));
        return new PdfString(bytes.ToArray(), hex: true, start, Position);
    }

    private PdfString ReadLiteralString()
    {
        long start = Position;
        Position++;
        var bytes = new List<byte>();
        int depth = 1;
        while (true)
        {
            int c = _src[Position++];
            if (c == -1) throw new PdfSyntaxException("unterminated string", start);
            if (c == '(') depth++;
            else if (c == ')') { if (--depth == 0) break; }
            else if (c == '\\')
            {
                int e = _src[Position++];
                switch (e)
                {
                    case 'n': bytes.Add(10); continue;
                    case 'r': bytes.Add(13); continue;
                    case 't': bytes.Add(9); continue;
                    case 'b': bytes.Add(8); continue;
                    case 'f': bytes.Add(12); continue;
                    case 13: if (_src[Position] == 10) Position++; continue;
                    case 10: continue;
                    case -1: throw new PdfSyntaxException("unterminated string", start);
                }
                if (e >= '0' && e <= '7')
                {
                    int v = e - '0';
                    for (int k = 0; k < 2 && _src[Position] >= '0' && _src[Position] <= '7'; k++) v = v * 8 + (_src[Position++] - '0');
                    bytes.Add((byte)v);
                    continue;
                }
                bytes.Add((byte)e);
                continue;
            }
            bytes.Add((byte)c);
        }
        return new PdfString(bytes.ToArray(), hex: false, start, Position);
    }
}
