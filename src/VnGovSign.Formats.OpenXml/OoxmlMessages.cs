using System.Resources;

namespace VnGovSign.Formats.OpenXml;

/// <summary>The messages of VnGovSign.Formats.OpenXml in Vietnamese (default) and English.</summary>
public static class OoxmlMessages
{
    /// <summary>The resource manager to pass to <see cref="InvalidInputException"/> and report messages.</summary>
    public static ResourceManager Resources { get; } = new("VnGovSign.Formats.OpenXml.Resources.OoxmlMessages", typeof(OoxmlMessages).Assembly);
}
