/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.dev;

import java.util.function.BiConsumer;

import io.hvdbg.core.memory.MmioHandler;
import io.hvdbg.core.memory.PioHandler;

/**
 * QEMU's pc-testdev, which kvm-unit-tests' x86 tests expect ({@code -device pc-testdev}): a
 * 32-bit scratch register at ports 0xE0-0xE3 (any access size, also byte-wise at 0xE8-0xEB), the
 * page-flush port 0xE4 (a no-op here: the host keeps no mappings of its own to drop), one write
 * port per ISA IRQ line at 0x2000-0x2017 (the value's truth sets the line's level), and 64 KiB of
 * MMIO-backed scratch memory at 0xFF000000 for instruction-emulation tests.
 */
public final class PcTestDev implements PioHandler {
    public static final int DATA_PORT = 0xE0;
    public static final int FLUSH_PORT = 0xE4;
    public static final int BYTE_PORT = 0xE8;
    public static final int IRQ_PORT = 0x2000;
    public static final int IRQ_LINES = 24;
    public static final long IOMEM = 0xFF000000L;
    public static final int IOMEM_SIZE = 0x10000;

    private final BiConsumer<Integer, Boolean> irqLine;
    private int data;
    private final byte[] iomem = new byte[IOMEM_SIZE];

    /** {@code irqLine} drives ISA IRQ line n (as QEMU's isa_get_irq). */
    public PcTestDev(BiConsumer<Integer, Boolean> irqLine) {
        this.irqLine = irqLine;
    }

    @Override
    public int in(int port, int size) {
        if (port >= IRQ_PORT || port >= FLUSH_PORT && port < BYTE_PORT) {
            return (int) ((1L << (8 * size)) - 1);
        }
        int shift = (port & 3) * 8;
        long mask = ((1L << (8 * size)) - 1) << shift;
        return (int) ((data & mask & 0xFFFF_FFFFL) >>> shift);
    }

    @Override
    public void out(int port, int size, int value) {
        if (port >= IRQ_PORT) {
            irqLine.accept(port - IRQ_PORT, (value & 0xFF) != 0);
            return;
        }
        if (port >= FLUSH_PORT && port < BYTE_PORT) {
            return;
        }
        int shift = (port & 3) * 8;
        long mask = (((1L << (8 * size)) - 1) << shift) & 0xFFFF_FFFFL;
        data = (int) ((data & ~mask) | (((long) value << shift) & mask));
    }

    /** The scratch memory at {@link #IOMEM}: every access is an MMIO exit. */
    public MmioHandler iomem() {
        return new MmioHandler() {
            @Override
            public long read(long offset, int size) {
                long v = 0;
                for (int i = size - 1; i >= 0; i--) {
                    int o = (int) offset + i;
                    v = (v << 8) | (o < IOMEM_SIZE ? iomem[o] & 0xFF : 0xFF);
                }
                return v;
            }

            @Override
            public void write(long offset, int size, long value) {
                for (int i = 0; i < size; i++) {
                    int o = (int) offset + i;
                    if (o < IOMEM_SIZE) {
                        iomem[o] = (byte) (value >>> (8 * i));
                    }
                }
            }
        };
    }
}
