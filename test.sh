#!/usr/bin/env bash
# Runs every test of VnGovSign. On a fresh Debian/Ubuntu machine with the .NET 10 SDK it first
# installs the system tools the tests use as independent verifiers and as the real token/HSM:
# openssl, qpdf, poppler-utils (pdfsig, pdftoppm, pdftotext), libnss3-tools (certutil), xmlsec1,
# softhsm2 + opensc (pkcs11-tool), fonts-liberation2. Needs root or sudo for that step only.
# Ends with one line "N passed, N failed[, N skipped]" and exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")"

PACKAGES="openssl qpdf poppler-utils libnss3-tools xmlsec1 softhsm2 opensc fonts-liberation2 python3 unzip"
missing=""
for p in $PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "== installing:$missing"
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "need root or sudo to install:$missing" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null && $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null \
    || { echo "apt-get could not install:$missing" >&2; exit 1; }
fi
command -v dotnet >/dev/null || { echo "the .NET 10 SDK (dotnet) is required" >&2; exit 1; }

results=artifacts/test-results
rm -rf "$results"
dotnet test VnGovSign.sln -c Release --logger "trx" --results-directory "$results" "$@"
rc=$?

# dotnet test's own summary is per project; CI reads one plain line summed over all of them.
python3 - "$results" "$rc" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
files = glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)
for f in files:
    c = ET.parse(f).getroot().find("t:ResultSummary/t:Counters", ns)
    if c is None: continue
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    skipped += int(c.get("notExecuted", 0))
if not files or (passed == 0 and failed == 0):
    failed += 1  # no result at all is a failure, not a pass
if sys.argv[2] != "0" and failed == 0:
    failed += 1  # the build or a test host failed before writing results
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed else 0)
PY
