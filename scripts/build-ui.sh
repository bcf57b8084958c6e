#!/usr/bin/env bash
# Builds the front end (type-check, then Vite into ui/dist) unless nothing
# it is built from changed since the last build. The app binary embeds
# ui/dist and cargo rebuilds it whenever a file there is newer, so an
# unneeded UI build costs a full release build of the app (about four
# minutes on two cores): the test command builds the UI once and every
# later step reuses it.
set -euo pipefail
cd "$(dirname "$0")/../ui"
stamp=dist/.built
if [ -f "$stamp" ] && [ -z "$(find src public ./*.html package.json package-lock.json tsconfig.json vite.config.ts ../locales \
    -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  echo "build-ui: ui/dist is up to date"
  exit 0
fi
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run build
touch "$stamp"
