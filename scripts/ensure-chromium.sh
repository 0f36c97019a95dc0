#!/bin/sh
# Run before the tests (npm's pretest): the admin UI's browser tests drive Debian's Chromium
# through playwright-core, which downloads no browser. On a fresh machine, install it when we
# may (root with apt-get); otherwise stop at once with the one command to run.
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0

if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "CHROMIUM_PATH is set to $CHROMIUM_PATH, which is not an executable file." >&2
  exit 1
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium is missing: installing Debian's chromium for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null || {
    echo "Installing chromium failed: run 'apt-get update && apt-get install -y chromium' and try again." >&2
    exit 1
  }
  [ -x "$CHROMIUM" ] && exit 0
  echo "chromium was installed but $CHROMIUM is missing; set CHROMIUM_PATH to its executable." >&2
  exit 1
fi
echo "The browser tests need Chromium at $CHROMIUM. Install it first:" >&2
echo "  sudo apt-get update && sudo apt-get install -y chromium" >&2
echo "(or set CHROMIUM_PATH to a Chromium executable)" >&2
exit 1
