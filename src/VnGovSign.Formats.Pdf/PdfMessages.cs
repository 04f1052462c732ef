using System.Resources;

namespace VnGovSign.Formats.Pdf;

/// <summary>Messages of the PDF package (Resources/PdfMessages.tsv: Vietnamese, English).</summary>
internal static class PdfMessages
{
    public static ResourceManager Resources { get; } = new("VnGovSign.Formats.Pdf.Resources.PdfMessages", typeof(PdfMessages).Assembly);
}
