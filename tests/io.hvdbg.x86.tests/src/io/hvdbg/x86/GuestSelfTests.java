/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hvdbg.core.StopReason;

/**
 * The self-checking guests pass on both vendors: instruction groups with flags against
 * checksums taken on real hardware (64-bit and 32-bit code), and the long-mode system test
 * (exceptions, paging and protection, strings, atomics, MSRs, CRs, FXSAVE, LAPIC timer), booted
 * both as a multiboot kernel that switches modes itself and as an ELF64 entered in long mode,
 * 32-bit paging (two-level with a PSE page, PAE with NX) through a 32-bit IDT, and 5-level paging.
 */
class GuestSelfTests {
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
        "test-alu64.elf, intel, alu64: PASS 121 checks",
        "test-alu32.elf, intel, alu32: PASS 89 checks",
        "test-sys.elf, intel, sys64: PASS 116 checks",
        "test-sys.elf, amd, sys64: PASS 116 checks",
        "test-sys-elf64.elf, intel, sys64: PASS 116 checks",
        "test-sys-elf64.elf, amd, sys64: PASS 116 checks",
        "test-paging32.elf, intel, paging32: PASS 24 checks",
        "test-paging32.elf, amd, paging32: PASS 24 checks",
        "test-la57.elf, intel, la57: PASS 6 checks",
        "test-x87.elf, intel, x87: PASS 46 checks",
        "test-x87.elf, amd, x87: PASS 46 checks",
        "test-sse.elf, intel, sse: PASS 57 checks",
        "test-sse.elf, amd, sse: PASS 57 checks",
    })
    void guestPasses(String image, String vendor, String verdict) throws Exception {
        GuestRun r = GuestRun.run(GuestRun.config(image).withVendor(vendor));
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(1, r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains(verdict), r.describe());
        assertTrue(!r.console().contains("FAIL"), r.describe());
        if (image.startsWith("test-sys")) {
            // the timer tick held off by CLI opens an interrupt window when STI lets it in
            boolean amd = vendor.equals("amd");
            assertTrue(r.vm.statistics().count(-1, io.hvdbg.x86.exit.X86ExitKind.INTERRUPT_WINDOW.reason(amd)) >= 1,
                    r.vm.statistics().format(-1));
            assertTrue(r.vm.statistics().count(-1, io.hvdbg.x86.exit.X86ExitKind.EXTERNAL_INTERRUPT.reason(amd)) >= 4,
                    r.vm.statistics().format(-1));
        }
    }
}
