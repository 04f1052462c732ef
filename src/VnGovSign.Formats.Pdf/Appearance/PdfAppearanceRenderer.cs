using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace VnGovSign.Formats.Pdf.Appearance;

/// <summary>
/// Lays out and draws the visible signatures of Decree 30/2020/NĐ-CP, Appendix I, as a form XObject written
/// through an <see cref="IPdfObjectSink"/> (the incremental writer): images with their alpha as /SMask, text in
/// an embedded subset of a Times-compatible font with a /ToUnicode map.
/// </summary>
public static class PdfAppearanceRenderer
{
    /// <summary>Text size in points (Decree 30: Times New Roman 10 pt, upright, black).</summary>
    public const double FontSize = 10;

    /// <summary>Size of the default box for leader and organisation when no rectangle is given: 170 × 60 pt.</summary>
    public static readonly PdfRect DefaultBoxSize = new(0, 0, 170, 60);

    /// <summary>Distance of the default box from the right edge (20 mm) and from the bottom edge (40 mm) of the page as displayed.</summary>
    public const double DefaultBoxRightMargin = 56.7, DefaultBoxBottomMargin = 113.4;

    /// <summary>Distance of the attachment and copy stamps from the top and right edges of page 1 as displayed (about 7 mm).</summary>
    public const double StampMargin = 20;

    private const double Leading = 1.2 * FontSize;
    private const double Padding = 2;
    private const int MaxTextLength = 500;
    private static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    /// <summary>
    /// Computes where the widget goes (a pure function of the request): the widget's /Rect in user space and
    /// what is drawn inside. See docs/pdf-appearance.md for the rules of each kind.
    /// Throws <see cref="InvalidInputException"/> when a given rectangle does not lie on the page as displayed, when the
    /// font lacks a character, when a text line is too long, or when a <see cref="PdfTextAnchor"/> is still unresolved
    /// (signing resolves it against the PDF first).
    /// </summary>
    public static PdfAppearancePlacement Layout(PdfAppearanceRequest request)
    {
        if (request is null) throw new ArgumentNullException(nameof(request));
        var page = request.Page ?? throw new ArgumentNullException(nameof(request), "request.Page");
        int rotation = page.NormalizedRotation;
        if (request.Appearance is InvisibleAppearance)
            return new PdfAppearancePlacement(default, rotation, 0, 0, Array.Empty<string>());
        if (request.Appearance is LeaderAppearance { Anchor: { } la }) throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.AnchorUnresolved", null, la.Text);
        if (request.Appearance is OrganizationAppearance { Anchor: { } oa }) throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.AnchorUnresolved", null, oa.Text);

        var font = request.Font ?? PdfAppearanceFont.Default;
        var visible = page.VisibleBox;
        bool swap = rotation is 90 or 270;
        double pageW = swap ? visible.Height : visible.Width, pageH = swap ? visible.Width : visible.Height;
        var lines = TextLines(request);
        double textW = 0;
        foreach (var line in lines) textW = Math.Max(textW, font.MeasureWidth(line, FontSize));
        double textBlockW = lines.Count == 0 ? 0 : textW + 2 * Padding;
        double textBlockH = lines.Count == 0 ? 0 : lines.Count * Leading + 2 * Padding;

        PdfRect widget; // in display coordinates
        PdfRect? imageInForm = null;
        PdfRect? textInForm = null;
        switch (request.Appearance)
        {
            case LeaderAppearance leader:
            {
                if (leader.Rect is { } given) CheckInside(given, pageW, pageH, leader.Page ?? request.PageNumber);
                var box = leader.Rect ?? DefaultBox(pageW);
                var img = leader.Image;
                double scale = Math.Min(box.Width / img.WidthPoints, box.Height / img.HeightPoints);
                double w = img.WidthPoints * scale, h = img.HeightPoints * scale;
                var imageRect = new PdfRect(box.X + (box.Width - w) / 2, box.Y + (box.Height - h) / 2, w, h);
                (widget, imageInForm, textInForm) = WithTextBelow(imageRect, textBlockW, textBlockH);
                break;
            }
            case OrganizationAppearance org:
            {
                if (org.Rect is { } given) CheckInside(given, pageW, pageH, org.Page ?? request.PageNumber);
                var img = org.Seal;
                double w = img.WidthPoints, h = img.HeightPoints;
                PdfRect imageRect;
                if (org.Rect is null && request.LeaderWidgetRect is { } leaderUser && leaderUser.Width > 0 && leaderUser.Height > 0)
                {
                    // The seal covers about the left third of the leader's signature: its right edge at one third of the signature's width.
                    var l = ToDisplay(leaderUser, visible, rotation);
                    imageRect = new PdfRect(l.X + l.Width / 3 - w, l.Y + l.Height / 2 - h / 2, w, h);
                }
                else
                {
                    var box = org.Rect ?? DefaultBox(pageW);
                    imageRect = new PdfRect(box.X + (box.Width - w) / 2, box.Y + (box.Height - h) / 2, w, h);
                }
                (widget, imageInForm, textInForm) = WithTextBelow(imageRect, textBlockW, textBlockH);
                widget = KeepInside(widget, pageW, pageH);
                break;
            }
            default: // attachment, copy: top-right corner of the page as displayed
                widget = new PdfRect(pageW - StampMargin - textBlockW, pageH - StampMargin - textBlockH, textBlockW, textBlockH);
                textInForm = new PdfRect(0, 0, textBlockW, textBlockH);
                break;
        }

        var user = ToUser(widget, visible, rotation);
        return new PdfAppearancePlacement(user, rotation, widget.Width, widget.Height, lines)
        {
            ImageRect = imageInForm,
            TextRect = textInForm,
        };
    }

