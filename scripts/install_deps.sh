#!/usr/bin/env bash
# Installs the Debian packages mcunet needs, only those missing; quiet when all
# are present. Idempotent. Uses sudo when not root.
set -euo pipefail

PACKAGES=(
  cmake make g++ clang libclang-rt-14-dev ccache
  libflatbuffers-dev flatbuffers-compiler
  libcli11-dev libfmt-dev nlohmann-json3-dev
  libgtest-dev
  gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
  libtorch-dev zlib1g-dev libstb-dev dataset-fashion-mnist
  chromium  # renders `mcunet report` pages in the report test
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "mcunet: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
