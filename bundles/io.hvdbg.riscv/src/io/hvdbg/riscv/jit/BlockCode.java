/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.jit;

/**
 * The compiled code of one block: {@link BlockCompiler} emits a hidden subclass per block. A run
 * has no effect beyond the register file and guest RAM through the micro-TLB hits: whatever
 * the block cannot finish on its own (a micro-TLB miss, the budget) it leaves, with every
 * register written back, at the exact instruction where the interpreter must go on.
 */
public abstract class BlockCode {
    protected BlockCode() {
    }

    /**
     * Runs the block whose first instruction is at virtual address {@code pc}, with guest time
     * {@code now} and the slice ending at {@code end} (the caller checked that one pass fits:
     * {@code now + length <= end}). Returns the pc to go on at and leaves the guest time
     * there (instructions started so far) in {@link JitState#timeNs}.
     */
    public abstract long run(JitState s, long pc, long now, long end);
}
