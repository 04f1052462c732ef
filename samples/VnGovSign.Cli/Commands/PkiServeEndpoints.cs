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
        RemoteSigningServices.Endpoints, // CSC API at BASE/csc/ and the confirm-on-phone service at BASE/async/ (remote signing)
    };
}

/// <summary>
/// The remote-signing test services of <c>pki serve</c>: a CSC API (v1 and v2) at BASE/csc/ and an
/// asynchronous confirm-on-phone service at BASE/async/. Their credentials are the PKI's key holders
/// by file name (leader, org, …); the CSC PIN is the PKI password, the OAuth2 client is
/// <c>vngovsign-test</c> / <c>test-secret</c>; the phone approves after a short delay.
/// </summary>
internal static class RemoteSigningServices
{
    /// <summary>How long the simulated phone takes to approve a request.</summary>
    internal static readonly TimeSpan ConfirmationDelay = TimeSpan.FromSeconds(2);

    public static IEnumerable<ILoopbackEndpoint> Endpoints(TestPki pki, string password)
    {
        var credentials = VnGovSign.Testing.Remote.RemoteTestCredential.FromPki(pki);
        yield return new VnGovSign.Testing.Remote.CscTestServer(credentials, password, "/csc/")
        {
            ClientId = "vngovsign-test",
            ClientSecret = "test-secret",
        };
        yield return new VnGovSign.Testing.Remote.AsyncConfirmTestServer(credentials, "/async/")
        {
            ConfirmationDelay = ConfirmationDelay,
        };
    }
}
