#!/usr/bin/env bash
# Makes sure a headless Chromium is available for the report tests.
# Idempotent: does nothing when `chromium` is already on PATH. Otherwise, when
# running as root on a system with apt-get, installs the Debian `chromium`
# package quietly. Prints the chromium path, or one line saying why it is not
# available. Always exits 0: the tests that need Chromium skip without it.
set -u

find_chromium() {
  command -v chromium 2>/dev/null || true
}

path=$(find_chromium)
if [ -n "$path" ]; then
  echo "$path"
  exit 0
fi

if [ "$(id -u)" != "0" ]; then
  echo "chromium unavailable: not on PATH and not root, so it cannot be installed"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium unavailable: not on PATH and apt-get is missing"
  exit 0
fi

log=$(mktemp "${TMPDIR:-/tmp}/ensure-chromium.XXXXXX")
if DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log" 2>&1 &&
   DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation >>"$log" 2>&1; then
  :
fi

path=$(find_chromium)
if [ -n "$path" ]; then
  rm -f "$log"
  echo "$path"
else
  reason=$(grep -E '^(E|W):' "$log" | head -n 1)
  rm -f "$log"
  echo "chromium unavailable: apt-get install failed${reason:+: $reason}"
fi
exit 0
