/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.jit;

/**
 * Thrown by {@link JitRuntime#read}/{@link JitRuntime#write} when the soft TLB has no entry: the
 * block leaves at that instruction and the interpreter runs it (walk, fault, MMIO, SMC).
 */
public final class JitMiss extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final JitMiss MISS = new JitMiss();

    private JitMiss() {
        super("soft TLB miss", null, false, false);
    }
}
