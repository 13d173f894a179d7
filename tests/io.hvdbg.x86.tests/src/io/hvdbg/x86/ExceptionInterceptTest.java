/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.hvdbg.core.exit.ExitSource;
import io.hvdbg.core.exit.NativeEncoding;
import io.hvdbg.core.exit.VmExit;
import io.hvdbg.x86.exit.X86ExitEncoding;

/**
 * Exceptions intercepted for debugging (option intercept-exceptions, KVM's exception bitmap)
 * exit with the vendor encodings - VMX reason 0 with CR2 as qualification for #PF, SVM
 * VMEXIT_EXCP_PF with the error code in EXITINFO1 and CR2 in EXITINFO2 - and are re-injected,
 * so the guest behaves exactly as without interception.
 */
class ExceptionInterceptTest {
    private static final long NOT_PRESENT_VA = 0x8000000000L + 2 * 4096 + 5;

    @ParameterizedTest
    @ValueSource(strings = {"intel", "amd"})
    void interceptedExceptionsAreReportedAndReinjected(String vendor) throws Exception {
        GuestRun r = GuestRun.run(GuestRun.config("test-sys.elf").withVendor(vendor)
                .withOption("intercept-exceptions", "UD,BP,GP,PF"));
        assertEquals(1, r.end.exitStatus(), r.describe());
        assertTrue(r.console().contains("sys64: PASS"), r.describe());
        List<VmExit> exits = r.vm.trace().last(100_000).stream()
                .filter(e -> e.category() == io.hvdbg.core.exit.ExitCategory.EXCEPTION).toList();
        assertTrue(exits.stream().anyMatch(e -> X86ExitEncoding.exceptionVector(e.context()) == 6), "no #UD exit");
        assertTrue(exits.stream().anyMatch(e -> X86ExitEncoding.exceptionVector(e.context()) == 3), "no #BP exit");
        assertTrue(exits.stream().anyMatch(e -> X86ExitEncoding.exceptionVector(e.context()) == 13), "no #GP exit");
        VmExit pf = exits.stream().filter(e -> X86ExitEncoding.exceptionVector(e.context()) == 14
                && (vendor.equals("amd") ? e.info2() : e.qualification()) == NOT_PRESENT_VA).findFirst().orElseThrow();
        if (vendor.equals("amd")) {
            assertEquals("VMEXIT_EXCP_PF", pf.reason().name());
            assertEquals(0x4E, pf.reason().code());
            assertEquals(0, pf.qualification(), "EXITINFO1 = #PF error code (read of a not-present page)");
            NativeEncoding vmx = pf.encoding(ExitSource.VMX);
            assertEquals(0, vmx.code());
            assertEquals(NOT_PRESENT_VA, vmx.info1());
        } else {
            assertEquals("EXIT_REASON_EXCEPTION_NMI", pf.reason().name());
            NativeEncoding svm = pf.encoding(ExitSource.SVM);
            assertEquals(0x4E, svm.code());
            assertEquals(NOT_PRESENT_VA, svm.info2());
        }
        // interruption information: vector 14, type 3 (hardware exception), error code valid, valid
        assertEquals(14 | (3 << 8) | (1 << 11) | (1L << 31), pf.context() & 0xFFFF_FFFFL);
    }

    @Test
    void badVectorNamesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> X86Machine.parseExceptionIntercepts("PF,XYZ"));
        assertTrue(e.getMessage().startsWith("intercept-exceptions: 'XYZ'"), e.getMessage());
        assertEquals((1 << 14) | (1 << 3) | (1 << 1), X86Machine.parseExceptionIntercepts("PF, #BP, 1"));
    }
}
