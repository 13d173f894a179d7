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
import io.hvdbg.core.exit.VmExit;

/** An exception that cannot be delivered, twice over, shuts the VM down through a triple-fault exit. */
class TripleFaultTest {
    @ParameterizedTest
    @CsvSource({"intel, EXIT_REASON_TRIPLE_FAULT, 2", "amd, VMEXIT_SHUTDOWN, 127"})
    void emptyIdtEndsInTripleFault(String vendor, String reason, long code) throws Exception {
        GuestRun r = GuestRun.run(GuestRun.config("test-triple.elf").withVendor(vendor));
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertTrue(r.end.message().contains("triple fault"), r.describe());
        assertTrue(r.end.guestFault(), "a triple fault is not a shutdown the guest asked for");
        assertTrue(r.console().contains("executing ud2") && !r.console().contains("still running"), r.describe());
        VmExit last = r.vm.trace().last(1).get(0);
        assertEquals(reason, last.reason().name());
        assertEquals(code, last.reason().code());
    }
}
