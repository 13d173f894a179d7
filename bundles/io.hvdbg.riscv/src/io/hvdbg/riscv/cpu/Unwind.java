/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.cpu;

/**
 * Leaves the interpreter's instruction loop from deep inside an instruction: a trap was taken
 * into the guest, or an exit was handled. Preallocated and without a stack trace, so throwing
 * one costs no allocation.
 */
final class Unwind extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The guest took a trap (exception or interrupt entry into VS-mode); hart.pc is the vector. */
    static final Unwind GUEST_TRAP = new Unwind();
    /** A VM exit was handled (the handler may have completed the instruction); hart.pc says where to go on. */
    static final Unwind EXITED = new Unwind();

    private Unwind() {
        super(null, null, false, false);
    }
}
