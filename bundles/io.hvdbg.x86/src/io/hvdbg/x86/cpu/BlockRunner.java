/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

/** Runs compiled guest code for the interpreter loop (implemented by io.hvdbg.x86.jit.X86Jit). */
public interface BlockRunner {
    /**
     * Runs the code at RIP, byte {@code offset} of the decoded page {@code codePage}, for at most
     * {@code limit} instructions, leaving registers, flags and RIP exactly as the interpreter
     * would. Returns the instructions retired; 0 means nothing ran and the interpreter goes on.
     */
    long run(X86Vcpu v, Object[] codePage, int offset, long limit);
}
