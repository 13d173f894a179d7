/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;

/**
 * Stopping at an exit before its handler runs (exit breakpoint) and resuming completes the
 * interrupted instruction exactly once: MMIO reads get the device's value, port writes reach
 * the UART once, and the guest still passes.
 */
class ExitBreakpointReplayTest {
    @Test
    void demoPassesWhenStoppingAtEveryMmioIoAndCrExit() throws Exception {
        X86Machine vm = (X86Machine) new X86MachineFactory().create(GuestRun.config("demo.elf"));
        vm.setStopWhenIdleForever(true);
        vm.exitBreakpoints().add("EPT_VIOLATION", null, -1, false);
        vm.exitBreakpoints().add("IO_INSTRUCTION", null, -1, false);
        vm.exitBreakpoints().add("CR_ACCESS", null, -1, false);
        int stops = 0;
        StopEvent e;
        do {
            e = vm.runUntilStop(20_000);
            assertNotNull(e, "timeout");
            if (e.reason() == StopReason.EXIT_BREAKPOINT) {
                stops++;
            }
        } while (e.reason() == StopReason.EXIT_BREAKPOINT);
        vm.terminate();
        assertEquals(StopReason.SHUTDOWN, e.reason(), e.message() + "\n" + vm.console().transcript());
        assertEquals(1, e.exitStatus(), vm.console().transcript());
        assertTrue(stops > 100, "stops: " + stops);
        String out = vm.console().transcript();
        assertTrue(out.contains("demo: PASS 13 checks"), out);
        assertTrue(out.startsWith("hvdbg x86_64 demo: long mode reached\r\ncommand line: "), out);
    }
}
