namespace VnGovSign.Formats.Pdf.Appearance;

/// <summary>
/// The visible form of a signature under Decree 30/2020/NĐ-CP, Appendix I — the CLI's
/// <c>--appearance leader|organization|attachment|copy|none</c>. Pick one of the derived records.
/// </summary>
/// <remarks>
/// Pages are numbered from 1. Rectangles (<c>--rect</c>) are in points on the page <em>as displayed</em>:
/// origin at the bottom-left corner of the visible box (CropBox, else MediaBox) after /Rotate. On an
/// unrotated page whose CropBox starts at 0,0 this is plain PDF user space.
/// </remarks>
public abstract record PdfSignatureAppearance
{
    private protected PdfSignatureAppearance() { }

    /// <summary>The CLI name of the kind: leader, organization, attachment, copy or none.</summary>
    public abstract string Kind { get; }

    /// <summary>
    /// Adds the common text block <c>Ký bởi: &lt;CN&gt;</c> / <c>Cơ quan: &lt;O&gt;</c> / <c>Thời gian ký: dd.MM.yyyy HH:mm:ss +07:00</c>
    /// (Times-compatible 10 pt). Leader and organisation: beside the image; attachment and copy: after their own lines.
    /// Off by default for leader and organisation (the decree requires no text there).
    /// </summary>
    public bool ShowSignerText { get; init; }

    /// <summary>An invisible signature (<c>--appearance none</c>): a zero-size widget.</summary>
    public static PdfSignatureAppearance None { get; } = new InvisibleAppearance();

    /// <summary>
    /// The page (from 1) the widget goes on. Leader: <c>Page</c>, else the last page. Organisation: <c>Page</c>,
    /// else the leader signature's page, else the last page. Attachment, copy and none: page 1.
    /// Throws <see cref="InvalidInputException"/> when the page does not exist.
    /// </summary>
    /// <param name="pageCount">Pages in the document.</param>
    /// <param name="leaderSignaturePage">Page of the existing visible leader signature, if any.</param>
    public int ResolvePage(int pageCount, int? leaderSignaturePage = null)
    {
        int page = this switch
        {
            LeaderAppearance l => l.Page ?? pageCount,
            OrganizationAppearance o => o.Page ?? leaderSignaturePage ?? pageCount,
            _ => 1,
        };
        if (page < 1 || page > pageCount)
            throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.PageOutOfRange", null, page, pageCount);
        return page;
    }

    /// <summary>
    /// Builds an appearance from the CLI options <c>--appearance KIND --image PNG --page N --rect X,Y,W,H --doc-number TEXT
    /// --anchor-text TEXT</c>. Null <paramref name="kind"/> means <c>leader</c> when an image is given, else <c>none</c>. A copy
    /// gets the copy form <c>SAO Y</c> and the signer certificate's organisation; <paramref name="documentNumber"/> is drawn as
    /// its number. With <paramref name="anchorText"/> (leader and organisation only) the box is placed under that text
    /// (<see cref="PdfTextAnchor"/>) and <paramref name="rect"/> gives only its size: <c>W,H</c>, or <c>X,Y,W,H</c> with X,Y
    /// ignored; no rect = 170 × 60 pt; <paramref name="page"/> then limits the search to that page.
    /// Throws <see cref="InvalidInputException"/> for an unknown kind, a missing image or number, a bad rectangle or PNG, or an
    /// anchor text with another kind.
    /// </summary>
    public static PdfSignatureAppearance FromOptions(string? kind, string? imagePath = null, int? page = null, string? rect = null,
        string? documentNumber = null, bool showSignerText = false, string? anchorText = null)
    {
        kind = kind?.Trim().ToLowerInvariant();
        kind ??= imagePath is null ? "none" : "leader";
        PdfTextAnchor? anchor = null;
        if (anchorText is not null)
        {
            if (kind is not ("leader" or "organization" or "organisation"))
                throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.AnchorNotSupported", null, kind);
            if (string.IsNullOrWhiteSpace(anchorText)) throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.EmptyAnchor", null);
            anchor = new PdfTextAnchor(anchorText);
        }
        PdfRect? box = rect is null ? null : anchor is null ? PdfRect.Parse(rect) : ParseSize(rect);
        switch (kind)
        {
            case "leader":
            case "organization":
            case "organisation":
                if (string.IsNullOrWhiteSpace(imagePath))
                    throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.ImageRequired", null, kind);
                var image = PngImage.Load(imagePath!);
                return kind == "leader"
                    ? new LeaderAppearance(image, page, box) { ShowSignerText = showSignerText, Anchor = anchor }
                    : new OrganizationAppearance(image, page, box) { ShowSignerText = showSignerText, Anchor = anchor };
            case "attachment":
                if (string.IsNullOrWhiteSpace(documentNumber))
                    throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.DocNumberRequired", null);
                return new AttachmentAppearance(documentNumber!) { ShowSignerText = showSignerText };
            case "copy":
                return new CopyAppearance("SAO Y") { DocumentNumber = documentNumber, ShowSignerText = showSignerText };
            case "none":
                return None;
            default:
                throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.UnknownKind", null, kind);
        }
    }

