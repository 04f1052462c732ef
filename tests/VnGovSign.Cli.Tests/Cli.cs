using VnGovSign.Cli;

namespace VnGovSign.Cli.Tests;

/// <summary>Runs vngovsign in-process and captures what a user would see.</summary>
public static class Cli
{
    public sealed record Run(int ExitCode, string Out, string Err)
    {
        public string All => Out + Err;
    }

    public static async Task<Run> RunAsync(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = await CliApp.RunAsync(args, o, e);
        return new Run(code, o.ToString(), e.ToString());
    }
}

/// <summary>A PKI written once for the test class by `vngovsign pki init`.</summary>
public sealed class CliPkiFixture : IAsyncLifetime
{
    public const string Password = "demo-pass-123";
    public string Dir { get; } = Directory.CreateTempSubdirectory("vgs-cli-").FullName;
    public string Pki => Path.Combine(Dir, "pki");

    public async Task InitializeAsync()
    {
        var r = await Cli.RunAsync("pki", "init", "--out", Pki, "--password", Password, "--seed", "42");
        if (r.ExitCode != 0) throw new InvalidOperationException(r.All);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Dir, true);
        return Task.CompletedTask;
    }
}
