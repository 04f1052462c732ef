using System.CommandLine;
using System.Globalization;

namespace VnGovSign.Cli;

/// <summary>What every command needs: the language, JSON mode, output writers, cancellation.</summary>
internal sealed class CliContext
{
    public CliContext(ParseResult parse, CancellationToken cancellationToken)
    {
        Parse = parse;
        CancellationToken = cancellationToken;
        Culture = Messages.FromLanguage(parse.GetValue(GlobalOptions.Lang));
        Json = parse.GetValue(GlobalOptions.Json);
        Out = CliApp.Writers.Value?.Out ?? Console.Out;
        Error = CliApp.Writers.Value?.Error ?? Console.Error;
    }

    public ParseResult Parse { get; }
    public CancellationToken CancellationToken { get; }
    public CultureInfo Culture { get; }
    public bool Json { get; }
    public TextWriter Out { get; }
    public TextWriter Error { get; }

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);
    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);

    private readonly List<object> _resources = new();

    /// <summary>Disposes <paramref name="resource"/> (IAsyncDisposable or IDisposable) when the command ends,
    /// whatever its outcome: token sessions are logged out, remote clients closed.</summary>
    public T DisposeAtEnd<T>(T resource) where T : notnull
    {
        _resources.Add(resource);
        return resource;
    }

    internal async Task DisposeResourcesAsync()
    {
        for (int i = _resources.Count - 1; i >= 0; i--)
        {
            try
            {
                if (_resources[i] is IAsyncDisposable a) await a.DisposeAsync().ConfigureAwait(false);
                else if (_resources[i] is IDisposable d) d.Dispose();
            }
            catch (Exception) when (Environment.GetEnvironmentVariable("VNGOVSIGN_DEBUG") != "1")
            {
                // A failure while closing must not hide the command's own result.
            }
        }
        _resources.Clear();
    }

    /// <summary>A message of the CLI's own resources in the chosen language.</summary>
    public string Text(string key, params object?[] args) => Messages.Format(CliMessages.Resources, key, Culture, args);
}

/// <summary>Options that every command accepts.</summary>
internal static class GlobalOptions
{
    public static readonly Option<string> Lang = new("--lang")
    {
        Description = "Ngôn ngữ thông báo / message language: vi (mặc định) | en",
        Recursive = true,
        DefaultValueFactory = _ => "vi",
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "In kết quả dạng JSON / print the result as JSON",
        Recursive = true,
    };
}
