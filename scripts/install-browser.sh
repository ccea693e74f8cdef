#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver for the console's browser tests (docs/console.md,
# "Tests in a real browser") when /usr/bin/chromium or /usr/bin/chromedriver is missing.
# As root: apt-get, noninteractive and quiet, each step bounded in time; prints what it did.
# Not root: prints how to install them and exits 0: the browser tests then skip, unless
# REQUIRE_BROWSER_TESTS=1 (CI), which makes them fail.
# Used by bin/test (and so by .ci/run); harmless where both are installed.
set -euo pipefail

missing=()
for bin in /usr/bin/chromium /usr/bin/chromedriver; do
  [[ -x "$bin" ]] || missing+=("$bin")
done
if (( ${#missing[@]} == 0 )); then
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-browser: ${missing[*]} missing; the browser tests will be skipped." >&2
  echo "  To run them: sudo apt-get install chromium chromium-driver (Debian), or run" >&2
  echo "  scripts/install-browser.sh as root." >&2
  exit 0
fi

log=/tmp/partisan-install-browser.log
echo "install-browser: ${missing[*]} missing; installing Debian's chromium and chromium-driver (log: $log)"
export DEBIAN_FRONTEND=noninteractive
if ! { timeout 300 apt-get update -qq &&
  timeout 900 apt-get install -y -qq -o DPkg::Lock::Timeout=120 chromium chromium-driver; } \
  >"$log" 2>&1; then
  echo "install-browser: apt-get failed; last lines of $log:" >&2
  tail -20 "$log" >&2 || true
  exit 1
fi
for bin in /usr/bin/chromium /usr/bin/chromedriver; do
  if [[ ! -x "$bin" ]]; then
    echo "install-browser: $bin still missing after the install; see $log" >&2
    exit 1
  fi
done
echo "install-browser: installed $(/usr/bin/chromedriver --version 2>/dev/null | cut -d' ' -f1-2)"
