/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.dev;

import io.hvdbg.core.memory.MmioHandler;

/**
 * The IOAPIC at 0xFEC00000 as QEMU's (version 0x20, 24 pins): IOREGSEL/IOWIN, the EOI register
 * at 0x40, and a redirection table whose entries send fixed, lowest-priority, NMI, INIT or
 * ExtINT messages to the local APICs in physical or logical destination mode. Edge inputs are
 * ignored while masked; level inputs set Remote IRR when delivered and are delivered again after
 * the LAPIC's EOI broadcast (or an EOI register write) if still asserted. Polarity low inverts
 * the input.
 */
public final class IoApic implements MmioHandler {
    public static final long BASE = 0xFEC00000L;
    public static final int PINS = 24;
    public static final int VERSION = 0x00170020;

    static final long MASKED = 1L << 16;
    static final long LEVEL = 1L << 15;
    static final long REMOTE_IRR = 1L << 14;
    static final long POLARITY_LOW = 1L << 13;
    static final long DELIVERY_STATUS = 1L << 12;
    private static final long READ_ONLY = REMOTE_IRR | DELIVERY_STATUS;

    /** The APIC bus: a message to the local APICs. */
    @FunctionalInterface
    public interface Bus {
        /** {@code mode}: 0 fixed, 1 lowest priority, 4 NMI, 5 INIT, 7 ExtINT; {@code level}: level-triggered. */
        void deliver(int dest, boolean logical, int vector, int mode, boolean level);
    }

    private int select;
    private int id;
    private final long[] redirection = new long[PINS];
    /** Asserted inputs (after polarity): pending for edge, held for level. */
    private int irr;
    private Bus bus = (dest, logical, vector, mode, level) -> { };
    private Runnable changed = () -> { };

    public IoApic() {
        java.util.Arrays.fill(redirection, MASKED);
    }

    public void setBus(Bus bus) {
        this.bus = bus;
    }

    /** Called after a redirection entry changes (a mask may hide or reveal a timer's interrupts). */
    public void setChangeListener(Runnable listener) {
        this.changed = listener;
    }

    /** Drives global system interrupt {@code pin} to {@code level}. */
    public void setIrq(int pin, boolean level) {
        if (pin < 0 || pin >= PINS) {
            return;
        }
        int mask = 1 << pin;
        long entry = redirection[pin];
        if ((entry & POLARITY_LOW) != 0) {
            level = !level;
        }
        if ((entry & LEVEL) != 0) {
            if (level) {
                irr |= mask;
                if ((entry & REMOTE_IRR) == 0) {
                    service();
                }
            } else {
                irr &= ~mask;
            }
        } else if (level && (entry & MASKED) == 0) {
            irr |= mask; // edges on a masked pin are lost (82093AA)
            service();
        }
    }

    /** True if {@code pin} is unmasked. */
    public boolean unmasked(int pin) {
        return (redirection[pin] & MASKED) == 0;
    }

    private void service() {
        for (int pin = 0; pin < PINS; pin++) {
            int mask = 1 << pin;
            if ((irr & mask) == 0) {
                continue;
            }
            long entry = redirection[pin];
            if ((entry & MASKED) != 0) {
                continue;
            }
            boolean level = (entry & LEVEL) != 0;
            if (level) {
                if ((entry & REMOTE_IRR) != 0) {
                    continue;
                }
                redirection[pin] = entry | REMOTE_IRR;
            } else {
                irr &= ~mask;
            }
            int mode = (int) (entry >>> 8) & 7;
            boolean logical = (entry & (1 << 11)) != 0;
            int dest = (int) (entry >>> 56) & 0xFF;
            bus.deliver(dest, logical, (int) entry & 0xFF, mode, level && mode != 4);
        }
    }

    /** The EOI of a level-triggered {@code vector} (LAPIC broadcast or the EOI register). */
    public void endOfInterrupt(int vector) {
        boolean again = false;
        for (int pin = 0; pin < PINS; pin++) {
            long entry = redirection[pin];
            if ((entry & 0xFF) == vector && (entry & (LEVEL | REMOTE_IRR)) == (LEVEL | REMOTE_IRR)) {
                redirection[pin] = entry & ~REMOTE_IRR;
                again |= (entry & MASKED) == 0 && (irr & (1 << pin)) != 0;
            }
        }
        if (again) {
            service();
        }
    }

    @Override
    public long read(long offset, int size) {
        if (offset == 0) {
            return select;
        }
        if (offset == 0x10) {
            return switch (select) {
                case 0 -> id << 24;
                case 1 -> VERSION;
                case 2 -> id << 24;
                default -> {
                    int i = (select - 0x10) >> 1;
                    if (i < 0 || i >= PINS) {
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
        if (offset == 0x40) {
            endOfInterrupt((int) value & 0xFF);
            return;
        }
        if (offset != 0x10) {
            return;
        }
        if (select == 0) {
            id = (int) (value >>> 24) & 0xF;
            return;
        }
        int i = (select - 0x10) >> 1;
        if (i < 0 || i >= PINS) {
            return;
        }
        long v = value & 0xFFFF_FFFFL;
        long old = redirection[i];
        long entry = (select & 1) == 0 ? (old & ~0xFFFF_FFFFL) | (v & ~READ_ONLY) | (old & READ_ONLY)
                : (old & 0xFFFF_FFFFL) | (v << 32);
        if ((entry & LEVEL) == 0) {
            entry &= ~REMOTE_IRR;
        }
        redirection[i] = entry;
        changed.run();
        service();
    }

    /** A redirection entry, for inspection and tests. */
    public long entry(int pin) {
        return redirection[pin];
    }
}
