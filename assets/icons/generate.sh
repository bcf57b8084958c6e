#!/usr/bin/env bash
# Renders the PNG icons from the SVG sources (needs librsvg2-bin and imagemagick).
# The PNGs are committed; run this only after changing an SVG.
set -euo pipefail
cd "$(dirname "$0")"
for s in 32 64 128 256 512; do rsvg-convert -w $s -h $s app.svg -o app-${s}.png; done
cp app-32.png 32x32.png; cp app-128.png 128x128.png; cp app-256.png 128x128@2x.png; cp app-512.png icon.png
for st in protected attention off; do rsvg-convert -w 64 -h 64 tray-$st.svg -o tray-$st.png; done
convert app-256.png app-128.png app-64.png app-32.png icon.ico
rm -f app-*.png
