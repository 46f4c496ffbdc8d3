#!/usr/bin/env bash
# Installs what the VS Code test bed needs (see shared/vscode-testbed.md): Debian's Chromium and the
# build/runtime bits of code-server, then code-server itself into a cache folder outside the repo.
# Idempotent: when everything is there it only checks and returns within a second or two.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# @vscode/ripgrep 1.15.11 (code-server's) downloads rg v13.0.0 from GitHub unless this cache holds it.
RIPGREP_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
RIPGREP_TARBALL="$RIPGREP_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
TESTBED_DIR="${MATHNOTES_TESTBED:-$HOME/.cache/mathnotes-testbed}"
CS_DIR="$TESTBED_DIR/code-server"

say() { echo "[testbed] $*"; }
die() { echo "[testbed] ERROR: $*" >&2; exit 1; }

# 1. Debian packages. kerberos (a code-server dependency) needs gssapi.h from libkrb5-dev; ripgrep seeds
# @vscode/ripgrep; fonts-noto-cjk keeps Chinese text in screenshots from rendering as boxes.
missing=()
# playwright-core is pointed at /usr/bin/chromium (Debian's), so another chromium on PATH is not enough.
{ command -v chromium >/dev/null 2>&1 && [[ -x /usr/bin/chromium ]]; } || missing+=(chromium)
command -v rg >/dev/null 2>&1 || missing+=(ripgrep)
for pkg in libkrb5-dev fonts-noto-cjk; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  [[ $(id -u) == 0 ]] || die "need root to apt-get install ${missing[*]} (or install them yourself)"
  say "apt-get install ${missing[*]}"
  apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
else
  say "Debian packages present (chromium, ripgrep, libkrb5-dev, fonts-noto-cjk)"
fi

# 2. Seed @vscode/ripgrep's download cache with Debian's rg (the same 13.0.0 release).
if [[ ! -s $RIPGREP_TARBALL ]]; then
  say "seeding ripgrep cache $RIPGREP_TARBALL"
  mkdir -p "$RIPGREP_CACHE"
  tar czf "$RIPGREP_TARBALL" -C "$(dirname "$(command -v rg)")" rg || die "cannot seed ripgrep cache"
fi

# 3. code-server, unless the cache already holds this version. The marker is written only after a
# complete install (an interrupted one can leave code-server's package.json without its native builds).
MARKER="$CS_DIR/.installed-$CODE_SERVER_VERSION"
installed_version() {
  node -e 'try { process.stdout.write(require(process.argv[1]).version) } catch {}' \
    "$CS_DIR/node_modules/code-server/package.json"
}
if [[ -f $MARKER && $(installed_version) == "$CODE_SERVER_VERSION" ]]; then
  say "code-server $CODE_SERVER_VERSION present in $CS_DIR"
else
  say "installing code-server@$CODE_SERVER_VERSION into $CS_DIR (about 2 minutes: native modules build)"
  mkdir -p "$CS_DIR"
  cd "$CS_DIR"
  [[ -f package.json ]] || echo '{ "name": "mathnotes-testbed", "private": true }' > package.json
  # unsafe_perm: its postinstall must run as root; yes: node-pty's postinstall runs `npx node-gyp`.
  # nodedir: build native modules against the machine's Node headers instead of downloading them.
  export npm_config_unsafe_perm=true npm_config_yes=true
  [[ -f /usr/include/node/node.h ]] && export npm_config_nodedir=/usr
  # Under `npm test` npm exports the project's settings to scripts (local prefix, allow-scripts...):
  # they are not meant for this separate install.
  unset npm_config_local_prefix npm_config_prefix npm_config_global_prefix npm_config_allow_scripts
  log="$CS_DIR/install.log"
  if ! npm install --prefix "$CS_DIR" "code-server@$CODE_SERVER_VERSION" --no-audit --no-fund >"$log" 2>&1; then
    tail -30 "$log" >&2
    die "npm install code-server@$CODE_SERVER_VERSION failed (full log: $log)"
  fi
  [[ $(installed_version) == "$CODE_SERVER_VERSION" ]] || die "code-server did not install (log: $log)"
  touch "$MARKER"
  say "code-server $CODE_SERVER_VERSION installed"
fi
