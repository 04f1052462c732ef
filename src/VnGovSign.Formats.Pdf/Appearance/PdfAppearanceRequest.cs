using System.Security.Cryptography.X509Certificates;

namespace VnGovSign.Formats.Pdf.Appearance;

/// <summary>Everything needed to lay out and draw one signature's appearance on one page.</summary>
/// <param name="Appearance">The kind of appearance and its options.</param>
/// <param name="Page">The target page's boxes and rotation (see <see cref="PdfSignatureAppearance.ResolvePage"/> for which page).</param>
/// <param name="SigningTime">The signing time shown in the text (always shown in Vietnam time, +07:00).</param>
public sealed record PdfAppearanceRequest(PdfSignatureAppearance Appearance, PdfPageGeometry Page, DateTimeOffset SigningTime)
{
    /// <summary>
    /// The /Rect (PDF user space of the target page) of the leader's existing signature widget, when the
    /// organisation signs over it; null when the document has no visible leader signature on that page.
    /// </summary>
    public PdfRect? LeaderWidgetRect { get; init; }

    /// <summary>The signer's certificate: its CN fills <c>Ký bởi</c>, its O fills <c>Cơ quan</c> (and a copy's organisation).</summary>
    public X509Certificate2? SignerCertificate { get; init; }

    /// <summary>Overrides the certificate's CN in <c>Ký bởi: …</c>.</summary>
    public string? SignerName { get; init; }

    /// <summary>Overrides the certificate's O in <c>Cơ quan: …</c> and as a copy's organisation.</summary>
    public string? OrganizationName { get; init; }

    /// <summary>The signing reason (<c>--reason</c>); drawn as <c>Lý do: …</c> when the signer text block is shown.</summary>
    public string? Reason { get; init; }

    /// <summary>The signing location (<c>--location</c>); drawn as <c>Nơi ký: …</c> when the signer text block is shown.</summary>
    public string? Location { get; init; }

    /// <summary>
    /// The number (from 1) of the target page, used only to name the page in error messages (e.g. a rectangle outside
    /// the page); null when unknown. A leader or organisation appearance's own <c>Page</c> takes precedence.
    /// </summary>
    public int? PageNumber { get; init; }

    /// <summary>The font for text; null = <see cref="PdfAppearanceFont.Default"/> (Liberation Serif, Times-compatible).</summary>
    public PdfAppearanceFont? Font { get; init; }
}

/// <summary>Where the widget goes and what it looks like, computed by <see cref="PdfAppearanceRenderer.Layout"/>.</summary>
/// <param name="WidgetRect">The widget annotation's /Rect in PDF user space of the page (all zeros for an invisible signature).</param>
/// <param name="Rotation">The page's /Rotate normalised to 0, 90, 180 or 270; the form's /Matrix counter-rotates by it so the appearance stands upright.</param>
/// <param name="Width">Width of the appearance as seen on screen (the form's /BBox width), in points.</param>
/// <param name="Height">Height of the appearance as seen on screen (the form's /BBox height), in points.</param>
/// <param name="TextLines">The text lines drawn (NFC), top to bottom; empty when there is no text.</param>
public sealed record PdfAppearancePlacement(PdfRect WidgetRect, int Rotation, double Width, double Height, IReadOnlyList<string> TextLines)
{
    /// <summary>Where the image is drawn inside the form (form coordinates), or null when there is no image.</summary>
    public PdfRect? ImageRect { get; init; }

    /// <summary>The text block's lower-left corner inside the form, and each line's baseline offset from the block's top.</summary>
    internal PdfRect? TextRect { get; init; }

    internal double FontSize { get; init; } = PdfAppearanceRenderer.FontSize;
}

/// <summary>The result of <see cref="PdfAppearanceRenderer.Render"/>.</summary>
/// <param name="FormObjectNumber">The object number of the form XObject to put in the widget's <c>/AP &lt;&lt; /N n 0 R &gt;&gt;</c>.</param>
/// <param name="Placement">The layout used (its <see cref="PdfAppearancePlacement.WidgetRect"/> is the widget's /Rect).</param>
public sealed record PdfAppearanceResult(int FormObjectNumber, PdfAppearancePlacement Placement)
{
    /// <summary>The widget's /Rect in PDF user space (same as <see cref="PdfAppearancePlacement.WidgetRect"/>).</summary>
    public PdfRect WidgetRect => Placement.WidgetRect;
}
