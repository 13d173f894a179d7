/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86.cpu;

/**
 * Unwinds an instruction whose exit stopped the VM before its handler ran (exit breakpoint):
 * the instruction restarts when the VM resumes, and the handler's result is replayed into it.
 */
final class ExitAbort extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final ExitAbort INSTANCE = new ExitAbort();

    private ExitAbort() {
        super(null, null, false, false);
    }
}
