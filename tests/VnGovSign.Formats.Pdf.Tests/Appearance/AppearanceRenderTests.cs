using System.Text;
using VnGovSign.Formats.Pdf.Appearance;
using VnGovSign.Tests;

namespace VnGovSign.Formats.Pdf.Tests.Appearance;

/// <summary>
/// Renders each appearance into a one-page PDF built by the test, then judges it with independent tools:
/// qpdf --check, pdftoppm (pixels) and pdftotext (the Vietnamese text comes back).
/// </summary>
public class AppearanceRenderTests : IDisposable
{
    private const int Dpi = 100;
    private static readonly DateTimeOffset Time = new(2026, 12, 3, 13, 22, 5, TimeSpan.Zero);
    private readonly string dir = PdfTools.TempDir();

    public void Dispose()
    {
        // VNGOVSIGN_KEEP_APPEARANCE=1 keeps the PDFs for looking at them (pdftoppm -png).
        if (Environment.GetEnvironmentVariable("VNGOVSIGN_KEEP_APPEARANCE") == "1") { Console.Error.WriteLine("kept: " + dir); return; }
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    private (string Path, PdfAppearanceResult Result, MiniPdf Pdf) Make(PdfAppearanceRequest request, string name, bool drawInContent = false)
    {
        var sink = new MiniPdf();
        var result = PdfAppearanceRenderer.Render(request, sink);
        var path = Path.Combine(dir, name + ".pdf");
        File.WriteAllBytes(path, sink.Build(request.Page, result, drawInContent));
        var check = PdfTools.QpdfCheck(path);
        Assert.True(check.ExitCode == 0, "qpdf --check: " + check.All);
        return (path, result, sink);
    }

    private static PdfRect Shown(PdfAppearanceResult r, PdfPageGeometry page) =>
        PdfAppearanceRenderer.ToDisplay(r.WidgetRect, page.VisibleBox, page.NormalizedRotation);

    private static PdfRect Inset(PdfRect r, double d) => new(r.X + d, r.Y + d, r.Width - 2 * d, r.Height - 2 * d);

    [Fact]
    public void Leader_signature_shows_blue_strokes_on_white_where_laid_out()
    {
        var page = PdfPageGeometry.A4;
        var req = new PdfAppearanceRequest(new LeaderAppearance(PngImage.Load(TestData.SignaturePng), 1, new PdfRect(330, 180, 170, 60)), page, Time);
        var (path, result, _) = Make(req, "leader");
        var raster = PdfTools.Render(path, Dpi);
        var shown = result.WidgetRect;
        int blue = raster.Count(shown, Dpi, Raster.IsBlue);
        int white = raster.Count(shown, Dpi, Raster.IsWhite);
        int area = raster.Count(shown, Dpi, _ => true);
        Assert.True(blue > area / 50, $"blue pixels {blue} of {area}");
        Assert.True(white > area / 2, $"transparent background shows the white page: {white} of {area}");
        Assert.Equal(0, raster.Count(Inset(shown, -30), Dpi, Raster.IsBlue) - raster.Count(Inset(shown, -2), Dpi, Raster.IsBlue));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(90)]
    [InlineData(180)]
    [InlineData(270)]
    public void Appearance_stands_upright_on_rotated_pages(int rotate)
    {
        // Blue only in the image's top-left quadrant: any wrong turn or mirror moves the blue elsewhere.
        var image = PngImage.FromBytes(PngWriter.Write(240, 80, 6, 8, (x, y) => x < 120 && y < 40 ? new[] { 0, 0, 255, 255 } : new[] { 0, 0, 0, 0 }), "quadrant.png");
        var page = new PdfPageGeometry(new PdfRect(0, 0, 595, 842), new PdfRect(10, 20, 575, 812), rotate);
        var req = new PdfAppearanceRequest(new LeaderAppearance(image, 1, new PdfRect(300, 180, 240, 80)), page, Time);
        var (path, result, _) = Make(req, "rotated-" + rotate);
        var shown = Shown(result, page);
        Near(300, shown.X); Near(180, shown.Y); Near(240, shown.Width); Near(80, shown.Height);
        var raster = PdfTools.Render(path, Dpi);
        var topLeft = new PdfRect(shown.X, shown.Y + 40, 120, 40);
        Assert.True(raster.Count(Inset(topLeft, 2), Dpi, Raster.IsBlue) == raster.Count(Inset(topLeft, 2), Dpi, _ => true), "top-left quadrant all blue");
        Assert.Equal(0, raster.Count(Inset(shown with { Y = shown.Y - 30, Height = 68 }, 0), Dpi, Raster.IsBlue)); // bottom half and below
        Assert.Equal(0, raster.Count(new PdfRect(shown.X + 122, shown.Y, 150, 120), Dpi, Raster.IsBlue)); // right half and beyond
    }

    [Fact]
    public void Organization_seal_is_red_over_the_left_third_of_the_leader_and_transparent_elsewhere()
    {
        var page = PdfPageGeometry.A4;
        var leaderReq = new PdfAppearanceRequest(new LeaderAppearance(PngImage.Load(TestData.SignaturePng), 1, new PdfRect(330, 180, 170, 60)), page, Time);
        var leader = PdfAppearanceRenderer.Layout(leaderReq).WidgetRect;
        var req = new PdfAppearanceRequest(new OrganizationAppearance(PngImage.Load(TestData.SealPng)), page, Time) { LeaderWidgetRect = leader };
        var (path, result, _) = Make(req, "organization");
        var seal = result.WidgetRect;
        Near(160, seal.Width);
        Near(leader.X + leader.Width / 3, seal.Right);
        var raster = PdfTools.Render(path, Dpi);
        int red = raster.Count(seal, Dpi, Raster.IsRed), area = raster.Count(seal, Dpi, _ => true);
        Assert.True(red > area / 20, $"red pixels {red} of {area}");
        // The round seal's corners are transparent: the page's white shows there.
        var corner = new PdfRect(seal.X + 2, seal.Y + 2, 12, 12);
        Assert.Equal(raster.Count(corner, Dpi, _ => true), raster.Count(corner, Dpi, Raster.IsWhite));
        Assert.Equal(0, raster.Count(new PdfRect(seal.Right + 5, seal.Y, 100, seal.Height), Dpi, Raster.IsRed));
    }

    [Fact]
    public void Attachment_stamp_text_round_trips_through_pdftotext_and_is_black_at_the_top_right()
    {
        var number = "Số: 12/2026/QĐ-UBND";
        var req = new PdfAppearanceRequest(new AttachmentAppearance(number), PdfPageGeometry.A4, Time);
        var (path, result, _) = Make(req, "attachment", drawInContent: true);
        var text = PdfTools.Text(path);
        Assert.Contains(number, text);
        Assert.Contains("Thời gian ký: 03.12.2026 20:22:05 +07:00", text);
        Near(575, result.WidgetRect.Right); Near(822, result.WidgetRect.Top);
        var raster = PdfTools.Render(path, Dpi);
        Assert.True(raster.Count(result.WidgetRect, Dpi, Raster.IsDark) > 100, "black text in the stamp");
        Assert.Equal(0, raster.Count(new PdfRect(0, 0, 595, 700), Dpi, Raster.IsDark));
    }

    /// <summary>Every Vietnamese vowel with every tone mark, lower and upper case, plus đ Đ.</summary>
    internal static IEnumerable<string> VietnameseLines()
    {
        var bases = new[] { "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y" };
        var marks = new[] { "", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323" }; // none, huyền, sắc, ngã, hỏi, nặng
        foreach (var upper in new[] { false, true })
        {
            var sb = new StringBuilder();
            foreach (var b in bases)
            {
                foreach (var m in marks) sb.Append((b + m).Normalize(NormalizationForm.FormC));
                sb.Append(' ');
            }
            sb.Append("đ");
            var s = sb.ToString().TrimEnd();
            yield return upper ? s.ToUpperInvariant() : s;
        }
    }

    [Fact]
    public void Every_Vietnamese_vowel_with_every_tone_mark_comes_back_from_pdftotext()
    {
        var lines = VietnameseLines().ToList();
        Assert.Contains("aàáãảạ", lines[0]);
        Assert.Contains("ƯỪỨỮỬỰ", lines[1]);
        Assert.EndsWith("Đ", lines[1]);
        var req = new PdfAppearanceRequest(new CopyAppearance("SAO Y", lines[0]) { DocumentNumber = lines[1] }, PdfPageGeometry.A4, Time);
        var (path, _, _) = Make(req, "vietnamese", drawInContent: true);
        var text = PdfTools.Text(path).Normalize(NormalizationForm.FormC);
        foreach (var line in lines)
            foreach (var word in line.Split(' '))
                Assert.Contains(word, text);
        // Decomposed input (NFD, as some keyboards type it) is drawn and extracted as the composed letters.
        var nfd = new PdfAppearanceRequest(new AttachmentAppearance(lines[0].Normalize(NormalizationForm.FormD)), PdfPageGeometry.A4, Time);
        var (path2, _, _) = Make(nfd, "vietnamese-nfd", drawInContent: true);
        Assert.Contains(lines[0].Split(' ')[2], PdfTools.Text(path2));
    }

    [Fact]
    public void Font_is_an_embedded_subset_with_ToUnicode_and_widths()
    {
        var req = new PdfAppearanceRequest(new AttachmentAppearance("Số: 1"), PdfPageGeometry.A4, Time);
        var (path, _, sink) = Make(req, "fonts");
        var fonts = ExternalTool.Run("pdffonts", new[] { path });
        Assert.True(fonts.ExitCode == 0, fonts.All);
        // name type encoding emb sub uni
        var row = fonts.StdOut.Split('\n').Single(l => l.Contains("+LiberationSerif"));
        Assert.Contains("CID TrueType", row);
        Assert.Contains("Identity-H", row);
        Assert.Matches(@"yes\s+yes\s+yes", row);
        var bodies = sink.Objects.Values.Select(b => Encoding.Latin1.GetString(b!)).ToList();
        Assert.Contains(bodies, b => b.Contains("/CIDToGIDMap /Identity") && b.Contains("/W ["));
        // The subset is much smaller than the 390 KB font.
        var fontFile = sink.Objects.Values.Single(b => Encoding.Latin1.GetString(b!).StartsWith("<< /Length1"));
        Assert.True(fontFile!.Length < 60_000, $"font file object is {fontFile.Length} bytes");
    }

    [Fact]
    public void Caller_supplied_font_is_used()
    {
        const string system = "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf";
        var font = File.Exists(system) ? PdfAppearanceFont.Load(system) : PdfAppearanceFont.Default;
        var req = new PdfAppearanceRequest(new AttachmentAppearance("Số: 7"), PdfPageGeometry.A4, Time) { Font = font };
        var (path, _, _) = Make(req, "sans", drawInContent: true);
        Assert.Contains("+" + font.PostScriptName, ExternalTool.Run("pdffonts", new[] { path }).StdOut);
        Assert.Contains("Số: 7", PdfTools.Text(path));
        Assert.Equal("Appearance.BadFont", Assert.Throws<InvalidInputException>(() => PdfAppearanceFont.FromBytes(new byte[100], "x.ttf")).MessageKey);
    }

    [Fact]
    public void Invisible_signature_gets_an_empty_form()
    {
        var (path, result, _) = Make(new PdfAppearanceRequest(PdfSignatureAppearance.None, PdfPageGeometry.A4, Time), "none");
        Assert.Equal(default, result.WidgetRect);
        var raster = PdfTools.Render(path, 20);
        var page = new PdfRect(0, 0, 600, 850);
        Assert.Equal(raster.Count(page, 20, _ => true), raster.Count(page, 20, Raster.IsWhite));
    }

    [Fact]
    public void Leader_with_signer_text_draws_image_and_text()
    {
        var a = new LeaderAppearance(PngImage.Load(TestData.SignaturePng), 1, new PdfRect(330, 180, 170, 60)) { ShowSignerText = true };
        var req = new PdfAppearanceRequest(a, PdfPageGeometry.A4, Time) { SignerName = "Nguyễn Văn Ẩn", OrganizationName = "Ủy ban nhân dân tỉnh Điện Biên" };
        var (path, result, _) = Make(req, "leader-text", drawInContent: true);
        var text = PdfTools.Text(path);
        Assert.Contains("Ký bởi: Nguyễn Văn Ẩn", text);
        Assert.Contains("Cơ quan: Ủy ban nhân dân tỉnh Điện Biên", text);
        var raster = PdfTools.Render(path, Dpi);
        Assert.True(raster.Count(result.WidgetRect, Dpi, Raster.IsBlue) > 50);
        Assert.True(raster.Count(result.WidgetRect, Dpi, Raster.IsDark) > 50);
    }

    private static void Near(double expected, double actual, double tolerance = 0.02) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected}, got {actual}");
}
