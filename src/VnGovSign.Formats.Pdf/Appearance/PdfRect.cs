using System.Globalization;

namespace VnGovSign.Formats.Pdf.Appearance;

/// <summary>
/// A rectangle in PDF points (1/72 inch): lower-left corner (<see cref="X"/>, <see cref="Y"/>), width and height.
/// This is the shape of the CLI's <c>--rect X,Y,W,H</c>.
/// </summary>
/// <param name="X">Left edge.</param>
/// <param name="Y">Bottom edge.</param>
/// <param name="Width">Width (≥ 0).</param>
/// <param name="Height">Height (≥ 0).</param>
public readonly record struct PdfRect(double X, double Y, double Width, double Height)
{
    /// <summary>Right edge (<see cref="X"/> + <see cref="Width"/>).</summary>
    public double Right => X + Width;

    /// <summary>Top edge (<see cref="Y"/> + <see cref="Height"/>).</summary>
    public double Top => Y + Height;

    /// <summary>
    /// Builds a rectangle from two opposite corners in any order, as a PDF array <c>[x1 y1 x2 y2]</c>
    /// (MediaBox, CropBox, an annotation's /Rect) gives them.
    /// </summary>
    public static PdfRect FromCorners(double x1, double y1, double x2, double y2) =>
        new(Math.Min(x1, x2), Math.Min(y1, y2), Math.Abs(x2 - x1), Math.Abs(y2 - y1));

    /// <summary>
    /// Parses <c>X,Y,W,H</c> (invariant culture, points). Throws <see cref="InvalidInputException"/> on anything
    /// else, or on a negative or zero width or height.
    /// </summary>
    public static PdfRect Parse(string text)
    {
        if (TryParse(text, out var rect)) return rect;
        throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.BadRect", null, text);
    }

    /// <summary>Parses <c>X,Y,W,H</c>; false when the text is not four numbers with a positive width and height.</summary>
    public static bool TryParse(string? text, out PdfRect rect)
    {
        rect = default;
        if (text is null) return false;
        var parts = text.Split(',');
        if (parts.Length != 4) return false;
        var v = new double[4];
        for (int i = 0; i < 4; i++)
        {
            if (!double.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out v[i])) return false;
            if (double.IsNaN(v[i]) || double.IsInfinity(v[i])) return false;
        }
        if (v[2] <= 0 || v[3] <= 0) return false;
        rect = new PdfRect(v[0], v[1], v[2], v[3]);
        return true;
    }

    /// <summary>The PDF array form <c>[llx lly urx ury]</c> with up to 4 decimals.</summary>
    public override string ToString() =>
        "[" + PdfNumber.Format(X) + " " + PdfNumber.Format(Y) + " " + PdfNumber.Format(Right) + " " + PdfNumber.Format(Top) + "]";
}

/// <summary>What layout needs to know about a page: its boxes and its /Rotate.</summary>
/// <param name="MediaBox">The page's /MediaBox (inherited value resolved).</param>
/// <param name="CropBox">The page's /CropBox, or null when absent (then the MediaBox is what is shown).</param>
/// <param name="Rotate">The page's /Rotate in degrees (any multiple of 90, negative allowed; inherited value resolved).</param>
public sealed record PdfPageGeometry(PdfRect MediaBox, PdfRect? CropBox = null, int Rotate = 0)
{
    /// <summary>The visible area: the CropBox clipped to the MediaBox, or the MediaBox.</summary>
    public PdfRect VisibleBox
    {
        get
        {
            if (CropBox is not { } c) return MediaBox;
            var m = MediaBox;
            double x1 = Math.Max(c.X, m.X), y1 = Math.Max(c.Y, m.Y), x2 = Math.Min(c.Right, m.Right), y2 = Math.Min(c.Top, m.Top);
            return x2 > x1 && y2 > y1 ? new PdfRect(x1, y1, x2 - x1, y2 - y1) : MediaBox;
        }
    }

    /// <summary>/Rotate normalised to 0, 90, 180 or 270. Throws <see cref="InvalidInputException"/> when not a multiple of 90.</summary>
    public int NormalizedRotation
    {
        get
        {
            if (Rotate % 90 != 0) throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.BadRotate", null, Rotate);
            return ((Rotate % 360) + 360) % 360;
        }
    }

    /// <summary>An A4 portrait page (595 × 842 pt) without rotation.</summary>
    public static PdfPageGeometry A4 { get; } = new(new PdfRect(0, 0, 595, 842));
}

/// <summary>Number formatting for PDF content: invariant, no exponent, few decimals.</summary>
internal static class PdfNumber
{
    public static string Format(double value)
    {
        if (Math.Abs(value) < 0.00005) return "0";
        var s = value.ToString("0.####", CultureInfo.InvariantCulture);
        return s == "-0" ? "0" : s;
    }
}