    /// <summary>
    /// Lays out the appearance and writes it through <paramref name="sink"/>: image XObjects (with /SMask), the
    /// embedded font subset (Type0, CIDFontType2, FontDescriptor, FontFile2, ToUnicode) and the form XObject
    /// (/Type /XObject /Subtype /Form /BBox /Matrix /Resources). An invisible signature gets an empty form with a
    /// zero /BBox. Returns the form's object number and the layout (the widget's /Rect).
    /// </summary>
    public static PdfAppearanceResult Render(PdfAppearanceRequest request, IPdfObjectSink sink)
    {
        if (sink is null) throw new ArgumentNullException(nameof(sink));
        var placement = Layout(request);
        var content = new StringBuilder();
        var resources = new StringBuilder();

        PngImage? image = request.Appearance switch
        {
            LeaderAppearance l => l.Image,
            OrganizationAppearance o => o.Seal,
            _ => null,
        };
        if (image is not null && placement.ImageRect is { } ir)
        {
            int imageObject = WriteImage(image, sink);
            resources.Append("/XObject << /Im0 ").Append(imageObject).Append(" 0 R >> ");
            content.Append("q ").Append(N(ir.Width)).Append(" 0 0 ").Append(N(ir.Height)).Append(' ')
                .Append(N(ir.X)).Append(' ').Append(N(ir.Y)).Append(" cm /Im0 Do Q\n");
        }

        if (placement.TextLines.Count > 0 && placement.TextRect is { } tr)
        {
            var font = (request.Font ?? PdfAppearanceFont.Default).Font;
            var shaped = placement.TextLines.Select(font.Shape).ToList();
            int fontObject = WriteFont(font, shaped.SelectMany(s => s), sink);
            resources.Append("/Font << /F0 ").Append(fontObject).Append(" 0 R >> ");
            double ascent = font.Ascent * FontSize / font.UnitsPerEm;
            content.Append("BT 0 g /F0 ").Append(N(FontSize)).Append(" Tf\n");
            for (int i = 0; i < shaped.Count; i++)
            {
                double baseline = tr.Top - Padding - i * Leading - Math.Min(ascent, Leading * 0.8);
                content.Append("1 0 0 1 ").Append(N(tr.X + Padding)).Append(' ').Append(N(baseline)).Append(" Tm <");
                foreach (var g in shaped[i]) content.Append(g.Glyph.ToString("X4", CultureInfo.InvariantCulture));
                content.Append("> Tj\n");
            }
            content.Append("ET\n");
        }

        string matrix = placement.Rotation switch
        {
            90 => "[0 1 -1 0 0 0]",
            180 => "[-1 0 0 -1 0 0]",
            270 => "[0 -1 1 0 0 0]",
            _ => "[1 0 0 1 0 0]",
        };
        var dict = "<< /Type /XObject /Subtype /Form /BBox [0 0 " + N(placement.Width) + " " + N(placement.Height) + "] /Matrix " + matrix
            + " /Resources << " + resources + "/ProcSet [/PDF /Text /ImageC /ImageB] >>";
        int form = sink.Add(Stream(dict, Encoding.ASCII.GetBytes(content.ToString())));
        return new PdfAppearanceResult(form, placement);
    }

