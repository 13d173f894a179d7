/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.jit;

/** A compiled block (a hidden class written by {@link BlockCompiler}). */
public abstract class BlockCode {
    protected BlockCode() {
    }

    /**
     * Runs the block whose first instruction is at RIP {@code pc}, for at most {@code limit}
     * instructions (at least one full pass fits). Returns the instructions retired and leaves
     * RIP in {@link JitState#rip}, registers in {@link JitState#regs}, flags in the cc fields.
     */
    public abstract long run(JitState s, long pc, long limit);
}
