using System.CommandLine;
using VnGovSign.Remote;
using VnGovSign.Remote.Csc;

namespace VnGovSign.Cli;

/// <summary>
/// <c>--csc URL --credential ID --pin PIN [--client-id ID --client-secret S]</c>: a key held by a
/// Cloud Signature Consortium API service (v1 or v2, asked from the service), e.g. Viettel MySign.
/// The PIN is the shared <c>--pin</c>; a wrong PIN is never retried (exit 77).
/// </summary>
internal sealed class CscSignerKind : ISignerKind
{
    private readonly SharedSignerOptions _shared;

    public CscSignerKind(SharedSignerOptions shared) => _shared = shared;

    public Option<string> Url { get; } = new("--csc") { Description = "URL dịch vụ ký từ xa theo chuẩn CSC API (v1/v2) / CSC API (v1/v2) service URL" };
    public Option<string> Credential { get; } = new("--credential") { Description = "Mã khóa ký (credentialID) tại dịch vụ CSC / the credential id at the CSC service" };
    public Option<string> ClientId { get; } = new("--client-id") { Description = "OAuth2 client id của ứng dụng tại dịch vụ CSC / OAuth2 client id at the CSC service" };
    public Option<string> ClientSecret { get; } = new("--client-secret") { Description = "OAuth2 client secret / OAuth2 client secret" };
    public Option<string> AccessToken { get; } = new("--access-token") { Description = "Access token có sẵn (thay cho client id/secret) / a bearer token obtained elsewhere (instead of client id/secret)" };

    public IEnumerable<Option> Options => new Option[] { Url, Credential, _shared.Pin, ClientId, ClientSecret, AccessToken };

    public async Task<ISigner?> TryCreateAsync(CliContext ctx)
    {
        var url = ctx.Get(Url);
        if (url is null) return null;
        var credential = ctx.Get(Credential);
        if (string.IsNullOrWhiteSpace(credential)) throw new UsageException(ctx.Text("CscCredentialMissing"));
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new UsageException(ctx.Text("RemoteBadUrl", url));
        var clientId = ctx.Get(ClientId);
        if (clientId is not null && ctx.Get(ClientSecret) is null) throw new UsageException(ctx.Text("CscClientSecretMissing"));
        var options = new CscClientOptions(uri)
        {
            ClientId = clientId,
            ClientSecret = ctx.Get(ClientSecret),
            AccessToken = ctx.Get(AccessToken),
            Language = ctx.Culture.Name.StartsWith("en", StringComparison.Ordinal) ? "en-US" : "vi-VN",
        };
        // One client per command: one OAuth2 token, one authorisation per document; disposed when the command ends.
        return await CscSigner.ConnectAsync(options, credential!, new CscSignerOptions
        {
            Pin = ctx.Get(_shared.Pin),
            Progress = new RemoteStatusWriter(ctx),
        }, ctx.CancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// Shows a remote signer's status on stderr ("Đang chờ xác nhận trên điện thoại…") once per change,
/// synchronously (no thread hop, so lines come in order), unless --json asked for machine output only.
/// </summary>
internal sealed class RemoteStatusWriter : IProgress<RemoteSigningStatus>
{
    private readonly CliContext _ctx;
    private readonly object _gate = new();
    private (RemoteSigningState, string)? _last;

    public RemoteStatusWriter(CliContext ctx) => _ctx = ctx;

    public void Report(RemoteSigningStatus value)
    {
        lock (_gate)
        {
            if (_last == (value.State, value.Reference)) return;
            _last = (value.State, value.Reference);
            _ctx.Error.WriteLine(_ctx.Text("RemoteStatus", value.GetMessage(_ctx.Culture)));
            _ctx.Error.Flush();
        }
    }
}
