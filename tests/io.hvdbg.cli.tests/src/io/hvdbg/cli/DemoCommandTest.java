/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.hvdbg.core.Architecture;
import io.hvdbg.guests.GuestImages;

/**
 * {@code hvdbg demo --arch A}: runs the bundled demo to a pass, or says in one line that it is
 * not available yet (no image, or no core for the architecture) - never anything else.
 */
class DemoCommandTest {
    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "riscv64"})
    void demoPassesOrSaysItIsNotYetAvailable(String arch) {
        CliHarness r = CliHarness.main("demo", "--arch", arch);
        if (r.status() == ExitCodes.UNAVAILABLE) {
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().contains("not yet available"), r.err());
            if (!GuestImages.exists(Machines.demoImage(Architecture.parse(arch)))) {
                assertEquals("hvdbg: demo not yet available for " + arch + " (no bundled guest image " + arch
                        + "/demo.elf)\n", r.err());
            }
        } else {
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().startsWith("== " + arch + " demo: "), r.out());
            assertTrue(r.out().contains("VM-EXIT"), "exit statistics follow the console: " + r.out());
            assertTrue(r.out().contains("guest exited with status " + Machines.passStatus(Architecture.parse(arch)) + " (pass)"),
                    r.out());
        }
    }
}
