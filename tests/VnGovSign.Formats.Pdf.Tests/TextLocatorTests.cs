using System.Globalization;
using System.Text;
using VnGovSign.Formats.Pdf.Appearance;
using VnGovSign.Formats.Pdf.Parsing;
using VnGovSign.Validation;
using static VnGovSign.Formats.Pdf.Tests.TextPdfs;
using PdfNumber = VnGovSign.Formats.Pdf.Parsing.PdfNumber;

namespace VnGovSign.Formats.Pdf.Tests;

/// <summary>
/// The text locator against <c>pdftotext -bbox</c> (poppler) as an independent judge of glyph positions: PDFsharp output with
/// an embedded TrueType font (Identity-H + ToUnicode) in Vietnamese, and hand-written simple-font PDFs with TJ kerning,
/// Td/TD/T*/Tm moves and cm scaling. Anchored signatures are judged by qpdf and pdfsig.
/// </summary>
[Collection("pdf")]
public sealed class TextLocatorTests
{
    private const double Tolerance = 1.5;
    private readonly PdfFixture _f;
    public TextLocatorTests(PdfFixture f) => _f = f;

    private static readonly Line[] Decision =
    {
        new("ỦY BAN NHÂN DÂN", 72, 80),
        new("TỈNH THỪA THIÊN HUẾ", 60, 96),
        new("Điều 1. Phê duyệt kế hoạch năm 2026.", 72, 300, 12),
        new("TM. ỦY BAN NHÂN DÂN", 350, 560),
        new("CHỦ TỊCH", 395, 576),
        new("Nguyễn Văn An", 385, 680),
    };

    private static void Near(PdfRect expected, PdfRect actual, double tolerance = Tolerance)
    {
        Assert.True(Math.Abs(expected.X - actual.X) <= tolerance && Math.Abs(expected.Y - actual.Y) <= tolerance
            && Math.Abs(expected.Right - actual.Right) <= tolerance && Math.Abs(expected.Top - actual.Top) <= tolerance,
            "expected (pdftotext) " + expected + ", found " + actual);
    }

    private (byte[] Pdf, string Path, List<Word> Words) Judge(byte[] pdf, string name)
    {
        var path = _f.Write(pdf, name);
        return (pdf, path, Pdftotext(path));
    }

    [Theory]
    [InlineData("CHỦ TỊCH")]
    [InlineData("Nguyễn Văn An")]
    [InlineData("ỦY BAN NHÂN DÂN")]
    [InlineData("TỈNH THỪA THIÊN HUẾ")]
    [InlineData("Phê duyệt kế hoạch")]
    public void Vietnamese_text_written_by_PDFsharp_is_found_where_pdftotext_sees_it(string phrase)
    {
        var (pdf, path, words) = Judge(ByPdfSharp(Decision), "pdfsharp.pdf");
        var text = Encoding.Latin1.GetString(pdf);
        Assert.Contains("/Identity-H", text);
        Assert.Contains("/ToUnicode", text);
        Assert.Contains("/FontFile2", text);
        Assert.Contains("/FlateDecode", text);

        var match = PdfTextLocator.Find(path, phrase);
        Assert.NotNull(match);
        Assert.Equal(1, match!.Page);
        Near(Oracle(words, phrase), match.Bounds);
        // The same through the stream overload.
        Assert.Equal(match, PdfTextLocator.Find(new MemoryStream(pdf), phrase));
    }

    [Fact]
    public void Matching_is_NFC_white_space_tolerant_and_case_sensitive_unless_asked()
    {
        var pdf = ByPdfSharp(Decision);
        var exact = PdfTextLocator.Find(new MemoryStream(pdf), "CHỦ TỊCH")!.Bounds;
        // Decomposed input (U + combining hook above) finds the composed glyphs.
        var nfd = "CHỦ TỊCH".Normalize(NormalizationForm.FormD);
        Assert.NotEqual("CHỦ TỊCH", nfd);
        Assert.Equal(exact, PdfTextLocator.Find(new MemoryStream(pdf), nfd)!.Bounds);
        Assert.Equal(exact, PdfTextLocator.Find(new MemoryStream(pdf), "  CHỦ \t  TỊCH ")!.Bounds);
        Assert.Null(PdfTextLocator.Find(new MemoryStream(pdf), "chủ tịch"));
        Assert.Equal(exact, PdfTextLocator.Find(new MemoryStream(pdf), "chủ tịch", ignoreCase: true)!.Bounds);
        Assert.Null(PdfTextLocator.Find(new MemoryStream(pdf), "PHÓ CHỦ TỊCH"));
        Assert.Null(PdfTextLocator.Find(new MemoryStream(pdf), "CHU TICH")); // diacritics count
        // "TM. ỦY BAN NHÂN DÂN" contains "ỦY BAN NHÂN DÂN" too, but the first occurrence in content order wins (line 1).
        var words = Pdftotext(_f.Write(pdf, "first.pdf"));
        Near(Oracle(words, "ỦY BAN NHÂN DÂN"), PdfTextLocator.Find(new MemoryStream(pdf), "ỦY BAN NHÂN DÂN")!.Bounds);

        var e = Assert.Throws<InvalidInputException>(() => PdfTextLocator.Find(new MemoryStream(pdf), "  "));
        Assert.Equal("PdfTextSearchEmpty", e.MessageKey);
    }

