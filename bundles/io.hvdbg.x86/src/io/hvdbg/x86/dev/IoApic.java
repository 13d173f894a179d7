/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.dev;

import io.hvdbg.core.memory.MmioHandler;

/**
 * The IOAPIC at 0xFEC00000: IOREGSEL/IOWIN with id, version (24 redirection entries) and the
 * redirection table kept as written (no device interrupts are routed through it yet).
 */
public final class IoApic implements MmioHandler {
    public static final long BASE = 0xFEC00000L;
    private int select;
    private int id;
    private final long[] redirection = new long[24];

    public IoApic() {
        java.util.Arrays.fill(redirection, 1L << 16);
    }

    @Override
    public long read(long offset, int size) {
        if (offset == 0) {
            return select;
        }
        if (offset == 0x10) {
            return switch (select) {
                case 0 -> id << 24;
                case 1 -> 0x00170020;
                case 2 -> id << 24;
                default -> {
                    int i = (select - 0x10) >> 1;
                    if (i < 0 || i >= 24) {
                        yield 0;
                    }
                    yield (select & 1) == 0 ? redirection[i] & 0xFFFF_FFFFL : redirection[i] >>> 32;
                }
            };
        }
        return 0;
    }

    @Override
    public void write(long offset, int size, long value) {
        if (offset == 0) {
            select = (int) value & 0xFF;
            return;
        }
        if (offset == 0x10) {
            if (select == 0) {
                id = (int) (value >>> 24) & 0xF;
                return;
            }
            int i = (select - 0x10) >> 1;
            if (i >= 0 && i < 24) {
                long v = value & 0xFFFF_FFFFL;
                redirection[i] = (select & 1) == 0 ? (redirection[i] & ~0xFFFF_FFFFL) | v
                        : (redirection[i] & 0xFFFF_FFFFL) | (v << 32);
            }
        }
    }
}
