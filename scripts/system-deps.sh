#!/usr/bin/env bash
# Install the Debian packages creativecity needs beyond Python, when they are missing:
# Pango for WeasyPrint (PDF), fonts that carry Vietnamese diacritics, poppler-utils (pdftoppm, used by
# tests that look at PDF pages), Chromium for the browser tests and wrk for the web benchmark. Needs root and apt-get; without
# them it only reports what is missing (the tests that need a missing part then skip with a reason).
set -u
need=()
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core fonts-noto-core poppler-utils chromium wrk ${EXTRA_DEBIAN_PACKAGES:-}; do
  have_pkg "$pkg" || need+=("$pkg")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: missing Debian packages (install them as root): ${need[*]}" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null 2>&1 || true
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
  || { echo "system-deps: apt-get install failed for: ${need[*]}" >&2; exit 1; }
