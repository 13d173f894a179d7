/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.hvdbg.core.StopReason;
import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.NativeEncoding;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.x86.exit.X86ExitKind;

/**
 * test-task.elf: 32-bit hardware task switches (CALL to a TSS, JMP through a GDT task gate, INT
 * and #GP through IDT task gates, IRET with NT) pass on both vendors; each switch is a
 * task-switch exit KVM emulates, with the SDM's exit qualification (TSS selector in 15:0,
 * source in 31:30: 0 CALL, 1 IRET, 2 JMP, 3 task gate) and the APM's EXITINFO1/EXITINFO2 (bit 36
 * IRET, bit 38 JMP, bit 44 and 31:0 the error code).
 */
class TaskSwitchGuestTest {
    private static final long IRET = 1L << 36, JMP = 1L << 38, ERROR = 1L << 44;

    @ParameterizedTest
    @ValueSource(strings = {"intel", "amd"})
    void taskSwitchesPassAndCarryBothEncodings(String vendor) throws Exception {
        GuestRun r = GuestRun.run(GuestRun.config("test-task.elf").withVendor(vendor));
        assertEquals(StopReason.SHUTDOWN, r.end.reason(), r.describe());
        assertEquals(1, r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains("task: PASS 30 checks"), r.describe());
        assertFalse(r.console().contains("FAIL"), r.describe());
        boolean amd = vendor.equals("amd");
        List<VmExit> switches = new ArrayList<>();
        var trace = r.vm.trace();
        for (long s = trace.firstSeq(); s < trace.nextSeq(); s++) {
            VmExit e = trace.get(s);
            if (e.reason() == X86ExitKind.TASK_SWITCH.reason(amd)) {
                switches.add(e);
            }
        }
        assertEquals(10, switches.size());
        assertEquals(10, r.vm.x86(0).taskSwitches());
        // {TSS selector, VMX source, SVM EXITINFO2}
        long[][] expected = {
            {0x20, 0, 0}, {0x18, 1, IRET}, {0x20, 0, 0}, {0x18, 1, IRET}, // CALL to task A and its IRET, twice
            {0x30, 2, JMP}, {0x18, 2, JMP}, // JMP through the GDT gate to task B, and B's JMP back
            {0x38, 3, 0}, {0x18, 1, IRET}, // INT 0x80 through an IDT task gate
            {0x40, 3, ERROR | 0x1234}, {0x18, 1, IRET}, // #GP(0x1234) through an IDT task gate
        };
        for (int i = 0; i < expected.length; i++) {
            VmExit e = switches.get(i);
            NativeEncoding vmx = e.encoding(ExitSource.VMX);
            NativeEncoding svm = e.encoding(ExitSource.SVM);
            String at = "switch " + i + ": " + e.describe();
            assertEquals(9, vmx.code(), at);
            assertEquals(expected[i][0] | (expected[i][1] << 30), vmx.info1(), at);
            assertEquals(0x7D, svm.code(), at);
            assertEquals(expected[i][0], svm.info1(), at);
            assertEquals(expected[i][2], svm.info2(), at);
        }
        assertEquals("task switch to TSS 0x40 by task gate error 0x1234", switches.get(8).describe());
    }
}
