#!/usr/bin/env bash
# Install the Debian packages briefs and its tests need, when they are missing.
#   libpango-1.0-0 libpangoft2-1.0-0  WeasyPrint's text layout
#   libharfbuzz-subset0                 font subsetting (faster, deterministic PDFs)
#   poppler-utils                       pdftotext/pdffonts/pdftoppm for the PDF tests
# Usage: scripts/system-deps.sh [extra packages…]. Needs root (or sudo) only when
# something is missing.
set -euo pipefail
wanted=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils "$@")
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
