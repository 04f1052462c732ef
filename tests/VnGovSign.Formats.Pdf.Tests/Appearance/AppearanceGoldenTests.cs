using System.Text;
using VnGovSign.Formats.Pdf.Appearance;

namespace VnGovSign.Formats.Pdf.Tests.Appearance;

/// <summary>
/// Each appearance placed as a signature widget on a one-page PDF (<see cref="MiniPdf"/>), rendered by pdftoppm at
/// <see cref="Dpi"/> dpi over a fixed region of the page as displayed, and compared with a stored image
/// (Golden/NAME.verified.png, rule and tolerance in <see cref="GoldenImage"/>). The region is fixed per case, not
/// taken from the layout, so a misplaced appearance fails too; the rest of the page must stay blank.
/// Set VNGOVSIGN_ACCEPT_GOLDEN=1 to accept new images after looking at them.
/// </summary>
public class AppearanceGoldenTests : IDisposable
{
    private const int Dpi = 300;
    private static readonly DateTimeOffset Time = new(2026, 12, 3, 13, 22, 5, TimeSpan.Zero);
    private static readonly PdfPageGeometry Landscape90 = new(new PdfRect(0, 0, 595, 842), null, 90);
    private readonly string dir = PdfTools.TempDir();

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("VNGOVSIGN_KEEP_APPEARANCE") == "1") { Console.Error.WriteLine("kept: " + dir); return; }
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>A golden case: the page, what is signed on it, and the region (points, page as displayed) that is compared.</summary>
    private sealed record Case(PdfPageGeometry Page, PdfRect Region, Func<IPdfObjectSink, PdfPageGeometry, List<PdfAppearanceResult>> Render);

    private static PdfAppearanceRequest LeaderRequest(PdfPageGeometry page, bool text = false) =>
        new(new LeaderAppearance(PngImage.Load(TestData.SignaturePng), 1, new PdfRect(330, 180, 170, 60)) { ShowSignerText = text }, page, Time)
        {
            SignerName = text ? "Nguyễn Thị Phượng" : null,
            OrganizationName = text ? "Ủy ban nhân dân tỉnh Điện Biên" : null,
        };

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // Leader: the blue signature scaled into the box 330,180,170,60 and centred in it.
        ["leader"] = new(PdfPageGeometry.A4, new PdfRect(300, 150, 230, 120),
            (sink, page) => new() { PdfAppearanceRenderer.Render(LeaderRequest(page), sink) }),
        // Organisation after the leader: the red seal at actual size (160 pt), its right edge on the first third of the signature.
        ["leader-organization"] = new(PdfPageGeometry.A4, new PdfRect(200, 110, 330, 200), (sink, page) =>
        {
            var leader = PdfAppearanceRenderer.Render(LeaderRequest(page), sink);
            var org = new PdfAppearanceRequest(new OrganizationAppearance(PngImage.Load(TestData.SealPng)), page, Time) { LeaderWidgetRect = leader.WidgetRect };
            return new() { leader, PdfAppearanceRenderer.Render(org, sink) };
        }),
        // Organisation with no leader signature: the seal centred in the given box, with the signer text block below.
        ["organization-box"] = new(PdfPageGeometry.A4, new PdfRect(270, 250, 260, 260), (sink, page) => new()
        {
            PdfAppearanceRenderer.Render(new PdfAppearanceRequest(new OrganizationAppearance(PngImage.Load(TestData.SealPng), 1, new PdfRect(300, 300, 200, 200)) { ShowSignerText = true }, page, Time)
                { SignerName = "Văn thư", OrganizationName = "Sở Thông tin và Truyền thông" }, sink),
        }),
        // Attachment: top-right of page 1, number and symbol, then the signing time; Times-compatible 10 pt black.
        ["attachment"] = new(PdfPageGeometry.A4, new PdfRect(345, 752, 250, 90), (sink, page) => new()
        {
            PdfAppearanceRenderer.Render(new PdfAppearanceRequest(new AttachmentAppearance("Số: 15/2026/QĐ-UBND"), page, Time), sink),
        }),
        // Copy: copy form, copying organisation, number, signing time.
        ["copy"] = new(PdfPageGeometry.A4, new PdfRect(345, 722, 250, 120), (sink, page) => new()
        {
            PdfAppearanceRenderer.Render(new PdfAppearanceRequest(new CopyAppearance("SAO Y", "Văn phòng Ủy ban nhân dân tỉnh Hà Giang") { DocumentNumber = "Số: 42/SY-VP" }, page, Time), sink),
        }),
        // Every Vietnamese vowel with every tone mark, lower and upper case (field notes: subsets that lose stacked marks).
        ["vietnamese"] = new(PdfPageGeometry.A4, new PdfRect(40, 722, 555, 120), (sink, page) =>
        {
            var lines = AppearanceRenderTests.VietnameseLines().ToList();
            return new() { PdfAppearanceRenderer.Render(new PdfAppearanceRequest(new CopyAppearance("TRÍCH SAO", lines[0]) { DocumentNumber = lines[1] }, page, Time), sink) };
        }),
        // A page with /Rotate 90 (shown landscape): the signature and its text stand upright where the box says, as displayed.
        ["leader-rotated-90"] = new(Landscape90, new PdfRect(280, 110, 270, 160),
            (sink, page) => new() { PdfAppearanceRenderer.Render(LeaderRequest(page, text: true), sink) }),
    };

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Keys) data.Add(name);
        return data;
    }

    /// <summary>Builds the case's PDF (twice: rendering must be byte-for-byte deterministic) and returns its path.</summary>
    private string BuildPdf(string name, Case c)
    {
        byte[] Build()
        {
            var sink = new MiniPdf();
            return sink.Build(c.Page, c.Render(sink, c.Page));
        }
        var pdf = Build();
        Assert.True(pdf.AsSpan().SequenceEqual(Build()), "rendering the same request twice gives different bytes");
        var path = Path.Combine(dir, name + ".pdf");
        File.WriteAllBytes(path, pdf);
        var check = PdfTools.QpdfCheck(path);
        Assert.True(check.ExitCode == 0, "qpdf --check: " + check.All);
        return path;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Rendered_appearance_matches_the_stored_image(string name)
    {
        var c = Cases[name];
        var path = BuildPdf(name, c);
        GoldenImage.Verify(PdfTools.RenderRegionPng(path, c.Page, c.Region, Dpi), name);
        AssertBlankOutside(path, c);
    }

    /// <summary>Nothing is drawn on the page outside the compared region (checked at a low resolution).</summary>
    private static void AssertBlankOutside(string path, Case c)
    {
        const int dpi = 36;
        var raster = PdfTools.Render(path, dpi);
        double k = dpi / 72.0;
        int x0 = (int)Math.Floor(c.Region.X * k) - 1, x1 = (int)Math.Ceiling(c.Region.Right * k) + 1;
        int y0 = (int)Math.Floor(raster.Height - c.Region.Top * k) - 1, y1 = (int)Math.Ceiling(raster.Height - c.Region.Y * k) + 1;
        int inside = 0, outside = 0;
        for (int y = 0; y < raster.Height; y++)
            for (int x = 0; x < raster.Width; x++)
            {
                if (Raster.IsWhite(raster[x, y])) continue;
                if (x >= x0 && x < x1 && y >= y0 && y < y1) inside++;
                else outside++;
            }
        Assert.True(inside > 0, "nothing drawn in the compared region");
        Assert.True(outside == 0, $"{outside} non-white pixels outside the compared region (at {dpi} dpi)");
    }

    [Fact]
    public void Comparison_fails_when_one_tone_mark_is_missing()
    {
        // The stamp of the "attachment" case with one letter changed (ố → ô), rendered the same way: the stored image
        // must not accept it. And the unchanged rendering must be accepted (no false alarm).
        var c = Cases["attachment"];
        var good = GoldenImage.Rgb.FromPng(PdfTools.RenderRegionPng(BuildPdf("attachment", c), c.Page, c.Region, Dpi), "good");
        Assert.True(GoldenImage.Compare(good, good).WithinTolerance);
        // ố → ô (the acute above the circumflex), Đ → D (the bar), ố → ớ.
        foreach (var number in new[] { "Sô: 15/2026/QĐ-UBND", "Số: 15/2026/QD-UBND", "Sớ: 15/2026/QĐ-UBND" })
        {
            var changed = c with
            {
                Render = (sink, page) => new() { PdfAppearanceRenderer.Render(new PdfAppearanceRequest(new AttachmentAppearance(number), page, Time), sink) },
            };
            var bad = GoldenImage.Rgb.FromPng(PdfTools.RenderRegionPng(BuildPdf("attachment-changed", changed), c.Page, c.Region, Dpi), "bad");
            var d = GoldenImage.Compare(good, bad);
            Assert.False(d.WithinTolerance, $"'{number}' passed as the stored rendering: {d}");
        }
    }

    [Fact]
    public void Comparison_tolerates_sub_pixel_placement_but_not_a_blot_or_another_colour()
    {
        // What another rasteriser does: glyph and stroke edges land a fraction of a pixel elsewhere. Widening the page
        // by 0.06, 0.12 and 0.24 pt moves the top-right stamp by 1/4, 1/2 and 1 pixel at 300 dpi; all must pass.
        var c = Cases["copy"];
        var good = GoldenImage.Rgb.FromPng(PdfTools.RenderRegionPng(BuildPdf("copy", c), c.Page, c.Region, Dpi), "good");
        foreach (var shift in new[] { 0.06, 0.12, 0.24 })
        {
            var moved = c with { Page = new PdfPageGeometry(new PdfRect(0, 0, 595 + shift, 842)) };
            var png = PdfTools.RenderRegionPng(BuildPdf("copy-moved", moved), c.Page, c.Region, Dpi);
            var d = GoldenImage.Compare(good, GoldenImage.Rgb.FromPng(png, "moved"));
            Assert.True(d.WithinTolerance, $"moved by {shift} pt: {d}");
        }
        // The bound is real: a 4 × 4 ink blot (a stray mark) is not tolerated.
        var blot = (byte[])good.Pixels.Clone();
        for (int y = 10; y < 14; y++)
            for (int x = 10; x < 14; x++)
                blot[(y * good.Width + x) * 3] = blot[(y * good.Width + x) * 3 + 1] = blot[(y * good.Width + x) * 3 + 2] = 0;
        Assert.False(GoldenImage.Compare(good, good with { Pixels = blot }).WithinTolerance);
        // Nor is a colour change: the red seal and blue signature with red and blue swapped.
        var lo = Cases["leader-organization"];
        var seal = GoldenImage.Rgb.FromPng(PdfTools.RenderRegionPng(BuildPdf("leader-organization", lo), lo.Page, lo.Region, Dpi), "seal");
        var swapped = (byte[])seal.Pixels.Clone();
        for (int i = 0; i < swapped.Length; i += 3) (swapped[i], swapped[i + 2]) = (swapped[i + 2], swapped[i]);
        Assert.False(GoldenImage.Compare(seal, seal with { Pixels = swapped }).WithinTolerance);
    }

    [Fact]
    public void Stamp_text_is_extracted_from_the_widget_appearance()
    {
        // Only the signature widget shows the text here (nothing in the page content), as in a signed file.
        var c = Cases["attachment"];
        var text = PdfTools.Text(BuildPdf("attachment", c)).Normalize(NormalizationForm.FormC);
        Assert.Contains("Số: 15/2026/QĐ-UBND", text);
        Assert.Contains("Thời gian ký: 03.12.2026 20:22:05 +07:00", text);
    }
}
