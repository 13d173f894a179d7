/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

/**
 * Process exit statuses of {@code hvdbg}. A guest's own status (the contract: x86
 * {@code (V << 1) | 1} from the isa-debug-exit port, RISC-V 0 or 1 from SBI SRST) is 0 or odd;
 * hvdbg's own failures are even and at least 2, so a script can always tell them apart.
 */
public final class ExitCodes {
    /** The command succeeded (or the guest ended with status 0). */
    public static final int OK = 0;
    /** Bad command line: unknown command or option, missing or malformed value. */
    public static final int USAGE = 2;
    /** An input file (kernel, initrd, trace) cannot be read or is not in a format hvdbg loads. */
    public static final int INPUT = 4;
    /** The VM stopped with an error, or hvdbg itself failed (I/O error writing output, internal error). */
    public static final int FAILURE = 6;
    /** The feature asked for is not available in this build yet (the message says which). */
    public static final int UNAVAILABLE = 8;

    private ExitCodes() {
    }
}
