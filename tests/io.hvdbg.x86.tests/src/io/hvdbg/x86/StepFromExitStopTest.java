/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.StopEvent;
import io.hvdbg.core.StopReason;

/**
 * A single step from a stop at an exit breakpoint (the handler has not run yet) runs the
 * handler and finishes the exiting instruction, as gdb's stepi expects: the vCPU ends past it,
 * the I/O happened once, and the guest still passes when every I/O exit is stepped over.
 */
class StepFromExitStopTest {
    @Test
    void stepiFromAnIoExitStopLeavesTheInstructionDoneOnce() throws Exception {
        X86Machine vm = (X86Machine) new X86MachineFactory().create(GuestRun.config("demo.elf"));
        vm.setStopWhenIdleForever(true);
        vm.exitBreakpoints().add("IO_INSTRUCTION", null, -1, false);
        int steps = 0;
        StopEvent e;
        while (true) {
            e = vm.runUntilStop(20_000);
            assertNotNull(e, "timeout");
            if (e.reason() != StopReason.EXIT_BREAKPOINT) {
                break;
            }
            int v = e.vcpu();
            long exitPc = vm.vcpu(v).pc();
            assertEquals(e.exit().pc(), exitPc, "stopped on the exiting instruction");
            StopEvent s = vm.stepAndWait(v, 20_000);
            assertNotNull(s, "step timeout");
            if (s.reason() == StopReason.SHUTDOWN) {
                e = s;
                break;
            }
            assertEquals(StopReason.STEP, s.reason(), s.message());
            assertNotEquals(exitPc, vm.vcpu(v).pc(), "a step from the exit stop must leave the instruction done");
            steps++;
        }
        vm.terminate();
        assertEquals(StopReason.SHUTDOWN, e.reason(), e.message() + "\n" + vm.console().transcript());
        assertEquals(1, e.exitStatus(), vm.console().transcript());
        assertTrue(steps > 100, "steps: " + steps);
        assertTrue(vm.console().transcript().contains("demo: PASS 13 checks"), vm.console().transcript());
    }
}
