using System.CommandLine;
using System.Security.Cryptography;

namespace VnGovSign.Cli;

/// <summary>Runs a command body and turns every failure into one clear line and a contract exit code.</summary>
internal static class CliRunner
{
    public static void SetHandler(Command command, Func<CliContext, Task<int>> body) =>
        command.SetAction((parse, ct) => RunAsync(parse, ct, body));

    public static async Task<int> RunAsync(ParseResult parse, CancellationToken ct, Func<CliContext, Task<int>> body)
    {
        var ctx = new CliContext(parse, ct);
        try
        {
            return await body(ctx).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var (code, message) = Describe(e, ctx);
            ctx.Error.WriteLine(ctx.Text("ErrorPrefix") + message);
            if (Environment.GetEnvironmentVariable("VNGOVSIGN_DEBUG") == "1") ctx.Error.WriteLine(e.ToString());
            return code;
        }
        finally
        {
            await ctx.DisposeResourcesAsync().ConfigureAwait(false);
        }
    }

    public static (int Code, string Message) Describe(Exception e, CliContext ctx)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } agg) e = agg.InnerExceptions[0];
        return e switch
        {
            UsageException u => (ExitCodes.Usage, u.Message),
            WrongPinException w => (ExitCodes.PinOrLocked, w.GetMessage(ctx.Culture)),
            TokenLockedException l => (ExitCodes.PinOrLocked, l.GetMessage(ctx.Culture)),
            ServiceUnavailableException s => (ExitCodes.Unavailable, s.GetMessage(ctx.Culture)),
            TokenException t => (ExitCodes.Unavailable, t.GetMessage(ctx.Culture)),
            InvalidInputException i => (ExitCodes.BadInput, i.GetMessage(ctx.Culture)),
            VnGovSignException v => (ExitCodes.BadInput, v.GetMessage(ctx.Culture)),
            FileNotFoundException f => (ExitCodes.BadInput, ctx.Text("FileMissing", f.FileName ?? f.Message)),
            DirectoryNotFoundException d => (ExitCodes.BadInput, ctx.Text("FileMissing", d.Message)),
            UnauthorizedAccessException a => (ExitCodes.BadInput, a.Message),
            IOException io => (ExitCodes.BadInput, io.Message),
            CryptographicException c => (ExitCodes.BadInput, c.Message),
            OperationCanceledException => (ExitCodes.Unavailable, ctx.Text("Cancelled")),
            HttpRequestException h => (ExitCodes.Unavailable, h.Message),
            _ => (ExitCodes.Internal, ctx.Text("InternalError", e.GetType().Name, e.Message)),
        };
    }
}

/// <summary>A wrong combination of arguments found after parsing (exit 64).</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }
}
