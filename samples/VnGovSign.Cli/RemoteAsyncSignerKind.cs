using System.CommandLine;
using System.Globalization;
using VnGovSign.Remote.Async;

namespace VnGovSign.Cli;

/// <summary>
/// <c>--remote-async URL --user-id ID [--timeout SECONDS]</c>: a confirm-on-phone service in the
/// style of VNPT SmartCA. The hash is submitted, the user confirms in the phone app, and the tool
/// polls (with back-off) until the value arrives, the user rejects, or the timeout passes; the
/// status ("waiting for confirmation on the phone") is shown on stderr.
/// </summary>
internal sealed class RemoteAsyncSignerKind : ISignerKind
{
    public Option<string> Url { get; } = new("--remote-async") { Description = "URL dịch vụ ký từ xa xác nhận trên điện thoại / confirm-on-phone signing service URL" };
    public Option<string> UserId { get; } = new("--user-id") { Description = "Tài khoản người ký tại dịch vụ (CCCD, MST…) / the signer's account at the service" };
    public Option<int?> Timeout { get; } = new("--timeout") { Description = "Số giây chờ xác nhận trên điện thoại (mặc định 300) / seconds to wait for the confirmation on the phone (default 300)" };

    public IEnumerable<Option> Options => new Option[] { Url, UserId, Timeout };

    public async Task<ISigner?> TryCreateAsync(CliContext ctx)
    {
        var url = ctx.Get(Url);
        if (url is null) return null;
        var user = ctx.Get(UserId);
        if (string.IsNullOrWhiteSpace(user)) throw new UsageException(ctx.Text("RemoteUserMissing"));
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw new UsageException(ctx.Text("RemoteBadUrl", url));
        var seconds = ctx.Get(Timeout) ?? 300;
        if (seconds <= 0) throw new UsageException(ctx.Text("RemoteBadTimeout", seconds.ToString(CultureInfo.InvariantCulture)));
        return await RemoteAsyncSigner.ConnectAsync(new RemoteAsyncSignerOptions(uri, user!)
        {
            Timeout = TimeSpan.FromSeconds(seconds),
            Description = ctx.Text("RemoteRequestDescription"),
            Progress = new RemoteStatusWriter(ctx),
        }, ctx.CancellationToken).ConfigureAwait(false);
    }
}
