#!/usr/bin/env bash
# Rebuilds the committed guest images from sources/ with Debian's toolchains:
#   x86_64:  gcc, binutils (host)                       apt-get install gcc binutils
#   riscv64: gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu
# Usage: build-guests.sh [x86_64|riscv64]...   (default: both)
# Each architecture's sources/ARCH/Makefile builds into images/ARCH/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(x86_64 riscv64)
for a in "${arches[@]}"; do
  [ -f "$here/sources/$a/Makefile" ] || { echo "build-guests: no sources/$a/Makefile" >&2; exit 2; }
  make -C "$here/sources/$a" OUT="$here/images/$a"
done
