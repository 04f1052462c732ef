using VnGovSign.Formats.Pdf.Appearance;

namespace VnGovSign.Formats.Pdf.Tests.Appearance;

public class AppearanceLayoutTests
{
    private static readonly DateTimeOffset Time = new(2026, 12, 3, 13, 22, 5, TimeSpan.Zero);

    // A 240 × 80 px image without pHYs (72 dpi) = 240 × 80 pt, like the sample signature.
    private static readonly PngImage Signature = PngImage.FromBytes(
        PngWriter.Write(240, 80, 6, 8, (x, y) => new[] { 0, 0, 255, x < 120 ? 255 : 0 }), "sig.png");

    // 160 px at 144 dpi (5669 px/m) = 80 pt.
    private static readonly PngImage Seal144 = PngImage.FromBytes(
        PngWriter.Write(160, 160, 6, 8, (x, y) => new[] { 255, 0, 0, 255 }, pixelsPerMetre: (5669, 5669)), "seal.png");

    private static void Near(double expected, double actual, double tolerance = 0.01) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected}, got {actual}");

    private static void Near(PdfRect expected, PdfRect actual)
    {
        Near(expected.X, actual.X); Near(expected.Y, actual.Y); Near(expected.Width, actual.Width); Near(expected.Height, actual.Height);
    }

    [Fact]
    public void Leader_image_is_scaled_to_fit_and_centred_in_the_box()
    {
        var a = new LeaderAppearance(Signature, 1, new PdfRect(330, 180, 170, 60));
        var p = PdfAppearanceRenderer.Layout(new PdfAppearanceRequest(a, PdfPageGeometry.A4, Time));
        // scale = min(170/240, 60/80) = 0.7083 → 170 × 56.67, centred vertically
        Near(new PdfRect(330, 180 + (60 - 56.6667) / 2, 170, 56.6667), p.WidgetRect);
        Near(new PdfRect(0, 0, 170, 56.6667), p.ImageRect!.Value);
        Assert.Empty(p.TextLines);
        Assert.Equal(0, p.Rotation);
    }

    [Fact]
    public void Leader_tall_box_centres_horizontally_and_scales_up()
    {
        var a = new LeaderAppearance(Signature, 1, new PdfRect(100, 100, 600, 100));
        var p = PdfAppearanceRenderer.Layout(new PdfAppearanceRequest(a, new PdfPageGeometry(new PdfRect(0, 0, 842, 595)), Time));
        Near(new PdfRect(100 + (600 - 300) / 2.0, 100, 300, 100), p.WidgetRect);
    }

    [Fact]
    public void Leader_without_rect_uses_the_documented_default_box()
    {
        var p = PdfAppearanceRenderer.Layout(new PdfAppearanceRequest(new LeaderAppearance(Signature), PdfPageGeometry.A4, Time));
        var box = new PdfRect(595 - 56.7 - 170, 113.4, 170, 60);
        Near(new PdfRect(box.X, box.Y + (60 - 56.6667) / 2, 170, 56.6667), p.WidgetRect);
    }

    [Fact]
    public void Leader_with_text_block_puts_the_text_below_the_image()
    {
        var a = new LeaderAppearance(Signature, 1, new PdfRect(300, 300, 240, 80)) { ShowSignerText = true };
        var p = PdfAppearanceRenderer.Layout(new PdfAppearanceRequest(a, PdfPageGeometry.A4, Time) { SignerName = "Nguyễn Văn A", OrganizationName = "UBND tỉnh B" });
        Assert.Equal(new[] { "Ký bởi: Nguyễn Văn A", "Cơ quan: UBND tỉnh B", "Thời gian ký: 03.12.2026 20:22:05 +07:00" }, p.TextLines);
        Near(380, p.WidgetRect.Top);
        Assert.True(p.WidgetRect.Y < 300 - 3 * 12, "text block below the image");
        Near(80, p.ImageRect!.Value.Height);
    }

    [Fact]
    public void Organization_seal_at_actual_size_over_left_third_of_leader()
    {
        var leader = new PdfRect(330, 181.6667, 170, 56.6667);
        var req = new PdfAppearanceRequest(new OrganizationAppearance(Seal144), PdfPageGeometry.A4, Time) { LeaderWidgetRect = leader };
        var p = PdfAppearanceRenderer.Layout(req);
        // 160 px at 144 dpi = 80 pt; right edge at one third of the leader's width, vertically centred on it.
        Near(80, p.WidgetRect.Width); Near(80, p.WidgetRect.Height);
        Near(330 + 170 / 3.0, p.WidgetRect.Right);
        Near(leader.Y + leader.Height / 2, p.WidgetRect.Y + 40);
    }

    [Fact]
    public void Organization_without_leader_is_centred_in_the_given_box_at_actual_size()
    {
        var req = new PdfAppearanceRequest(new OrganizationAppearance(Seal144, 1, new PdfRect(100, 100, 200, 100)), PdfPageGeometry.A4, Time);
        Near(new PdfRect(160, 110, 80, 80), PdfAppearanceRenderer.Layout(req).WidgetRect);
    }

    [Fact]
    public void Organization_seal_is_kept_inside_the_page()
    {
        var leader = new PdfRect(5, 5, 30, 10);
        var req = new PdfAppearanceRequest(new OrganizationAppearance(Seal144), PdfPageGeometry.A4, Time) { LeaderWidgetRect = leader };
        var r = PdfAppearanceRenderer.Layout(req).WidgetRect;
        Near(0, r.X); Near(0, r.Y); Near(80, r.Width);
    }

    [Fact]
    public void Attachment_goes_to_the_top_right_corner_with_a_margin()
    {
        var req = new PdfAppearanceRequest(new AttachmentAppearance("Số: 12/QĐ-UBND"), PdfPageGeometry.A4, Time);
        var p = PdfAppearanceRenderer.Layout(req);
        Near(595 - PdfAppearanceRenderer.StampMargin, p.WidgetRect.Right);
        Near(842 - PdfAppearanceRenderer.StampMargin, p.WidgetRect.Top);
        Assert.Equal(new[] { "Số: 12/QĐ-UBND", "Thời gian ký: 03.12.2026 20:22:05 +07:00" }, p.TextLines);
        Near(2 * 12 + 4, p.WidgetRect.Height);
        Assert.Null(p.ImageRect);
    }

    [Fact]
    public void Copy_lines_are_form_organisation_number_time()
    {
        var req = new PdfAppearanceRequest(new CopyAppearance("SAO Y", "Văn phòng UBND tỉnh") { DocumentNumber = "Số: 05/SY-VP" }, PdfPageGeometry.A4, Time);
        Assert.Equal(new[] { "SAO Y", "Văn phòng UBND tỉnh", "Số: 05/SY-VP", "Thời gian ký: 03.12.2026 20:22:05 +07:00" },
            PdfAppearanceRenderer.Layout(req).TextLines);
    }

    [Fact]
    public void Text_is_normalised_to_NFC()
    {
        string decomposed = "Nghi\u0065\u0302\u0323n cu\u031Bu".Normalize(System.Text.NormalizationForm.FormD);
        var req = new PdfAppearanceRequest(new AttachmentAppearance(decomposed), PdfPageGeometry.A4, Time);
        Assert.Equal("Nghiện cưu".Normalize(), PdfAppearanceRenderer.Layout(req).TextLines[0]);
    }

    [Theory]
    [InlineData(90)]
    [InlineData(180)]
    [InlineData(270)]
    [InlineData(-90)]
    public void Attachment_on_a_rotated_page_is_top_right_as_displayed(int rotate)
    {
        var page = new PdfPageGeometry(new PdfRect(0, 0, 595, 842), null, rotate);
        var p = PdfAppearanceRenderer.Layout(new PdfAppearanceRequest(new AttachmentAppearance("Số: 1"), page, Time));
        int r = ((rotate % 360) + 360) % 360;
        Assert.Equal(r, p.Rotation);
        var shown = PdfAppearanceRenderer.ToDisplay(p.WidgetRect, page.VisibleBox, r);
        double pageW = r is 90 or 270 ? 842 : 595, pageH = r is 90 or 270 ? 595 : 842;
        Near(pageW - 20, shown.Right);
        Near(pageH - 20, shown.Top);
        Near(p.Width, shown.Width);
        // The user-space /Rect has the displayed width and height swapped on quarter turns.
        Near(r is 90 or 270 ? p.Height : p.Width, p.WidgetRect.Width);
    }

    [Fact]
    public void Rotated_90_maps_the_display_rect_into_user_space()
    {
        // Displayed, the page is 842 wide and 595 high; display (u, v) ↦ user (595 - v, u).
        var page = new PdfPageGeometry(new PdfRect(0, 0, 595, 842), null, 90);
        var a = new LeaderAppearance(Signature, 1, new PdfRect(100, 200, 240, 80));
        Near(new PdfRect(595 - 280, 100, 80, 240), PdfAppearanceRenderer.Layout(new PdfAppearanceRequest(a, page, Time)).WidgetRect);
    }

    [Fact]
    public void Cropbox_origin_is_the_display_origin()
    {
        var page = new PdfPageGeometry(new PdfRect(0, 0, 700, 900), new PdfRect(50, 40, 595, 842));
        var a = new LeaderAppearance(Signature, 1, new PdfRect(10, 20, 240, 80));
        Near(new PdfRect(60, 60, 240, 80), PdfAppearanceRenderer.Layout(new PdfAppearanceRequest(a, page, Time)).WidgetRect);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(90)]
    [InlineData(180)]
    [InlineData(270)]
    public void Display_and_user_space_round_trip(int rotation)
    {
        var visible = new PdfRect(13, 17, 500, 700);
        var d = new PdfRect(33, 44, 55, 66);
        Near(d, PdfAppearanceRenderer.ToDisplay(PdfAppearanceRenderer.ToUser(d, visible, rotation), visible, rotation));
    }

    [Fact]
    public void Organization_over_leader_on_rotated_page_uses_display_geometry()
    {
        var page = new PdfPageGeometry(new PdfRect(0, 0, 595, 842), null, 90);
        var leaderReq = new PdfAppearanceRequest(new LeaderAppearance(Signature, 1, new PdfRect(400, 200, 240, 80)), page, Time);
        var leader = PdfAppearanceRenderer.Layout(leaderReq).WidgetRect;
        var org = PdfAppearanceRenderer.Layout(new PdfAppearanceRequest(new OrganizationAppearance(Seal144), page, Time) { LeaderWidgetRect = leader });
        var shown = PdfAppearanceRenderer.ToDisplay(org.WidgetRect, page.VisibleBox, 90);
        Near(400 + 80, shown.Right);
        Near(240 - 40, shown.Y);
    }

    [Fact]
    public void Invisible_has_a_zero_rect()
    {
        var p = PdfAppearanceRenderer.Layout(new PdfAppearanceRequest(PdfSignatureAppearance.None, PdfPageGeometry.A4, Time));
        Assert.Equal(default, p.WidgetRect);
    }

    [Fact]
    public void Pages_resolve_per_kind()
    {
        Assert.Equal(7, new LeaderAppearance(Signature).ResolvePage(7));
        Assert.Equal(2, new LeaderAppearance(Signature, 2).ResolvePage(7));
        Assert.Equal(3, new OrganizationAppearance(Seal144).ResolvePage(7, leaderSignaturePage: 3));
        Assert.Equal(7, new OrganizationAppearance(Seal144).ResolvePage(7));
        Assert.Equal(1, new AttachmentAppearance("x").ResolvePage(7));
        Assert.Equal(1, new CopyAppearance("SAO Y").ResolvePage(7));
        var e = Assert.Throws<InvalidInputException>(() => new LeaderAppearance(Signature, 9).ResolvePage(7));
        Assert.Equal("Appearance.PageOutOfRange", e.MessageKey);
    }

    [Fact]
    public void Rect_parsing()
    {
        Assert.Equal(new PdfRect(330, 180, 170, 60), PdfRect.Parse("330,180,170,60"));
        Assert.Equal(new PdfRect(1.5, -2, 3, 4), PdfRect.Parse(" 1.5, -2 ,3,4"));
        foreach (var bad in new[] { "1,2,3", "a,b,c,d", "1,2,0,4", "1,2,3,-4", "" })
            Assert.Equal("Appearance.BadRect", Assert.Throws<InvalidInputException>(() => PdfRect.Parse(bad)).MessageKey);
    }

    [Fact]
    public void Command_line_options_build_each_kind()
    {
        Assert.IsType<LeaderAppearance>(PdfSignatureAppearance.FromOptions("leader", TestData.SignaturePng, 1, "330,180,170,60"));
        Assert.IsType<OrganizationAppearance>(PdfSignatureAppearance.FromOptions("organization", TestData.SealPng));
        Assert.Equal("Số: 1", Assert.IsType<AttachmentAppearance>(PdfSignatureAppearance.FromOptions("attachment", documentNumber: "Số: 1")).DocumentNumber);
        Assert.Equal("SAO Y", Assert.IsType<CopyAppearance>(PdfSignatureAppearance.FromOptions("copy")).CopyForm);
        Assert.Same(PdfSignatureAppearance.None, PdfSignatureAppearance.FromOptions("none"));
        Assert.Same(PdfSignatureAppearance.None, PdfSignatureAppearance.FromOptions(null));
        Assert.Equal("Appearance.UnknownKind", Assert.Throws<InvalidInputException>(() => PdfSignatureAppearance.FromOptions("stamp")).MessageKey);
        Assert.Equal("Appearance.ImageRequired", Assert.Throws<InvalidInputException>(() => PdfSignatureAppearance.FromOptions("leader")).MessageKey);
        Assert.Equal("Appearance.DocNumberRequired", Assert.Throws<InvalidInputException>(() => PdfSignatureAppearance.FromOptions("attachment")).MessageKey);
    }

    [Fact]
    public void Signing_time_is_shown_in_Vietnam_time()
    {
        Assert.Equal("01.01.2027 06:59:59 +07:00", PdfAppearanceRenderer.FormatTime(new DateTimeOffset(2026, 12, 31, 23, 59, 59, TimeSpan.Zero)));
    }
}
