using System.Globalization;
using BenchmarkDotNet.Running;
using VnGovSign.Benchmarks;

// dotnet run -c Release --project benchmarks/VnGovSign.Benchmarks -- --filter '*Cms*'
// Every benchmark class has its own baseline (raw SHA-256 of the same bytes, one raw RSA sign…)
// measured in the same run, so docs/performance.md can report ratios on noisy machines.
//
// write-pdf PATH BYTES: writes the PdfBenchmarks input shape (used by benchmarks/pdf-peak-rss.sh).
if (args.Length == 3 && args[0] == "write-pdf")
{
    PdfBenchmarks.WriteLargePdf(args[1], long.Parse(args[2], CultureInfo.InvariantCulture));
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
