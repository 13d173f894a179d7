/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core;

/** Why a VM stopped running. */
public enum StopReason {
    /** A breakpoint at the vCPU's PC (before the instruction executes). */
    BREAKPOINT,
    /** A watchpoint triggered (after the accessing instruction completed). */
    WATCHPOINT,
    /** An exit breakpoint hit: the vCPU stands at the exit, its handler has not run yet. */
    EXIT_BREAKPOINT,
    /** A single step completed. */
    STEP,
    /** Paused on request (debugger interrupt, IDE suspend). */
    PAUSED,
    /** The guest ended (debug-exit port, SBI system reset, triple fault); the VM is terminated. */
    SHUTDOWN,
    /** The core hit a condition it cannot continue from; the message says what. The VM is paused. */
    ERROR
}
