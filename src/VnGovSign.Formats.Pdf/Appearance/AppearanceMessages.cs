using System.Resources;

namespace VnGovSign.Formats.Pdf.Appearance;

/// <summary>Messages of the appearance renderer (Resources/AppearanceMessages.tsv: Vietnamese, English).</summary>
internal static class AppearanceMessages
{
    public static ResourceManager Resources { get; } =
        new("VnGovSign.Formats.Pdf.Appearance.Resources.AppearanceMessages", typeof(AppearanceMessages).Assembly);
}
