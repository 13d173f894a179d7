/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.dev;

import java.util.function.LongSupplier;

import io.hvdbg.core.memory.PioHandler;

/** The ACPI PM timer (QEMU pc: port 0x608): 24-bit counter at 3.579545 MHz of guest time. */
public final class PmTimer implements PioHandler {
    public static final int PORT = 0x608;
    private final LongSupplier guestNanos;

    public PmTimer(LongSupplier guestNanos) {
        this.guestNanos = guestNanos;
    }

    @Override
    public int in(int port, int size) {
        long ticks = guestNanos.getAsLong() * 3_579_545L / 1_000_000_000L;
        return (int) (ticks & 0xFFFFFF) >>> (8 * (port - PORT));
    }

    @Override
    public void out(int port, int size, int value) {
    }
}
