using System.Xml;

namespace VnGovSign.Formats.Xml;

/// <summary>
/// Canonical XML 1.0 (inclusive) and Exclusive XML Canonicalization 1.0, with or without comments,
/// written from the DOM straight to a stream in UTF-8, without copying the input into another
/// document. Written from the W3C recommendations (REC-xml-c14n-20010315, REC-xml-exc-c14n-20020718).
/// <para>
/// Two inputs exist, matching what <see cref="DsigProcessor"/> feeds .NET's transforms: the whole
/// document minus omitted elements (the enveloped Signature, a profile's excluded elements), and a
/// document subset rooted at an element (a same-document reference, SignedInfo): the element renders
/// the namespace declarations its ancestors put in scope and, under inclusive C14N only, the xml:*
/// attributes it inherits, as the document subset's canonical form does.
/// </para>
/// <para>
/// Anything it does not handle (an entity reference, a DOCTYPE, a DOM whose namespace declarations
/// disagree with its nodes' namespaces, a document whose element is omitted, an empty xml:* attribute
/// under inclusive C14N) makes <see cref="TryWrite"/>
/// return false; the caller then discards the output and uses the .NET transform.
/// </para>
/// </summary>
internal sealed class Canonicalizer
{
    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    private readonly Stream _out;
    private readonly bool _exclusive;
    private readonly bool _comments;
    private readonly string[] _inclusivePrefixes;
    private readonly XmlElement? _omit;
    private readonly string[] _omitNames;
    private readonly byte[] _buf = new byte[16 * 1024];
    private int _len;

    // Namespace declarations in scope (prefix, uri) and those rendered by output ancestors, as stacks
    // with one mark per open element.
    private readonly List<KeyValuePair<string, string>> _scope = new();
    private readonly List<KeyValuePair<string, string>> _rendered = new();
    private readonly List<int> _scopeMarks = new();
    private readonly List<int> _renderedMarks = new();

    // Per-element scratch lists (reused).
    private readonly List<XmlAttribute> _attrs = new();
    private readonly List<KeyValuePair<string, string>> _decls = new();
    private readonly List<KeyValuePair<string, string>> _emit = new();

    private Canonicalizer(Stream output, bool exclusive, bool comments, string? inclusivePrefixes, XmlElement? omit, IReadOnlyCollection<string>? omitNames)
    {
        _out = output;
        _exclusive = exclusive;
        _comments = comments;
        _inclusivePrefixes = exclusive ? ParsePrefixList(inclusivePrefixes) : Array.Empty<string>();
        _omit = omit;
        _omitNames = omitNames is null ? Array.Empty<string>() : omitNames.ToArray();
    }

    /// <summary>
    /// Writes the canonical form of <paramref name="node"/> (an <see cref="XmlDocument"/>: the whole
    /// document; an <see cref="XmlElement"/>: the subset rooted at it, in its namespace context) to
    /// <paramref name="output"/>. Elements that are <paramref name="omit"/> or whose local name is in
    /// <paramref name="omitNames"/> are left out with their content.
    /// </summary>
    /// <returns>False when the input holds something this canonicaliser does not handle; what was
    /// written to <paramref name="output"/> is then to be discarded.</returns>
    public static bool TryWrite(XmlNode node, bool exclusive, bool comments, string? inclusivePrefixes, Stream output,
        XmlElement? omit = null, IReadOnlyCollection<string>? omitNames = null)
    {
        var c = new Canonicalizer(output, exclusive, comments, inclusivePrefixes, omit, omitNames);
        bool ok = node switch
        {
            XmlDocument d => c.WriteDocument(d),
            XmlElement e => c.WriteSubset(e),
            _ => false,
        };
        if (ok) c.Flush();
        return ok;
    }

