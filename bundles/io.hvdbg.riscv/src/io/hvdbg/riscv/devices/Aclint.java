/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.devices;

import java.util.function.LongSupplier;

import io.hvdbg.core.memory.MmioHandler;

/**
 * ACLINT at 0x2000000 laid out like QEMU's virt CLINT: MSWI (msip per hart at 0x0), MTIMER
 * (mtimecmp per hart at 0x4000, mtime at 0xbff8). Its interrupts are M-mode ones, which a
 * guest in VS-mode never takes (the guest's timer is SBI TIME or Sstc), so it only keeps the
 * registers; mtime reads the guest timebase (10 MHz).
 */
public final class Aclint implements MmioHandler {
    public static final long SIZE = 0x10000;
    private final LongSupplier ticks;
    private final int[] msip;
    private final long[] mtimecmp;

    public Aclint(int harts, LongSupplier ticks) {
        this.ticks = ticks;
        this.msip = new int[harts];
        this.mtimecmp = new long[harts];
        java.util.Arrays.fill(mtimecmp, -1L);
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (offset < 0x4000) {
            int h = (int) (offset >>> 2);
            return h < msip.length ? msip[h] : 0;
        }
        if (offset >= 0xBFF8) {
            long t = ticks.getAsLong();
            return offset == 0xBFF8 ? (size == 4 ? t & 0xFFFF_FFFFL : t) : t >>> 32;
        }
        int h = (int) ((offset - 0x4000) >>> 3);
        if (h >= mtimecmp.length) {
            return 0;
        }
        long v = mtimecmp[h];
        return (offset & 4) != 0 ? v >>> 32 : size == 4 ? v & 0xFFFF_FFFFL : v;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (offset < 0x4000) {
            int h = (int) (offset >>> 2);
            if (h < msip.length) {
                msip[h] = (int) value & 1;
            }
        } else if (offset < 0xBFF8) {
            int h = (int) ((offset - 0x4000) >>> 3);
            if (h < mtimecmp.length) {
                if (size == 8) {
                    mtimecmp[h] = value;
                } else if ((offset & 4) != 0) {
                    mtimecmp[h] = (mtimecmp[h] & 0xFFFF_FFFFL) | (value << 32);
                } else {
                    mtimecmp[h] = (mtimecmp[h] & ~0xFFFF_FFFFL) | (value & 0xFFFF_FFFFL);
                }
            }
        }
    }
}
