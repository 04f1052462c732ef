namespace VnGovSign.Cli;

/// <summary>The exit codes of the command-line contract (docs/cli.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;             // valid / done
    public const int Invalid = 1;        // TOTAL_FAILED
    public const int Indeterminate = 2;  // INDETERMINATE
    public const int Usage = 64;         // wrong arguments
    public const int BadInput = 65;      // malformed or unsupported file
    public const int Unavailable = 69;   // service or device unavailable
    public const int Internal = 70;      // a bug of ours
    public const int PinOrLocked = 77;   // wrong PIN or locked token

    public static int For(Validation.Indication indication) => indication switch
    {
        Validation.Indication.TotalPassed => Ok,
        Validation.Indication.TotalFailed => Invalid,
        _ => Indeterminate,
    };
}