    /// <summary>The InclusiveNamespaces PrefixList: whitespace-separated prefixes, "#default" for the default namespace.</summary>
    private static string[] ParsePrefixList(string? list)
    {
        if (string.IsNullOrEmpty(list)) return Array.Empty<string>();
        var result = new List<string>();
        foreach (var token in list!.Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries))
        {
            string p = token == "#default" ? "" : token;
            if (!result.Contains(p)) result.Add(p);
        }
        return result.ToArray();
    }

    private bool Omitted(XmlElement e)
    {
        if (ReferenceEquals(e, _omit)) return true;
        foreach (var n in _omitNames) if (string.Equals(n, e.LocalName, StringComparison.Ordinal)) return true;
        return false;
    }

    private bool WriteDocument(XmlDocument doc)
    {
        var root = doc.DocumentElement;
        if (root is null || Omitted(root)) return false; // what .NET does with top-level nodes and no element: not ours to guess
        bool before = true;
        for (var n = doc.FirstChild; n is not null; n = n.NextSibling)
        {
            switch (n.NodeType)
            {
                case XmlNodeType.XmlDeclaration:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    break;
                case XmlNodeType.Element:
                    if (!WriteTree((XmlElement)n, null)) return false;
                    before = false;
                    break;
                case XmlNodeType.Comment:
                    if (!_comments) break;
                    if (!before) WriteByte((byte)'\n');
                    WriteComment((XmlComment)n);
                    if (before) WriteByte((byte)'\n');
                    break;
                case XmlNodeType.ProcessingInstruction:
                    if (!before) WriteByte((byte)'\n');
                    WritePi((XmlProcessingInstruction)n);
                    if (before) WriteByte((byte)'\n');
                    break;
                default:
                    return false; // DOCTYPE or anything else at the top level
            }
        }
        return true;
    }

    /// <summary>
    /// The subset rooted at <paramref name="apex"/>: its own attributes plus the namespace declarations and
    /// (inclusive C14N only) xml:* attributes of its ancestors, nearest first, that it does not itself carry
    /// (an ancestor's xmlns="" declares nothing and is not copied, but hides the default namespaces further up).
    /// </summary>
    private bool WriteSubset(XmlElement apex)
    {
        if (Omitted(apex)) return true; // the reference's node-set is empty
        var inherited = new List<XmlAttribute>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (apex.HasAttributes)
        {
            var own = apex.Attributes;
            for (int i = 0; i < own.Count; i++) if (IsNamespaceDecl(own[i]) || own[i].Prefix == "xml") seen.Add(own[i].Name);
        }
        for (var p = apex.ParentNode as XmlElement; p is not null; p = p.ParentNode as XmlElement)
        {
            if (!p.HasAttributes) continue;
            var attrs = p.Attributes;
            for (int i = 0; i < attrs.Count; i++)
            {
                var a = attrs[i];
                // Exclusive C14N does not carry xml:* attributes over from ancestors (REC-xml-exc-c14n §3).
                if (!(IsNamespaceDecl(a) || (a.Prefix == "xml" && !_exclusive)) || !seen.Add(a.Name)) continue;
                if (a.Name == "xmlns" && a.Value.Length == 0) continue;
                inherited.Add(a);
            }
        }
        return WriteTree(apex, inherited);
    }

    private static bool IsNamespaceDecl(XmlAttribute a) => a.Prefix == "xmlns" || (a.Prefix.Length == 0 && a.LocalName == "xmlns");

    /// <summary>Writes an element and its content, iteratively (deep documents do not exhaust the stack).</summary>
    private bool WriteTree(XmlElement top, List<XmlAttribute>? inherited)
    {
        if (!StartElement(top, inherited)) return false;
        XmlNode node = top;
        XmlNode? next = top.FirstChild;
        while (true)
        {
            if (next is null)
            {
                // End of node's children: close it and continue after it.
                var e = (XmlElement)node;
                EndElement(e);
                if (ReferenceEquals(e, top)) return true;
                next = e.NextSibling;
                node = e.ParentNode!;
                continue;
            }
            var n = next;
            switch (n.NodeType)
            {
                case XmlNodeType.Element:
                    var child = (XmlElement)n;
                    if (Omitted(child)) { next = n.NextSibling; continue; }
                    if (!StartElement(child, null)) return false;
                    node = child;
                    next = child.FirstChild;
                    continue;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    WriteText(((XmlCharacterData)n).Data);
                    break;
                case XmlNodeType.Comment:
                    if (_comments) WriteComment((XmlComment)n);
                    break;
                case XmlNodeType.ProcessingInstruction:
                    WritePi((XmlProcessingInstruction)n);
                    break;
                default:
                    return false; // entity reference or anything unexpected
            }
            next = n.NextSibling;
        }
    }

    private string? Lookup(List<KeyValuePair<string, string>> stack, string prefix)
    {
        for (int i = stack.Count - 1; i >= 0; i--) if (string.Equals(stack[i].Key, prefix, StringComparison.Ordinal)) return stack[i].Value;
        return null;
    }

    private bool StartElement(XmlElement e, List<XmlAttribute>? inherited)
    {
        _attrs.Clear();
        _decls.Clear();
        _emit.Clear();
        if (e.HasAttributes)
        {
            var attrs = e.Attributes;
            for (int i = 0; i < attrs.Count; i++) if (!Classify(attrs[i])) return false;
        }
        if (inherited is not null) foreach (var a in inherited) if (!Classify(a)) return false;

        _scopeMarks.Add(_scope.Count);
        _renderedMarks.Add(_rendered.Count);
        _scope.AddRange(_decls);

        // The element's and its attributes' namespaces must be the ones their prefixes are declared with.
        if (e.Prefix is "xml" or "xmlns") return false;
        if (!string.Equals(Lookup(_scope, e.Prefix) ?? (e.Prefix.Length == 0 ? "" : null), e.NamespaceURI, StringComparison.Ordinal)) return false;
        foreach (var a in _attrs)
        {
            if (a.Prefix.Length == 0) { if (a.NamespaceURI.Length != 0) return false; }
            else if (a.Prefix == "xml") { if (a.NamespaceURI != XmlNamespace) return false; }
            else if (!string.Equals(Lookup(_scope, a.Prefix), a.NamespaceURI, StringComparison.Ordinal)) return false;
        }

        if (!_exclusive)
        {
            // Inclusive: a declaration is rendered unless the output parent already has the same binding
            // (the apex's parent is nothing: the default is empty, no prefix is bound).
            foreach (var d in _decls) Consider(d.Key, d.Value);
        }
        else
        {
            // Exclusive: the prefixes the element visibly utilises, plus the PrefixList's in-scope ones.
            ConsiderUsed(e.Prefix);
            foreach (var a in _attrs) if (a.Prefix.Length != 0 && a.Prefix != "xml") ConsiderUsed(a.Prefix);
            foreach (var p in _inclusivePrefixes)
            {
                string? v = Lookup(_scope, p) ?? (p.Length == 0 ? "" : null);
                if (v is not null) Consider(p, v);
            }
        }
        _rendered.AddRange(_emit);

        SortDeclarations(_emit);
        SortAttributes(_attrs);
        WriteByte((byte)'<');
        WriteRaw(e.Name);
        foreach (var d in _emit)
        {
            if (d.Key.Length == 0) WriteAscii(" xmlns=\"");
            else { WriteAscii(" xmlns:"); WriteRaw(d.Key); WriteAscii("=\""); }
            WriteAttributeValue(d.Value);
            WriteByte((byte)'"');
        }
        foreach (var a in _attrs)
        {
            WriteByte((byte)' ');
            WriteRaw(a.Name);
            WriteAscii("=\"");
            WriteAttributeValue(a.Value);
            WriteByte((byte)'"');
        }
        WriteByte((byte)'>');
        return true;
    }

    private void ConsiderUsed(string prefix)
    {
        foreach (var d in _emit) if (string.Equals(d.Key, prefix, StringComparison.Ordinal)) return;
        string v = Lookup(_scope, prefix) ?? "";
        Consider(prefix, v);
    }

    /// <summary>Queues prefix=uri for rendering unless the nearest output ancestor rendered the same (an unrendered default counts as empty).</summary>
    private void Consider(string prefix, string uri)
    {
        foreach (var d in _emit) if (string.Equals(d.Key, prefix, StringComparison.Ordinal)) return;
        string? have = Lookup(_rendered, prefix) ?? (prefix.Length == 0 ? "" : null);
        if (string.Equals(have, uri, StringComparison.Ordinal)) return;
        _emit.Add(new KeyValuePair<string, string>(prefix, uri));
    }

    /// <summary>Sorts an attribute into a namespace declaration or an ordinary attribute; false for what is not handled.</summary>
    private bool Classify(XmlAttribute a)
    {
        for (var c = a.FirstChild; c is not null; c = c.NextSibling)
            if (c.NodeType != XmlNodeType.Text) return false; // an entity reference in the value
        if (IsNamespaceDecl(a))
        {
            string prefix = a.Prefix.Length == 0 ? "" : a.LocalName;
            if (prefix is "xml" or "xmlns") return false;
            if (prefix.Length != 0 && a.Value.Length == 0) return false; // xmlns:p="" is XML 1.1 only
            _decls.Add(new KeyValuePair<string, string>(prefix, a.Value));
            return true;
        }
        if (a.NamespaceURI == XmlnsNamespace) return false;
        // .NET's inclusive transform leaves out xml:* attributes with an empty value (xml:lang=""), which
        // C14N 1.0 renders; rather than imitate that, such input stays with .NET, so digests do not change.
        if (!_exclusive && a.Prefix == "xml" && a.Value.Length == 0) return false;
        _attrs.Add(a);
        return true;
    }

    private static void SortDeclarations(List<KeyValuePair<string, string>> list)
    {
        for (int i = 1; i < list.Count; i++)
        {
            var x = list[i];
            int j = i - 1;
            while (j >= 0 && string.CompareOrdinal(list[j].Key, x.Key) > 0) { list[j + 1] = list[j]; j--; }
            list[j + 1] = x;
        }
    }

    private static int Compare(XmlAttribute a, XmlAttribute b)
    {
        int c = string.CompareOrdinal(a.NamespaceURI, b.NamespaceURI);
        return c != 0 ? c : string.CompareOrdinal(a.LocalName, b.LocalName);
    }

    private static void SortAttributes(List<XmlAttribute> list)
    {
        for (int i = 1; i < list.Count; i++)
        {
            var x = list[i];
            int j = i - 1;
            while (j >= 0 && Compare(list[j], x) > 0) { list[j + 1] = list[j]; j--; }
            list[j + 1] = x;
        }
    }

    private void EndElement(XmlElement e)
    {
        WriteAscii("</");
        WriteRaw(e.Name);
        WriteByte((byte)'>');
        int s = _scopeMarks[_scopeMarks.Count - 1];
        _scopeMarks.RemoveAt(_scopeMarks.Count - 1);
        _scope.RemoveRange(s, _scope.Count - s);
        int r = _renderedMarks[_renderedMarks.Count - 1];
        _renderedMarks.RemoveAt(_renderedMarks.Count - 1);
        _rendered.RemoveRange(r, _rendered.Count - r);
    }

    private void WriteComment(XmlComment c)
    {
        WriteAscii("<!--");
        WriteRaw(c.Data);
        WriteAscii("-->");
    }

    private void WritePi(XmlProcessingInstruction pi)
    {
        WriteAscii("<?");
        WriteRaw(pi.Target);
        string data = pi.Data;
        if (data.Length > 0) { WriteByte((byte)' '); WriteRaw(data); }
        WriteAscii("?>");
    }

    // ---- UTF-8 output ----

    private void WriteText(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '&': WriteAscii("&amp;"); break;
                case '<': WriteAscii("&lt;"); break;
                case '>': WriteAscii("&gt;"); break;
                case '\r': WriteAscii("&#xD;"); break;
                default: i = WriteChar(s, i); break;
            }
        }
    }

    private void WriteAttributeValue(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '&': WriteAscii("&amp;"); break;
                case '<': WriteAscii("&lt;"); break;
                case '"': WriteAscii("&quot;"); break;
                case '\t': WriteAscii("&#x9;"); break;
                case '\n': WriteAscii("&#xA;"); break;
                case '\r': WriteAscii("&#xD;"); break;
                default: i = WriteChar(s, i); break;
            }
        }
    }

    private void WriteRaw(string s)
    {
        for (int i = 0; i < s.Length; i++) i = WriteChar(s, i);
    }

    private void WriteAscii(string s)
    {
        if (_len + s.Length > _buf.Length) Flush();
        for (int i = 0; i < s.Length; i++) _buf[_len++] = (byte)s[i];
    }

    private void WriteByte(byte b)
    {
        if (_len == _buf.Length) Flush();
        _buf[_len++] = b;
    }

    /// <summary>Encodes the character at <paramref name="i"/> (with its low surrogate); returns the index of the last char used.</summary>
    private int WriteChar(string s, int i)
    {
        if (_len + 4 > _buf.Length) Flush();
        int c = s[i];
        if (c < 0x80) { _buf[_len++] = (byte)c; return i; }
        if (c < 0x800)
        {
            _buf[_len++] = (byte)(0xC0 | (c >> 6));
            _buf[_len++] = (byte)(0x80 | (c & 0x3F));
            return i;
        }
        if (c >= 0xD800 && c <= 0xDFFF)
        {
            if (c <= 0xDBFF && i + 1 < s.Length && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF)
            {
                int cp = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
                _buf[_len++] = (byte)(0xF0 | (cp >> 18));
                _buf[_len++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                _buf[_len++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                _buf[_len++] = (byte)(0x80 | (cp & 0x3F));
                return i + 1;
            }
            c = 0xFFFD; // a lone surrogate: the replacement character, as UTF8Encoding writes it
        }
        _buf[_len++] = (byte)(0xE0 | (c >> 12));
        _buf[_len++] = (byte)(0x80 | ((c >> 6) & 0x3F));
        _buf[_len++] = (byte)(0x80 | (c & 0x3F));
        return i;
    }

    private void Flush()
    {
        if (_len > 0) _out.Write(_buf, 0, _len);
        _len = 0;
    }
}

/// <summary>A write-only stream that feeds an <see cref="System.Security.Cryptography.IncrementalHash"/>.</summary>
internal sealed class HashingStream : Stream
{
    private readonly System.Security.Cryptography.IncrementalHash _hash;
    public HashingStream(System.Security.Cryptography.IncrementalHash hash) => _hash = hash;
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => _hash.AppendData(buffer, offset, count);
}
