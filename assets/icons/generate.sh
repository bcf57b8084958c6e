#!/usr/bin/env bash
# Renders the icons from the SVG sources (needs librsvg2-bin, imagemagick and
# the Tauri CLI from the repository's package.json). The results are
# committed; run this only after changing an SVG.
set -euo pipefail
cd "$(dirname "$0")"
for s in 32 64 128 256 512; do rsvg-convert -w $s -h $s app.svg -o app-${s}.png; done
cp app-32.png 32x32.png; cp app-128.png 128x128.png; cp app-256.png 128x128@2x.png; cp app-512.png icon.png
# Every size Linux desktops ask the hicolor theme for (menus, docks, the
# software center).
mkdir -p hicolor
for s in 16 22 24 32 48 64 96 128 256 512; do rsvg-convert -w $s -h $s app.svg -o hicolor/${s}x${s}.png; done
for st in protected attention off; do rsvg-convert -w 64 -h 64 tray-$st.svg -o tray-$st.png; done
# Windows picks the size it shows from the .ico: 16 and 24 (taskbar, title
# bars, small icons at 100 % and 150 %), 32, 48 (Explorer), up to 256.
for s in 16 24 48; do rsvg-convert -w $s -h $s app.svg -o app-${s}.png; done
convert app-256.png app-128.png app-64.png app-48.png app-32.png app-24.png app-16.png icon.ico
# The macOS bundle's icon set.
rsvg-convert -w 1024 -h 1024 app.svg -o app-1024.png
tmp=$(mktemp -d)
(cd ../.. && npx tauri icon assets/icons/app-1024.png -o "$tmp" >/dev/null)
cp "$tmp/icon.icns" icon.icns
rm -rf "$tmp" app-*.png
# The sidebar's logo is the same drawing (a test checks they match).
cp app.svg ../../ui/public/veil-logo.svg
