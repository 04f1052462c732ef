namespace VnGovSign.Formats.Pdf.Parsing;

/// <summary>
/// Tokens of a content stream or CMap (ISO 32000-1 §7.8.2): operands (numbers, names, strings, arrays, dictionaries)
/// and operators. Inline image data (BI … ID … EI) is skipped. A syntax error skips a byte; after 64 of them the stream ends (what came before stays).
/// </summary>
internal sealed class ContentLexer
{
    private readonly byte[] _data;
    private readonly PdfParser _p;
    private const int MaxErrors = 64;
    private int _errors;

    public ContentLexer(byte[] data)
    {
        _data = data;
        _p = new PdfParser(new ByteSource(data), 0);
    }

    /// <summary>The next token: an operand (<paramref name="operand"/> set) or an operator; false at the end or on a syntax error.</summary>
    public bool Next(out PdfObject? operand, out string? op)
    {
        operand = null;
        op = null;
        while (true)
        {
            _p.SkipWhite();
            long pos = _p.Position;
            if (pos >= _data.Length) return false;
            int c = _data[pos];
            if (c == ')' || c == '>' || c == ']' || c == '{' || c == '}') { _p.Position++; continue; }
            try
            {
                if (c == '/' || c == '(' || c == '[' || c == '<' || c == '+' || c == '-' || c == '.' || (c >= '0' && c <= '9'))
                {
                    operand = _p.ReadObject();
                    return true;
                }
            }
            catch (PdfSyntaxException)
            {
                // Skip the byte and go on, a bounded number of times (an unterminated string is scanned to the end each time).
                if (++_errors > MaxErrors) return false;
                _p.Position = pos + 1;
                continue;
            }
            var w = _p.ReadWord();
            if (w.Length == 0) { _p.Position = pos + 1; continue; }
            switch (w)
            {
                case "true": operand = new PdfBool(true); return true;
                case "false": operand = new PdfBool(false); return true;
                case "null": operand = PdfNull.Instance; return true;
            }
            op = w;
            if (w == "ID") SkipInlineImageData();
            return true;
        }
    }

    /// <summary>After ID: one white-space byte, then binary data up to "EI" between white space (or the end).</summary>
    private void SkipInlineImageData()
    {
        long i = _p.Position + 1;
        for (; i + 1 < _data.Length; i++)
        {
            if (_data[i] == 'E' && _data[i + 1] == 'I' && PdfParser.IsWhite(_data[i - 1])
                && (i + 2 >= _data.Length || PdfParser.IsWhite(_data[i + 2]) || PdfParser.IsDelimiter(_data[i + 2])))
            {
                _p.Position = i + 2;
                return;
            }
        }
        _p.Position = _data.Length;
    }
}
