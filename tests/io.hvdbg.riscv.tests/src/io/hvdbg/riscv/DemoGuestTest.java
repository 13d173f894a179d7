/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.hvdbg.core.StopReason;
import io.hvdbg.guests.GuestImages;
import io.hvdbg.riscv.boot.KernelLoader;

/** The demo guest runs in VS-mode and takes every kind of exit the demo promises. */
class DemoGuestTest {
    @Test
    void demoPassesAndTakesEachKindOfExit() throws Exception {
        GuestRun r = GuestRun.run("demo.elf");
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(0, r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains("hello from VS-mode"), r.console());
        assertTrue(r.console().contains("guest: PASSED"), r.console());
        assertTrue(!r.console().contains("FAIL"), r.console());
        assertTrue(r.exits("VIRTUAL_SUPERVISOR_ECALL") >= 8, "SBI calls");
        assertTrue(r.exits("STORE_GUEST_PAGE_FAULT") > 100, "UART writes are MMIO exits");
        assertTrue(r.exits("LOAD_GUEST_PAGE_FAULT") > 100, "UART status reads are MMIO exits");
        assertEquals(1, r.exits("WFI"), "one WFI");
        assertEquals(1, r.exits("SUPERVISOR_TIMER_INTERRUPT"), "the SBI timer fired once");
        assertEquals(1, r.exits("SUPERVISOR_SOFTWARE_INTERRUPT"), "one IPI");
    }

    @Test
    void demoBootsAsLinuxImageToo() throws Exception {
        Path img = GuestImages.extract("riscv64/demo.img");
        assertTrue(KernelLoader.isImage(Files.readAllBytes(img)), "demo.img carries the Image header");
        GuestRun r = GuestRun.run(GuestRun.config("demo.img").withKernel(img));
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(0, r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains("guest: PASSED"), r.console());
    }

    @Test
    void gzipCompressedImageBoots(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path gz = dir.resolve("demo.img.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(GuestImages.read("riscv64/demo.img"));
        }
        GuestRun r = GuestRun.run(GuestRun.config("demo.img").withKernel(gz));
        assertEquals(0, r.end.exitStatus(), r.describe());
        assertEquals("Image", ((RiscvMachine) r.vm).kernel().format());
    }

    @Test
    void demoRunsWithAnSv48x4GStage() throws Exception {
        GuestRun r = GuestRun.run(GuestRun.config("demo.elf").withOption("gstage", "sv48x4"));
        assertEquals(0, r.end.exitStatus(), r.describe());
        assertEquals(9L, ((RiscvMachine) r.vm).hart(0).hart().hgatp >>> 60, "hgatp.MODE = Sv48x4");
    }

    @Test
    void runsRepeatExactly() throws Exception {
        GuestRun a = GuestRun.run("demo.elf");
        GuestRun b = GuestRun.run("demo.elf");
        assertEquals(a.console(), b.console());
        assertEquals(a.vm.vcpu(0).instructions(), b.vm.vcpu(0).instructions());
        assertEquals(a.vm.trace().nextSeq(), b.vm.trace().nextSeq());
    }
}