    // ---- text -------------------------------------------------------------------------------------------

    private static List<string> TextLines(PdfAppearanceRequest r)
    {
        var a = r.Appearance;
        string? cn = r.SignerName ?? CommonName(r.SignerCertificate);
        string? org = r.OrganizationName ?? Organization(r.SignerCertificate);
        string time = "Thời gian ký: " + FormatTime(r.SigningTime);
        var lines = new List<string>();
        void AddSigner()
        {
            if (!string.IsNullOrWhiteSpace(cn)) lines.Add("Ký bởi: " + cn);
            if (!string.IsNullOrWhiteSpace(org)) lines.Add("Cơ quan: " + org);
            if (!string.IsNullOrWhiteSpace(r.Reason)) lines.Add("Lý do: " + r.Reason);
            if (!string.IsNullOrWhiteSpace(r.Location)) lines.Add("Nơi ký: " + r.Location);
        }
        switch (a)
        {
            case AttachmentAppearance att:
                lines.Add(att.DocumentNumber);
                if (a.ShowSignerText) AddSigner();
                lines.Add(time);
                break;
            case CopyAppearance copy:
                lines.Add(copy.CopyForm);
                var copier = copy.CopyingOrganization ?? org;
                if (!string.IsNullOrWhiteSpace(copier)) lines.Add(copier!);
                if (!string.IsNullOrWhiteSpace(copy.DocumentNumber)) lines.Add(copy.DocumentNumber!);
                if (a.ShowSignerText) AddSigner();
                lines.Add(time);
                break;
            default:
                if (a.ShowSignerText) { AddSigner(); lines.Add(time); }
                break;
        }
        for (int i = 0; i < lines.Count; i++)
        {
            // One line per entry: line breaks inside a value become spaces; NFC so composed and decomposed input look alike.
            var s = lines[i].Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ').Trim().Normalize(NormalizationForm.FormC);
            if (s.Length > MaxTextLength) throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.TextTooLong", null, MaxTextLength);
            lines[i] = s;
        }
        return lines;
    }

