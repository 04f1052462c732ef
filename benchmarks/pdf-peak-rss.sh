#!/usr/bin/env bash
# Peak working set (maximum resident set size) of `vngovsign sign pdf` (PAdES B-B, file to file) and
# `vngovsign verify` for generated 100 KB, 10 MB and 200 MB PDFs (the PdfBenchmarks shape), read from
# /usr/bin/time -v. Streaming means the figure does not grow with the file. Baseline in the same run:
# `vngovsign --help` (the .NET runtime and the CLI loaded, nothing signed).
# The files live in a temporary directory that is deleted afterwards.
#   benchmarks/pdf-peak-rss.sh            (from the repository root; builds the CLI and benchmarks in Release)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build samples/VnGovSign.Cli -c Release -v q -nologo >/dev/null
dotnet build benchmarks/VnGovSign.Benchmarks -c Release -v q -nologo >/dev/null
cli=artifacts/bin/VnGovSign.Cli/release/vngovsign.dll
gen=artifacts/bin/VnGovSign.Benchmarks/release/VnGovSign.Benchmarks.dll
dir=$(mktemp -d "${TMPDIR:-/tmp}/vngovsign-rss-XXXXXX")
trap 'rm -rf "$dir"' EXIT
dotnet "$cli" pki init --out "$dir/pki" --password demo-pass-123 >/dev/null
rss() {  # label, command...: prints a table row: label, peak RSS, wall clock, exit code
  local label=$1; shift
  local rc=0 kb el
  /usr/bin/time -v "$@" >"$dir/out.txt" 2>"$dir/time.txt" || rc=$?
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/time.txt")
  el=$(awk -F'): ' '/Elapsed \(wall clock\)/ {print $2}' "$dir/time.txt")
  printf '| %-28s | %6.1f MB | %s | %s |\n' "$label" "$(awk "BEGIN {print $kb / 1024}")" "$el" "$rc"
  [ "$rc" = 0 ] || { tail -5 "$dir/out.txt" >&2; exit 1; }
}
echo "| Run | Peak RSS | Wall clock | Exit |"
echo "|---|---:|---:|---:|"
rss "baseline: vngovsign --help" dotnet "$cli" --help
for size in 102400 10485760 209715200; do
  name=$(numfmt --to=iec "$size")
  dotnet "$gen" write-pdf "$dir/in-$name.pdf" "$size"
  rss "sign pdf B-B, $name" dotnet "$cli" sign pdf "$dir/in-$name.pdf" "$dir/out-$name.pdf" \
    --pfx "$dir/pki/leader.pfx" --password demo-pass-123 --appearance none
  rss "verify, $name" dotnet "$cli" verify "$dir/out-$name.pdf" --trust "$dir/pki/root.pem" --offline
  rm -f "$dir/in-$name.pdf" "$dir/out-$name.pdf"
done
