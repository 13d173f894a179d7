/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Four harts contend on LR/SC and AMO counters: reservations broken by another hart make sc
 * fail and retry, every retry loop completes (Ziccrse), totals are exact, and the run repeats
 * exactly (deterministic round-robin scheduling).
 */
class SmpAtomicsGuestTest {
    @Test
    void contendedAtomicsAddUpAndRepeat() throws Exception {
        GuestRun a = GuestRun.run(GuestRun.config("test-smp.elf").withSmp(4));
        assertEquals(0, a.end.exitStatus(), a.describe());
        assertFalse(a.console().contains("FAIL"), a.console());
        assertEquals(5, a.console().lines().filter(l -> l.startsWith("ok ")).count(), a.console());
        assertTrue(!a.console().contains("sc failures (retried): 0x0\n"),
                "the harts really contended (some sc failed and was retried):\n" + a.console());
        GuestRun b = GuestRun.run(GuestRun.config("test-smp.elf").withSmp(4));
        assertEquals(a.console(), b.console(), "same interleaving, same sc failures");
        for (int i = 0; i < 4; i++) {
            assertEquals(a.vm.vcpu(i).instructions(), b.vm.vcpu(i).instructions());
        }
    }
}
