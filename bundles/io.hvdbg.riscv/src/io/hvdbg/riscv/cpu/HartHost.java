/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv.cpu;

import io.hvdbg.core.debug.Watchpoint;

/**
 * What the interpreter needs from the hypervisor side of its vCPU: taking traps into HS-mode
 * (VM exits) and the debugger hooks.
 */
public interface HartHost {
    /**
     * A trap into HS-mode: the hart has written scause, stval, htval, htinst and sepc (the
     * exiting pc) into its HS trap CSRs. The hypervisor records the exit and runs its handler,
     * which may change registers and the pc. Returns true to keep running the guest.
     */
    boolean trapToHypervisor(long scause, long stval, long htval, long htinst, long context, int insnLength);

    /** Breakpoint check before the instruction at pc; true if the VM stops. */
    boolean breakpointAt(long pc);

    /** Called after each retired instruction while debug checks are active. */
    void retiredWhileDebugging();

    /** A data access triggered a watchpoint; the VM stops after this instruction. */
    void watchpointHit(Watchpoint w, long va);

    /** True once the VM must stop (pause, breakpoint, exit breakpoint …). */
    boolean stopRequested();

    /** The guest can make no progress (e.g. its trap vector itself faults): stop the VM with the message. */
    void guestStuck(String message);

    /** True while the vCPU may execute (not halted or stopped by an exit handler). */
    boolean runnable();
}