    /// <summary>dd.MM.yyyy HH:mm:ss +07:00 in Vietnam time, whatever offset the input has.</summary>
    internal static string FormatTime(DateTimeOffset time) =>
        time.ToOffset(VietnamOffset).ToString("dd.MM.yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +07:00";

    private static string? CommonName(X509Certificate2? c)
    {
        if (c is null) return null;
        var n = c.GetNameInfo(X509NameType.SimpleName, false);
        return string.IsNullOrEmpty(n) ? null : n;
    }

    private static string? Organization(X509Certificate2? c)
    {
        if (c is null) return null;
        try
        {
            var name = Org.BouncyCastle.Asn1.X509.X509Name.GetInstance(Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(c.SubjectName.RawData));
            var values = name.GetValueList(Org.BouncyCastle.Asn1.X509.X509Name.O);
            return values.Count > 0 ? values[values.Count - 1] : null;
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidCastException)
        {
            return null;
        }
    }

    // ---- layout helpers -------------------------------------------------------------------------------

    private static PdfRect DefaultBox(double pageW) =>
        new(Math.Max(0, pageW - DefaultBoxRightMargin - DefaultBoxSize.Width), DefaultBoxBottomMargin, DefaultBoxSize.Width, DefaultBoxSize.Height);

    /// <summary>The widget is the image plus, when there is text, the text block centred below it.</summary>
    private static (PdfRect Widget, PdfRect? Image, PdfRect? Text) WithTextBelow(PdfRect image, double textW, double textH)
    {
        if (textH <= 0) return (image, new PdfRect(0, 0, image.Width, image.Height), null);
        double w = Math.Max(image.Width, textW);
        double x = image.X + image.Width / 2 - w / 2;
        var widget = new PdfRect(x, image.Y - textH, w, image.Height + textH);
        return (widget, new PdfRect((w - image.Width) / 2, textH, image.Width, image.Height), new PdfRect((w - textW) / 2, 0, textW, textH));
    }

    /// <summary>A rectangle given by the caller must lie on the page as displayed (a hundredth of a point of slack).</summary>
    private static void CheckInside(PdfRect r, double pageW, double pageH, int? pageNumber)
    {
        const double slack = 0.01;
        if (r.X >= -slack && r.Y >= -slack && r.Right <= pageW + slack && r.Top <= pageH + slack) return;
        string rect = N(r.X) + "," + N(r.Y) + "," + N(r.Width) + "," + N(r.Height);
        if (pageNumber is { } n)
            throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.RectOutsidePage", null, rect, n, N(pageW), N(pageH));
        throw new InvalidInputException(AppearanceMessages.Resources, "Appearance.RectOutsideThePage", null, rect, N(pageW), N(pageH));
    }

    private static PdfRect KeepInside(PdfRect r, double pageW, double pageH)
    {
        double x = r.Width >= pageW ? 0 : Math.Min(Math.Max(r.X, 0), pageW - r.Width);
        double y = r.Height >= pageH ? 0 : Math.Min(Math.Max(r.Y, 0), pageH - r.Height);
        return new PdfRect(x, y, r.Width, r.Height);
    }

    /// <summary>Display coordinates (origin at the bottom-left of the visible box as shown after /Rotate) to user space.</summary>
    internal static PdfRect ToUser(PdfRect d, PdfRect visible, int rotation)
    {
        (double X, double Y) P(double u, double v) => rotation switch
        {
            90 => (visible.Right - v, visible.Y + u),
            180 => (visible.Right - u, visible.Top - v),
            270 => (visible.X + v, visible.Top - u),
            _ => (visible.X + u, visible.Y + v),
        };
        var a = P(d.X, d.Y);
        var b = P(d.Right, d.Top);
        return PdfRect.FromCorners(a.X, a.Y, b.X, b.Y);
    }

    /// <summary>User space to display coordinates (the inverse of <see cref="ToUser"/>).</summary>
    internal static PdfRect ToDisplay(PdfRect r, PdfRect visible, int rotation)
    {
        (double U, double V) P(double x, double y) => rotation switch
        {
            90 => (y - visible.Y, visible.Right - x),
            180 => (visible.Right - x, visible.Top - y),
            270 => (visible.Top - y, x - visible.X),
            _ => (x - visible.X, y - visible.Y),
        };
        var a = P(r.X, r.Y);
        var b = P(r.Right, r.Top);
        return PdfRect.FromCorners(a.U, a.V, b.U, b.V);
    }

    // ---- objects ---------------------------------------------------------------------------------------

    private static int WriteImage(PngImage image, IPdfObjectSink sink)
    {
        string? smask = null;
        if (image.Alpha is { } alpha)
        {
            int s = sink.Add(Stream("<< /Type /XObject /Subtype /Image /Width " + image.Width + " /Height " + image.Height
                + " /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", Zlib.Compress(alpha), raw: true));
            smask = " /SMask " + s + " 0 R";
        }
        string cs = image.Components == 3 ? "/DeviceRGB" : "/DeviceGray";
        return sink.Add(Stream("<< /Type /XObject /Subtype /Image /Width " + image.Width + " /Height " + image.Height
            + " /ColorSpace " + cs + " /BitsPerComponent 8" + smask + " /Filter /FlateDecode", Zlib.Compress(image.Color), raw: true));
    }

    private static int WriteFont(TrueTypeFont font, IEnumerable<ShapedGlyph> glyphs, IPdfObjectSink sink)
    {
        var used = new SortedDictionary<ushort, string>();
        foreach (var g in glyphs)
            if (!used.ContainsKey(g.Glyph)) used[g.Glyph] = g.Text;

        // A subset tag (six capitals) derived from the glyph set keeps output deterministic for equal input.
        byte[] hash;
        using (var sha = SHA256.Create())
            hash = sha.ComputeHash(Encoding.UTF8.GetBytes(font.PostScriptName + ":" + string.Join(",", used.Keys)));
        var tag = new StringBuilder();
        for (int i = 0; i < 6; i++) tag.Append((char)('A' + hash[i] % 26));
        string baseFont = "/" + tag + "+" + font.PostScriptName;

        var subset = font.Subset(used.Keys);
        int fontFile = sink.Add(Stream("<< /Length1 " + subset.Length + " /Filter /FlateDecode", Zlib.Compress(subset), raw: true));

        double k = 1000.0 / font.UnitsPerEm;
        int flags = 4 | (font.IsSerif ? 2 : 0); // symbolic (glyphs addressed by CID), serif
        int descriptor = sink.Add(Encoding.ASCII.GetBytes("<< /Type /FontDescriptor /FontName " + baseFont + " /Flags " + flags
            + " /FontBBox [" + R(font.XMin * k) + " " + R(font.YMin * k) + " " + R(font.XMax * k) + " " + R(font.YMax * k) + "]"
            + " /ItalicAngle " + N(font.ItalicAngle) + " /Ascent " + R(font.Ascent * k) + " /Descent " + R(font.Descent * k)
            + " /CapHeight " + R(font.CapHeight * k) + " /StemV 80 /FontFile2 " + fontFile + " 0 R >>"));

        var w = new StringBuilder("[");
        foreach (var g in used.Keys) w.Append(g).Append(" [").Append(R(font.AdvanceWidth(g) * k)).Append("] ");
        w.Append(']');
        int cidFont = sink.Add(Encoding.ASCII.GetBytes("<< /Type /Font /Subtype /CIDFontType2 /BaseFont " + baseFont
            + " /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor " + descriptor
            + " 0 R /DW 1000 /W " + w + " /CIDToGIDMap /Identity >>"));

        int toUnicode = sink.Add(Stream("<<", Encoding.ASCII.GetBytes(ToUnicodeCMap(used))));

        return sink.Add(Encoding.ASCII.GetBytes("<< /Type /Font /Subtype /Type0 /BaseFont " + baseFont
            + " /Encoding /Identity-H /DescendantFonts [" + cidFont + " 0 R] /ToUnicode " + toUnicode + " 0 R >>"));
    }

    private static string ToUnicodeCMap(SortedDictionary<ushort, string> used)
    {
        var sb = new StringBuilder();
        sb.Append("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n")
          .Append("/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n")
          .Append("/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n")
          .Append("1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
        var entries = used.ToList();
        for (int start = 0; start < entries.Count; start += 100)
        {
            int count = Math.Min(100, entries.Count - start);
            sb.Append(count).Append(" beginbfchar\n");
            for (int i = start; i < start + count; i++)
            {
                sb.Append('<').Append(entries[i].Key.ToString("X4", CultureInfo.InvariantCulture)).Append("> <");
                foreach (var b in Encoding.BigEndianUnicode.GetBytes(entries[i].Value)) sb.Append(b.ToString("X2", CultureInfo.InvariantCulture));
                sb.Append(">\n");
            }
            sb.Append("endbfchar\n");
        }
        sb.Append("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
        return sb.ToString();
    }

    /// <summary>
    /// An object body "dict stream…endstream". <paramref name="dictStart"/> is the dictionary without its closing
    /// "&gt;&gt;"; /Length (and /Filter /FlateDecode unless <paramref name="raw"/>, when the data is compressed already) are added.
    /// </summary>
    private static byte[] Stream(string dictStart, byte[] data, bool raw = false)
    {
        if (!raw)
        {
            data = Zlib.Compress(data);
            dictStart += " /Filter /FlateDecode";
        }
        var head = Encoding.ASCII.GetBytes(dictStart + " /Length " + data.Length + " >>\nstream\n");
        var tail = Encoding.ASCII.GetBytes("\nendstream");
        var body = new byte[head.Length + data.Length + tail.Length];
        Buffer.BlockCopy(head, 0, body, 0, head.Length);
        Buffer.BlockCopy(data, 0, body, head.Length, data.Length);
        Buffer.BlockCopy(tail, 0, body, head.Length + data.Length, tail.Length);
        return body;
    }

    private static string N(double v) => PdfNumber.Format(v);

    private static string R(double v) => Math.Round(v).ToString(CultureInfo.InvariantCulture);
}
