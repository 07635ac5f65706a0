#!/usr/bin/env bash
# Install the Debian packages briefs and its tests need, when they are missing.
#   libpango-1.0-0 libpangoft2-1.0-0  WeasyPrint's text layout
#   libharfbuzz-subset0                 font subsetting (faster, deterministic PDFs)
#   poppler-utils                       pdftotext/pdffonts/pdftoppm for the PDF tests
# With --test, also what the conformance tests (tests/conformance) run:
#   chromium                            headless browser for axe-core
#   default-jre-headless                Java for the Nu Html Checker, only if `java` does not run
#   nodejs npm                          npm installs vnu-jar and axe-core, only if missing
#   strace                              tests/test_no_network.py: no process opens a network socket
#   libreoffice-writer-nogui            tests/test_docx.py: an independent reader converts every DOCX edition
# Usage: scripts/system-deps.sh [--test] [extra packages…]. Needs root (or sudo) only when
# something is missing.
set -euo pipefail
wanted=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils)
if [ "${1:-}" = "--test" ]; then
  shift
  wanted+=(chromium strace libreoffice-writer-nogui)
  # Any working Java 11+ will do (the machine may have an OpenJDK that is not the default).
  java -version >/dev/null 2>&1 || wanted+=(default-jre-headless)
  # Node.js may come from elsewhere than Debian (NodeSource): only install it when absent.
  command -v node >/dev/null 2>&1 || wanted+=(nodejs)
  command -v npm >/dev/null 2>&1 || wanted+=(npm)
fi
wanted+=("$@")
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "briefs needs these system packages (or their equivalents): ${missing[*]}" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
