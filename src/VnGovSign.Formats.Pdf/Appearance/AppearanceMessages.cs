using System.Globalization;
using System.Resources;

namespace VnGovSign.Formats.Pdf.Appearance;

/// <summary>Messages of the appearance renderer (Resources/AppearanceMessages.tsv: Vietnamese, English).</summary>
internal static class AppearanceMessages
{
    public static ResourceManager Resources { get; } =
        new("VnGovSign.Formats.Pdf.Appearance.Resources.AppearanceMessages", typeof(AppearanceMessages).Assembly);

    /// <summary>
    /// A message part (e.g. what is wrong with a PNG) passed as an argument of another message: it is formatted in
    /// the culture the outer message is formatted in, so a Vietnamese message has a Vietnamese detail.
    /// </summary>
    public static LocalizedText Text(string key, params object?[] arguments) => new(key, arguments);

    internal sealed class LocalizedText : IFormattable
    {
        private readonly string key;
        private readonly object?[] arguments;

        public LocalizedText(string key, object?[] arguments)
        {
            this.key = key;
            this.arguments = arguments;
        }

        public string ToString(string? format, IFormatProvider? formatProvider) =>
            Messages.Format(Resources, key, formatProvider as CultureInfo ?? Messages.Vietnamese, arguments);

        public override string ToString() => ToString(null, Messages.Vietnamese);
    }
}
