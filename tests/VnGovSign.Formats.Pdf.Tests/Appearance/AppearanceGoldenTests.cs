using VnGovSign.Formats.Pdf.Appearance;
using VnGovSign.Tests;

namespace VnGovSign.Formats.Pdf.Tests.Appearance;

/// <summary>
/// Each appearance rendered to PNG by pdftoppm and compared with a stored image (Golden/NAME.verified.png)
/// with a small tolerance (anti-aliasing differs a little between poppler versions). Set
/// VNGOVSIGN_ACCEPT_GOLDEN=1 to accept new images after looking at them.
/// </summary>
public class AppearanceGoldenTests : IDisposable
{
    private const int Dpi = 60;
    private static readonly DateTimeOffset Time = new(2026, 12, 3, 13, 22, 5, TimeSpan.Zero);
    private readonly string dir = PdfTools.TempDir();

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    public static TheoryData<string> Cases() => new() { "leader", "leader-organization", "organization-box", "attachment", "copy", "leader-rotated-90" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rendered_appearance_matches_the_stored_image(string name)
    {
        var signature = PngImage.Load(TestData.SignaturePng);
        var seal = PngImage.Load(TestData.SealPng);
        var page = name == "leader-rotated-90" ? new PdfPageGeometry(new PdfRect(0, 0, 595, 842), null, 90) : PdfPageGeometry.A4;
        var leaderRequest = new PdfAppearanceRequest(new LeaderAppearance(signature, 1, new PdfRect(330, 180, 170, 60)), page, Time);
        var sink = new MiniPdf();
        var results = new List<PdfAppearanceResult>();
        switch (name)
        {
            case "leader":
            case "leader-rotated-90":
                results.Add(PdfAppearanceRenderer.Render(leaderRequest, sink));
                break;
            case "leader-organization":
                var leader = PdfAppearanceRenderer.Render(leaderRequest, sink);
                results.Add(leader);
                results.Add(PdfAppearanceRenderer.Render(new PdfAppearanceRequest(new OrganizationAppearance(seal), page, Time) { LeaderWidgetRect = leader.WidgetRect }, sink));
                break;
            case "organization-box":
                results.Add(PdfAppearanceRenderer.Render(new PdfAppearanceRequest(new OrganizationAppearance(seal, 1, new PdfRect(300, 300, 200, 200)) { ShowSignerText = true }, page, Time)
                    { SignerName = "Văn thư", OrganizationName = "Sở Thông tin và Truyền thông" }, sink));
                break;
            case "attachment":
                results.Add(PdfAppearanceRenderer.Render(new PdfAppearanceRequest(new AttachmentAppearance("Số: 15/2026/QĐ-UBND"), page, Time), sink));
                break;
            case "copy":
                results.Add(PdfAppearanceRenderer.Render(new PdfAppearanceRequest(new CopyAppearance("SAO Y", "Văn phòng Ủy ban nhân dân tỉnh Hà Giang") { DocumentNumber = "Số: 42/SY-VP" }, page, Time), sink));
                break;
        }
        var pdf = Path.Combine(dir, name + ".pdf");
        File.WriteAllBytes(pdf, sink.Build(page, results));
        Assert.Equal(0, PdfTools.QpdfCheck(pdf).ExitCode);
        Compare(PdfTools.RenderPng(pdf, Dpi), name);
    }

    private static void Compare(byte[] png, string name, [System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        var golden = Path.Combine(Path.GetDirectoryName(source)!, "Golden");
        var verified = Path.Combine(golden, name + ".verified.png");
        var received = Path.Combine(golden, name + ".received.png");
        if (Environment.GetEnvironmentVariable(GoldenFile.AcceptVariable) == "1")
        {
            Directory.CreateDirectory(golden);
            File.WriteAllBytes(verified, png);
            return;
        }
        Assert.True(File.Exists(verified), $"No stored image {verified}; set {GoldenFile.AcceptVariable}=1 to accept after looking at the output.");
        var expected = PngImage.FromBytes(File.ReadAllBytes(verified), verified);
        var actual = PngImage.FromBytes(png, name);
        string? problem = null;
        if (expected.Width != actual.Width || expected.Height != actual.Height)
            problem = $"size {actual.Width}×{actual.Height}, stored {expected.Width}×{expected.Height}";
        else
        {
            int n = expected.Width * expected.Height, far = 0;
            int ce = expected.Components, ca = actual.Components;
            for (int i = 0; i < n; i++)
                for (int c = 0; c < 3; c++)
                {
                    int e = expected.Color[i * ce + (ce == 3 ? c : 0)], a = actual.Color[i * ca + (ca == 3 ? c : 0)];
                    if (Math.Abs(e - a) > 64) { far++; break; }
                }
            // Tolerance: up to 0.3 % of the pixels may differ clearly (edge anti-aliasing of text and strokes).
            if (far > n * 3 / 1000) problem = $"{far} of {n} pixels differ by more than 64";
        }
        if (problem is null)
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllBytes(received, png);
        Assert.Fail($"{name}: rendering differs from {verified}: {problem} (see {received})");
    }
}
