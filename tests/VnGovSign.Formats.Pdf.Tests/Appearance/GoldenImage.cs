using System.Runtime.CompilerServices;
using VnGovSign.Formats.Pdf.Appearance;
using VnGovSign.Tests;

namespace VnGovSign.Formats.Pdf.Tests.Appearance;

/// <summary>
/// Golden images: a rendered PNG is compared with a checked-in <c>Golden/NAME.verified.png</c>.
/// </summary>
/// <remarks>
/// <para>
/// Why a tolerance at all: the stored images come from poppler 22.12 (Debian 12, Splash rasteriser, FreeType).
/// On the same poppler the output is byte-identical (<see cref="AppearanceGoldenTests"/> also checks that the PDF is
/// byte-identical from run to run), so the fast path is an exact byte comparison. Other poppler or FreeType versions
/// place anti-aliased edges a fraction of a pixel differently, pick slightly different grey levels on glyph and
/// stroke edges, and resample scaled images with slightly different filters. None of that changes what a reader sees.
/// </para>
/// <para>
/// What is tolerated, and nothing more. (1) Pixel match: a pixel of one image is matched when some pixel of the
/// other image at most one pixel away (3 × 3 neighbourhood) has every channel within <see cref="LevelTolerance"/>;
/// at most <see cref="MaxUnmatched"/> pixels of both images together may be unmatched. This catches colour changes
/// and crisp shapes that appear, vanish or move by more than a pixel. (2) Ink balance: anti-aliasing redistributes a
/// glyph's coverage over neighbouring pixels but keeps its total, so the ink in every
/// <see cref="InkWindow"/> × <see cref="InkWindow"/> window must equal, within <see cref="InkTolerance"/> fully inked
/// pixels, the ink of some window of the other image at most one pixel away. This catches thin marks (a tone mark
/// drawn with grey anti-aliased pixels) that the pixel match alone lets through.
/// </para>
/// <para>
/// The numbers were measured here at 300 dpi: moving the whole stamp by 1/4, 1/2 or 1 pixel gives at most 6.0 pixels
/// of ink difference and no unmatched pixel (passes); a missing acute on "ố" gives 8.7 and 9 unmatched pixels, a
/// missing bar on "Đ" 10.1, "ố" → "ớ" 22 (all fail). Both directions are tests:
/// <see cref="AppearanceGoldenTests.Comparison_fails_when_one_tone_mark_is_missing"/> and
/// <see cref="AppearanceGoldenTests.Comparison_tolerates_sub_pixel_placement_but_not_a_blot_or_another_colour"/>.
/// </para>
/// <para>
/// On a failure <c>NAME.received.png</c> and <c>NAME.received.diff.png</c> (the stored image faded, unmatched pixels in
/// magenta, the window with the largest ink difference framed) are written beside the stored image, and the message gives the count and the bounding box of the
/// unmatched pixels and where the largest ink difference is. <c>VNGOVSIGN_ACCEPT_GOLDEN=1</c> stores the received image as the new reference (look at it first).
/// </para>
/// </remarks>
internal static class GoldenImage
{
    /// <summary>Largest difference of one colour channel (0–255) still taken as the same colour (half the range: a crisp one-pixel stem that lands half a pixel off becomes two mid-grey pixels).</summary>
    public const int LevelTolerance = 128;

    /// <summary>Unmatched pixels allowed in total (isolated edge pixels that land differently).</summary>
    public const int MaxUnmatched = 8;

    /// <summary>Side of the square window over which ink is summed (pixels).</summary>
    public const int InkWindow = 6;

    /// <summary>Largest ink difference allowed in one window, in fully inked pixels.</summary>
    public const double InkTolerance = 7.5;

    /// <summary>The result of comparing two images of the same size.</summary>
    public sealed record Difference(int Unmatched, int MinX, int MinY, int MaxX, int MaxY, bool[] Mask, double MaxInkDelta, int InkX, int InkY)
    {
        public bool WithinTolerance => Unmatched <= MaxUnmatched && MaxInkDelta <= InkTolerance;

        public override string ToString() =>
            (Unmatched == 0 ? "no unmatched pixels" : $"{Unmatched} unmatched pixels (allowed {MaxUnmatched}) within x {MinX}..{MaxX}, y {MinY}..{MaxY}")
            + $"; largest ink difference in a {InkWindow}×{InkWindow} window {MaxInkDelta:0.00} pixels (allowed {InkTolerance}) at x {InkX}, y {InkY}";
    }

