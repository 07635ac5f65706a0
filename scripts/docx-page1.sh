#!/usr/bin/env bash
# docs/docx-page1-government-ko.png: page 1 of the flagship's government.ko DOCX as
# LibreOffice renders it, with the bundled Pretendard GOV made known to it (as on a machine
# where the face is installed). Needs LibreOffice and poppler-utils.
#   scripts/docx-page1.sh [PYTHON]
set -euo pipefail
python="${1:-.venv/bin/python}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" -m briefs build inputs/deepseek-2025.yaml -q -f docx -a government -l ko --out "$work/out"
cat > "$work/fonts.conf" <<CONF
<?xml version="1.0"?>
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>$PWD/templates/fonts</dir>
  <cachedir>$work/fc-cache</cachedir>
</fontconfig>
CONF
FONTCONFIG_FILE="$work/fonts.conf" soffice -env:UserInstallation="file://$work/profile" \
  --headless --convert-to pdf --outdir "$work" "$work/out/deepseek-2025/government.ko.docx" >/dev/null
pdftoppm -r 68 -png -f 1 -l 1 -singlefile "$work/government.ko.pdf" docs/docx-page1-government-ko
