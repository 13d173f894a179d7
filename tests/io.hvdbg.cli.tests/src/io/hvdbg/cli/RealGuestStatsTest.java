/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.hvdbg.guests.GuestImages;

/** {@code hvdbg run --stats} on the real demo guests: the exit table, then the TLB flush table by cause. */
class RealGuestStatsTest {
    @Test
    void x86StatsShowExitsAndTlbFlushRequestsByCauseForBothAmdBehaviours() throws Exception {
        Path kernel = GuestImages.extract("x86_64/demo.elf");
        long[] requests = new long[2];
        String[] behaviours = {"6.14", "pre-6.14"};
        for (int i = 0; i < 2; i++) {
            CliHarness r = CliHarness.main("run", "--arch", "x86_64", "--kernel", kernel.toString(), "--vendor", "amd",
                    "--stats", "--option", "amd-cr4-pge-flush=" + behaviours[i]);
            assertEquals(1, r.status(), r.err());
            assertTrue(r.out().contains("VMEXIT_IOIO"), r.out());
            assertTrue(r.out().contains("TLB FLUSH REQUEST (hypervisor)"), r.out());
            assertTrue(r.out().contains("CR4.PGE toggle"), r.out());
            assertTrue(r.out().contains("(amd-cr4-pge-flush: " + behaviours[i] + ")"), r.out());
            requests[i] = Long.parseLong(r.out().replaceAll("(?s).*Total flush requests:(\\d+).*", "$1"));
        }
        // The demo toggles CR4.PGE: pre-6.14 asks for one more flush per toggle.
        assertTrue(requests[1] > requests[0], "6.14: " + requests[0] + ", pre-6.14: " + requests[1]);
    }

    @Test
    void aMalformedOptionIsAOneLineUsageError() {
        CliHarness r = CliHarness.main("run", "--arch", "x86_64", "--kernel", "k.elf", "--option", "amd-cr4-pge-flush");
        assertEquals(ExitCodes.USAGE, r.status());
        assertEquals("hvdbg: option --option takes KEY=VALUE[,KEY=VALUE...], not 'amd-cr4-pge-flush'", r.firstErrorLine());
    }

    @Test
    void riscvStatsShowTheSfenceFlushes() throws Exception {
        Path kernel = GuestImages.extract("riscv64/demo.elf");
        CliHarness r = CliHarness.main("run", "--arch", "riscv64", "--kernel", kernel.toString(), "--stats");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("VIRTUAL_SUPERVISOR_ECALL"), r.out());
        assertTrue(r.out().matches("(?s).*sfence\\.vma\\s+\\d+.*"), r.out());
    }
}