    [Fact]
    public void All_pages_first_match_wins_or_only_the_page_given()
    {
        var pdf = ByPdfSharp(new[] { new Line("GIÁM ĐỐC", 100, 200) }, new[] { new Line("Không có gì", 72, 72) }, new[] { new Line("GIÁM ĐỐC", 300, 500) });
        var (_, path, words) = Judge(pdf, "three-pages.pdf");
        var first = PdfTextLocator.Find(path, "GIÁM ĐỐC")!;
        Assert.Equal(1, first.Page);
        Near(Oracle(words.Where(w => w.Page == 1).ToList(), "GIÁM ĐỐC"), first.Bounds);
        var third = PdfTextLocator.Find(path, "GIÁM ĐỐC", page: 3)!;
        Assert.Equal(3, third.Page);
        Near(Oracle(words.Where(w => w.Page == 3).ToList(), "GIÁM ĐỐC"), third.Bounds);
        Assert.Null(PdfTextLocator.Find(path, "GIÁM ĐỐC", page: 2));
        var e = Assert.Throws<InvalidInputException>(() => PdfTextLocator.Find(path, "GIÁM ĐỐC", page: 4));
        Assert.Equal("PdfPageOutOfRange", e.MessageKey);
        Assert.Equal("PdfPageOutOfRange", Assert.Throws<InvalidInputException>(() => PdfTextLocator.Find(path, "GIÁM ĐỐC", page: 0)).MessageKey);
        var missing = Assert.Throws<InvalidInputException>(() => PdfTextLocator.Find(path + ".missing", "GIÁM ĐỐC"));
        Assert.Contains(".missing", missing.GetMessage(CultureInfo.GetCultureInfo("en")));
        Assert.Equal("PdfNotPdf", Assert.Throws<InvalidInputException>(() => PdfTextLocator.Find(new MemoryStream(A("not a pdf at all")), "x")).MessageKey);
    }

    /// <summary>Simple font (WinAnsi, /Widths): kerning in TJ, word gaps in TJ, Td/TD/T*/Tm, ' and ", Tc/Tw/Tz, cm scaling, q/Q.</summary>
    private const string SimpleContent =
        "BT /F1 12 Tf 100 700 Td [(CH) 20 (U) -250 (TICH)] TJ\n" +
        "0 -20 TD (Nguyen) Tj ( ) Tj (Van) Tj T* (Binh) Tj ET\n" +
        "BT /F1 11 Tf 1 0 0 1 300 650 Tm (Tran) Tj 40 0 Td (Thi) Tj 25 0 Td (Mai) Tj ET\n" +
        "q 2 0 0 2 0 0 cm BT /F1 10 Tf 1 0 0 1 50 100 Tm (So tay ghi chep) Tj ET Q\n" +
        "BT /F1 12 Tf 14 TL 72 500 Td (dong mot) Tj (dong hai) ' 3 0.5 (dong ba co gian) \" ET\n" +
        "BT /F1 12 Tf 1 Tc 72 450 Td (gian chu) Tj 0 Tc 80 Tz 0 -20 Td (nen ngang) Tj 100 Tz ET\n" +
        "q 1 0 0 1 200 0 cm 0.5 0 0 0.5 0 0 cm BT /F1 24 Tf 100 600 Td (PHO GIAM DOC) Tj ET Q\n" +
        "BT /F1 12 Tf 0 1 -1 0 550 300 Tm (chu doc) Tj ET\n";

    [Theory]
    [InlineData("CHU TICH")]
    [InlineData("Nguyen Van")]
    [InlineData("Binh")]
    [InlineData("Tran Thi Mai")]
    [InlineData("So tay ghi chep")]
    [InlineData("dong mot")]
    [InlineData("dong hai")]
    [InlineData("dong ba co gian")]
    [InlineData("gian chu")]
    [InlineData("nen ngang")]
    [InlineData("PHO GIAM DOC")]
    [InlineData("chu doc")]
    public void Hand_written_simple_font_text_is_found_where_pdftotext_sees_it(string phrase)
    {
        foreach (var compress in new[] { false, true })
        {
            var (_, path, words) = Judge(Simple(SimpleContent, compress), compress ? "simple-flate.pdf" : "simple.pdf");
            var match = PdfTextLocator.Find(path, phrase);
            Assert.True(match is not null, phrase + " not found; pdftotext: " + string.Join(" | ", words.Select(w => w.Text)));
            Near(Oracle(words, phrase), match!.Bounds);
        }
    }

