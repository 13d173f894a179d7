/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.riscv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hvdbg.core.StopReason;

/**
 * The self-checking guests of each instruction group pass (each prints one "ok" line per
 * check and ends through SBI SRST with status 0).
 */
class InstructionGroupGuestTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "test-int.elf, 54, test-int: Zbs",
        "test-atomic.elf, 21, test-atomic: Zacas",
        "test-fp.elf, 22, test-fp: F",
    })
    void guestPasses(String image, int checks, String lastGroup) throws Exception {
        GuestRun r = GuestRun.run(image);
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(0, r.end.exitStatus(), r.describe());
        assertFalse(r.console().contains("FAIL"), r.console());
        assertTrue(r.console().contains(lastGroup), r.console());
        assertEquals(checks, r.console().lines().filter(l -> l.startsWith("ok ")).count(), r.console());
    }
}
