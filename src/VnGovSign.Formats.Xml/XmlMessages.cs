using System.Resources;

namespace VnGovSign.Formats.Xml;

/// <summary>The messages of VnGovSign.Formats.Xml (Vietnamese default, English).</summary>
public static class XmlMessages
{
    /// <summary>The resource manager behind the messages (pass it to exceptions and report messages).</summary>
    public static ResourceManager Resources { get; } = new("VnGovSign.Formats.Xml.Resources.XmlMessages", typeof(XmlMessages).Assembly);

    internal static InvalidInputException Invalid(string key, params object?[] args) => new(Resources, key, null, args);
    internal static InvalidInputException Invalid(string key, Exception inner, params object?[] args) => new(Resources, key, inner, args);
}