    [Theory]
    [InlineData("Helvetica")]
    [InlineData("Helvetica-Bold")]
    [InlineData("Times-Roman")]
    [InlineData("Times-BoldItalic")]
    [InlineData("Courier")]
    [InlineData("Arial,Bold")]
    public void Standard_14_fonts_without_Widths_use_their_metrics(string baseFont)
    {
        var pdf = Simple("BT /F1 13 Tf 90 600 Td (Quyet dinh so 12/QD-UBND, trang 1) Tj 0 -30 Td (TM. UY BAN NHAN DAN) Tj ET",
            more: new Dictionary<int, string> { [5] = "<< /Type /Font /Subtype /Type1 /BaseFont /" + baseFont + " /Encoding /WinAnsiEncoding >>" });
        var (_, path, words) = Judge(pdf, "std14.pdf");
        foreach (var phrase in new[] { "12/QD-UBND, trang 1", "UY BAN NHAN DAN" })
        {
            var found = PdfTextLocator.Find(path, phrase)!.Bounds;
            var oracle = Oracle(words, phrase);
            // Horizontal extent from the widths; the vertical extent depends on the ascent and descent each reader assumes.
            Assert.True(Math.Abs(oracle.X - found.X) <= Tolerance && Math.Abs(oracle.Right - found.Right) <= Tolerance, baseFont + ": " + oracle + " vs " + found);
            Assert.True(Math.Abs(oracle.Y - found.Y) <= 3 && Math.Abs(oracle.Top - found.Top) <= 3, baseFont + ": " + oracle + " vs " + found);
        }
    }

    [Fact]
    public void Kerning_inside_a_word_is_not_a_space_but_a_TJ_gap_or_a_move_is()
    {
        var f = PdfFile.Open(new MemoryStream(Simple(SimpleContent)), "simple.pdf");
        var glyphs = new PageTextReader(f, 1).Read(f.ResolveDictionary(f.Pages()[0])!);
        var text = new string(TextMatcher.PageText(glyphs).Select(c => c.Char).ToArray());
        Assert.Contains("CHU TICH", text);         // 20/1000 kern joins CH and U; -250/1000 makes a gap
        Assert.Contains("Nguyen Van Binh", text);  // "( ) Tj" between Tj operations, then a new line
        Assert.Contains("Tran Thi Mai", text);     // separate Td moves, no space characters
        Assert.DoesNotContain("  ", text);
    }

    [Fact]
    public void Type0_font_with_ToUnicode_bfrange_arrays_W_widths_form_xobjects_content_arrays_and_inherited_resources()
    {
        // Type0 / Identity-H: CIDs 1..4 → "Ủ", "Y", "B", "N" by a bfrange with an array and a bfrange with a start value.
        var cmap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Test def\n" +
                   "1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
                   "1 beginbfrange <0001> <0002> [<1EE6> <0059>] endbfrange\n" +
                   "1 beginbfrange <0003> <0004> <0042> endbfrange\n" +
                   "5 beginbfchar <0005> <0020> <0006> <0309> <0007> <0055> <0008> <0043> <0009> <0048> endbfchar\n" +
                   "endcmap CMapName currentdict /CMap defineresource pop end end\n";
        var cmapData = PdfFiles.Deflate(Encoding.ASCII.GetBytes(cmap));
        var form = "BT /T0 20 Tf 0 0 Td <000100020005000300040001> Tj ET";
        var objects = new SortedDictionary<int, byte[]>
        {
            [1] = A("<< /Type /Catalog /Pages 2 0 R >>"),
            // Resources on the Pages node: the page inherits them.
            [2] = A("<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 5 0 R /T0 7 0 R >> /XObject << /X1 11 0 R >> >> >>"),
            [3] = A("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents [4 0 R 12 0 R] >>"),
            [4] = Stream("q BT /F1 12 Tf 72 760 Td (Mo "),
            // "CHỦ" with the hook above as its own zero-width glyph, moved back over the U (decomposed text, as some fonts draw it).
            [12] = Stream("dau) Tj ET Q q 1 0 0 1 100 400 cm /X1 Do Q BT /T0 20 Tf 100 200 Td [<000800090007> 700 <0006>] TJ ET"),
            [5] = A("<< /Type /Font /Subtype /TrueType /BaseFont /LiberationSerif /FirstChar 32 /LastChar 255 /Widths " + Widths() + " /Encoding /WinAnsiEncoding /FontDescriptor 6 0 R >>"),
            [6] = A("<< /Type /FontDescriptor /FontName /LiberationSerif /Flags 34 /FontBBox [-177 -303 1007 981] /ItalicAngle 0 /Ascent 891 /Descent -216 /CapHeight 662 /StemV 80 >>"),
            [7] = A("<< /Type /Font /Subtype /Type0 /BaseFont /TestCID /Encoding /Identity-H /DescendantFonts [8 0 R] /ToUnicode 9 0 R >>"),
            [8] = A("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestCID /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 10 0 R /DW 1000 /W [1 [700 650] 3 4 600 5 [250 0 700 650 700]] /CIDToGIDMap /Identity >>"),
            [9] = PdfFiles.Concat(A("<< /Length " + cmapData.Length + " /Filter /FlateDecode >>\nstream\n"), cmapData, A("\nendstream")),
            [10] = A("<< /Type /FontDescriptor /FontName /TestCID /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>"),
            [11] = PdfFiles.Concat(A("<< /Type /XObject /Subtype /Form /BBox [0 0 400 100] /Matrix [1 0 0 1 50 20] /Length " + form.Length + " >>\nstream\n"), A(form), A("\nendstream")),
        };
        var (_, path, words) = Judge(Write(objects), "type0.pdf");
        var uy = PdfTextLocator.Find(path, "ỦY BCỦ")!;
        Assert.NotNull(uy);
        // 150 + 50 = x of the form's text; widths 700 650 | 250 | 600 600 700 at 20 pt; ascent 0.9, descent -0.2; baseline 420.
        Near(new PdfRect(150, 420 - 4, (0.7 + 0.65 + 0.25 + 0.6 + 0.6 + 0.7) * 20, 22), uy.Bounds, 0.01);
        Near(Oracle(words, "ỦY BCỦ"), uy.Bounds);
        var chu = PdfTextLocator.Find(path, "CHỦ")!;
        Near(new PdfRect(100, 196, (0.65 + 0.7 + 0.7) * 20, 22), chu.Bounds, 0.01);
        // The page text split over two content streams.
        Near(Oracle(words, "Mo dau"), PdfTextLocator.Find(path, "Mo dau")!.Bounds);
    }

