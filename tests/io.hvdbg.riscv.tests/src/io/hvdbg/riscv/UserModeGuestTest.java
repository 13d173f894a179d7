/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.StopReason;

/**
 * VS/VU privilege model: traps the guest owns stay in the guest (ecall from VU, page faults),
 * a supervisor CSR from VU is a virtual-instruction exit the hypervisor turns into an illegal
 * instruction for the guest.
 */
class UserModeGuestTest {
    @Test
    void userModeEcallsFaultsAndCsrs() throws Exception {
        GuestRun r = GuestRun.run("test-umode.elf");
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(0, r.end.exitStatus(), r.describe());
        assertFalse(r.console().contains("FAIL"), r.console());
        assertEquals(5, r.console().lines().filter(l -> l.startsWith("ok ")).count(), r.console());
        assertEquals(1, r.exits("VIRTUAL_SUPERVISOR_ECALL"), "only the final SRST reaches the hypervisor");
        assertEquals(1, r.exits("VIRTUAL_INSTRUCTION"), "csrr sstatus from VU-mode");
    }
}
