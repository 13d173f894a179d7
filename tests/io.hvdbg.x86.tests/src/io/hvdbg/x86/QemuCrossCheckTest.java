/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hvdbg.guests.GuestImages;

/**
 * The bundled guests are ordinary kernels for QEMU's pc machine: when qemu-system-x86_64 is
 * installed, each also passes under QEMU (TCG), booted the same way ({@code -kernel},
 * {@code -append}, isa-debug-exit at 0xf4), and ends with the same status as under hvdbg.
 */
class QemuCrossCheckTest {
    private static String qemu() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "qemu-system-x86_64");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    @ParameterizedTest
    @CsvSource({"demo.elf, demo: PASS, 1", "test-alu64.elf, alu64: PASS, 1", "test-alu32.elf, alu32: PASS, 1",
        "test-sys.elf, sys64: PASS, 1", "test-smp.elf, smp: PASS, 2", "test-acpi.elf, platform: PASS, 2",
        "test-paging32.elf, paging32: PASS, 1", "test-la57.elf, la57: PASS, 1", "test-irq.elf, irq: PASS, 1",
        "test-task.elf, task: PASS, 1", "test-x87.elf, x87: PASS, 1",
        "test-sse.elf, sse: PASS, 1"})
    void guestPassesUnderQemuToo(String image, String verdict, int smp) throws Exception {
        String qemu = qemu();
        assumeTrue(qemu != null, "qemu-system-x86_64 is not installed");
        Path kernel = GuestImages.extract("x86_64/" + image);
        Process p = new ProcessBuilder(List.of(qemu, "-M", "pc", "-m", "128", "-smp", Integer.toString(smp), "-cpu", "max",
                "-kernel", kernel.toString(), "-append", "qemu cross-check", "-device",
                "isa-debug-exit,iobase=0xf4,iosize=4", "-serial", "stdio", "-display", "none", "-no-reboot",
                "-nodefaults")).redirectErrorStream(true).start();
        p.getOutputStream().close();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(done, "QEMU did not finish:\n" + out);
        assertTrue(out.contains(verdict), out);
        assertEquals(1, p.exitValue(), out);
        GuestRun r = GuestRun.run(GuestRun.config(image).withSmp(smp).withAppend("qemu cross-check"));
        assertEquals(p.exitValue(), r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains(verdict), r.describe());
    }
}
