using System.Diagnostics;

namespace VnGovSign.Tests;

/// <summary>Runs an independent verifier (openssl, pdfsig, qpdf, xmlsec1…) and captures what it says.</summary>
public static class ExternalTool
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string All => StdOut + StdErr;
    }

    /// <summary>Runs <paramref name="file"/> with arguments; fails the test clearly when the tool is not installed.</summary>
    public static Result Run(string file, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null,
        IDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        if (environment is not null) foreach (var kv in environment) psi.Environment[kv.Key] = kv.Value;
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{file}' is not installed: run ./test.sh (it installs the test tools) — {e.Message}", e);
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit((int)(timeout ?? TimeSpan.FromMinutes(2)).TotalMilliseconds))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} did not finish");
            }
            p.WaitForExit();
            return new Result(p.ExitCode, stdout.Result, stderr.Result);
        }
    }

    public static Result Run(string file, params string[] arguments) => Run(file, (IEnumerable<string>)arguments);
}
