#!/usr/bin/env bash
# Shared by tools/serve and tools/test: installs the Debian packages the build
# needs (only those missing; quick when all are present), then configures and
# builds. Sourced, not run.

COMPACTSIM_PACKAGES=(
  build-essential cmake pkg-config curl
  libcaf-dev libssl-dev
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  libcli11-dev libspdlog-dev libhowardhinnant-date-dev libbenchmark-dev
  ccache
)

# The real tools that judge compactsim's formats in the test suite: promtool
# (every /metrics), xmllint (JUnit XML against its schema), node and npm for
# ajv (JSON Schema) and swagger-parser (OpenAPI), pinned in tests/js.
# Debian's chromium runs the browser tests, driven by playwright-core (npm,
# tests/js): no browser download. clang and its libFuzzer runtime build the
# fuzz targets (fuzz/), which ctest runs under ASan and UBSan.
COMPACTSIM_TEST_PACKAGES=(prometheus libxml2-utils chromium fonts-dejavu-core clang libclang-rt-14-dev)

compactsim_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

# compactsim_install_packages [extra packages...]
compactsim_install_packages() {
  local missing=()
  for p in "${COMPACTSIM_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "compactsim: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# compactsim_build BUILD_DIR [extra cmake args...]
compactsim_build() {
  local dir=$1; shift
  local root; root=$(compactsim_root)
  compactsim_install_web_modules
  # ccache keys on paths relative to the source root, so a fresh clone in
  # another folder (CI) reuses what an earlier build of the same sources made.
  export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
  cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$dir" -j "$(nproc)"
}

# compactsim_npm_ci DIR: the npm modules of DIR exactly as its
# package-lock.json pins them (node and npm installed first when missing);
# reinstalled only when the lock file changed.
compactsim_npm_ci() {
  local dir=$1 stamp="$1/node_modules/.compactsim-lock"
  if ! command -v npm >/dev/null 2>&1; then
    compactsim_install_packages nodejs npm
  fi
  if [ -f "$stamp" ] && cmp -s "$dir/package-lock.json" "$stamp"; then
    return 0
  fi
  echo "compactsim: npm ci in $dir" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$dir/package-lock.json" "$stamp"
}

# What the build embeds: uPlot for the dashboard and the HTML report (web/).
compactsim_install_web_modules() { compactsim_npm_ci "$(compactsim_root)/web"; }

# The format judges and the browser driver of the tests (tests/js).
compactsim_install_node_modules() { compactsim_npm_ci "$(compactsim_root)/tests/js"; }
