/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.core;

import io.hvdbg.core.debug.ExitBreakpoint;
import io.hvdbg.core.debug.Watchpoint;
import io.hvdbg.core.exit.VmExit;

/**
 * A stop of the whole VM (all-stop, as gdb's default mode), with the vCPU that caused it.
 *
 * @param reason         why it stopped
 * @param vcpu           the vCPU that stopped it (for PAUSED: the one running at the time)
 * @param address        breakpoint PC or watched data address, else 0
 * @param watchpoint     for WATCHPOINT, the one that triggered
 * @param exit           for EXIT_BREAKPOINT, the exit the vCPU stands at; else the last exit, or null
 * @param exitBreakpoint for EXIT_BREAKPOINT, the breakpoint hit
 * @param exitStatus     for SHUTDOWN, the process exit status the contract assigns
 * @param message        human-readable detail
 * @param guestFault     for SHUTDOWN, true when the guest did not ask for it (x86 triple fault)
 */
public record StopEvent(StopReason reason, int vcpu, long address, Watchpoint watchpoint, VmExit exit,
        ExitBreakpoint exitBreakpoint, int exitStatus, String message, boolean guestFault) {

    public static StopEvent breakpoint(int vcpu, long pc) {
        return new StopEvent(StopReason.BREAKPOINT, vcpu, pc, null, null, null, 0,
                String.format("breakpoint at 0x%x", pc), false);
    }

    public static StopEvent watchpoint(int vcpu, Watchpoint w, long address) {
        return new StopEvent(StopReason.WATCHPOINT, vcpu, address, w, null, null, 0,
                String.format("%s watchpoint at 0x%x", w.kind().name().toLowerCase(), address), false);
    }

    public static StopEvent exitBreakpoint(int vcpu, ExitBreakpoint b, VmExit exit) {
        return new StopEvent(StopReason.EXIT_BREAKPOINT, vcpu, exit.pc(), null, exit, b, 0,
                "exit breakpoint " + b.id() + " hit: " + exit.describe(), false);
    }

    public static StopEvent step(int vcpu) {
        return new StopEvent(StopReason.STEP, vcpu, 0, null, null, null, 0, "step", false);
    }

    public static StopEvent paused(int vcpu) {
        return new StopEvent(StopReason.PAUSED, vcpu, 0, null, null, null, 0, "paused", false);
    }

    /** The guest asked for its end (debug-exit port, SBI system reset or shutdown). */
    public static StopEvent shutdown(int vcpu, int exitStatus, String message) {
        return new StopEvent(StopReason.SHUTDOWN, vcpu, 0, null, null, null, exitStatus, message, false);
    }

    /**
     * The VM shut down because of the guest's own fault (x86 triple fault): a shutdown as under
     * QEMU -no-reboot, but not one the guest asked for, so front ends say why.
     */
    public static StopEvent faultShutdown(int vcpu, String message) {
        return new StopEvent(StopReason.SHUTDOWN, vcpu, 0, null, null, null, 0, message, true);
    }

    public static StopEvent error(int vcpu, String message) {
        return new StopEvent(StopReason.ERROR, vcpu, 0, null, null, null, 0, message, false);
    }
}
