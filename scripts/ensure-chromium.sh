#!/usr/bin/env bash
# Make sure a Chromium the driver can launch is present. On Debian/Ubuntu as
# root it installs Debian's package; elsewhere it says exactly what to install.
# Honours $OAUTHCONFORM_BROWSER (an explicit executable).
set -euo pipefail

if [ -n "${OAUTHCONFORM_BROWSER:-}" ]; then
  if command -v "$OAUTHCONFORM_BROWSER" >/dev/null 2>&1; then exit 0; fi
  echo "ensure-chromium: OAUTHCONFORM_BROWSER=$OAUTHCONFORM_BROWSER is not executable" >&2
  exit 1
fi
for b in chromium chromium-browser google-chrome google-chrome-stable chrome; do
  if command -v "$b" >/dev/null 2>&1; then exit 0; fi
done

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: installing Debian's chromium package" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  command -v chromium >/dev/null 2>&1 && exit 0
fi

cat >&2 <<'MSG'
ensure-chromium: no Chromium found. Install one, then run the command again:
  Debian/Ubuntu:  sudo apt-get install -y chromium
  Fedora:         sudo dnf install -y chromium
  macOS:          brew install --cask chromium
or point the harness at an executable: OAUTHCONFORM_BROWSER=/path/to/chrome
(or browser.bin in ginkgo.yaml), or at a running browser: browser.remote.
MSG
exit 1
