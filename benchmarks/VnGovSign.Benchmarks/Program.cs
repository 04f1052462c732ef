using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/VnGovSign.Benchmarks -- --filter '*Cms*'
// Every benchmark class has its own baseline (raw SHA-256 of the same bytes, one raw RSA sign…)
// measured in the same run, so docs/performance.md can report ratios on noisy machines.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
