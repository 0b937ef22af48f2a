#!/usr/bin/env bash
# Checks the .deb built by scripts/tauri.sh: the binary is inside, and its desktop entry passes
# the URL (%u) and registers Kura as the handler of its callback scheme.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET="${CARGO_TARGET_DIR:-$HOME/.cache/kura/target}"
deb=$(ls -t "$TARGET"/debug/bundle/deb/*.deb 2>/dev/null | head -1)
rpm=$(ls -t "$TARGET"/debug/bundle/rpm/*.rpm 2>/dev/null | head -1)
[ -n "$deb" ] || { echo "check-package: no .deb under $TARGET/debug/bundle/deb" >&2; exit 1; }
[ -n "$rpm" ] || { echo "check-package: no .rpm under $TARGET/debug/bundle/rpm" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp"
test -x "$tmp/usr/bin/kura-desktop" || { echo "check-package: usr/bin/kura-desktop missing from $deb" >&2; exit 1; }
desktop=$(ls "$tmp"/usr/share/applications/*.desktop)
grep -q '^Exec=kura-desktop %u$' "$desktop" || { echo "check-package: Exec lacks %u in $desktop" >&2; cat "$desktop" >&2; exit 1; }
grep -q '^MimeType=x-scheme-handler/app.kura.desktop;$' "$desktop" || { echo "check-package: no scheme handler in $desktop" >&2; exit 1; }
desktop-file-validate "$desktop"
echo "check-package: ok: $(basename "$deb") ($(du -h "$deb" | cut -f1)), $(basename "$rpm") ($(du -h "$rpm" | cut -f1)); desktop entry passes %u and handles app.kura.desktop:"
