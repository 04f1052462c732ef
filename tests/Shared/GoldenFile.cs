using System.Runtime.CompilerServices;
using System.Text;

namespace VnGovSign.Tests;

/// <summary>
/// Golden-file checks: compares output with a checked-in <c>NAME.verified.EXT</c> beside the test source.
/// On a difference it writes <c>NAME.received.EXT</c> and fails with a readable diff. Set
/// VNGOVSIGN_ACCEPT_GOLDEN=1 to (re-)accept: the received output becomes the verified file.
/// </summary>
public static class GoldenFile
{
    public const string AcceptVariable = "VNGOVSIGN_ACCEPT_GOLDEN";

    /// <summary>Checks text output (line endings normalised to \n).</summary>
    public static void VerifyText(string actual, string name, string extension = "txt", [CallerFilePath] string sourceFile = "")
        => Verify(Encoding.UTF8.GetBytes(actual.Replace("\r\n", "\n")), name, extension, sourceFile, isText: true);

    /// <summary>Checks binary output byte for byte (the diff shows the first differing offset and a hex window).</summary>
    public static void VerifyBytes(byte[] actual, string name, string extension = "bin", [CallerFilePath] string sourceFile = "")
        => Verify(actual, name, extension, sourceFile, isText: false);

    private static void Verify(byte[] actual, string name, string extension, string sourceFile, bool isText)
    {
        var dir = Path.GetDirectoryName(sourceFile)!;
        var verified = Path.Combine(dir, $"{name}.verified.{extension}");
        var received = Path.Combine(dir, $"{name}.received.{extension}");
        bool accept = Environment.GetEnvironmentVariable(AcceptVariable) == "1";
        if (File.Exists(verified) && File.ReadAllBytes(verified).AsSpan().SequenceEqual(actual))
        {
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        if (accept)
        {
            File.WriteAllBytes(verified, actual);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        File.WriteAllBytes(received, actual);
        if (!File.Exists(verified))
            throw new GoldenFileException($"No verified file {verified}. Output written to {received}; review it and set {AcceptVariable}=1 to accept.");
        var expected = File.ReadAllBytes(verified);
        throw new GoldenFileException($"{name}: output differs from {Path.GetFileName(verified)} (received: {received}; set {AcceptVariable}=1 to accept).\n"
            + (isText ? TextDiff(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual)) : BinaryDiff(expected, actual)));
    }

    private static string TextDiff(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var sb = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < Math.Max(e.Length, a.Length) && shown < 20; i++)
        {
            string? x = i < e.Length ? e[i] : null, y = i < a.Length ? a[i] : null;
            if (x == y) continue;
            shown++;
            sb.Append("line ").Append(i + 1).Append(":\n");
            if (x is not null) sb.Append("  - ").Append(x).Append('\n');
            if (y is not null) sb.Append("  + ").Append(y).Append('\n');
        }
        return sb.ToString();
    }

    private static string BinaryDiff(byte[] expected, byte[] actual)
    {
        int i = 0;
        while (i < expected.Length && i < actual.Length && expected[i] == actual[i]) i++;
        int from = Math.Max(0, i - 8);
        string Window(byte[] b) => BitConverter.ToString(b, Math.Min(from, b.Length), Math.Max(0, Math.Min(32, b.Length - from)));
        return $"lengths {expected.Length} (verified) vs {actual.Length} (received); first difference at offset {i}\n"
             + $"  verified @{from}: {Window(expected)}\n  received @{from}: {Window(actual)}";
    }
}

/// <summary>A golden-file mismatch.</summary>
public sealed class GoldenFileException : Exception
{
    public GoldenFileException(string message) : base(message) { }
}