    private static byte[] Stream(string content) => PdfFiles.Concat(A("<< /Length " + content.Length + " >>\nstream\n"), A(content), A("\nendstream"));

    [Fact]
    public void Simple_font_Differences_glyph_names_map_to_Unicode()
    {
        var pdf = Simple("BT /F1 14 Tf 100 500 Td (\u0041\u0042\u0043 Nam) Tj ET", more: new Dictionary<int, string>
        {
            [5] = "<< /Type /Font /Subtype /TrueType /BaseFont /LiberationSerif /FirstChar 32 /LastChar 255 /Widths " + Widths()
                + " /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [65 /Ohorn /uni1EE6 /Dcroat] >> /FontDescriptor 6 0 R >>",
        });
        var match = PdfTextLocator.Find(new MemoryStream(pdf), "ƠỦĐ Nam");
        Assert.NotNull(match);
        Assert.Null(PdfTextLocator.Find(new MemoryStream(pdf), "ABC Nam"));
    }

    [Fact]
    public void Inline_images_and_broken_syntax_do_not_derail_or_crash()
    {
        var image = new byte[] { (byte)')', (byte)'(', (byte)'B', (byte)'T', 0, 255, (byte)'E', (byte)'X', 10, 13, (byte)'[', (byte)'<' };
        var content = PdfFiles.Concat(A("q 10 0 0 10 50 50 cm BI /W 4 /H 3 /BPC 8 /CS /G ID "), image, A(" EI Q\nBT /F1 12 Tf 100 300 Td (Sau anh) Tj ET\n"),
            A("BT /F1 12 Tf 100 200 Td (Con dau) Tj ) ] } > (khong dong"));
        var (_, path, words) = Judge(Simple("", rawContent: content), "inline.pdf");
        Near(Oracle(words, "Sau anh"), PdfTextLocator.Find(path, "Sau anh")!.Bounds);
        Assert.NotNull(PdfTextLocator.Find(path, "Con dau"));
        Assert.Null(PdfTextLocator.Find(path, "khong dong"));
    }

    [Fact]
    public void Random_content_never_crashes_or_hangs()
    {
        var rng = new Random(5);
        var alphabet = A("BT ET Tj TJ Td TD Tm T* ' \" Tf Tc Tw Tz TL Ts cm q Q Do BI ID EI /F1 /X1 ( ) < > [ ] << >> { } 0 1 -2 3.5 .7 1e9 % \\ \n");
        for (int i = 0; i < 300; i++)
        {
            var content = new byte[rng.Next(0, 400)];
            for (int k = 0; k < content.Length; k++) content[k] = rng.Next(3) == 0 ? (byte)rng.Next(256) : alphabet[rng.Next(alphabet.Length)];
            var pdf = Simple("", rawContent: PdfFiles.Concat(content, A(" BT /F1 12 Tf 100 100 Td (Cuoi trang) Tj ET")), resourcesExtra: " /XObject << /X1 7 0 R >>",
                more: new Dictionary<int, string> { [7] = "<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 7 0 R >> >> /Length 6 >>\nstream\n/X1 Do\nendstream" });
            try { PdfTextLocator.Find(new MemoryStream(pdf), "Cuoi trang"); }
            catch (InvalidInputException) { }
        }
    }

