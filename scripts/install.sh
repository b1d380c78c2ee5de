#!/usr/bin/env bash
# Installs what the gate needs on a fresh machine: the npm packages and a Chromium.
# Playwright's own Chromium where it can be downloaded; otherwise a system Chromium (Debian/Ubuntu, as root).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'preflight setup: %s\n' "$*"; }

say "installing npm packages"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi

if [ -n "${PREFLIGHT_CHROMIUM_PATH:-}" ]; then
  if [ -x "$PREFLIGHT_CHROMIUM_PATH" ]; then
    say "using the browser PREFLIGHT_CHROMIUM_PATH names: $PREFLIGHT_CHROMIUM_PATH"
    exit 0
  fi
  say "PREFLIGHT_CHROMIUM_PATH=$PREFLIGHT_CHROMIUM_PATH is not an executable file: point it at a Chromium binary, or unset it." >&2
  exit 1
fi

if node -e "const fs=require('fs');const {chromium}=require('@playwright/test');process.exit(fs.existsSync(chromium.executablePath())?0:1)" 2>/dev/null; then
  say "Playwright's Chromium is installed"
  exit 0
fi

say "trying Playwright's own Chromium download (npx playwright install chromium)"
if npx playwright install chromium >/tmp/preflight-browser-download.log 2>&1; then
  say "Playwright's Chromium is installed"
  exit 0
fi
say "the browser download failed (this machine cannot reach Playwright's download host; log: /tmp/preflight-browser-download.log)"

can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
headless_shell() { [ -x /usr/lib/chromium/chromium-headless-shell ] || [ -x /usr/bin/chromium-headless-shell ]; }

# Headless specs run in Chromium's headless shell where it is installed, as Playwright's own download does: a third
# of the full browser's CPU (harness/browser/chromium.ts). Without it the full browser runs them, only slower.
add_headless_shell() {
  headless_shell && return 0
  can_apt || { say "Chromium's headless shell is not installed (Debian: apt-get install chromium-headless-shell): headless specs use the full browser"; return 0; }
  say "installing Chromium's headless shell with apt-get (Debian's chromium-headless-shell package)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell; } >/tmp/preflight-apt.log 2>&1 ||
    say "apt-get install chromium-headless-shell failed (see /tmp/preflight-apt.log): headless specs use the full browser"
}

if [ -x /usr/bin/chromium ]; then
  add_headless_shell
  say "using the system Chromium: /usr/bin/chromium ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))$(headless_shell && echo ', its headless shell for headless specs')"
  exit 0
fi

if can_apt; then
  say "installing the system Chromium with apt-get (Debian's chromium and chromium-headless-shell packages)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-headless-shell >/tmp/preflight-apt.log 2>&1 || {
    say "apt-get install chromium failed; see /tmp/preflight-apt.log" >&2
    exit 1
  }
  say "using the system Chromium: /usr/bin/chromium ($(/usr/bin/chromium --version 2>/dev/null)), its headless shell for headless specs"
  exit 0
fi

cat >&2 <<'MSG'
preflight setup: no Chromium could be installed on this machine.
  Do one of these, then run `npx playwright test`:
  - where Playwright's download host is reachable: npx playwright install --with-deps chromium
  - on Debian or Ubuntu: sudo apt-get install -y chromium
  - anywhere: set PREFLIGHT_CHROMIUM_PATH to a Chromium or Chrome binary (in the environment or .env)
MSG
exit 1
