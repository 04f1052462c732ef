using System.Text;

Console.OutputEncoding = new UTF8Encoding(false);
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
return await VnGovSign.Cli.CliApp.RunAsync(args, cancellationToken: cts.Token);
