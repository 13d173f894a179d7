/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core.vcpu;

/** Scheduling state of a vCPU (as KVM's mp_state). */
public enum VcpuState {
    /** Executes guest code. */
    RUNNABLE,
    /** HLT / WFI: waits for an interrupt; guest time passes. */
    HALTED,
    /** Not started or stopped (x86 AP waiting for SIPI, RISC-V hart stopped by HSM); only another vCPU starts it. */
    STOPPED
}
