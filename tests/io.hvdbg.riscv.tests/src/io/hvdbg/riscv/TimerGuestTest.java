/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.StopReason;

/** SBI timer (host timer exits) and Sstc (no exits) both wake WFI with a VS timer interrupt. */
class TimerGuestTest {
    @Test
    void sbiTimerAndSstc() throws Exception {
        GuestRun r = GuestRun.run("test-timer.elf");
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(0, r.end.exitStatus(), r.describe());
        assertFalse(r.console().contains("FAIL"), r.console());
        assertEquals(3, r.exits("SUPERVISOR_TIMER_INTERRUPT"), "only the SBI timer needs the hypervisor");
        assertEquals(6, r.exits("WFI"), "six WFIs");
    }
}
