using VnGovSign.Timestamps;

namespace VnGovSign.Cli;

/// <summary>Factories for the services the CLI talks to (so commands do not know the concrete clients).</summary>
internal static class CliServices
{
    /// <summary>An RFC 3161 client for <paramref name="url"/>.</summary>
    public static ITimestampClient CreateTimestampClient(string url) =>
        throw new InvalidInputException(MessageKeys.TimestampUrlMissing);
}
