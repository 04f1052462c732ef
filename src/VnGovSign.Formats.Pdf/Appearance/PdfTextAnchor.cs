using VnGovSign.Formats.Pdf.Parsing;

namespace VnGovSign.Formats.Pdf.Appearance;

/// <summary>Where the signature box goes relative to the text an anchor finds, on the page as displayed.</summary>
public enum PdfAnchorPosition
{
    /// <summary>Centred under the text (Decree 30: the leader's signature sits under the title, above the name).</summary>
    Below,
    /// <summary>Centred above the text.</summary>
    Above,
    /// <summary>Left of the text, centred vertically.</summary>
    Left,
    /// <summary>Right of the text, centred vertically.</summary>
    Right,
    /// <summary>Centred over the text.</summary>
    Over,
}

/// <summary>
/// Places a leader or organisation signature by a text found on the page (the CLI's <c>--anchor-text</c>), e.g. the
/// signer's title <c>CHỦ TỊCH</c> an e-office template prints where the signature goes. The box has the size of the
/// appearance's <c>Rect</c> (its X and Y are ignored; no Rect: 170 × 60 pt) and is centred under the first occurrence of
/// <see cref="Text"/> by default, <see cref="Gap"/> points below it, then moved by the offsets and kept on the page.
/// </summary>
/// <remarks>
/// The text is searched on the appearance's <c>Page</c>, or with no page on every page in order (first match wins); see
/// <see cref="PdfTextLocator"/> for the matching rules (NFC, white-space tolerant). It is resolved when signing
/// (<see cref="PadesSigner"/>); a text that is not found fails the signature with an <see cref="InvalidInputException"/>
/// naming the text and the file, and no output is written.
/// </remarks>
/// <param name="Text">The text to find, e.g. <c>CHỦ TỊCH</c> or <c>Nguyễn Văn An</c>.</param>
public sealed record PdfTextAnchor(string Text)
{
    /// <summary>Where the box goes relative to the text; default <see cref="PdfAnchorPosition.Below"/>.</summary>
    public PdfAnchorPosition Position { get; init; } = PdfAnchorPosition.Below;

    /// <summary>Space between the text's box and the signature box, in points (default 2); not used by <see cref="PdfAnchorPosition.Over"/>.</summary>
    public double Gap { get; init; } = 2;

    /// <summary>Moves the box right (negative: left), in points on the page as displayed.</summary>
    public double OffsetX { get; init; }

    /// <summary>Moves the box up (negative: down), in points on the page as displayed.</summary>
    public double OffsetY { get; init; }

    /// <summary>Compares letters without regard to case (default: case-sensitive).</summary>
    public bool IgnoreCase { get; init; }

    /// <summary>
    /// The box of <paramref name="width"/> × <paramref name="height"/> for text found at <paramref name="textBox"/>
    /// (page-as-displayed coordinates, as a leader's <c>Rect</c>), kept inside a <paramref name="pageWidth"/> ×
    /// <paramref name="pageHeight"/> page when it fits.
    /// </summary>
    public PdfRect Place(PdfRect textBox, double width, double height, double pageWidth, double pageHeight)
    {
        double cx = textBox.X + textBox.Width / 2, cy = textBox.Y + textBox.Height / 2;
        var (x, y) = Position switch
        {
            PdfAnchorPosition.Above => (cx - width / 2, textBox.Top + Gap),
            PdfAnchorPosition.Left => (textBox.X - Gap - width, cy - height / 2),
            PdfAnchorPosition.Right => (textBox.Right + Gap, cy - height / 2),
            PdfAnchorPosition.Over => (cx - width / 2, cy - height / 2),
            _ => (cx - width / 2, textBox.Y - Gap - height),
        };
        x += OffsetX;
        y += OffsetY;
        if (width <= pageWidth) x = Math.Min(Math.Max(x, 0), pageWidth - width);
        if (height <= pageHeight) y = Math.Min(Math.Max(y, 0), pageHeight - height);
        return new PdfRect(x, y, width, height);
    }
}

/// <summary>Turns an anchored leader or organisation appearance into one with a page and a rectangle, by searching the PDF.</summary>
internal static class PdfAnchorResolver
{
    /// <param name="f">The PDF being signed.</param>
    /// <param name="appearance">The appearance; returned as it is unless it has an anchor.</param>
    /// <param name="fieldName">The signature field signed: an existing empty field with a page puts the widget on that page, so
    /// the text is searched there (unless the appearance names a page).</param>
    public static PdfSignatureAppearance? Resolve(PdfFile f, PdfSignatureAppearance? appearance, string? fieldName = null)
    {
        var (anchor, page, rect) = appearance switch
        {
            LeaderAppearance l => (l.Anchor, l.Page, l.Rect),
            OrganizationAppearance o => (o.Anchor, o.Page, o.Rect),
            _ => (null, null, null),
        };
        if (anchor is null) return appearance;
        if (page is null && fieldName is { Length: > 0 }
            && f.Fields().FirstOrDefault(x => x.Name == fieldName && x.Type == "Sig" && x.Field["V"] is null).Field?["P"] is PdfReference fp)
        {
            int index = f.Pages().FindIndex(r => r.Number == fp.Number);
            if (index >= 0) page = index + 1;
        }
        if (string.IsNullOrWhiteSpace(anchor.Text)) throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.EmptyAnchor", null);
        var match = PdfTextLocator.Find(f, anchor.Text, page, anchor.IgnoreCase);
        if (match is null)
        {
            if (page is { } p) throw new InvalidInputException(PdfMessages.Resources, "PdfAnchorNotFoundOnPage", null, f.Name, anchor.Text, p);
            throw new InvalidInputException(PdfMessages.Resources, "PdfAnchorNotFound", null, f.Name, anchor.Text);
        }
        var pageDict = f.ResolveDictionary(f.Pages()[match.Page - 1])!;
        var geometry = Geometry(f, pageDict);
        int rotation = geometry.NormalizedRotation;
        var visible = geometry.VisibleBox;
        bool swap = rotation is 90 or 270;
        double pageW = swap ? visible.Height : visible.Width, pageH = swap ? visible.Width : visible.Height;
        var text = PdfAppearanceRenderer.ToDisplay(match.Bounds, visible, rotation);
        var size = rect ?? PdfAppearanceRenderer.DefaultBoxSize;
        var box = anchor.Place(text, size.Width, size.Height, pageW, pageH);
        return appearance switch
        {
            LeaderAppearance l => l with { Page = match.Page, Rect = box, Anchor = null },
            OrganizationAppearance o => o with { Page = match.Page, Rect = box, Anchor = null },
            _ => appearance,
        };
    }

    /// <summary>The page's boxes and rotation, inherited values resolved (as the signature revision reads them).</summary>
    internal static PdfPageGeometry Geometry(PdfFile f, PdfDictionary page)
    {
        PdfRect? Box(string key)
        {
            if (f.Inherited(page, key) is not PdfArray a || a.Count != 4) return null;
            var v = a.Items.Select(x => (f.Resolve(x) as Parsing.PdfNumber)?.Value).ToArray();
            if (v.Any(x => x is null)) return null;
            return PdfRect.FromCorners(v[0]!.Value, v[1]!.Value, v[2]!.Value, v[3]!.Value);
        }
        var media = Box("MediaBox") ?? new PdfRect(0, 0, 595, 842);
        int rotate = (f.Inherited(page, "Rotate") as Parsing.PdfNumber)?.IntValue ?? 0;
        return new PdfPageGeometry(media, Box("CropBox"), rotate);
    }
}
