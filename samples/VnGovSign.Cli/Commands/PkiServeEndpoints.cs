using VnGovSign.Testing;
using VnGovSign.Testing.Http;

namespace VnGovSign.Cli.Commands;

/// <summary>
/// What <c>vngovsign pki serve</c> mounts for a loaded test PKI: each area adds a factory here
/// (OCSP/CRL/TSA responders, the CSC API, the asynchronous confirm-on-phone service).
/// </summary>
internal static class PkiServeEndpoints
{
    /// <summary>Factories called with the loaded PKI and its password.</summary>
    internal static readonly List<Func<TestPki, string, IEnumerable<ILoopbackEndpoint>>> Factories = new()
    {
        PkiServeCommand.Responders, // OCSP, CRL, CA certificates, TSA (core trust)
    };
}
