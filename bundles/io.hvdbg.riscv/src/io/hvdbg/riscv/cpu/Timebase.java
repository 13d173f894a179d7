/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.cpu;

/**
 * Guest time: one retired instruction is one nanosecond; the timer the guest sees (time CSR,
 * ACLINT mtime, stimecmp) runs at 10 MHz like QEMU's virt machine, so one tick is 100 ns.
 */
public final class Timebase {
    public static final long FREQUENCY_HZ = 10_000_000L;
    public static final long NS_PER_TICK = 1_000_000_000L / FREQUENCY_HZ;

    private Timebase() {
    }

    /** Guest ns at which the tick count reaches {@code ticks} (unsigned), or Long.MAX_VALUE for never. */
    public static long deadlineNs(long ticks) {
        if (ticks < 0 || ticks >= Long.MAX_VALUE / NS_PER_TICK) {
            return Long.MAX_VALUE;
        }
        return ticks * NS_PER_TICK;
    }
}
