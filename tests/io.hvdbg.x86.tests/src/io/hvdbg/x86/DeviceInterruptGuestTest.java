/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.hvdbg.core.StopReason;
import io.hvdbg.x86.exit.X86ExitKind;

/**
 * test-irq.elf on both vendors: the 8259 pair, the PIT on IRQ 0 through the 8259 and through the
 * IOAPIC's GSI 2, the UART's IRQ 4 edge- and level-triggered, the MADT overrides and NMIs. Each
 * timer tick the guest sees is one external-interrupt exit (the PIT's deadline), and the NMI
 * sent inside the NMI handler is taken after an NMI-window exit (VMX 8 / SVM VMEXIT_IRET).
 */
class DeviceInterruptGuestTest {
    @ParameterizedTest
    @ValueSource(strings = {"intel", "amd"})
    void guestPasses(String vendor) throws Exception {
        GuestRun r = GuestRun.run(GuestRun.config("test-irq.elf").withVendor(vendor));
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(1, r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains("irq: PASS 36 checks"), r.describe());
        assertFalse(r.console().contains("FAIL"), r.describe());
        assertTrue(r.console().contains("5 NMIs"), r.describe());
        boolean amd = vendor.equals("amd");
        var stats = r.vm.statistics();
        // 4 ticks through the 8259 (one latched while masked) and 3 through the IOAPIC, each
        // raised by a PIT deadline; the masked ticks in between cost one exit only.
        long external = stats.count(-1, X86ExitKind.EXTERNAL_INTERRUPT.reason(amd));
        assertTrue(external >= 7 && external <= 10, stats.format(-1));
        assertEquals(1, stats.count(-1, X86ExitKind.NMI_WINDOW.reason(amd)), stats.format(-1));
        assertEquals(amd ? 0x74 : 8, X86ExitKind.NMI_WINDOW.reason(amd).code());
        assertEquals(5, r.vm.x86(0).nmisTaken());
    }
}
