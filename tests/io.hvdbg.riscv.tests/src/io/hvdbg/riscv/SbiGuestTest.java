/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.StopReason;
import io.hvdbg.core.exit.ExitAttribute;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.riscv.sbi.Sbi;

/** SBI as the hypervisor implements it, incl. HSM bring-up of a secondary hart and IPIs. */
class SbiGuestTest {
    @Test
    void hsmIpiRfenceDbcn() throws Exception {
        GuestRun r = GuestRun.run(GuestRun.config("test-sbi.elf").withSmp(2));
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(0, r.end.exitStatus(), r.describe());
        assertFalse(r.console().contains("FAIL"), r.console());
        assertTrue(r.console().contains("hart 1 runs with a0 = 1, a1 = opaque"), r.console());
        assertTrue(r.console().contains("ok   SUSP resumed at resume_addr with a0 = hart id, a1 = opaque"), r.console());
        assertTrue(r.console().contains("ok   retentive hart_suspend returns once the timer is pending"), r.console());
        assertTrue(r.console().contains("D") && r.console().contains("L\n"), r.console());
        assertEquals(1, r.vm.statistics().count(1, io.hvdbg.riscv.exit.RiscvExits.SOFTWARE_INTERRUPT),
                "hart 1 took the IPI as a host software interrupt exit");
        boolean sawHsmStart = false;
        for (VmExit e : r.vm.trace().last((int) r.vm.trace().size())) {
            if (e.reason() == io.hvdbg.riscv.exit.RiscvExits.VS_ECALL && e.attribute(ExitAttribute.SBI_EXTENSION) == Sbi.EXT_HSM
                    && e.attribute(ExitAttribute.SBI_FUNCTION) == 0) {
                sawHsmStart = true;
                assertTrue(e.describe().contains("HSM"), e.describe());
                assertEquals(10, e.encoding(e.reason().source()).code(), "native scause of a VS ecall");
            }
        }
        assertTrue(sawHsmStart, "the hart_start ecall is recorded with its extension and function");
    }

    @Test
    void srstSystemFailureEndsWithStatusOne() throws Exception {
        // test-isa without Zicntr still passes; a guest reporting failure is the SRST reason 1 path:
        GuestRun r = GuestRun.run(GuestRun.config("test-sbi.elf")); // one hart: hart_start(1) fails
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(1, r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains("guest: FAILED"), r.console());
    }
}