    [Fact]
    public void Searching_300_pages_reads_each_page_once_and_is_quick()
    {
        var path = _f.Write(PdfFiles.Classic(300), "300.pdf");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var match = PdfTextLocator.Find(path, "trang 300")!;
        Assert.Equal(300, match.Page);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), sw.Elapsed.ToString());
        Near(Oracle(Pdftotext(path).Where(w => w.Page == 300).ToList(), "trang 300"), match.Bounds);
        Assert.Equal(1, PdfTextLocator.Find(path, "trang 1")!.Page);
    }

    [Theory]
    [InlineData("LZWDecode")]
    [InlineData("ASCIIHexDecode")]
    [InlineData("DCTDecode")]
    public void A_content_stream_with_another_filter_is_refused_clearly(string filter)
    {
        var pdf = Simple("BT /F1 12 Tf 100 700 Td (CHU TICH) Tj ET", filter: filter);
        var e = Assert.Throws<InvalidInputException>(() => PdfTextLocator.Find(new MemoryStream(pdf), "CHU TICH"));
        Assert.Equal("PdfTextFilterUnsupported", e.MessageKey);
        Assert.Contains("/" + filter, e.GetMessage(CultureInfo.GetCultureInfo("vi")));
        Assert.Contains("chỉ hỗ trợ FlateDecode", e.GetMessage(CultureInfo.GetCultureInfo("vi")));
        Assert.Contains("supports only FlateDecode", e.GetMessage(CultureInfo.GetCultureInfo("en")));
        Assert.Contains("page 1", e.GetMessage(CultureInfo.GetCultureInfo("en")));
    }

    [Fact]
    public void Corrupt_or_bomb_content_is_a_typed_error()
    {
        var corrupt = Simple("", filter: "FlateDecode", rawContent: new byte[] { 0x78, 0x9C, 1, 2, 3, 4, 5, 6, 7, 8 });
        var e = Assert.Throws<InvalidInputException>(() => PdfTextLocator.Find(new MemoryStream(corrupt), "x"));
        Assert.Equal("PdfTextContentBroken", e.MessageKey);
        // 80 MB of spaces compress to ~80 KB: decompression stops at the 64 MB cap instead of filling memory.
        var bomb = PdfFiles.Deflate(Enumerable.Repeat((byte)' ', 80 << 20).ToArray());
        var b = Assert.Throws<InvalidInputException>(() => PdfTextLocator.Find(new MemoryStream(Simple("", filter: "FlateDecode", rawContent: bomb)), "x"));
        Assert.Equal("PdfTextContentBroken", b.MessageKey);
    }

    // ---- anchors ------------------------------------------------------------------------------------------

    private static PdfRect WidgetRect(byte[] signed)
    {
        var f = PdfFile.Open(new MemoryStream(signed), "signed.pdf");
        var field = f.Fields().Last(x => x.Type == "Sig" && x.Field["V"] is not null);
        var n = ((PdfArray)f.Resolve(field.Field["Rect"])!).Items.Select(x => ((PdfNumber)f.Resolve(x)!).Value).ToArray();
        return PdfRect.FromCorners(n[0], n[1], n[2], n[3]);
    }

    private void IndependentlyValid(byte[] pdf, int signatures)
    {
        var q = _f.Qpdf(pdf);
        Assert.True(q.ExitCode == 0, "qpdf --check: " + q.All);
        var s = _f.Pdfsig(pdf);
        Assert.Equal(signatures, PdfFixture.Count(s, "Signature Type: ETSI.CAdES.detached"));
        Assert.True(PdfFixture.Count(s, "Signature Validation: Signature is Valid") >= signatures, s);
    }

    [Fact]
    public async Task Leader_signature_anchored_to_the_title_lies_under_it_and_above_the_name_and_validates()
    {
        // Uncompressed content here: qpdf --check warns about the end of PDFsharp's own Flate content streams.
        var (pdf, _, words) = Judge(ByPdfSharp(false, Decision), "decision.pdf");
        var title = Oracle(words, "CHỦ TỊCH");
        var name = Oracle(words, "Nguyễn Văn An");
        var look = new LeaderAppearance(PdfFiles.Image(false), Rect: new PdfRect(0, 0, 150, 50)) { Anchor = new PdfTextAnchor("CHỦ TỊCH") };
        var signed = await _f.SignAsync(pdf, _f.Pki.Leader, SignatureLevel.BaselineB, new PdfSignatureParameters { Appearance = look });
        IndependentlyValid(signed, 1);
        var w = WidgetRect(signed);
        Assert.True(w.Top <= title.Y - 2 + Tolerance && w.Top >= title.Y - 2 - 50, "widget " + w + " not under the title " + title);
        Assert.True(w.Y >= name.Top, "widget " + w + " overlaps the name " + name);
        Assert.True(Math.Abs((w.X + w.Right) / 2 - (title.X + title.Right) / 2) <= Tolerance, "widget " + w + " not centred under " + title);
        Assert.True(w.Width <= 150 + 0.01 && w.Height <= 50 + 0.01);
        var report = await _f.ValidateAsync(signed);
        Assert.Equal(Indication.TotalPassed, report.Indication);

        // The organisation's seal anchored the same way, with an offset: centred under the title, 10 pt lower.
        var org = new OrganizationAppearance(PdfFiles.Image(true), Rect: new PdfRect(0, 0, 100, 100))
        { Anchor = new PdfTextAnchor("CHỦ TỊCH") { OffsetY = -10 } };
        var both = await _f.SignAsync(signed, _f.Pki.Organization, SignatureLevel.BaselineB, new PdfSignatureParameters { Appearance = org });
        IndependentlyValid(both, 2);
        var s = WidgetRect(both);
        Assert.True(Math.Abs((s.X + s.Right) / 2 - (title.X + title.Right) / 2) <= Tolerance, "seal " + s + " not centred under " + title);
        Assert.True(Math.Abs(s.Top - (title.Y - 2 - 10)) <= Tolerance, "seal " + s + " not 12 pt under " + title);
    }

    [Fact]
    public async Task Two_phase_signing_resolves_the_anchor_in_prepare_with_the_signer_text_below()
    {
        var pdf = ByPdfSharp(false, Decision);
        var title = Oracle(Pdftotext(_f.Write(pdf, "two-phase.pdf")), "CHỦ TỊCH");
        using var signer = _f.Pki.Leader.CreateSigner();
        var pades = new PadesSigner(_f.Options(SignatureLevel.BaselineB));
        var scratch = new MemoryStream();
        var look = new LeaderAppearance(PdfFiles.Image(false), Rect: new PdfRect(0, 0, 150, 45)) { Anchor = new PdfTextAnchor("CHỦ TỊCH"), ShowSignerText = true };
        var prepared = await pades.PrepareAsync(new MemoryStream(pdf), scratch, signer.Certificate, signer.Chain, signer.KeyAlgorithm,
            new PdfSignatureParameters { Appearance = look });
        await pades.CompleteAsync(scratch, prepared, await signer.SignDigestAsync(prepared.Digest, prepared.Hash, prepared.Padding));
        var signed = scratch.ToArray();
        IndependentlyValid(signed, 1);
        var w = WidgetRect(signed);
        // The image box hangs under the title; the "Ký bởi / Thời gian ký" block extends the widget further down.
        Assert.True(w.Top <= title.Y - 2 + Tolerance && w.Height > 45, "widget " + w + " vs title " + title);
        Assert.True(Math.Abs((w.X + w.Right) / 2 - (title.X + title.Right) / 2) <= Tolerance);
    }

    [Fact]
    public async Task Anchor_on_a_given_page_and_with_the_default_size()
    {
        var pdf = ByPdfSharp(false, new[] { new Line("KT. GIÁM ĐỐC", 100, 200) }, new[] { new Line("KT. GIÁM ĐỐC", 330, 600) });
        var words = Pdftotext(_f.Write(pdf, "two.pdf")).Where(x => x.Page == 2).ToList();
        var title = Oracle(words, "KT. GIÁM ĐỐC");
        var look = new LeaderAppearance(PdfFiles.Image(false), Page: 2) { Anchor = new PdfTextAnchor("KT. GIÁM ĐỐC") };
        var signed = await _f.SignAsync(pdf, _f.Pki.Leader, SignatureLevel.BaselineB, new PdfSignatureParameters { Appearance = look });
        IndependentlyValid(signed, 1);
        var f = PdfFile.Open(new MemoryStream(signed), "x");
        var field = f.Fields().Single(x => x.Type == "Sig");
        Assert.Equal(f.Pages()[1].Number, ((PdfReference)field.Field["P"]!).Number);
        var w = WidgetRect(signed);
        // The 200 × 60 image fills the default 170 × 60 box at its full width (scaled to 170 × 51).
        Assert.Equal(170, w.Width, 1);
        Assert.True(w.Top <= title.Y - 2 + Tolerance && w.Y >= title.Y - 2 - 60 - Tolerance, w + " vs " + title);
    }

    [Fact]
    public async Task An_existing_empty_field_on_page_2_searches_page_2()
    {
        var font = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";
        var objects = new SortedDictionary<int, byte[]>
        {
            [1] = A("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [9 0 R] >> >>"),
            [2] = A("<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 /MediaBox [0 0 595 842] /Resources << /Font << /F1 7 0 R >> >> >>"),
            [3] = A("<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>"),
            [4] = Stream("BT /F1 13 Tf 100 700 Td (GIAM DOC) Tj ET"),
            [5] = A("<< /Type /Page /Parent 2 0 R /Contents 6 0 R /Annots [9 0 R] >>"),
            [6] = Stream("BT /F1 13 Tf 350 300 Td (GIAM DOC) Tj ET"),
            [7] = A(font),
            [9] = A("<< /Type /Annot /Subtype /Widget /FT /Sig /T (LanhDao) /F 4 /P 5 0 R /Rect [0 0 0 0] >>"),
        };
        var pdf = Write(objects);
        var words = Pdftotext(_f.Write(pdf, "field.pdf")).Where(w => w.Page == 2).ToList();
        var title = Oracle(words, "GIAM DOC");
        var look = new LeaderAppearance(PdfFiles.Image(false), Rect: new PdfRect(0, 0, 120, 40)) { Anchor = new PdfTextAnchor("GIAM DOC") };
        var signed = await _f.SignAsync(pdf, _f.Pki.Leader, SignatureLevel.BaselineB, new PdfSignatureParameters { FieldName = "LanhDao", Appearance = look });
        IndependentlyValid(signed, 1);
        var w = WidgetRect(signed);
        Assert.True(Math.Abs((w.X + w.Right) / 2 - (title.X + title.Right) / 2) <= Tolerance && w.Top <= title.Y, "widget " + w + " not under page 2's " + title);
    }

    [Fact]
    public async Task Text_not_found_is_a_typed_error_naming_text_and_file_and_writes_nothing()
    {
        var input = _f.Write(ByPdfSharp(Decision), "khong-co.pdf");
        var output = _f.Temp("never.pdf");
        using var signer = _f.Pki.Leader.CreateSigner();
        var look = new LeaderAppearance(PdfFiles.Image(false)) { Anchor = new PdfTextAnchor("PHÓ CHỦ TỊCH") };
        var e = await Assert.ThrowsAsync<InvalidInputException>(() => new PadesSigner().SignAsync(input, output, signer, new PdfSignatureParameters { Appearance = look }));
        Assert.Equal("PdfAnchorNotFound", e.MessageKey);
        var vi = e.GetMessage(CultureInfo.GetCultureInfo("vi"));
        var en = e.GetMessage(CultureInfo.GetCultureInfo("en"));
        Assert.Contains("PHÓ CHỦ TỊCH", vi); Assert.Contains(Path.GetFileName(input), vi); Assert.Contains("Không tìm thấy", vi);
        Assert.Contains("PHÓ CHỦ TỊCH", en); Assert.Contains(Path.GetFileName(input), en); Assert.Contains("not found", en);
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(output)!, ".*.tmp"));

        var onPage = new LeaderAppearance(PdfFiles.Image(false), Page: 1) { Anchor = new PdfTextAnchor("PHÓ CHỦ TỊCH") };
        var p = await Assert.ThrowsAsync<InvalidInputException>(() => new PadesSigner().SignAsync(input, output, signer, new PdfSignatureParameters { Appearance = onPage }));
        Assert.Equal("PdfAnchorNotFoundOnPage", p.MessageKey);
        Assert.Contains("page 1", p.GetMessage(CultureInfo.GetCultureInfo("en")));
        Assert.False(File.Exists(output));

        // An unsupported content filter stops signing the same way, before anything is written.
        var lzw = _f.Write(Simple("BT /F1 12 Tf 100 700 Td (CHU TICH) Tj ET", filter: "LZWDecode"), "lzw.pdf");
        var fe = await Assert.ThrowsAsync<InvalidInputException>(() => new PadesSigner().SignAsync(lzw, output, signer,
            new PdfSignatureParameters { Appearance = new LeaderAppearance(PdfFiles.Image(false)) { Anchor = new PdfTextAnchor("CHU TICH") } }));
        Assert.Equal("PdfTextFilterUnsupported", fe.MessageKey);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData(90, "0 1 -1 0 595 0", "500 300")]
    [InlineData(180, "-1 0 0 -1 595 842", "300 500")]
    [InlineData(270, "0 -1 1 0 0 842", "300 300")]
    [InlineData(-90, "0 -1 1 0 0 842", "300 300")]
    public async Task Anchor_on_a_rotated_page_goes_under_the_text_as_displayed(int rotate, string cm, string at)
    {
        // The text is drawn turned against /Rotate so that it reads upright on screen.
        var content = "q " + cm + " cm BT /F1 14 Tf " + at + " Td (CHU TICH) Tj ET Q";
        var pdf = Simple(content, pageExtra: " /Rotate " + rotate);
        var match = PdfTextLocator.Find(new MemoryStream(pdf), "CHU TICH")!;
        Near(Oracle(Pdftotext(_f.Write(Simple(content), "unrotated.pdf")), "CHU TICH"), match.Bounds);
        var look = new LeaderAppearance(PdfFiles.Image(false), Rect: new PdfRect(0, 0, 120, 40)) { Anchor = new PdfTextAnchor("CHU TICH") };
        var signed = await _f.SignAsync(pdf, _f.Pki.Leader, SignatureLevel.BaselineB, new PdfSignatureParameters { Appearance = look });
        IndependentlyValid(signed, 1);
        var visible = new PdfRect(0, 0, 595, 842);
        int r = ((rotate % 360) + 360) % 360;
        var text = PdfAppearanceRenderer.ToDisplay(match.Bounds, visible, r);
        var w = PdfAppearanceRenderer.ToDisplay(WidgetRect(signed), visible, r);
        Assert.True(w.Top <= text.Y - 2 + 0.01 && w.Top >= text.Y - 2 - 40, "displayed widget " + w + " not under displayed text " + text);
        Assert.True(Math.Abs((w.X + w.Right) / 2 - (text.X + text.Right) / 2) <= 0.01);
        Assert.True(text.Width > text.Height, "the text reads horizontally as displayed: " + text);
    }

    [Fact]
    public void Placement_rules_offsets_and_keeping_on_the_page()
    {
        var text = new PdfRect(100, 500, 80, 14);
        Assert.Equal(new PdfRect(65, 448, 150, 50), new PdfTextAnchor("x").Place(text, 150, 50, 595, 842));
        Assert.Equal(new PdfRect(75, 416, 150, 50), new PdfTextAnchor("x") { OffsetX = 10, OffsetY = -32 }.Place(text, 150, 50, 595, 842));
        Assert.Equal(new PdfRect(65, 516, 150, 50), new PdfTextAnchor("x") { Position = PdfAnchorPosition.Above }.Place(text, 150, 50, 595, 842));
        Assert.Equal(new PdfRect(100 - 2 - 60, 482, 60, 50), new PdfTextAnchor("x") { Position = PdfAnchorPosition.Left }.Place(text, 60, 50, 595, 842));
        Assert.Equal(new PdfRect(182, 482, 60, 50), new PdfTextAnchor("x") { Position = PdfAnchorPosition.Right }.Place(text, 60, 50, 595, 842));
        Assert.Equal(new PdfRect(115, 482, 50, 50), new PdfTextAnchor("x") { Position = PdfAnchorPosition.Over, Gap = 99 }.Place(text, 50, 50, 595, 842));
        Assert.Equal(new PdfRect(65, 453, 150, 50), new PdfTextAnchor("x") { Gap = -3 }.Place(text, 150, 50, 595, 842));
        // Near the bottom-left corner the box is kept on the page.
        Assert.Equal(new PdfRect(0, 0, 150, 50), new PdfTextAnchor("x").Place(new PdfRect(10, 20, 30, 10), 150, 50, 595, 842));
    }

    [Fact]
    public void FromOptions_anchor_text_takes_the_size_from_rect()
    {
        var png = _f.Write(PdfFiles.Png(20, 10, (x, y) => (0, 0, 200, 255)), "sig.png");
        var wh = Assert.IsType<LeaderAppearance>(PdfSignatureAppearance.FromOptions("leader", png, null, "150,50", anchorText: "CHỦ TỊCH"));
        Assert.Equal("CHỦ TỊCH", wh.Anchor!.Text);
        Assert.Equal(new PdfRect(0, 0, 150, 50), wh.Rect);
        Assert.Null(wh.Page);
        var xywh = Assert.IsType<OrganizationAppearance>(PdfSignatureAppearance.FromOptions("organization", png, 2, "330,180,120,120", anchorText: "GIÁM ĐỐC"));
        Assert.Equal(new PdfRect(0, 0, 120, 120), xywh.Rect);
        Assert.Equal(2, xywh.Page);
        Assert.Null(Assert.IsType<LeaderAppearance>(PdfSignatureAppearance.FromOptions("leader", png, null, null, anchorText: "A")).Rect);
        // Unchanged without an anchor.
        var plain = Assert.IsType<LeaderAppearance>(PdfSignatureAppearance.FromOptions("leader", png, 1, "330,180,170,60"));
        Assert.Null(plain.Anchor);
        Assert.Equal(new PdfRect(330, 180, 170, 60), plain.Rect);

        Assert.Equal("Appearance.BadAnchorSize", Assert.Throws<InvalidInputException>(() => PdfSignatureAppearance.FromOptions("leader", png, null, "150", anchorText: "A")).MessageKey);
        Assert.Equal("Appearance.BadAnchorSize", Assert.Throws<InvalidInputException>(() => PdfSignatureAppearance.FromOptions("leader", png, null, "0,50", anchorText: "A")).MessageKey);
        Assert.Equal("Appearance.AnchorNotSupported", Assert.Throws<InvalidInputException>(() => PdfSignatureAppearance.FromOptions("attachment", null, null, null, "Số: 1", anchorText: "A")).MessageKey);
        Assert.Equal("Appearance.EmptyAnchor", Assert.Throws<InvalidInputException>(() => PdfSignatureAppearance.FromOptions("leader", png, null, null, anchorText: " ")).MessageKey);
    }

    [Fact]
    public void Layout_refuses_an_unresolved_anchor()
    {
        var look = new LeaderAppearance(PdfFiles.Image(false)) { Anchor = new PdfTextAnchor("CHỦ TỊCH") };
        var e = Assert.Throws<InvalidInputException>(() => PdfAppearanceRenderer.Layout(new PdfAppearanceRequest(look, PdfPageGeometry.A4, DateTimeOffset.UnixEpoch)));
        Assert.Equal("Appearance.AnchorUnresolved", e.MessageKey);
        Assert.Contains("CHỦ TỊCH", e.GetMessage(CultureInfo.GetCultureInfo("vi")));
    }
}
