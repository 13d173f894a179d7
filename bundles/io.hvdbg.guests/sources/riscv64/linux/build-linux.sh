#!/usr/bin/env bash
# Copyright (c) 2026 hvdbg contributors
# SPDX-License-Identifier: EPL-2.0
# Builds the riscv64 Linux test kernel (arch/riscv/boot/Image) and its initramfs from
# Debian's linux-source-6.1 with Debian's riscv64 cross compiler:
#   apt-get install linux-source-6.1 gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu \
#                   bc flex bison libssl-dev libelf-dev cpio
# Usage: build-linux.sh OUT_DIR [BUILD_DIR]   (the committed kernel: OUT_DIR = ../../../images/riscv64/linux)
#   OUT_DIR gets Image.gz (gzip of arch/riscv/boot/Image) and initramfs.cpio.gz.
#   BUILD_DIR (default /tmp/hvdbg-linux) holds the unpacked source tree; it is reused.
# The kernel is tinyconfig plus hvdbg.config (printk, 8250 UART, SBI console, PLIC,
# initrd, ELF, SMP). The build runs at nice 19 with one job, so it never starves
# other work on a small machine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mkdir -p "${1:?usage: build-linux.sh OUT_DIR [BUILD_DIR]}" && cd "$1" && pwd)"
build="${2:-/tmp/hvdbg-linux}"
tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -1)
[ -n "$tarball" ] || { echo "build-linux: install linux-source-6.1 first" >&2; exit 2; }
mkdir -p "$build"
src="$build/linux-source-6.1"
if [ ! -f "$src/Makefile" ]; then
  tar -C "$build" -xf "$tarball"
fi
mk() { nice -n 19 make -C "$src" -j1 ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- "$@"; }
if [ ! -f "$src/.config" ] || ! cmp -s "$here/hvdbg.config" "$build/hvdbg.config.used"; then
  mk tinyconfig
  (cd "$src" && ARCH=riscv scripts/kconfig/merge_config.sh -m .config "$here/hvdbg.config")
  mk olddefconfig
  cp "$here/hvdbg.config" "$build/hvdbg.config.used"
fi
mk Image
# Check that the fragment's essentials survived Kconfig (a silently dropped option would
# give a kernel that boots to nothing).
for opt in CONFIG_SERIAL_8250_CONSOLE CONFIG_HVC_RISCV_SBI CONFIG_BLK_DEV_INITRD CONFIG_BINFMT_ELF CONFIG_SIFIVE_PLIC CONFIG_SMP; do
  grep -q "^$opt=y" "$src/.config" || { echo "build-linux: $opt is not set in the kernel config" >&2; exit 1; }
done
gzip -9 -n -c "$src/arch/riscv/boot/Image" > "$out/Image.gz"
# The initramfs: /init (static, raw syscalls) and /dev/console, packed by the kernel's
# own gen_init_cpio.
make -C "$here/../init" OUT="$build/init"
cat > "$build/initramfs.list" <<LIST
dir /dev 0755 0 0
nod /dev/console 0600 0 0 c 5 1
file /init $build/init/init 0755 0 0
LIST
mk usr/gen_init_cpio >/dev/null 2>&1 || true
"$src/usr/gen_init_cpio" "$build/initramfs.list" | gzip -9 -n > "$out/initramfs.cpio.gz"
ls -l "$out/Image.gz" "$out/initramfs.cpio.gz"