    /// <summary>Decoded RGB pixels (8 bits per channel) of a PNG.</summary>
    public sealed record Rgb(int Width, int Height, byte[] Pixels)
    {
        public static Rgb FromPng(byte[] png, string name)
        {
            var image = PngImage.FromBytes(png, name);
            var rgb = new byte[image.Width * image.Height * 3];
            for (int i = 0; i < image.Width * image.Height; i++)
                for (int c = 0; c < 3; c++)
                    rgb[i * 3 + c] = image.Components == 3 ? image.Color[i * 3 + c] : image.Color[i];
            return new Rgb(image.Width, image.Height, rgb);
        }
    }

    /// <summary>Compares two images of equal size (see the class remarks for the rule).</summary>
    public static Difference Compare(Rgb expected, Rgb actual)
    {
        if (expected.Width != actual.Width || expected.Height != actual.Height)
            throw new ArgumentException("sizes differ");
        int w = expected.Width, h = expected.Height;
        var mask = new bool[w * h];
        int count = 0, minX = int.MaxValue, minY = int.MaxValue, maxX = -1, maxY = -1;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                if (Matched(expected, x, y, actual) && Matched(actual, x, y, expected)) continue;
                mask[y * w + x] = true;
                count++;
                minX = Math.Min(minX, x); minY = Math.Min(minY, y); maxX = Math.Max(maxX, x); maxY = Math.Max(maxY, y);
            }
        var (ink, inkX, inkY) = MaxInkDifference(expected, actual);
        return new Difference(count, minX, minY, maxX, maxY, mask, ink, inkX, inkY);
    }

    /// <summary>
    /// The largest difference of ink (255 − level, per channel, in units of one fully inked pixel) between a
    /// <see cref="InkWindow"/> × <see cref="InkWindow"/> window of one image and the best-matching window of the other
    /// moved by at most one pixel, over all windows, both ways. Anti-aliasing spreads a glyph's coverage differently
    /// over neighbouring pixels but keeps its total, and the one-pixel slack absorbs edges that land in the next pixel;
    /// a missing tone mark or a changed colour removes or adds ink that no nearby window has.
    /// </summary>
    private static (double Delta, int X, int Y) MaxInkDifference(Rgb e, Rgb a)
    {
        int s = Math.Min(InkWindow, Math.Min(e.Width, e.Height));
        var we = WindowSums(e, s);
        var wa = WindowSums(a, s);
        var one = Worst(we, wa, e.Width - s + 1, e.Height - s + 1);
        var two = Worst(wa, we, e.Width - s + 1, e.Height - s + 1);
        return one.Delta >= two.Delta ? one : two;
    }

    /// <summary>Ink (255 − level) summed over every s × s window, per channel: [channel][y * (w − s + 1) + x].</summary>
    private static long[][] WindowSums(Rgb image, int s)
    {
        int w = image.Width, h = image.Height, ww = w - s + 1, wh = h - s + 1;
        var result = new long[3][];
        var sum = new long[(w + 1) * (h + 1)];
        for (int c = 0; c < 3; c++)
        {
            for (int y = 0; y < h; y++)
            {
                long row = 0;
                for (int x = 0; x < w; x++)
                {
                    row += 255 - image.Pixels[(y * w + x) * 3 + c];
                    sum[(y + 1) * (w + 1) + x + 1] = sum[y * (w + 1) + x + 1] + row;
                }
            }
            var windows = new long[ww * wh];
            for (int y = 0; y < wh; y++)
                for (int x = 0; x < ww; x++)
                    windows[y * ww + x] = sum[(y + s) * (w + 1) + x + s] - sum[y * (w + 1) + x + s] - sum[(y + s) * (w + 1) + x] + sum[y * (w + 1) + x];
            result[c] = windows;
        }
        return result;
    }

    /// <summary>Over all windows of <paramref name="from"/>: the smallest difference to a window of <paramref name="to"/> at most one pixel away; the largest such.</summary>
    private static (double Delta, int X, int Y) Worst(long[][] from, long[][] to, int ww, int wh)
    {
        long worst = 0;
        int wx = 0, wy = 0;
        for (int y = 0; y < wh; y++)
            for (int x = 0; x < ww; x++)
            {
                int i = y * ww + x;
                long best = long.MaxValue;
                // Stop as soon as some nearby window is no worse than the worst found so far: this one cannot raise it.
                for (int dy = -1; dy <= 1 && best > worst; dy++)
                {
                    int yy = y + dy;
                    if (yy < 0 || yy >= wh) continue;
                    for (int dx = -1; dx <= 1 && best > worst; dx++)
                    {
                        int xx = x + dx;
                        if (xx < 0 || xx >= ww) continue;
                        int j = yy * ww + xx;
                        long d = Math.Max(Math.Abs(from[0][i] - to[0][j]), Math.Max(Math.Abs(from[1][i] - to[1][j]), Math.Abs(from[2][i] - to[2][j])));
                        best = Math.Min(best, d);
                    }
                }
                if (best > worst && best != long.MaxValue) { worst = best; wx = x; wy = y; }
            }
        return (worst / 255.0, wx, wy);
    }

    /// <summary>True when pixel (x, y) of <paramref name="a"/> has a near-equal pixel in <paramref name="b"/> at most one pixel away.</summary>
    private static bool Matched(Rgb a, int x, int y, Rgb b)
    {
        int i = (y * a.Width + x) * 3;
        for (int dy = -1; dy <= 1; dy++)
        {
            int yy = y + dy;
            if (yy < 0 || yy >= b.Height) continue;
            for (int dx = -1; dx <= 1; dx++)
            {
                int xx = x + dx;
                if (xx < 0 || xx >= b.Width) continue;
                int j = (yy * b.Width + xx) * 3;
                if (Math.Abs(a.Pixels[i] - b.Pixels[j]) <= LevelTolerance
                    && Math.Abs(a.Pixels[i + 1] - b.Pixels[j + 1]) <= LevelTolerance
                    && Math.Abs(a.Pixels[i + 2] - b.Pixels[j + 2]) <= LevelTolerance)
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Checks <paramref name="png"/> against <c>Golden/NAME.verified.png</c> beside the calling test (see the class remarks).
    /// </summary>
    public static void Verify(byte[] png, string name, [CallerFilePath] string source = "")
    {
        var golden = Path.Combine(Path.GetDirectoryName(source)!, "Golden");
        var verified = Path.Combine(golden, name + ".verified.png");
        var received = Path.Combine(golden, name + ".received.png");
        var diff = Path.Combine(golden, name + ".received.diff.png");
        void Clean()
        {
            if (File.Exists(received)) File.Delete(received);
            if (File.Exists(diff)) File.Delete(diff);
        }
        if (File.Exists(verified) && File.ReadAllBytes(verified).AsSpan().SequenceEqual(png))
        {
            Clean();
            return;
        }
        if (Environment.GetEnvironmentVariable(GoldenFile.AcceptVariable) == "1")
        {
            Directory.CreateDirectory(golden);
            File.WriteAllBytes(verified, png);
            Clean();
            return;
        }
        if (!File.Exists(verified))
        {
            Directory.CreateDirectory(golden);
            File.WriteAllBytes(received, png);
            Assert.Fail($"No stored image {verified}. Rendered image written to {received}; look at it and set {GoldenFile.AcceptVariable}=1 to accept.");
        }
        var expected = Rgb.FromPng(File.ReadAllBytes(verified), verified);
        var actual = Rgb.FromPng(png, received);
        string problem;
        if (expected.Width != actual.Width || expected.Height != actual.Height)
            problem = $"size {actual.Width}×{actual.Height}, stored {expected.Width}×{expected.Height}";
        else
        {
            var d = Compare(expected, actual);
            if (d.WithinTolerance)
            {
                Clean();
                return;
            }
            File.WriteAllBytes(diff, DiffImage(expected, d));
            problem = d + $"; diff image: {diff}";
        }
        File.WriteAllBytes(received, png);
        Assert.Fail($"{name}: rendering differs from {verified}: {problem}. Received: {received} (set {GoldenFile.AcceptVariable}=1 to accept after looking at it).");
    }

    /// <summary>The stored image faded to a quarter of its contrast, unmatched pixels in magenta, the worst ink window framed in light blue.</summary>
    public static byte[] DiffImage(Rgb expected, Difference d) =>
        PngWriter.Write(expected.Width, expected.Height, 2, 8, (x, y) =>
        {
            int i = y * expected.Width + x;
            if (d.Mask[i]) return new[] { 255, 0, 255 };
            // A frame (3 pixels out) around the window with the largest ink difference.
            if (d.MaxInkDelta > 0 && x >= d.InkX - 3 && x <= d.InkX + InkWindow + 2 && y >= d.InkY - 3 && y <= d.InkY + InkWindow + 2
                && (x == d.InkX - 3 || x == d.InkX + InkWindow + 2 || y == d.InkY - 3 || y == d.InkY + InkWindow + 2))
                return new[] { 0, 160, 255 };
            return new[] { Fade(expected.Pixels[i * 3]), Fade(expected.Pixels[i * 3 + 1]), Fade(expected.Pixels[i * 3 + 2]) };
        });

    private static int Fade(byte v) => 255 - (255 - v) / 4;
}
