/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hvdbg.core.Architecture;

/**
 * The real clients the RSP tests drive are installed and know the architectures hvdbg reports
 * in its target descriptions (gdb for x86-64, gdb-multiarch for RISC-V; Debian packages gdb and
 * gdb-multiarch).
 */
class GdbToolchainTest {
    @ParameterizedTest
    @CsvSource({"gdb, X86_64", "gdb-multiarch, RISCV64"})
    void gdbKnowsTheArchitecture(String gdb, Architecture arch) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(gdb, "--nx", "--batch", "-ex", "set architecture " + arch.gdbArchitecture())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(gdb + " is not installed (Debian: apt-get install " + gdb + "): " + e.getMessage());
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), gdb + " did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("The target architecture is set to \"" + arch.gdbArchitecture() + "\""), out);
    }
}