    /// <summary>The box size for an anchored appearance: <c>W,H</c>, or <c>X,Y,W,H</c> with X,Y ignored.</summary>
    private static PdfRect ParseSize(string text)
    {
        var parts = text.Split(',');
        if (parts.Length == 2 && PdfRect.TryParse("0,0," + text, out var r)) return r;
        if (parts.Length == 4 && PdfRect.TryParse(text, out var full)) return new PdfRect(0, 0, full.Width, full.Height);
        throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.BadAnchorSize", null, text);
    }
}

/// <summary>
/// The leader's signature (người có thẩm quyền): the blue handwritten-signature image, scaled to fit and
/// centred in <see cref="Rect"/> (default: a 170 × 60 pt box near the bottom-right of the page).
/// </summary>
/// <param name="Image">The signature image (PNG with transparent background).</param>
/// <param name="Page">Page number from 1; null = the last page.</param>
/// <param name="Rect">The box between the signer's title and name; null = the default box.</param>
public sealed record LeaderAppearance(PngImage Image, int? Page = null, PdfRect? Rect = null) : PdfSignatureAppearance
{
    /// <summary>
    /// Places the box by a text on the page instead (e.g. under the title <c>CHỦ TỊCH</c>): then <see cref="Rect"/> gives only
    /// the size (X,Y ignored; null = 170 × 60 pt) and <see cref="Page"/>, when set, is the only page searched. Resolved when signing.
    /// </summary>
    public PdfTextAnchor? Anchor { get; init; }

    /// <inheritdoc />
    public override string Kind => "leader";
}

/// <summary>
/// The organisation's signature (văn thư): the red seal image at its actual size (pixels and pHYs DPI,
/// else 72 dpi), over the left third of the leader's signature; with no leader signature, centred in
/// <see cref="Rect"/> (or in the default box).
/// </summary>
/// <param name="Seal">The seal image (PNG with transparent background).</param>
/// <param name="Page">Page number from 1; null = the leader signature's page, else the last page.</param>
/// <param name="Rect">Where to put the seal when no leader signature exists (or to override it); null = over the leader.</param>
public sealed record OrganizationAppearance(PngImage Seal, int? Page = null, PdfRect? Rect = null) : PdfSignatureAppearance
{
    /// <summary>
    /// Places the seal's box by a text on the page (overriding the place over the leader's signature): then <see cref="Rect"/>
    /// gives only the size (X,Y ignored; null = 170 × 60 pt) and <see cref="Page"/>, when set, is the only page searched.
    /// Resolved when signing.
    /// </summary>
    public PdfTextAnchor? Anchor { get; init; }

    /// <inheritdoc />
    public override string Kind => "organization";
}

/// <summary>
/// An attachment or appendix in a separate file: no image; at the top-right of page 1, Times-compatible
/// 10 pt upright black, the document number and symbol, then the signing time.
/// </summary>
/// <param name="DocumentNumber">Number and symbol of the document (<c>--doc-number</c>), e.g. <c>Số: 12/QĐ-UBND</c>; drawn as given (NFC).</param>
public sealed record AttachmentAppearance(string DocumentNumber) : PdfSignatureAppearance
{
    /// <inheritdoc />
    public override string Kind => "attachment";
}

/// <summary>
/// An electronic copy (sao y / sao lục / trích sao): no image; at the top-right of page 1, Times-compatible
/// 10 pt upright black: the copy form, the copying organisation, then the signing time.
/// </summary>
/// <param name="CopyForm">The copy form, e.g. <c>SAO Y</c>, <c>SAO LỤC</c>, <c>TRÍCH SAO</c>.</param>
/// <param name="CopyingOrganization">The organisation that makes the copy; null = the signer certificate's O.</param>
public sealed record CopyAppearance(string CopyForm, string? CopyingOrganization = null) : PdfSignatureAppearance
{
    /// <summary>Optional number and symbol of the copy, drawn before the time line.</summary>
    public string? DocumentNumber { get; init; }

    /// <inheritdoc />
    public override string Kind => "copy";
}

/// <summary>An invisible signature; use <see cref="PdfSignatureAppearance.None"/>.</summary>
public sealed record InvisibleAppearance : PdfSignatureAppearance
{
    internal InvisibleAppearance() { }

    /// <inheritdoc />
    public override string Kind => "none";
}
