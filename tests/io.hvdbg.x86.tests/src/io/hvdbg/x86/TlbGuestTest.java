/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.StopReason;

/**
 * The CPUID/TLB guest (test-tlb) passes on Intel and on both AMD CR4.PGE behaviours; the AMD
 * pre-6.14 behaviour makes exactly one more hypervisor flush request per CR4.PGE toggle than
 * 6.14, with the same guest output and the same architectural flushes.
 */
class TlbGuestTest {
    private static final String SVM_EXTRA = "svm_set_cr4: svm_flush_tlb_current (CR4.PGE toggle, pre-6.14)";

    private static GuestRun run(String vendor, String pgeFlush) throws Exception {
        var c = GuestRun.config("test-tlb.elf").withVendor(vendor);
        if (pgeFlush != null) {
            c = c.withOption("amd-cr4-pge-flush", pgeFlush);
        }
        GuestRun r = GuestRun.run(c);
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(1, r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains("tlb: PASS"), r.describe());
        return r;
    }

    @Test
    void theDemoShowsTheSameDifference() throws Exception {
        GuestRun now = GuestRun.run(GuestRun.config("demo.elf").withVendor("amd"));
        GuestRun pre = GuestRun.run(GuestRun.config("demo.elf").withVendor("amd").withOption("amd-cr4-pge-flush", "pre-6.14"));
        assertEquals(1, now.end.exitStatus(), now.describe());
        assertEquals(now.console(), pre.console());
        long toggles = now.vm.tlb(0).flushesByCause().get("CR4.PGE toggle");
        assertTrue(toggles >= 2);
        assertEquals(toggles, total(pre.vm.tlb(0).requestsByCause()) - total(now.vm.tlb(0).requestsByCause()));
        assertEquals(now.vm.statistics().format(-1).lines().count(), pre.vm.statistics().format(-1).lines().count());
    }

    @Test
    void unknownPgeFlushBehaviourIsAClearError() throws Exception {
        var c = GuestRun.config("test-tlb.elf").withVendor("amd").withOption("amd-cr4-pge-flush", "6.13");
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new X86MachineFactory().create(c));
        assertEquals("amd-cr4-pge-flush: '6.13' is not a behaviour (6.14 or pre-6.14)", e.getMessage());
    }

    private static long total(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void amdPre614MakesOneMoreFlushRequestPerPgeToggle() throws Exception {
        GuestRun intel = run("intel", null);
        GuestRun amd614 = run("amd", null);
        GuestRun amdPre = run("amd", "pre-6.14");
        var now = amd614.vm.tlb(0);
        var pre = amdPre.vm.tlb(0);
        long toggles = now.flushesByCause().get("CR4.PGE toggle");
        // the guest counts its off/on pairs; setting CR4.PGE the first time is one more toggle
        assertTrue(amd614.console().contains("pge toggles " + (toggles - 1)), amd614.describe());
        assertEquals(toggles, pre.flushesByCause().get("CR4.PGE toggle"));
        assertEquals(toggles, now.requestsByCause().get("KVM_REQ_TLB_FLUSH_GUEST: CR4.PGE toggle"));
        assertEquals(toggles, pre.requestsByCause().get("KVM_REQ_TLB_FLUSH_GUEST: CR4.PGE toggle"));
        assertEquals(null, now.requestsByCause().get(SVM_EXTRA), now.requestsByCause().toString());
        assertEquals(toggles, pre.requestsByCause().get(SVM_EXTRA), pre.requestsByCause().toString());
        assertEquals(toggles, total(pre.requestsByCause()) - total(now.requestsByCause()));
        // the requests coalesce: the same number of ASID flushes at VMRUN, the same guest results
        assertEquals(now.flushesByCause(), pre.flushesByCause());
        assertTrue(now.flushesByCause().get("VMRUN TLB_CONTROL_FLUSH_ASID") >= toggles, now.flushesByCause().toString());
        assertEquals(amd614.console(), amdPre.console());
        assertEquals(amd614.console(), intel.console());
        // Intel has no svm_set_cr4: 6.14 and the switch do not matter
        assertEquals(null, intel.vm.tlb(0).requestsByCause().get(SVM_EXTRA));
        assertTrue(intel.vm.tlb(0).flushesByCause().containsKey("INVVPID single-context (KVM_REQ_TLB_FLUSH_GUEST)"),
                intel.vm.tlb(0).flushesByCause().toString());
        assertEquals("pre-6.14", pre.properties().get("amd-cr4-pge-flush"));
        assertTrue(pre.history(256).stream().anyMatch(f -> f.request() && f.cause().equals(SVM_EXTRA)
                && f.scope().equals("asid 1")));
        String table = amdPre.vm.tlbStatistics();
        assertTrue(table.contains("TLB FLUSH REQUEST") && table.contains(SVM_EXTRA) && table.contains("amd-cr4-pge-flush: pre-6.14")
                && table.contains("VMRUN TLB_CONTROL_FLUSH_ASID"), table);
        assertTrue(table.contains("Total flush requests:" + total(pre.requestsByCause())), table);
        for (String cause : new String[] {"CR3 write NOFLUSH", "INVPCID individual-address", "INVPCID single-context",
            "INVPCID all-context", "INVPCID all-non-global", "CR4.PCIDE cleared"}) {
            assertTrue(now.flushesByCause().containsKey(cause), cause + " in " + now.flushesByCause());
        }
    }
}
