#!/usr/bin/env bash
# Installs what the tests need beyond Node and npm: Debian's Chromium, which @torchlet/data's
# browser tests drive (Playwright's own browser downloads are unreachable here). Needs root.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium
fi
