/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.inspect.FeatureBit;
import io.hvdbg.core.inspect.StateRow;
import io.hvdbg.core.tlb.TlbModel;

/** What the views show after the demo: system state rows, CPUID features and the TLB with its flushes. */
class InspectionTest {
    @Test
    void stateFeaturesAndTlbAfterTheDemo() throws Exception {
        GuestRun r = GuestRun.run(GuestRun.config("demo.elf"));
        assertEquals(1, r.end.exitStatus(), r.describe());
        var rows = r.vm.systemState(0);
        StateRow cr0 = rows.stream().filter(s -> s.name().equals("cr0")).findFirst().orElseThrow();
        assertTrue(cr0.decoded().contains("PE") && cr0.decoded().contains("PG"), cr0.toString());
        StateRow efer = rows.stream().filter(s -> s.name().equals("efer")).findFirst().orElseThrow();
        assertTrue(efer.decoded().contains("LMA"), efer.toString());
        StateRow mode = rows.stream().filter(s -> s.name().equals("state")).findFirst().orElseThrow();
        assertTrue(mode.decoded().contains("long mode"), mode.toString());

        var features = r.vm.features(0);
        assertTrue(features.bits().stream().anyMatch(b -> b.name().equals("lm") && b.effective()));
        assertTrue(features.bits().stream().filter(FeatureBit::effective).count() > 10);

        TlbModel tlb = r.vm.tlb(0);
        assertTrue(tlb.flushesByCause().getOrDefault("CR4.PGE toggle", 0L) >= 2, tlb.flushesByCause().toString());
        assertEquals(1L, tlb.flushesByCause().get("INVLPG"));
        assertTrue(!tlb.entries().isEmpty());
        assertTrue(tlb.history(100).stream().anyMatch(f -> f.cause().equals("INVLPG")));
    }
}
