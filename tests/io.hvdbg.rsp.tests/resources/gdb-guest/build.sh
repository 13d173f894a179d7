#!/usr/bin/env bash
# Copyright (c) 2026 hvdbg contributors
# SPDX-License-Identifier: EPL-2.0
#
# Rebuilds the gdb tests' guest images next to their sources (Debian: binutils,
# binutils-riscv64-linux-gnu). The images are committed so the tests need no toolchain.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
as --64 -o "$tmp/x86_64.o" x86_64.S
ld -N --no-warn-rwx-segments --build-id=none -Ttext=0x1000 -Tdata=0x2000 -e _start -o x86_64.elf "$tmp/x86_64.o"
riscv64-linux-gnu-as -o "$tmp/riscv64.o" riscv64.S
riscv64-linux-gnu-ld -N --no-warn-rwx-segments --build-id=none -Ttext=0x1000 -Tdata=0x2000 -e _start \
  -o riscv64.elf "$tmp/riscv64.o"
ls -l x86_64.elf riscv64.elf
