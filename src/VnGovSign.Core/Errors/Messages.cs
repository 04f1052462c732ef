using System.Globalization;
using System.Resources;

namespace VnGovSign;

/// <summary>
/// End-user messages in Vietnamese (the default) and English, from resource files. Each package has
/// its own <see cref="ResourceManager"/>; this class formats any of them the same way.
/// </summary>
public static class Messages
{
    /// <summary>Vietnamese (vi-VN): the default language of every message.</summary>
    public static CultureInfo Vietnamese { get; } = new("vi-VN");

    /// <summary>English.</summary>
    public static CultureInfo English { get; } = new("en");

    /// <summary>VnGovSign.Core's messages.</summary>
    public static ResourceManager Core { get; } = new("VnGovSign.Resources.Messages", typeof(Messages).Assembly);

    /// <summary>Maps "vi"/"en" (as given on a command line) to a culture; anything else is Vietnamese.</summary>
    public static CultureInfo FromLanguage(string? language) =>
        string.Equals(language, "en", StringComparison.OrdinalIgnoreCase) ? English : Vietnamese;

    /// <summary>Formats a message of Core in <paramref name="culture"/> (Vietnamese when null).</summary>
    public static string Get(string key, CultureInfo? culture, params object?[] arguments) => Format(Core, key, culture, arguments);

    /// <summary>Formats <paramref name="key"/> of <paramref name="resources"/>; an unknown key yields the key and its arguments, never an exception.</summary>
    public static string Format(ResourceManager resources, string key, CultureInfo? culture, params object?[] arguments)
    {
        culture ??= Vietnamese;
        string? template;
        try { template = resources.GetString(key, culture); }
        catch (MissingManifestResourceException) { template = null; }
        if (template is null)
            return arguments.Length == 0 ? key : key + ": " + string.Join(", ", arguments);
        try { return string.Format(culture, template, arguments); }
        catch (FormatException) { return template; }
    }
}
