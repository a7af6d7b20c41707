#!/usr/bin/env bash
# Checks the system libraries and fonts the portal needs (WeasyPrint: Pango, fonts covering Vietnamese;
# browser tests: Chromium). Prints the apt-get line for what is missing; installs it when root and CI=true.
set -euo pipefail

missing=()
# grep reads the whole list (no -q): stopping at the first match would kill the writer with SIGPIPE, which
# pipefail turns into "missing".
have_lib() { ldconfig -p 2>/dev/null | grep -F "$1" >/dev/null; }
have_font() { fc-list 2>/dev/null | grep -Fi "$1" >/dev/null; }

have_lib 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
have_lib 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so.0' || missing+=(libharfbuzz-subset0)
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
# Liberation Serif 2 (fonts-liberation2) has every Vietnamese letter; version 1 lacks the stacked marks.
[ -d /usr/share/fonts/truetype/liberation2 ] || missing+=(fonts-liberation2)
have_font 'DejaVu Sans' || missing+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [ "${CI:-}" = "true" ] || [ "${PORTAL_BROWSER_TESTS:-}" = "1" ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "System libraries: ok"
  exit 0
fi

line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = "0" ] && [ "${CI:-}" = "true" ]; then
  echo "Installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "Missing system packages: ${missing[*]}"
echo "Install them with:"
echo "  sudo $line"
# PDF printing cannot work without Pango; everything else only limits tests.
for pkg in "${missing[@]}"; do
  case "$pkg" in libpango*) exit 1 ;; esac
done
exit 0
