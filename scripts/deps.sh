#!/usr/bin/env bash
# Installs the Debian packages Kassa needs that this machine lacks, then nothing else.
#   scripts/deps.sh build   cgo/OpenGL/X11 headers Fyne is compiled against, and the GL runtime
#   scripts/deps.sh test    the above plus what the tests drive: pseudo-terminal tools, Xvfb, xdotool, ImageMagick,
#                           PostgreSQL (the hub's tests start a throw-away server with scripts/pg.sh)
set -euo pipefail

build_pkgs=(gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev
  libxi-dev libxxf86vm-dev libgl1-mesa-dri)
test_pkgs=(socat xvfb xdotool imagemagick postgresql)

want=("${build_pkgs[@]}")
[ "${1:-build}" = test ] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v go >/dev/null 2>&1; then
  echo "deps: Go is not installed; install Go $(sed -n 's/^go //p' "$(dirname "$0")/../go.mod") or newer" >&2
  exit 1
fi
