using System.Text;
using System.Xml;

namespace VnGovSign.Formats.Xml;

/// <summary>
/// An XML document as bytes, decoded text and a DOM, loaded safely: no DTD, no resolver, whitespace
/// preserved. Signing inserts text at character offsets and writes the original bytes around it, so
/// nothing outside the new Signature changes (not even the BOM, line endings or the encoding).
/// </summary>
internal sealed class XmlSource
{
    static XmlSource()
    {
        // windows-1258 and other legacy code pages (in-box on .NET, a package on .NET Framework).
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    private XmlSource(byte[] bytes, int preambleLength, Encoding encoding, string text, string name)
    {
        Bytes = bytes; PreambleLength = preambleLength; Encoding = encoding; Text = text; Name = name;
    }

    public byte[] Bytes { get; }
    public int PreambleLength { get; }
    public Encoding Encoding { get; }
    public string Text { get; }
    public string Name { get; }
    /// <summary>UTF-8/UTF-16 hold every character; other encodings get character references for the rest.</summary>
    public bool IsUnicode => Encoding.CodePage is 65001 or 1200 or 1201;

    public static XmlSource Decode(byte[] bytes, string name)
    {
        if (bytes is null) throw new ArgumentNullException(nameof(bytes));
        Encoding enc; int pre = 0;
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) { enc = Strict(65001, name); pre = 3; }
        else if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE) { enc = Strict(1200, name); pre = 2; }
        else if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF) { enc = Strict(1201, name); pre = 2; }
        else enc = FromDeclaration(bytes, name);
        string text;
        try { text = enc.GetString(bytes, pre, bytes.Length - pre); }
        catch (DecoderFallbackException e) { throw XmlMessages.Invalid("BadEncoding", e, name, enc.WebName); }
        return new XmlSource(bytes, pre, enc, text, name);
    }

    private static Encoding FromDeclaration(byte[] bytes, string name)
    {
        // The declaration is ASCII in every ASCII-compatible encoding: read it as Latin-1.
        int n = Math.Min(bytes.Length, 200);
        string head = Encoding.GetEncoding(28591).GetString(bytes, 0, n);
        if (!head.StartsWith("<?xml", StringComparison.Ordinal)) return Strict(65001, name);
        int end = head.IndexOf("?>", StringComparison.Ordinal);
        if (end > 0) head = head.Substring(0, end);
        var m = System.Text.RegularExpressions.Regex.Match(head, "encoding\\s*=\\s*[\"']([A-Za-z0-9._-]+)[\"']");
        if (!m.Success) return Strict(65001, name);
        try
        {
            var e = Encoding.GetEncoding(m.Groups[1].Value);
            return Strict(e.CodePage, name);
        }
        catch (ArgumentException ex) { throw XmlMessages.Invalid("UnknownEncoding", ex, name, m.Groups[1].Value); }
    }

    private static Encoding Strict(int codePage, string name) => codePage == 65001
        ? new UTF8Encoding(false, true)
        : Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);

    /// <summary>Reader settings that never touch a DTD, a file or the network.</summary>
    public static XmlReaderSettings SafeSettings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreWhitespace = false,
        IgnoreComments = false,
        IgnoreProcessingInstructions = false,
        MaxCharactersFromEntities = 0,
        CloseInput = true,
    };

    /// <summary>Parses <paramref name="text"/> into a DOM that keeps every whitespace node.</summary>
    /// <exception cref="InvalidInputException">Not well-formed, or it has a DTD.</exception>
    public static XmlDocument Parse(string text, string name)
    {
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), SafeSettings());
            doc.Load(reader);
        }
        catch (XmlException e) when (e.Message.IndexOf("DTD", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            throw XmlMessages.Invalid("DtdRefused", e, name);
        }
        catch (XmlException e) { throw XmlMessages.Invalid("NotXml", e, name, e.Message); }
        return doc;
    }

    public XmlDocument Parse() => Parse(Text, Name);

    /// <summary>Text with edits applied (edits are on <see cref="Text"/> offsets, may come in any order).</summary>
    public string Apply(IEnumerable<TextEdit> edits)
    {
        var sb = new StringBuilder(Text.Length + 8192);
        int at = 0;
        foreach (var e in edits.OrderBy(x => x.Offset))
        {
            sb.Append(Text, at, e.Offset - at).Append(e.Insert);
            at = e.Offset + e.RemoveLength;
        }
        sb.Append(Text, at, Text.Length - at);
        return sb.ToString();
    }

    /// <summary>The original bytes with edits applied: untouched ranges are copied byte for byte.</summary>
    public byte[] ApplyToBytes(IEnumerable<TextEdit> edits)
    {
        using var ms = new MemoryStream(Bytes.Length + 8192);
        int charAt = 0, byteAt = PreambleLength;
        ms.Write(Bytes, 0, PreambleLength);
        foreach (var e in edits.OrderBy(x => x.Offset))
        {
            int byteOffset = byteAt + Encoding.GetByteCount(Text.ToCharArray(charAt, e.Offset - charAt));
            ms.Write(Bytes, byteAt, byteOffset - byteAt);
            byte[] ins = Encode(e.Insert);
            ms.Write(ins, 0, ins.Length);
            int removedBytes = Encoding.GetByteCount(Text.ToCharArray(e.Offset, e.RemoveLength));
            byteAt = byteOffset + removedBytes;
            charAt = e.Offset + e.RemoveLength;
        }
        ms.Write(Bytes, byteAt, Bytes.Length - byteAt);
        return ms.ToArray();
    }

    /// <summary>Encodes inserted markup; characters the encoding lacks become character references.</summary>
    public byte[] Encode(string markup)
    {
        if (IsUnicode) return Encoding.GetBytes(markup);
        var sb = new StringBuilder(markup.Length);
        for (int i = 0; i < markup.Length; i++)
        {
            char c = markup[i];
            if (c < 0x80) { sb.Append(c); continue; }
            int cp = char.IsHighSurrogate(c) && i + 1 < markup.Length ? char.ConvertToUtf32(c, markup[++i]) : c;
            sb.Append("&#x").Append(cp.ToString("X", System.Globalization.CultureInfo.InvariantCulture)).Append(';');
        }
        return Encoding.GetBytes(sb.ToString());
    }

    /// <summary>Where an element's tags are in <see cref="Text"/>.</summary>
    public ElementSpan Locate(XmlElement element)
    {
        // The element's ordinal in document order, then the same ordinal in a line-aware reader.
        int ordinal = 0, target = -1;
        foreach (XmlNode n in element.OwnerDocument!.SelectNodes("//*")!)
        {
            if (ReferenceEquals(n, element)) { target = ordinal; break; }
            ordinal++;
        }
        if (target < 0) throw new InvalidOperationException("element not in its document");
        var lineStarts = LineStarts(Text);
        using var reader = XmlReader.Create(new StringReader(Text), SafeSettings());
        var info = (IXmlLineInfo)reader;
        int count = -1, startOffset = -1, depth = -1;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element)
            {
                count++;
                if (count == target)
                {
                    startOffset = lineStarts[info.LineNumber - 1] + info.LinePosition - 2;
                    int startTagEnd = EndOfTag(startOffset);
                    if (reader.IsEmptyElement) return new ElementSpan(startOffset, startTagEnd, -1, true, reader.Name);
                    depth = reader.Depth;
                    string qname = reader.Name;
                    while (reader.Read())
                    {
                        if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth)
                        {
                            int endOffset = lineStarts[info.LineNumber - 1] + info.LinePosition - 3;
                            return new ElementSpan(startOffset, startTagEnd, endOffset, false, qname);
                        }
                    }
                }
            }
        }
        throw new InvalidOperationException("element not found in text");
    }

    /// <summary>Offset just past the '&gt;' that ends the tag starting at <paramref name="lt"/>.</summary>
    private int EndOfTag(int lt)
    {
        char quote = '\0';
        for (int i = lt; i < Text.Length; i++)
        {
            char c = Text[i];
            if (quote != '\0') { if (c == quote) quote = '\0'; }
            else if (c is '"' or '\'') quote = c;
            else if (c == '>') return i + 1;
        }
        throw new InvalidOperationException("unterminated tag");
    }

    private static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n') starts.Add(i + 1);
            else if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n') i++;
                starts.Add(i + 1);
            }
        }
        return starts.ToArray();
    }
}

/// <summary>Replace <see cref="RemoveLength"/> characters at <see cref="Offset"/> with <see cref="Insert"/>.</summary>
internal readonly record struct TextEdit(int Offset, int RemoveLength, string Insert);

/// <summary>An element's position: start '&lt;', end of start tag, start of end tag '&lt;/' (-1 when empty).</summary>
internal readonly record struct ElementSpan(int Start, int StartTagEnd, int EndTagStart, bool IsEmpty, string QualifiedName)
{
    /// <summary>The edit that appends <paramref name="markup"/> as the element's last child.</summary>
    public TextEdit AppendChild(string markup) => IsEmpty
        ? new TextEdit(StartTagEnd - 2, 2, ">" + markup + "</" + QualifiedName + ">")
        : new TextEdit(EndTagStart, 0, markup);
}
