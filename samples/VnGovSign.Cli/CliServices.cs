using VnGovSign.Timestamps;

namespace VnGovSign.Cli;

/// <summary>Factories for the services the CLI talks to (so commands do not know the concrete clients).</summary>
internal static class CliServices
{
    /// <summary>An RFC 3161 client for <paramref name="url"/> (long timeout, bounded retries).</summary>
    public static ITimestampClient CreateTimestampClient(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new UsageException(Messages.Format(CliMessages.Resources, "BadUrl", null, url));
        return new Rfc3161Client(uri);
    }
}
