#!/usr/bin/env bash
# Shared by tools/serve and tools/test: installs the Debian packages the build
# needs (only those missing; quick when all are present), then configures and
# builds. Sourced, not run.

COMPACTSIM_PACKAGES=(
  build-essential cmake pkg-config curl
  libcaf-dev
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  libcli11-dev libspdlog-dev libhowardhinnant-date-dev libbenchmark-dev
)

compactsim_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

compactsim_install_packages() {
  local missing=()
  for p in "${COMPACTSIM_PACKAGES[@]}"; do
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
  cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  cmake --build "$dir" -j "$(nproc)"
}
