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
import io.hvdbg.core.tlb.FlushRecord;
import io.hvdbg.core.tlb.TlbEntry;

/** Sv39/48/57 through the G-stage, and Svvptc visibly on or off per the vCPU's ISA configuration. */
class PagingGuestTest {
    private static final String WITHOUT_SVVPTC = "rv64imafdc_zicsr_zifencei_zicntr_zba_zbb_zbs_sstc";

    @Test
    void pagingModesAndFaultsWithSvvptc() throws Exception {
        GuestRun r = GuestRun.run("test-paging.elf");
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(0, r.end.exitStatus(), r.describe());
        assertFalse(r.console().contains("FAIL"), r.console());
        for (String mode : new String[] {"Sv39", "Sv48", "Sv57"}) {
            assertTrue(r.console().contains("test-paging: " + mode), r.console());
        }
        assertTrue(r.console().contains("svvptc: new PTE visible without sfence.vma"), r.console());
        RiscvMachine m = (RiscvMachine) r.vm;
        assertTrue(m.tlb(0).misses() > 0 && m.tlb(0).hits() >= 0);
        assertTrue(m.tlb(0).flushesByCause().getOrDefault("sfence.vma", 0L) >= 8, m.tlb(0).flushesByCause().toString());
        boolean byAddress = false;
        for (FlushRecord f : m.tlb(0).history(64)) {
            byAddress |= f.scope().equals("address") && f.address() == 0x1000000000L;
        }
        assertTrue(byAddress, "sfence.vma by address is recorded with its address");
        assertEquals("on", m.tlb(0).properties().get("svvptc"));
        boolean lazyPage = false;
        for (TlbEntry e : m.tlb(0).entries()) {
            assertEquals(RiscvMachine.VMID, e.vmid(), "entries are tagged with the guest's VMID");
            if (e.va() == 0x1000200000L) {
                lazyPage = true;
                assertEquals(4096, e.pageSize());
                assertTrue(e.accessed() && e.dirty(), "A/D as cached");
                assertTrue(e.permissions().startsWith("rw-"), e.permissions());
            }
        }
        assertTrue(lazyPage, "the Svvptc test page is in the TLB: " + m.tlb(0).entries());
    }

    @Test
    void withoutSvvptcTheInvalidTranslationStaysUntilSfence() throws Exception {
        GuestRun r = GuestRun.run(GuestRun.config("test-paging.elf").withIsa(WITHOUT_SVVPTC));
        assertEquals(0, r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains("svvptc: stale invalid translation until sfence.vma"), r.console());
        RiscvMachine m = (RiscvMachine) r.vm;
        assertEquals("off", m.tlb(0).properties().get("svvptc"));
        assertTrue(Long.parseLong(m.tlb(0).properties().get("negative-hits")) >= 1);
    }
}
