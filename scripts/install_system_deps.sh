#!/usr/bin/env bash
# Install the Debian packages listed in apt-packages.txt that are not installed yet.
# Needs root (CI runs as root); elsewhere run it with sudo or install the list by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t wanted < <(grep -v '^\s*#' apt-packages.txt | grep -v '^\s*$')
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Packaged DNS services must not run outside the tests' loopback-only namespaces.
for svc in knot unbound dnsdist; do
  $SUDO systemctl disable --now "$svc" >/dev/null 2>&1 || true
  pkill -x "${svc/knot/knotd}" >/dev/null 2>&1 || true
done
