using System.Resources;

namespace VnGovSign.Cli;

/// <summary>The CLI's own messages (vi default, en).</summary>
internal static class CliMessages
{
    public static ResourceManager Resources { get; } = new("VnGovSign.Cli.Resources.CliMessages", typeof(CliMessages).Assembly);
}
