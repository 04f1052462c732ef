using System.Text;
using VnGovSign.Formats.Pdf.Parsing;

namespace VnGovSign.Formats.Pdf.Tests;

/// <summary>The reader: every cross-reference shape, revisions, refusals. Each generated input is also checked by qpdf.</summary>
[Collection("pdf")]
public sealed class ReaderTests
{
    private readonly PdfFixture _f;
    public ReaderTests(PdfFixture f) => _f = f;

    private static PdfFile Open(byte[] pdf) => PdfFile.Open(new MemoryStream(pdf, writable: false), "t.pdf");

    private static string PageText(PdfFile f, int page)
    {
        var p = f.ResolveDictionary(f.Pages()[page - 1])!;
        var s = (PdfStream)f.Resolve(p["Contents"])!;
        return Encoding.Latin1.GetString(f.Decode(s, "content"));
    }

    [Fact]
    public void Classic_xref_table_gives_pages_and_objects()
    {
        var pdf = PdfFiles.Classic(3);
        Assert.Equal(0, _f.Qpdf(pdf).ExitCode);
        var f = Open(pdf);
        Assert.False(f.LastSectionIsStream);
        Assert.Equal(3, f.Pages().Count);
        Assert.Contains("trang 2", PageText(f, 2));
        Assert.Equal("1.4", f.Version);
    }

    [Fact]
    public void Xref_stream_and_object_streams_are_read()
    {
        var pdf = PdfFiles.ObjectStreams(2);
        var q = _f.Qpdf(pdf);
        Assert.True(q.ExitCode == 0, q.All);
        var f = Open(pdf);
        Assert.True(f.LastSectionIsStream);
        Assert.Contains(f.Xref.Values, e => e.Type == 2);
        Assert.Equal(2, f.Pages().Count); // the page dictionaries live in the object stream
        Assert.Contains("trang 2", PageText(f, 2));
    }

    [Fact]
    public void Hybrid_file_merges_the_table_and_the_XRefStm()
    {
        var pdf = PdfFiles.ObjectStreams(2, hybrid: true);
        var q = _f.Qpdf(pdf);
        Assert.True(q.ExitCode == 0, q.All);
        var f = Open(pdf);
        Assert.False(f.LastSectionIsStream);
        Assert.Equal(2, f.Pages().Count);
        Assert.Contains("trang 1", PageText(f, 1));
    }

    [Fact]
    public void Incremental_revisions_newest_definition_wins_and_the_chain_is_followed()
    {
        var pdf = PdfFiles.AppendContentChange(PdfFiles.Classic(1));
        var f = Open(pdf);
        Assert.Equal(2, f.Sections.Count);
        Assert.Contains("SUA DOI", PageText(f, 1));
        Assert.True(f.LastXrefOffset > f.Sections[1].Offset);
    }

    [Fact]
    public void Encrypted_pdf_is_refused_with_a_clear_error()
    {
        int enc = PdfFiles.FontObject(1) + 1;
        var pdf = PdfFiles.Classic(1, more: new Dictionary<int, string> { [enc] = "<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>" },
            extraTrailer: " /Encrypt " + enc + " 0 R /ID [<0102> <0102>]");
        var e = Assert.Throws<InvalidInputException>(() => Open(pdf));
        Assert.Contains("/Encrypt", e.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Broken_xref_is_refused_never_guessed()
    {
        var pdf = PdfFiles.Classic(1);
        var text = Encoding.Latin1.GetString(pdf);
        int sx = text.LastIndexOf("startxref\n", StringComparison.Ordinal) + "startxref\n".Length;
        int end = text.IndexOf('\n', sx);
        var broken = Encoding.Latin1.GetBytes(text.Substring(0, sx) + "17" + text.Substring(end)); // points into the header
        var e = Assert.Throws<InvalidInputException>(() => Open(broken));
        Assert.Contains("xref", e.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase);

        var notPdf = Encoding.ASCII.GetBytes("hello, this is not a PDF at all\n");
        Assert.Throws<InvalidInputException>(() => Open(notPdf));
    }

    [Fact]
    public void Reader_does_not_load_the_whole_file()
    {
        var path = _f.Temp("big.pdf");
        PdfFiles.WriteLarge(path, 41L << 20);
        using var counting = new CountingStream(File.OpenRead(path));
        var f = PdfFile.Open(counting, "big.pdf");
        Assert.Single(f.Pages());
        _ = f.Fields();
        Assert.True(counting.Length > 40L << 20);
        Assert.True(counting.BytesRead < 1 << 20, "read " + counting.BytesRead + " bytes of " + counting.Length);
    }
}

/// <summary>A stream that counts what is read through it.</summary>
internal sealed class CountingStream : Stream
{
    private readonly Stream _inner;
    public CountingStream(Stream inner) { _inner = inner; }
    public long BytesRead { get; private set; }
    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _inner.Length;
    public override long Position { get => _inner.Position; set => _inner.Position = value; }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) { int n = _inner.Read(buffer, offset, count); BytesRead += n; return n; }
    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    protected override void Dispose(bool disposing) { if (disposing) _inner.Dispose(); base.Dispose(disposing); }
}
