using System.Globalization;

namespace VnGovSign.Formats.Pdf.Parsing;

/// <summary>One signature (or document timestamp) found in a PDF, with where its bytes are.</summary>
internal sealed class PdfSignatureInfo
{
    public string FieldName { get; init; } = "";
    public int ObjectNumber { get; init; }
    public PdfDictionary Dictionary { get; init; } = new();
    public string SubFilter { get; init; } = "";
    public bool IsDocumentTimestamp => SubFilter == "ETSI.RFC3161";
    /// <summary>The /Contents bytes, trailing zero padding removed (the DER length decides).</summary>
    public byte[] Contents { get; init; } = Array.Empty<byte>();
    public long ContentsStart { get; init; } = -1;
    public long ContentsEnd { get; init; } = -1;
    public long[]? ByteRange { get; init; }
    /// <summary>What is wrong with the dictionary's structure, or null.</summary>
    public string? Problem { get; init; }
    public DateTimeOffset? M { get; init; }
    public long CoveredEnd => ByteRange is { Length: 4 } r ? r[2] + r[3] : 0;

    /// <summary>Every signature field with a value, in file order of their signed ranges.</summary>
    public static List<PdfSignatureInfo> Find(PdfFile f)
    {
        var result = new List<PdfSignatureInfo>();
        var seen = new HashSet<int>();
        foreach (var (_, field, name, type) in f.Fields())
        {
            if (type != "Sig" || field["V"] is not PdfReference v || !seen.Add(v.Number)) continue;
            result.Add(Read(f, name, v.Number));
        }
        return result.OrderBy(s => s.CoveredEnd).ToList();
    }

    private static PdfSignatureInfo Read(PdfFile f, string name, int number)
    {
        if (!f.Xref.TryGetValue(number, out var e) || e.Type != 1)
            return new PdfSignatureInfo { FieldName = name, ObjectNumber = number, Problem = "the signature dictionary is not a plain indirect object" };
        PdfDictionary d;
        try
        {
            d = f.ReadAt(number, e.Offset) as PdfDictionary ?? throw new PdfSyntaxException("not a dictionary", e.Offset);
        }
        catch (PdfSyntaxException ex)
        {
            return new PdfSignatureInfo { FieldName = name, ObjectNumber = number, Problem = ex.Message };
        }
        var sub = (f.Resolve(d["SubFilter"]) as PdfName)?.Value ?? "";
        string? problem = null;
        long[]? range = null;
        if (d["ByteRange"] is PdfArray br && br.Count == 4 && br.Items.All(x => x is PdfNumber))
            range = br.Items.Select(x => ((PdfNumber)x).LongValue).ToArray();
        else problem = "no /ByteRange of four numbers";
        byte[] contents = Array.Empty<byte>();
        long cs = -1, ce = -1;
        if (d["Contents"] is PdfString s && s.Start >= 0)
        {
            contents = TrimDer(s.Value);
            cs = s.Start; ce = s.End;
        }
        else problem ??= "no /Contents string";
        DateTimeOffset? m = (f.Resolve(d["M"]) as PdfString)?.Text is { } mt ? ParseDate(mt) : null;
        return new PdfSignatureInfo
        {
            FieldName = name, ObjectNumber = number, Dictionary = d, SubFilter = sub, Contents = contents,
            ContentsStart = cs, ContentsEnd = ce, ByteRange = range, Problem = problem, M = m,
        };
    }

    /// <summary>The DER object at the start (its length field decides), so the zero padding goes.</summary>
    internal static byte[] TrimDer(byte[] b)
    {
        if (b.Length < 2 || b[0] != 0x30) return b;
        long len;
        int header;
        if (b[1] < 0x80) { len = b[1]; header = 2; }
        else
        {
            int n = b[1] & 0x7F;
            if (n == 0 || n > 4 || b.Length < 2 + n) return b;
            len = 0;
            for (int i = 0; i < n; i++) len = (len << 8) | b[2 + i];
            header = 2 + n;
        }
        long total = header + len;
        if (total > b.Length) return b;
        var r = new byte[total];
        Buffer.BlockCopy(b, 0, r, 0, (int)total);
        return r;
    }

    /// <summary>D:YYYYMMDDHHmmSS+HH'mm' (parts after the year optional).</summary>
    internal static DateTimeOffset? ParseDate(string s)
    {
        if (s.StartsWith("D:", StringComparison.Ordinal)) s = s.Substring(2);
        if (s.Length < 4) return null;
        string digits = new(s.TakeWhile(char.IsDigit).ToArray());
        string Part(int at, int len, string def) => digits.Length >= at + len ? digits.Substring(at, len) : def;
        try
        {
            var local = new DateTime(int.Parse(Part(0, 4, "0001"), CultureInfo.InvariantCulture), int.Parse(Part(4, 2, "01"), CultureInfo.InvariantCulture),
                int.Parse(Part(6, 2, "01"), CultureInfo.InvariantCulture), int.Parse(Part(8, 2, "00"), CultureInfo.InvariantCulture),
                int.Parse(Part(10, 2, "00"), CultureInfo.InvariantCulture), int.Parse(Part(12, 2, "00"), CultureInfo.InvariantCulture));
            var rest = s.Substring(digits.Length);
            var offset = TimeSpan.Zero;
            if (rest.Length >= 3 && (rest[0] == '+' || rest[0] == '-'))
            {
                var parts = rest.Substring(1).Replace("'", " ").Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                int hh = int.Parse(parts[0], CultureInfo.InvariantCulture), mm = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
                offset = new TimeSpan(hh, mm, 0);
                if (rest[0] == '-') offset = -offset;
            }
            return new DateTimeOffset(local, offset);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
