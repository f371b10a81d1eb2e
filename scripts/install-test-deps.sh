#!/usr/bin/env bash
# Installs what the tests need beyond Node and npm: Debian's Chromium, which the browser tests
# drive (data loaders, the gpu device on WebGL2, the docs site; Playwright's own browser downloads
# are unreachable here). Needs root.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium
fi
