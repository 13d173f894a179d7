/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.devices;

import io.hvdbg.core.memory.MmioHandler;

/**
 * SiFive-compatible PLIC ("sifive,plic-1.0.0" / "riscv,plic0") with level-triggered sources
 * and one S-mode context per hart (context N = hart N), as a guest in VS-mode sees it. A
 * context whose best pending enabled source beats its threshold raises the hart's external
 * interrupt line (VSEIP, injected through hvip as KVM's irqchip does).
 */
public final class Plic implements MmioHandler {
    /** Number of interrupt sources (1..NDEV; source 0 does not exist). */
    public static final int NDEV = 95;
    public static final long SIZE = 0x600000;

    /** Receives the external interrupt line of each context. */
    public interface Line {
        void set(int context, boolean level);
    }

    private final int contexts;
    private final Line line;
    private final int[] priority = new int[NDEV + 1];
    private final boolean[] level = new boolean[NDEV + 1];
    private final boolean[] pending = new boolean[NDEV + 1];
    private final boolean[] claimed = new boolean[NDEV + 1];
    private final long[][] enable;
    private final int[] threshold;
    private final boolean[] output;

    public Plic(int contexts, Line line) {
        this.contexts = contexts;
        this.line = line;
        this.enable = new long[contexts][2];
        this.threshold = new int[contexts];
        this.output = new boolean[contexts];
    }

    /** A device drives source {@code irq} to {@code high}. */
    public synchronized void setIrq(int irq, boolean high) {
        if (irq <= 0 || irq > NDEV) {
            return;
        }
        level[irq] = high;
        if (high && !claimed[irq]) {
            pending[irq] = true;
        }
        if (!high) {
            pending[irq] = false;
        }
        update();
    }

    private boolean enabled(int ctx, int irq) {
        return (enable[ctx][irq >>> 6] & (1L << (irq & 63))) != 0;
    }

    private int best(int ctx) {
        int best = 0;
        int bestPrio = threshold[ctx];
        for (int i = 1; i <= NDEV; i++) {
            if (pending[i] && enabled(ctx, i) && priority[i] > bestPrio) {
                best = i;
                bestPrio = priority[i];
            }
        }
        return best;
    }

    private void update() {
        for (int c = 0; c < contexts; c++) {
            boolean out = best(c) != 0;
            if (out != output[c]) {
                output[c] = out;
                line.set(c, out);
            }
        }
    }

    @Override
    public synchronized long read(long offset, int size) {
        if (offset < 0x1000) {
            int i = (int) (offset >>> 2);
            return i <= NDEV ? priority[i] : 0;
        }
        if (offset < 0x2000) {
            int word = (int) ((offset - 0x1000) >>> 2);
            long v = 0;
            for (int b = 0; b < 32; b++) {
                int irq = word * 32 + b;
                if (irq <= NDEV && pending[irq]) {
                    v |= 1L << b;
                }
            }
            return v;
        }
        if (offset < 0x200000) {
            int ctx = (int) ((offset - 0x2000) / 0x80);
            int word = (int) (((offset - 0x2000) % 0x80) >>> 2);
            if (ctx >= contexts || word > 3) {
                return 0;
            }
            return (enable[ctx][word >>> 1] >>> ((word & 1) * 32)) & 0xFFFF_FFFFL;
        }
        int ctx = (int) ((offset - 0x200000) / 0x1000);
        int reg = (int) ((offset - 0x200000) % 0x1000);
        if (ctx >= contexts) {
            return 0;
        }
        if (reg == 0) {
            return threshold[ctx];
        }
        if (reg == 4) {
            int irq = best(ctx);
            if (irq != 0) {
                pending[irq] = false;
                claimed[irq] = true;
                update();
            }
            return irq;
        }
        return 0;
    }

    @Override
    public synchronized void write(long offset, int size, long value) {
        if (offset < 0x1000) {
            int i = (int) (offset >>> 2);
            if (i > 0 && i <= NDEV) {
                priority[i] = (int) value & 7;
            }
        } else if (offset >= 0x2000 && offset < 0x200000) {
            int ctx = (int) ((offset - 0x2000) / 0x80);
            int word = (int) (((offset - 0x2000) % 0x80) >>> 2);
            if (ctx < contexts && word <= 2) {
                int shift = (word & 1) * 32;
                long v = (value & 0xFFFF_FFFFL) << shift;
                if (word == 0) {
                    v &= ~1L; // source 0 does not exist
                }
                enable[ctx][word >>> 1] = (enable[ctx][word >>> 1] & ~(0xFFFF_FFFFL << shift)) | v;
            }
        } else if (offset >= 0x200000) {
            int ctx = (int) ((offset - 0x200000) / 0x1000);
            int reg = (int) ((offset - 0x200000) % 0x1000);
            if (ctx >= contexts) {
                return;
            }
            if (reg == 0) {
                threshold[ctx] = (int) value & 7;
            } else if (reg == 4) {
                int irq = (int) value;
                if (irq > 0 && irq <= NDEV && claimed[irq]) {
                    claimed[irq] = false;
                    if (level[irq]) {
                        pending[irq] = true;
                    }
                }
            }
        }
        update();
    }
}
